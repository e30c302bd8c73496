"""Start-up stays cheap: what a small conversion imports and compiles, counted (not timed).

The command line registers every built-in plugin, but a bracket transcript converted to SRT
needs one reader and one writer: the other formats' modules, the heavy dependencies and the
patterns of unused modules must not load (timings are in ``benchmarks/bench_startup.py``).
"""

from __future__ import annotations

import json
import os
import pickle
import posixpath
import subprocess
import sys
import types
from pathlib import Path

import pytest

import captionbridge
from captionbridge.helpers.deferred import deferred, lazy_exports

SRC = Path(captionbridge.__file__).resolve().parents[1]

# runs the command line in a fresh interpreter, without the installed plugin packages (their
# imports are theirs), and reports the modules it imported and the patterns it compiled
_CHILD = """
import os, re, sys
from captionbridge.host.entrypoints import find_entry_points

os.environ["CAPTIONBRIDGE_DISABLE_PLUGINS"] = ",".join(
    ep.name for ep in find_entry_points("captionbridge")
)
compiled = set()
original = re._compile

def counting(pattern, flags):
    caller = sys._getframe(1)
    while caller.f_globals.get("__name__") == "re":
        caller = caller.f_back
    if caller.f_globals.get("__name__", "").startswith("captionbridge"):
        compiled.add((pattern, flags))
    return original(pattern, flags)

re._compile = counting
from captionbridge.__main__ import main

try:
    main(sys.argv[2:])
except SystemExit as stop:
    code = stop.code
modules = sorted(sys.modules)
import json

with open(sys.argv[1], "w") as report:
    json.dump({"code": code, "modules": modules, "compiled": len(compiled)}, report)
"""

#: modules a bracket-to-SRT conversion has no use for: other formats' readers and writers,
#: engines that only some options start, and libraries only some inputs need
NOT_FOR_BRACKET_TO_SRT = (
    "captionbridge.plugins.srt.reader",
    "captionbridge.plugins.vtt.reader",
    "captionbridge.plugins.vtt.writer",
    "captionbridge.plugins.ass.reader",
    "captionbridge.plugins.ass.writer",
    "captionbridge.plugins.whisperjson.detect",
    "captionbridge.plugins.whisperjson.openai",
    "captionbridge.plugins.whisperjson.verbose",
    "captionbridge.helpers.jsonload",
    "captionbridge.host.diagnose",
    "captionbridge.reflow.reflower",
    "captionbridge.reflow.wordcues",
    "captionbridge.batch.run",
    "captionbridge.lint.check",
    "json",
    "tomllib",
    "pysubs2",
    "charset_normalizer",
    "ftfy",
    "fsspec",
    "defusedxml",
    "xml.etree.ElementTree",
    "concurrent.futures",
)

#: the most captionbridge modules, and regular expressions compiled by them, that conversion
#: may take (86 and 52 when this was written; 108 and 96 before start-up was cut)
MOST_MODULES = 90
MOST_PATTERNS = 55


def _start(tmp_path: Path, *args: str) -> dict[str, object]:
    report = tmp_path / "report.json"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]))
    subprocess.run(
        [sys.executable, "-c", _CHILD, str(report), *args],
        cwd=tmp_path,  # no configuration file to read
        env=env,
        check=True,
        capture_output=True,
    )
    result: dict[str, object] = json.loads(report.read_text())
    return result


@pytest.fixture(scope="module")
def bracket_to_srt(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("startup")
    (folder / "talk.txt").write_text(
        "[00:00:00.000 --> 00:00:03.000]   Ilya, unbelievable.\n"
        "[00:00:03.000 --> 00:00:06.000]   Today is the day after GPT-4.\n",
        encoding="utf-8",
    )
    report = _start(folder, "convert", "talk.txt", "-o", "talk.srt", "-q")
    report["output"] = (folder / "talk.srt").read_text(encoding="utf-8")
    return report


def test_a_small_conversion_works(bracket_to_srt: dict[str, object]) -> None:
    assert bracket_to_srt["code"] == 0
    assert bracket_to_srt["output"] == (
        "1\n00:00:00,000 --> 00:00:03,000\nIlya, unbelievable.\n\n"
        "2\n00:00:03,000 --> 00:00:06,000\nToday is the day after GPT-4.\n"
    )


def test_a_small_conversion_imports_only_what_it_uses(bracket_to_srt: dict[str, object]) -> None:
    modules = set(bracket_to_srt["modules"])  # type: ignore[call-overload]
    assert "captionbridge.plugins.srt.writer" in modules  # the one writer used
    assert sorted(modules.intersection(NOT_FOR_BRACKET_TO_SRT)) == []
    ours = [name for name in modules if name.startswith("captionbridge")]
    assert len(ours) <= MOST_MODULES, sorted(ours)


def test_a_small_conversion_compiles_few_patterns(bracket_to_srt: dict[str, object]) -> None:
    assert bracket_to_srt["compiled"] <= MOST_PATTERNS  # type: ignore[operator]


def test_deferred_imports_on_the_first_call_and_pickles() -> None:
    basename = deferred("posixpath", "basename")
    assert basename("/a/b.txt") == "b.txt"
    assert pickle.loads(pickle.dumps(basename))("/c/d.srt") == "d.srt"
    missing = deferred("captionbridge_no_such_module", "read")  # nothing imported yet
    with pytest.raises(ModuleNotFoundError):
        missing("text")


def test_deferred_plugin_functions_are_the_real_ones_when_imported() -> None:
    from captionbridge.plugins import srt, vtt
    from captionbridge.plugins.srt.writer import write_srt
    from captionbridge.plugins.vtt.reader import read_vtt

    assert srt.write_srt is write_srt
    assert vtt.read_vtt is read_vtt
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        vtt.nothing  # noqa: B018


def test_lazy_exports_only_knows_its_names(monkeypatch: pytest.MonkeyPatch) -> None:
    package = types.ModuleType("cb_lazy_package")
    monkeypatch.setitem(sys.modules, package.__name__, package)
    look_up = lazy_exports(package.__name__, {"basename": "posixpath"})
    assert look_up("basename") is posixpath.basename
    assert package.basename is posixpath.basename  # kept: the next look-up is a plain one
    with pytest.raises(AttributeError, match="no attribute 'dirname'"):
        look_up("dirname")
