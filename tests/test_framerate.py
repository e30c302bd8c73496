"""One project frame rate (docs/frame-rates.md): reflow's frame gaps, the frame-based writers and
``captionbridge check`` count frames at the same resolved ``fps``; an assumed rate is said once;
the --fps parser refuses what is not a frame rate."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import srt
from click.testing import CliRunner

import captionbridge
from captionbridge.cli.app import cli
from captionbridge.flow.framerate import settle_fps
from captionbridge.flow.pipeline import OptionError, resolve_options
from captionbridge.helpers.timecode import (
    DEFAULT_FPS,
    frames_to_ms,
    ms_to_frames,
    on_grid,
    parse_fps,
)
from captionbridge.host.registry import PluginHost

RATES = ["23.976", "24", "25", "29.97", "30", "50", "59.94"]
LINE = (
    "[00:00:01.000 --> 00:00:03.500]  Hello there, this is the first sentence.\n"
    "[00:00:03.600 --> 00:00:06.000]  And here comes another one, a little later.\n"
)


def _ms(delta: object) -> int:
    return round(delta.total_seconds() * 1000)  # type: ignore[attr-defined]


@pytest.mark.parametrize("rate", RATES)
def test_netflix_gaps_are_two_frames_on_the_grid_and_check_agrees(
    rate: str, seed_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "seed.srt"
    runner = CliRunner()
    made = runner.invoke(
        cli, ["convert", str(seed_path), "--preset", "netflix", "--fps", rate, "-o", str(out)]
    )
    assert made.exit_code == 0, made.output
    assert "no --fps given" not in made.output
    fps = parse_fps(rate)
    chain = 500 * fps / 1000  # netflix closes gaps under 500 ms
    subs = list(srt.parse(out.read_text(encoding="utf-8")))  # an independent SRT parser
    for cue in subs:
        for t in (_ms(cue.start), _ms(cue.end)):
            assert on_grid(t, fps), (rate, cue.index, t)
    closed = 0
    for a, b in itertools.pairwise(subs):
        frames = ms_to_frames(_ms(b.start), fps) - ms_to_frames(_ms(a.end), fps)
        assert frames == 2 or frames >= chain, (rate, a.index, frames)
        closed += frames == 2
    assert closed > 700  # the seed's 780 subtitles are mostly chained
    checked = runner.invoke(
        cli, ["check", "--preset", "netflix", "--fps", rate, "--json", str(out)]
    )
    report = json.loads(checked.stdout)["files"][0]
    assert report["errors"] == 0
    assert "chain-gap" not in report["summary"] and "frames" not in report["summary"]


def test_the_grid_is_the_rounded_millisecond_of_a_whole_frame() -> None:
    ntsc = Fraction(24000, 1001)
    assert frames_to_ms(12, ntsc) == 501  # 500.5 ms rounds up, as every writer rounds it
    assert on_grid(501, ntsc) and not on_grid(500, ntsc)
    for fps in map(parse_fps, RATES):
        assert all(ms_to_frames(frames_to_ms(n, fps), fps) == n for n in range(0, 5000, 7))


def test_check_counts_frames_not_milliseconds(tmp_path: Path) -> None:
    # 3 frames at 23.976 are 125 ms: under the 500 ms chaining threshold, so they should close
    path = tmp_path / "three.srt"
    path.write_text(
        "1\n00:00:01,001 --> 00:00:02,002\nOne.\n\n2\n00:00:02,127 --> 00:00:04,004\nTwo.\n"
    )
    result = CliRunner().invoke(
        cli, ["check", "--preset", "netflix", "--fps", "23.976", "--json", str(path)]
    )
    findings = json.loads(result.stdout)["files"][0]["findings"]
    assert [(f["rule"], f["value"], f["limit"]) for f in findings] == [("chain-gap", 3, 2)]


@pytest.mark.parametrize(
    "value", ["1e309", "nan", "inf", "0", "-25", "1/0", "1001", "9" * 5000, "twenty"]
)
@pytest.mark.parametrize("command", ["convert", "check"])
def test_fps_that_is_not_a_frame_rate_is_a_usage_error(
    command: str, value: str, tmp_path: Path
) -> None:
    source = tmp_path / "talk.txt"
    source.write_text(LINE)
    out = tmp_path / "talk.itt"
    args = ["convert", str(source), "-o", str(out)] if command == "convert" else ["check"]
    if command == "check":
        args.append(str(source))
    run = subprocess.run(
        [sys.executable, "-m", "captionbridge", *args, "--fps", value],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    (error,) = [line for line in run.stderr.splitlines() if line.startswith("Error:")]
    assert error.startswith("Error: invalid value for --fps:") and len(error) < 120
    assert not out.exists()


def test_parse_fps_names_and_fractions() -> None:
    assert parse_fps("23.976") == parse_fps("23.98") == Fraction(24000, 1001)
    assert parse_fps("30000/1001") == Fraction(30000, 1001)
    assert parse_fps(25.0) == 25
    for bad in (float("nan"), float("inf"), 0.5, 1e309):
        with pytest.raises(ValueError):
            parse_fps(bad)


def _convert(tmp_path: Path, *args: str, files: int = 1) -> tuple[int, list[str]]:
    sources = []
    for k in range(files):
        sources.append(tmp_path / f"talk{k or ''}.txt")
        sources[-1].write_text(LINE)
    result = CliRunner().invoke(
        cli, ["convert", *map(str, sources), "-d", str(tmp_path / "out"), "--force", *args]
    )
    lines = [line for line in result.stderr.splitlines() if "--fps" in line]
    return result.exit_code, lines


def test_an_assumed_rate_is_said_once_per_run(tmp_path: Path) -> None:
    code, lines = _convert(tmp_path, "--preset", "netflix", "--to", "srt,itt,avid", files=3)
    assert code == 0
    assert lines == [
        "captionbridge: warning: no --fps given: the 2-frame gaps of --preset netflix and itt"
        " timecodes and avid timecodes counted at 23.976 fps (assumed); give --fps with the"
        " project's frame rate"
    ]
    itt = (tmp_path / "out" / "talk.itt").read_text()
    assert 'ttp:frameRate="24" ttp:frameRateMultiplier="1000 1001"' in itt
    assert _convert(tmp_path, "--preset", "netflix", "--fps", "25", "--to", "itt") == (0, [])
    assert _convert(tmp_path, "--to", "srt") == (0, [])  # nothing counts frames


def test_a_format_that_fixes_the_rate_sets_the_project_rate(tmp_path: Path) -> None:
    assert _convert(tmp_path, "--to", "scc") == (0, [])  # SCC is 29.97: nothing assumed
    code, lines = _convert(tmp_path, "--preset", "netflix", "--to", "srt,scc")
    assert code == 0 and len(lines) == 1
    assert (
        "the 2-frame gaps of --preset netflix and scc timecodes counted at 29.97 fps" in (lines[0])
    )
    cues = list(srt.parse((tmp_path / "out" / "talk.srt").read_text()))
    ntsc = Fraction(30000, 1001)
    assert ms_to_frames(_ms(cues[1].start), ntsc) - ms_to_frames(_ms(cues[0].end), ntsc) == 2
    code, lines = _convert(tmp_path, "--to", "stl")
    assert "stl timecodes counted at 25 fps (assumed)" in lines[0]


def test_settle_fps_in_python(host: PluginHost) -> None:
    values = resolve_options(host, {"preset": "netflix"})
    settled, message = settle_fps(host, values, [host.writer("srt")])
    assert settled["fps"] == DEFAULT_FPS and message is not None
    assert settle_fps(host, resolve_options(host, {"fps": "50"}), [host.writer("itt")]) == (
        {**resolve_options(host, {"fps": "50"})},
        None,
    )
    with pytest.raises(OptionError, match=r"--for finalcut writes itt .* give --fps"):
        settle_fps(host, resolve_options(host, {"target": "finalcut"}), [host.writer("itt")])


def test_python_callers_get_the_assumption_as_a_note(seed_path: Path, tmp_path: Path) -> None:
    transcript = captionbridge.load(seed_path)
    reflowed = captionbridge.transform(transcript, preset="netflix")
    assert any("the 2-frame gaps counted at 23.976 fps" in n.message for n in reflowed.notes)
    (result,) = captionbridge.convert_many([seed_path], out_dir=tmp_path, preset="netflix")
    assert result.ok and "counted at 23.976 fps (assumed)" in result.notes[0].message


def test_a_target_that_implies_a_rate_says_so(tmp_path: Path) -> None:
    code, lines = _convert(tmp_path, "--for", "premiere")
    assert code == 0
    assert lines == [
        "captionbridge: warning: no --fps given: the 2-frame gaps of --preset cea608 and scc"
        " timecodes counted at 29.97 fps, the rate of --for premiere (its preset cea608)"
    ]
    assert _convert(tmp_path, "--for", "premiere", "--fps", "29.97") == (0, [])


def test_parse_fps_from_python_numbers() -> None:
    for bad, message in ((float("nan"), "not a frame rate"), (10**400, "out of range")):
        with pytest.raises(ValueError, match=message):
            parse_fps(bad)
