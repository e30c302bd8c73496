"""Every registered option of ``captionbridge convert`` with hostile values: a usage error
(exit 2) with a one-line message, or a run that converts (0) or reports a bad file (1); never a
traceback. Runs in-process with click's CliRunner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from captionbridge.cli.app import cli
from captionbridge.errors import OptionError
from captionbridge.flow.options import resolve_options
from captionbridge.host.registry import default_host
from captionbridge.specs import OptionSpec

TEXT = (
    "[00:00:01.000 --> 00:00:03.000]  - Where were you? - At the studio.\n"
    "[00:00:03.500 --> 00:00:06.000]  We recorded (laughs) all night.\n"
    "[00:00:06.000 --> 00:00:09.000]  Caf\u00e9 & <b>friends</b>, 50% off.\n"
)
#: the writers that read an option (by its name's prefix), so its value is exercised where it
#: is used; other options go to a few text and frame-based writers
WRITERS = {
    "ass_": "ass",
    "avid_": "avid",
    "csv_": "csv",
    "hls_": "hls",
    "media_url": "md,html",
    "scc_": "scc",
    "start_timecode": "scc,stl,avid",
    "stl_": "stl",
    "ttml_": "ttml",
    "fps": "scc,stl,ttml,itt,fcpxml,avid",
}
DEFAULT_WRITERS = "srt,vtt,ass,ttml,stl"
OPTIONS = sorted(default_host().options.values(), key=lambda spec: spec.name)
HUGE = "9" * 5000
HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "-0",
    "1e309",
    "-1e309",
    "nan",
    "NaN",
    "inf",
    "-inf",
    HUGE,
    "-" + HUGE,
    "0." + HUGE,
    HUGE + "ms",
    HUGE + "f",
    HUGE + "/1s",
    "1/0s",
    "0x10",
    "1_000",
    "true",
    "off",
    "\u00fcn\u00efc\u00f8d\u00e9",
    "\u202e\u200b",
    "\U0001f4a5",
    "a" * 10_000,
    "29.97",
    "01:00:00;00",
]
VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=12),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats().map(repr),
)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("options")
    (base / "in.txt").write_text(TEXT, encoding="utf-8")
    return base


def _writers(spec: OptionSpec) -> str:
    found = [w for prefix, w in WRITERS.items() if spec.name.startswith(prefix)]
    return found[0] if found else DEFAULT_WRITERS


def _convert(workdir: Path, spec: OptionSpec, *option_args: str) -> tuple[int, str]:
    args = ["convert", str(workdir / "in.txt"), "-d", str(workdir / "out"), "-t", _writers(spec)]
    result = CliRunner().invoke(cli, [*args, "--force", *option_args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{option_args!r} raised {result.exception!r}") from result.exception
    return result.exit_code, result.output


def _check(spec: OptionSpec, value: str, code: int, output: str) -> None:
    shown = f"{spec.cli_flag}={value[:40]!r}"
    assert "Traceback" not in output, shown
    assert code in (0, 1, 2), (shown, code, output)
    if code == 2:
        errors = [line for line in output.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1, (shown, output)
        assert len(errors[0]) < 400, shown
    if code == 1:
        problems = [line for line in output.splitlines() if ": warning: " not in line]
        assert problems and all(": " in line for line in problems), (shown, output)


@pytest.mark.parametrize("spec", OPTIONS, ids=lambda spec: spec.name)
@settings(max_examples=max(6, settings.default.max_examples // 10))
@given(value=VALUES)
@example(value=HUGE)
@example(value="nan")
@example(value="-1")
@example(value="")
@example(value="\U0001f4a5")
@example(value="\r")
def test_hostile_value(workdir: Path, spec: OptionSpec, value: str) -> None:
    if spec.is_bool:
        for flag in (spec.cli_flag, "--no-" + spec.cli_flag[2:]):
            code, output = _convert(workdir, spec, flag)
            assert code == 0, output
        return
    code, output = _convert(workdir, spec, f"{spec.cli_flag}={value}")
    _check(spec, value, code, output)


def test_numbers_that_used_to_overflow_are_usage_errors(workdir: Path) -> None:
    host = default_host()
    for name in ("min_duration", "max_duration", "chain_gap", "min_gap", "max_chars", "max_cps"):
        spec = host.options[name]
        flag = spec.cli_flag
        for value in (HUGE, "nan", "-1", "1e309"):
            code, output = _convert(workdir, spec, f"{flag}={value}")
            assert code == 2, (flag, value, output)
            assert f"'{flag}'" in output or flag in output


NATIVE = st.one_of(
    VALUES,
    st.integers(min_value=-(10**5000), max_value=10**5000),
    st.floats(),
    st.booleans(),
    st.lists(st.text(max_size=3), max_size=3),
)


@pytest.mark.parametrize("spec", OPTIONS, ids=lambda spec: spec.name)
@given(value=NATIVE)
@example(value=10**5000)
@example(value=float("nan"))
@example(value=-1)
def test_python_api_values_resolve_or_raise_option_error(spec: OptionSpec, value: object) -> None:
    host = default_host()
    try:
        resolved = resolve_options(host, {spec.name: value})
    except OptionError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 400
    else:
        assert set(resolved) == set(host.options)
