"""LRC writer (plugins/lrc.py), read back line by line with a regex and by ffmpeg."""

from __future__ import annotations

import re
import subprocess
from typing import Any

import pytest
import srt
from conftest import require_tool
from textcases import converted, words

import captionbridge
from captionbridge import Cue, Transcript, Turn

__all__ = ["converted"]  # the session fixture, imported so pytest finds it

LINE = re.compile(r"^\[(\d{2,}):([0-5]\d)\.(\d\d)\](.*)$")
LABEL = re.compile(r"(?:^|(?<= ))(?:SPEAKER_\d\d: |- )")


def parse_lrc(text: str) -> tuple[list[str], list[tuple[int, str]]]:
    """Header tags and ``(ms, text)`` lines; every line must be one or the other."""
    tags: list[str] = []
    lines: list[tuple[int, str]] = []
    for raw in text.split("\n")[:-1]:
        match = LINE.match(raw)
        if match:
            minutes, seconds, hundredths, body = match.groups()
            ms = (int(minutes) * 60 + int(seconds)) * 1000 + int(hundredths) * 10
            lines.append((ms, body))
        else:
            assert re.fullmatch(r"\[[a-z]+:[^\]]*\]", raw), raw
            tags.append(raw)
    return tags, lines


@pytest.mark.parametrize("name", ["seed", "hostile"])
def test_regex_reader_gets_cues_back(converted: dict[str, Any], name: str) -> None:
    transcript, paths = converted[name]
    text = paths["lrc"].read_text(encoding="utf-8")
    assert text.endswith("\n") and "\r" not in text
    _, lines = parse_lrc(text)
    cues = list(transcript.cues)
    position = 0
    for index, cue in enumerate(cues):
        ms, body = lines[position]
        assert abs(ms - cue.start) <= 10
        assert words(LABEL.sub("", body)) == words(cue.text)
        position += 1
        following = cues[index + 1].start if index + 1 < len(cues) else None
        if following is None or following - cue.end >= 10:  # a gap: an empty line ends the cue
            end, empty = lines[position]
            assert empty == "" and abs(end - cue.end) <= 10
            position += 1
    assert position == len(lines)


def test_minutes_past_59_and_tags(converted: dict[str, Any]) -> None:
    text = converted["hostile"][1]["lrc"].read_text(encoding="utf-8")
    assert "[59:59.99]Past the hour" in text and text.endswith("[60:02.35]\n")
    assert "[00:20.00]\n[00:21.00]- Yes, that's right. - No, it {isn't}.\n" in text
    assert "[00:02.50]SPEAKER_01: Arrow --> inside" in text
    tags, _ = parse_lrc(str(captionbridge.dumps(Transcript([Cue(0, 1, (Turn("x"),))]), "lrc")))
    assert tags == []
    t = Transcript([Cue(0, 1000, (Turn("[01:02.03] not a time\nsecond line"),))], language="he")
    out = str(captionbridge.dumps(t, "lrc"))
    assert out == "[la:he]\n[00:00.00]\u2060[01:02.03] not a time second line\n[00:01.00]\n"


def test_ffmpeg_reads_it(converted: dict[str, Any]) -> None:
    ffmpeg = require_tool("ffmpeg")
    transcript, paths = converted["seed"]
    run = subprocess.run(
        [ffmpeg, "-v", "error", "-f", "lrc", "-i", str(paths["lrc"]), "-f", "srt", "-"],
        capture_output=True,
        check=True,
    )
    cues = [c for c in srt.parse(run.stdout.decode("utf-8")) if c.content.strip()]
    assert len(cues) == len(transcript)
    for cue, read in zip(transcript.cues, cues, strict=True):
        assert abs(read.start.total_seconds() * 1000 - cue.start) <= 10
        assert words(LABEL.sub("", read.content)) == words(cue.text)


def test_python_api_matches_the_cli(converted: dict[str, Any]) -> None:
    for name in ("seed", "hostile"):
        transcript, paths = converted[name]
        assert captionbridge.dumps(transcript, "lrc") == paths["lrc"].read_text("utf-8")
