"""Readers for the SBV, LRC and CSV/TSV files captionbridge writes (and those other tools
write), so that ``check`` lints every format it writes; formats without a reader say so."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import captionbridge
from captionbridge.errors import FormatError, ParseError

SAMPLE = (
    '[00:00:01.000 --> 00:00:03.500]   Hello there, "quoted", and a comma.\n'
    "[00:00:04.000 --> 00:00:06.000]   - Are you there? - Yes, I am.\n"
    "[00:01:02.250 --> 01:00:07.125]   A long one.\n"
)


def _times_and_words(transcript: captionbridge.Transcript) -> list[tuple[int, int, list[str]]]:
    return [(c.start, c.end, c.text.replace("- ", " ").split()) for c in transcript.cues]


@pytest.mark.parametrize("fmt", ["sbv", "csv", "tsv"])
def test_our_output_reads_back_exactly(fmt: str, seed_path: Path) -> None:
    for source in (captionbridge.loads(SAMPLE), captionbridge.load(seed_path)):
        written = captionbridge.dumps(source, fmt)
        back = captionbridge.loads(written, source=f"x.{fmt}")
        assert _times_and_words(back) == _times_and_words(source)


def test_lrc_reads_back_to_the_centisecond(seed_path: Path) -> None:
    source = captionbridge.load(seed_path)
    back = captionbridge.loads(captionbridge.dumps(source, "lrc"), source="x.lrc")
    assert [" ".join(c.text.split()) for c in back.cues] == [
        " ".join(c.text.replace("\n", " ").split()) for c in source.cues if c.text.strip()
    ]
    starts = [c.start for c in source.cues if c.text.strip()]
    assert all(abs(a.start - b) <= 5 for a, b in zip(back.cues, starts, strict=True))


def test_csv_speakers_and_dual_turns_survive() -> None:
    source = captionbridge.transform(captionbridge.loads(SAMPLE), speakers="Ada,Bob")
    back = captionbridge.loads(captionbridge.dumps(source, "csv"), format="csv")
    assert [[t.speaker for t in c.turns] for c in back.cues] == [
        [source.speaker_label(t.speaker) for t in c.turns] for c in source.cues
    ]
    assert {s.name for s in back.speakers.values()} == {"Ada", "Bob"}


def test_lrc_as_lyrics_tools_write_it() -> None:
    text = (
        "[ar:Someone]\n[ti:A song]\n[offset:+500]\n"
        "[00:12.00][01:12.00]Chorus line\n"
        "[00:15.30]<00:15.30>Word <00:16.00>by <00:16.50>word\n"
        "[00:20.00]\n"
        "[01:15.5]Last\n"
    )
    cues = captionbridge.loads(text, source="song.lrc").cues
    assert [(c.start, c.end, c.text) for c in cues] == [
        (11_500, 14_800, "Chorus line"),
        (14_800, 19_500, "Word by word"),
        (71_500, 75_000, "Chorus line"),
        (75_000, 79_000, "Last"),
    ]


def test_sbv_as_youtube_writes_it() -> None:
    text = "0:00:00.599,0:00:04.160\n>> ALICE: Hi!\n>> Hello.\n\n0:00:04.160,0:00:06\n"
    with pytest.raises(ParseError) as caught:
        captionbridge.loads(text, source="yt.sbv")
    assert (caught.value.line, caught.value.column) == (5, 1)
    lenient = captionbridge.loads(text, source="yt.sbv", lenient=True)
    (cue,) = lenient.cues
    assert (cue.start, cue.end) == (599, 4160)
    assert [(t.text, t.change) for t in cue.turns] == [("ALICE: Hi!", True), ("Hello.", True)]
    assert "skipped 1 block(s)" in lenient.notes[-1].message


def test_csv_columns_in_any_order_and_bad_times_located() -> None:
    table = "text,end,start\nhello,00:00:02.000,00:00:01.000\n"
    (cue,) = captionbridge.loads(table, format="csv").cues
    assert (cue.start, cue.end, cue.text) == (1000, 2000, "hello")
    with pytest.raises(ParseError, match="bad time") as caught:
        captionbridge.loads(table + "again,soon,00:00:03.000\n", format="csv", source="t.csv")
    assert caught.value.line == 3
    with pytest.raises(ParseError, match="header row"):
        captionbridge.loads("a,b\n1,2\n", format="csv")


@pytest.mark.parametrize("fmt", ["md", "html", "fcpxml"])
def test_a_format_without_a_reader_says_so(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"talk.{fmt}"
    captionbridge.save(captionbridge.loads(SAMPLE), path)
    with pytest.raises(FormatError, match="cannot read it back"):
        captionbridge.load(path)
    run = subprocess.run(
        [sys.executable, "-m", "captionbridge", "check", str(path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 1
    (line,) = [line for line in run.stderr.strip().splitlines() if ": warning: " not in line]
    assert line.startswith(f"{path}: captionbridge writes ") and "use --from" not in line


@pytest.mark.parametrize(
    "fmt", ["srt", "vtt", "ass", "ssa", "sbv", "lrc", "csv", "tsv", "ttml", "itt", "scc", "stl",
            "avid", "json"],
)  # fmt: skip
def test_check_lints_every_format_with_a_reader(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "talk"
    written = captionbridge.save(
        captionbridge.loads(SAMPLE), path.with_suffix(f".{fmt}"), format=fmt
    )
    run = subprocess.run(
        [sys.executable, "-m", "captionbridge", "check", str(written[0])],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert "cannot" not in run.stderr and "Traceback" not in run.stderr, run.stderr
    assert run.returncode in (0, 1)
    assert "max-duration   error         1" in run.stdout  # the hour-long third cue was read
