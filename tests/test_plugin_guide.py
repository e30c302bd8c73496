"""docs/plugins.md works as printed: its example package is extracted, built into a real
wheel, put on sys.path as an installed distribution, and its own tests are run."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import captionbridge
from captionbridge.host.registry import default_host, make_host

pytest_plugins = ["pytester"]

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "plugins.md"
_FILE_BLOCK = re.compile(r"<!-- file: (\S+) -->\n```\w*\n(.*?)\n```\n", re.S)


def guide_files() -> dict[str, str]:
    """The example files of the guide: ``{relative path: text}``."""
    return {path: body + "\n" for path, body in _FILE_BLOCK.findall(GUIDE.read_text("utf-8"))}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The guide's package built with pip into a wheel and unpacked as site-packages."""
    root = tmp_path_factory.mktemp("guide")
    for name, text in guide_files().items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    wheels = root / "wheels"
    package = root / "captionbridge-cuecsv"
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels)]
    subprocess.run([*pip_wheel, str(package)], check=True)
    (wheel,) = wheels.glob("captionbridge_cuecsv-0.1.0-*.whl")
    site = root / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def test_guide_has_the_four_files() -> None:
    assert sorted(guide_files()) == [
        "captionbridge-cuecsv/README.md",
        "captionbridge-cuecsv/captionbridge_cuecsv.py",
        "captionbridge-cuecsv/pyproject.toml",
        "captionbridge-cuecsv/tests/test_cuecsv.py",
    ]


def test_wheel_installs_a_working_entry_point(
    installed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry_points = next(installed.glob("*.dist-info/entry_points.txt")).read_text()
    assert "[captionbridge]\ncuecsv = captionbridge_cuecsv" in entry_points
    monkeypatch.syspath_prepend(str(installed))
    host = make_host()
    assert not host.broken
    provider = host.provider_of("writer", "cuecsv")
    assert host.describe_plugin(provider) == "captionbridge-cuecsv 0.1.0"
    transcript = captionbridge.loads('[00:00:01.000 --> 00:00:02.000]  Hello, "world".')
    text = captionbridge.dumps(transcript, "cuecsv", host=host, cuecsv_delimiter="semicolon")
    assert text == 'start;end;text\n1000;2000;"Hello, ""world""."\n'
    assert captionbridge.loads(text, host=host).cues[0].text == 'Hello, "world".'


def test_guide_tests_pass(
    installed: Path, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(installed))
    # the shared host may have been built by an earlier test, before this package was "installed"
    default_host.cache_clear()
    body = guide_files()["captionbridge-cuecsv/tests/test_cuecsv.py"]
    pytester.makepyfile(test_cuecsv=body)
    result = pytester.runpytest("-q", "-p", "no:cacheprovider")
    outcomes = result.parseoutcomes()
    assert set(outcomes) == {"passed"}, result.outlines[-20:]
    assert outcomes["passed"] > 40  # the kit's tests ran, twice over for the writer
    default_host.cache_clear()
