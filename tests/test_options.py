"""The option contract: OptionSpec parsing (booleans, strings, strict parsers), one typed and
immutable ResolvedOptions, click types built from the spec, config values through the same
parser, and clean errors for every option value."""

from __future__ import annotations

import importlib.abc
import pickle
import sys
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

import captionbridge
from captionbridge.cli.app import cli
from captionbridge.errors import OptionError
from captionbridge.flow.options import resolve_options
from captionbridge.flow.pipeline import resolve_options as reexported
from captionbridge.hookspecs import hookimpl
from captionbridge.host.registry import PluginHost, make_host
from captionbridge.reflow.limits import Gap, Limits
from captionbridge.specs import OptionSpec, ResolvedOptions, WriteContext, WriterSpec

BAD_STAMP = "[00:00:05.000 --> 00:00:02.000]  Backwards.\n[00:00:06.000 --> 00:00:07.000]  Fine.\n"
LINE = "[00:00:01.000 --> 00:00:02.000]  Hello there\n"


@pytest.mark.parametrize("word", ["true", "yes", "1", "on", " TRUE ", "On", True, 1])
def test_bool_option_true_words(word: Any) -> None:
    assert OptionSpec("x", "h", type=bool).parse(word) is True


@pytest.mark.parametrize("word", ["false", "no", "0", "off", "False", " NO", False, 0])
def test_bool_option_false_words(word: Any) -> None:
    assert OptionSpec("x", "h", type=bool).parse(word) is False


@pytest.mark.parametrize("word", ["maybe", "", "2", "nein", 2, 0.5, [True]])
def test_bool_option_refuses_anything_else(word: Any) -> None:
    with pytest.raises(OptionError, match=r"invalid value for --x: .* is not on or off"):
        OptionSpec("x", "h", type=bool).parse(word)


def test_default_type_stays_text() -> None:
    spec = OptionSpec("label", "h")
    assert spec.parse("false") == "false"
    assert spec.parse("0") == "0"
    assert spec.parse(Path("a/b")) == str(Path("a/b"))
    with pytest.raises(OptionError):
        spec.parse(True)


def test_builtin_lenient_false_from_python_is_false(host: PluginHost) -> None:
    with pytest.raises(captionbridge.ParseError):
        captionbridge.loads(BAD_STAMP, host=host, lenient="false")
    for word in ("no", "0", "off"):
        with pytest.raises(captionbridge.ParseError):
            captionbridge.loads(BAD_STAMP, host=host, lenient=word)
    repaired = captionbridge.loads(BAD_STAMP, host=host, lenient="yes")
    assert len(repaired) >= 1
    with pytest.raises(OptionError, match="--lenient"):
        captionbridge.loads(BAD_STAMP, host=host, lenient="sometimes")


def test_strict_parser_refuses_python_values_lenient_one_passes_them(host: PluginHost) -> None:
    def positive(value: Any) -> int:
        number = int(value)
        if number < 1:
            raise ValueError("must be at least 1")
        return number

    strict = OptionSpec("n", "h", type=positive, strict=True)
    loose = OptionSpec("n", "h", type=positive)
    assert strict.parse(3) == 3 and strict.parse("3") == 3
    with pytest.raises(OptionError, match="--n: must be at least 1"):
        strict.parse(0)
    assert loose.parse(0) == 0  # a plugin parser written for strings: its consumer decides
    with pytest.raises(OptionError):
        loose.parse("0")  # a string always goes through the parser
    with pytest.raises(OptionError, match="invalid value for --max-chars: must be from 1"):
        resolve_options(host, {"max_chars": -5})


def test_a_plugin_parser_that_crashes_is_a_refused_value() -> None:
    def broken(value: str) -> int:
        return {"a": 1}[value]

    with pytest.raises(OptionError, match=r"invalid value for --n: KeyError: 'b'"):
        OptionSpec("n", "h", type=broken).parse("b")


def test_resolved_options_are_typed_complete_and_immutable(host: PluginHost) -> None:
    values = resolve_options(host, {"max_chars": "42", "preset": "netflix", "fps": "25"})
    assert reexported is resolve_options
    assert isinstance(values, ResolvedOptions)
    assert set(values) == set(host.options)
    assert values["max_chars"] == 42
    assert values["min_duration"] == 833 and values["max_duration"] == 7000
    assert values["min_gap"] == Gap(2, frames=True)
    assert values["fps"] == Fraction(25)
    assert values["speaker_style"] == "auto" and values["keep_empty"] is False
    with pytest.raises(TypeError):
        values["max_chars"] = 10  # type: ignore[index]
    assert pickle.loads(pickle.dumps(values)) == values
    assert values.replace(max_chars=30)["max_chars"] == 30 and values["max_chars"] == 42


def test_precedence_defaults_target_preset_given(host: PluginHost) -> None:
    assert resolve_options(host, {})["max_chars"] is None
    assert resolve_options(host, {"preset": "bbc"})["max_chars"] == 37
    assert resolve_options(host, {"preset": "bbc", "max_chars": 30})["max_chars"] == 30


def test_limits_read_typed_values_without_parsing(host: PluginHost) -> None:
    limits = Limits.from_options(resolve_options(host, {"preset": "netflix", "fps": "25"}))
    assert (limits.max_chars, limits.min_duration, limits.min_gap) == (42, 833, 80)
    # a plain mapping (a plugin calling the reflow hook itself) is parsed by the same specs
    assert Limits.from_options({"max_chars": "30", "min_gap": "80ms"}).min_gap == 80
    assert Limits.from_options({}).chain_gap == 0


def test_value_reads_default_for_plain_mappings() -> None:
    spec = OptionSpec("style", "h", default="auto", choices=("auto", "none"))
    assert spec.value({}) == "auto"
    assert spec.value({"style": None}) == "auto"
    assert spec.value({"style": "none"}) == "none"
    with pytest.raises(OptionError):
        spec.value({"style": "loud"})


def _convert(tmp_path: Path, *args: str) -> tuple[int, str]:
    (tmp_path / "a.txt").write_text(LINE)
    result = CliRunner().invoke(cli, ["convert", str(tmp_path / "a.txt"), "-o", "-", *args])
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--max-chars", "abc"], "--max-chars"),
        (["--max-chars", "0"], "--max-chars"),
        (["--scc-rows", "9"], "--scc-rows"),
        (["--min-duration", "9" * 5000], "--min-duration"),
        (["--max-cps=nan"], "--max-cps"),
        (["--overlaps", "sometimes"], "--overlaps"),
        (["--encoding", "rot13"], "--encoding"),
        (["--encoding", "undefined"], "--encoding"),
    ],
)
def test_bad_value_is_a_click_usage_error_naming_the_option(
    tmp_path: Path, args: list[str], flag: str
) -> None:
    code, output = _convert(tmp_path, *args)
    assert code == 2
    errors = [line for line in output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and f"'{flag}'" in errors[0] and len(errors[0]) < 300


def test_help_shows_choices_and_metavars() -> None:
    result = CliRunner().invoke(cli, ["convert", "--help"])
    assert "--overlaps [fix|keep]" in result.output
    assert "--max-chars N" in result.output


def test_punycode_cannot_decode_is_a_located_input_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(LINE + "[00:00:03.000 --> 00:00:04.000]  Caf\u00e9\n")
    result = CliRunner().invoke(
        cli, ["convert", str(tmp_path / "a.txt"), "-o", "-", "--encoding", "punycode"]
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (
        f"{tmp_path / 'a.txt'}:" in result.output and "cannot decode as punycode" in result.output
    )


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(LINE)
    return tmp_path


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["convert", "a.txt", "-o", "-", *args])
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result.exit_code, result.output


def test_config_values_use_the_option_parser(project: Path) -> None:
    (project / "a.txt").write_text(
        "[00:00:01.000 --> 00:00:04.000]  one two three four five six seven eight nine ten\n"
    )
    (project / "captionbridge.toml").write_text("max_chars = 12\nmax_lines = 3\nlenient = true\n")
    code, output = _run()
    assert code == 0, output
    assert max(len(line) for line in output.splitlines() if "-->" not in line) <= 12
    for text, flag in (("max_chars = 0", "--max-chars"), ('max_chars = "abc"', "--max-chars")):
        (project / "captionbridge.toml").write_text(text + "\n")
        code, output = _run()
        assert code == 2 and "captionbridge.toml: invalid value for 'max_chars'" in output
        assert flag in output
    (project / "captionbridge.toml").write_text('keep_empty = "maybe"\n')
    code, output = _run()
    assert code == 2 and "is not on or off" in output


@pytest.mark.parametrize("name", ["captionbridge.toml", "pyproject.toml"])
def test_non_utf8_config_is_a_one_line_error(project: Path, name: str) -> None:
    table = "[tool.captionbridge]\n" if name == "pyproject.toml" else ""
    (project / name).write_bytes(table.encode() + b'language = "en"\ntitle = "caf\xe9"\n')
    code, output = _run()
    assert code == 2 and "Traceback" not in output
    errors = [line for line in output.splitlines() if line.startswith("Error:")]
    line = 3 if table else 2
    assert len(errors) == 1
    assert errors[0].endswith(f"{name}:{line}:13: not UTF-8 (byte 0xe9); TOML files are UTF-8")


def test_config_command_keys_of_the_wrong_type(project: Path) -> None:
    for text in ("to = 5", "quiet = 'yes'", "out_dir = 3", "[tool]\n"):
        (project / "captionbridge.toml").write_text(text + "\n")
        code, output = _run()
        assert code == 2 and "Traceback" not in output, (text, output)


class _InterruptImport(importlib.abc.MetaPathFinder):
    """Raises KeyboardInterrupt when the CLI module is imported (a Ctrl-C during start-up)."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> None:
        if fullname == "captionbridge.cli.app":
            raise KeyboardInterrupt
        return None


def test_ctrl_c_during_start_up_imports(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from captionbridge.__main__ import main

    monkeypatch.delitem(sys.modules, "captionbridge.cli.app")
    monkeypatch.setattr(sys, "meta_path", [_InterruptImport(), *sys.meta_path])
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 130
    assert capsys.readouterr().err == "captionbridge: interrupted\n"


def test_ctrl_c_while_the_plugin_host_loads(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from captionbridge.cli import app

    def interrupted() -> PluginHost:
        raise KeyboardInterrupt

    monkeypatch.setattr(app, "default_host", interrupted)
    with pytest.raises(SystemExit) as exited:
        app.main(["convert", "x.txt"])
    assert exited.value.code == 130
    assert capsys.readouterr().err.strip().splitlines() == ["captionbridge: interrupted"]


def test_pyproject_script_is_the_import_safe_entry() -> None:
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    assert 'captionbridge = "captionbridge.__main__:main"' in pyproject.read_text()


class _OffPlugin:
    """An option whose parser maps "off" to None, and a writer that shows its value."""

    @staticmethod
    def _level(value: Any) -> int | None:
        if isinstance(value, str) and value.strip().lower() == "off":
            return None
        return int(value)

    @hookimpl
    def captionbridge_register_options(self, register: Any) -> None:
        register(OptionSpec("level", "A level or off.", type=self._level, default=5))

    @hookimpl
    def captionbridge_register_writers(self, register: Any) -> None:
        def write(transcript: Any, context: WriteContext) -> str:
            return f"level={context.options['level']!r}\n"

        register(WriterSpec("probe", write, extension=".probe"))


def test_a_parser_that_gives_none_is_still_given(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from captionbridge.cli import app

    host = make_host(entry_points=False, plugins={"off": _OffPlugin()})
    monkeypatch.setattr(app, "default_host", lambda: host)
    assert _run("-t", "probe") == (0, "level=5\n")
    assert _run("-t", "probe", "--level", "7") == (0, "level=7\n")
    assert _run("-t", "probe", "--level", "off") == (0, "level=None\n")
    (project / "captionbridge.toml").write_text('level = "off"\n')
    assert _run("-t", "probe") == (0, "level=None\n")
