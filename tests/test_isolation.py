"""A plugin that fails never shows a traceback: every path names the plugin and the hook.

Installed plugins are simulated robustly: a module plus a ``*.dist-info`` folder (METADATA and
entry_points.txt) in a temporary folder put on sys.path, which importlib.metadata reads exactly
as it reads site-packages.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import captionbridge
from captionbridge import (
    PluginError,
    ReaderSpec,
    Transcript,
    TransformSpec,
    WriterSpec,
    hookimpl,
)
from captionbridge.cli import app as cli_module
from captionbridge.errors import FormatError
from captionbridge.host.registry import default_host, make_host

SHORT = "[00:00:01.000 --> 00:00:02.000]  Hello there.\n"
_serial = itertools.count()


def boom(*args: object, **kwargs: object) -> object:
    raise ZeroDivisionError("division by zero")


def _host(**plugins: object) -> captionbridge.host.registry.PluginHost:
    return make_host(entry_points=False, plugins=plugins)


# -- failures during a conversion --------------------------------------------------------------


class Reader:
    def __init__(
        self, read: Callable[..., object] = boom, guess: Callable[..., object] | None = None
    ):
        self.spec = ReaderSpec("bad", read, guess=guess)  # type: ignore[arg-type]

    @hookimpl
    def captionbridge_register_readers(self, register: Callable[[ReaderSpec], None]) -> None:
        register(self.spec)


class Writer:
    def __init__(self, write: Callable[..., object] = boom, multi: bool = False):
        self.spec = WriterSpec("bad", write, extension=".bad", multi_file=multi)  # type: ignore[arg-type]

    @hookimpl
    def captionbridge_register_writers(self, register: Callable[[WriterSpec], None]) -> None:
        register(self.spec)


class Transform:
    def __init__(self, apply: Callable[..., object] = boom):
        self.spec = TransformSpec("bad", "clean", apply)  # type: ignore[arg-type]

    @hookimpl
    def captionbridge_register_transforms(self, register: Callable[[TransformSpec], None]) -> None:
        register(self.spec)


class Reflow:
    @hookimpl
    def captionbridge_reflow(self, transcript: Transcript, options: object) -> Transcript | None:
        raise KeyError("max_chars")


def test_reader_that_raises() -> None:
    with pytest.raises(
        PluginError, match=r"plugin 'rdr' failed in reader 'bad': ZeroDivisionError"
    ) as info:
        captionbridge.loads(SHORT, format="bad", host=_host(rdr=Reader()))
    assert (info.value.plugin, info.value.hook) == ("rdr", "captionbridge_register_readers")


def test_reader_returning_the_wrong_type() -> None:
    with pytest.raises(PluginError, match="failed in reader 'bad': TypeError: returned list"):
        captionbridge.loads(SHORT, format="bad", host=_host(rdr=Reader(read=lambda t, c: [])))


def test_reader_guess_that_raises() -> None:
    host = _host(rdr=Reader(guess=boom))
    with pytest.raises(PluginError, match=r"plugin 'rdr' failed in reader 'bad' \(guess\)"):
        captionbridge.loads("not a transcript", host=host)


def test_writer_that_raises() -> None:
    host = _host(wrt=Writer())
    transcript = captionbridge.loads(SHORT, host=host)
    with pytest.raises(
        PluginError, match=r"plugin 'wrt' failed in writer 'bad': ZeroDivisionError"
    ) as info:
        captionbridge.dumps(transcript, "bad", host=host)
    assert info.value.hook == "captionbridge_register_writers"


@pytest.mark.parametrize(
    ("result", "message"),
    [
        (None, "returned NoneType, not str, bytes or a mapping"),
        ({"a.txt": 5}, "returned a mapping with 'a.txt': int"),
        ({"../evil.txt": "x"}, "tried to write outside its directory"),
    ],
)
def test_writer_returning_bad_files(tmp_path: Path, result: object, message: str) -> None:
    host = _host(wrt=Writer(write=lambda t, c: result, multi=True))
    transcript = captionbridge.loads(SHORT, host=host)
    with pytest.raises(PluginError, match=message):
        captionbridge.save(transcript, tmp_path / "x.bad", host=host)
    assert not list(tmp_path.iterdir())


def test_transform_that_raises() -> None:
    host = _host(tfm=Transform())
    with pytest.raises(PluginError, match=r"plugin 'tfm' failed in transform 'bad': ZeroDivision"):
        captionbridge.transform(captionbridge.loads(SHORT, host=host), host=host)


def test_transform_returning_none() -> None:
    host = _host(tfm=Transform(apply=lambda t, o: None))
    with pytest.raises(PluginError, match="failed in transform 'bad': returned NoneType"):
        captionbridge.transform(captionbridge.loads(SHORT, host=host), host=host)


def test_transform_raising_its_own_captionbridge_error_passes_through() -> None:
    def refuse(transcript: Transcript, options: object) -> Transcript:
        raise captionbridge.CaptionbridgeError("cannot do that with these options")

    host = _host(tfm=Transform(apply=refuse))
    with pytest.raises(captionbridge.CaptionbridgeError, match=r"^cannot do that") as info:
        captionbridge.transform(captionbridge.loads(SHORT, host=host), host=host)
    assert not isinstance(info.value, PluginError)


def test_firstresult_hook_that_raises() -> None:
    host = _host(rfl=Reflow())
    with pytest.raises(PluginError, match=r"plugin 'rfl' failed in captionbridge_reflow: KeyError"):
        captionbridge.transform(captionbridge.loads(SHORT, host=host), host=host)


# -- failures while loading ------------------------------------------------------------------


class RaisingRegistration:
    @hookimpl
    def captionbridge_register_writers(self, register: Callable[[WriterSpec], None]) -> None:
        register(WriterSpec("half", boom, extension=".half"))  # type: ignore[arg-type]
        raise RuntimeError("registration went wrong")


class ClaimsSrt:
    @hookimpl
    def captionbridge_register_writers(self, register: Callable[[WriterSpec], None]) -> None:
        register(WriterSpec("srt", boom, extension=".srt2"))  # type: ignore[arg-type]


class Typo:
    @hookimpl
    def captionbridge_register_writer(self, register: object) -> None:  # missing "s"
        pass


def test_registration_hook_that_raises_marks_the_plugin_broken() -> None:
    host = _host(half=RaisingRegistration())
    (broken,) = host.broken
    assert broken.name == "half"
    assert "captionbridge_register_writers: RuntimeError: registration went wrong" in broken.error
    assert "half" not in host.writers  # what it registered before raising is withdrawn
    assert "srt" in host.writers


def test_claiming_a_builtin_name_marks_the_plugin_broken_naming_both() -> None:
    host = _host(thief=ClaimsSrt())
    (broken,) = host.broken
    assert "'captionbridge.plugins.srt' and 'thief'" in broken.error
    assert host.provider_of("writer", "srt") == "captionbridge.plugins.srt"


def test_two_builtins_claiming_one_name_is_a_bug_that_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "cb_duplicate_srt.py").write_text(
        "from captionbridge.plugins.srt import captionbridge_register_writers\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    builtins = ("captionbridge.plugins.srt", "cb_duplicate_srt")
    with pytest.raises(FormatError, match="registered by two plugins"):
        make_host(entry_points=False, builtins=builtins)


def test_misspelt_hook_marks_the_plugin_broken() -> None:
    host = _host(typo=Typo())
    (broken,) = host.broken
    assert broken.name == "typo" and "captionbridge_register_writer" in broken.error


# -- installed entry points ------------------------------------------------------------------


def install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, version: str = "1.2.3"
) -> str:
    """Install a one-module plugin as distribution ``captionbridge-demo<n>``; returns the
    entry-point name."""
    n = next(_serial)
    module, dist = f"cb_demo_plugin_{n}", f"captionbridge-demo{n}"
    site = tmp_path / f"site{n}"
    info = site / f"captionbridge_demo{n}-{version}.dist-info"
    info.mkdir(parents=True)
    (site / f"{module}.py").write_text(source)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
    (info / "entry_points.txt").write_text(f"[captionbridge]\ndemo{n} = {module}\n")
    monkeypatch.syspath_prepend(str(site))
    return f"demo{n}"


GOOD_PLUGIN = """
import captionbridge

@captionbridge.hookimpl
def captionbridge_register_writers(register):
    register(captionbridge.WriterSpec("demo", lambda t, c: "DEMO\\n", extension=".demo"))
"""


@pytest.fixture
def fresh_default_host() -> Iterator[None]:
    default_host.cache_clear()
    yield
    default_host.cache_clear()


def test_installed_plugin_is_listed_with_version_and_hooks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_default_host: None
) -> None:
    name = install(tmp_path, monkeypatch, GOOD_PLUGIN)
    runner = CliRunner()
    document = json.loads(runner.invoke(cli_module.cli, ["plugins", "--json"]).stdout)
    (entry,) = [p for p in document["plugins"] if p["name"] == name]
    assert entry == {
        "name": name,
        "distribution": f"captionbridge-{name}",
        "version": "1.2.3",
        "builtin": False,
        "hooks": ["captionbridge_register_writers"],
        "registers": {"writer": ["demo"]},
    }
    srt = [p for p in document["plugins"] if p["name"] == "captionbridge.plugins.srt"]
    assert srt[0]["builtin"] and srt[0]["version"] == captionbridge.__version__
    formats = runner.invoke(cli_module.cli, ["formats"]).stdout
    (line,) = [x for x in formats.splitlines() if x.split()[:2] == ["write", "demo"]]
    assert f"captionbridge-{name} 1.2.3" in line


def test_plugin_that_fails_to_import_is_listed_as_broken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_default_host: None
) -> None:
    name = install(
        tmp_path, monkeypatch, "import captionbridge\nraise ImportError('needs numpy')\n"
    )
    runner = CliRunner()
    text = runner.invoke(cli_module.cli, ["plugins"]).stdout
    assert f"{name}  (captionbridge-{name})  BROKEN: ImportError: needs numpy" in text
    document = json.loads(runner.invoke(cli_module.cli, ["plugins", "--json"]).stdout)
    assert {
        "name": name,
        "distribution": f"captionbridge-{name}",
        "error": "ImportError: needs numpy",
    } in document["broken"]
    result = runner.invoke(cli_module.cli, ["formats"])
    assert result.exit_code == 0 and "srt" in result.stdout  # everything else still works
    assert f"plugin '{name}' (captionbridge-{name}) is broken and was skipped" in result.stderr


def test_failing_writer_fails_only_its_conversion_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_default_host: None
) -> None:
    source = GOOD_PLUGIN.replace('lambda t, c: "DEMO\\n"', "lambda t, c: 1 / 0")
    name = install(tmp_path, monkeypatch, source)
    talk = tmp_path / "talk.txt"
    talk.write_text(SHORT)
    result = CliRunner().invoke(cli_module.cli, ["convert", str(talk), "--to", "srt,demo"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"plugin '{name}' failed in writer 'demo': ZeroDivisionError" in result.stderr
    # the failing writer drops only its own output: the SRT is written (issue 14, fault 3)
    assert (tmp_path / "talk.srt").read_text().startswith("1\n00:00:")
    assert not (tmp_path / "talk.demo").exists()
    ok = CliRunner().invoke(cli_module.cli, ["convert", str(talk), "--to", "srt", "--force"])
    assert ok.exit_code == 0


def test_disabled_plugin_is_not_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = install(tmp_path, monkeypatch, "raise ImportError('should not be imported')\n")
    monkeypatch.setenv("CAPTIONBRIDGE_DISABLE_PLUGINS", f"x, captionbridge-{name}")
    host = make_host()
    assert all(b.name != name for b in host.broken)
