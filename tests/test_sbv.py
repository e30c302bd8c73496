"""SBV writer (plugins/sbv.py), read back by webvtt-py."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import webvtt
from textcases import converted, words

import captionbridge
from captionbridge import Cue, Speaker, Transcript, Turn

__all__ = ["converted"]  # the session fixture, imported so pytest finds it

TIMING = re.compile(r"^\d+:\d\d:\d\d\.\d{3},\d+:\d\d:\d\d\.\d{3}$")
PREFIX = re.compile(r"^>> (?:[^:\n]+: )?", re.M)


def _ms(stamp: str) -> int:
    h, m, s = stamp.split(":")
    return (int(h) * 60 + int(m)) * 60_000 + round(float(s) * 1000)


@pytest.mark.parametrize("name", ["seed", "hostile"])
def test_webvtt_py_reads_what_the_cli_wrote(converted: dict[str, Any], name: str) -> None:
    transcript, paths = converted[name]
    captions = webvtt.from_sbv(str(paths["sbv"])).captions
    assert len(captions) == len(transcript)
    for cue, caption in zip(transcript.cues, captions, strict=True):
        assert abs(_ms(caption.start) - cue.start) <= 10
        assert abs(_ms(caption.end) - cue.end) <= 10
        # raw_text: SBV has no markup (caption.text would drop "< than & more >" as a tag)
        assert words(PREFIX.sub("", caption.raw_text)) == words(cue.text)


def test_layout_and_speakers(converted: dict[str, Any]) -> None:
    text = converted["hostile"][1]["sbv"].read_text(encoding="utf-8")
    blocks = text.rstrip("\n").split("\n\n")
    assert all(TIMING.match(block.split("\n")[0]) for block in blocks)
    assert all("" not in block.split("\n") for block in blocks)  # no blank line in a cue
    bodies = [block.split("\n", 1)[1] for block in blocks]
    assert bodies[0].startswith(">> SPEAKER_00: Less < than & more >")
    assert bodies[1].startswith(">> SPEAKER_01: Arrow --> inside {\\an8}")
    assert bodies[4] == ">> Yes, that's right.\n>> No, it {isn't}."
    assert blocks[-1].startswith("0:59:59.990,1:00:02.345\n")
    assert "\x07" not in text and "\x0b" not in text


def test_same_speaker_is_not_relabelled_and_empty_cues_are_left_out() -> None:
    t = Transcript(
        [
            Cue(0, 1000, (Turn("One.", "A"),)),
            Cue(1000, 2000, (Turn("Two.", "A"),)),
            Cue(2000, 2500, (Turn(""),)),
            Cue(2500, 3000, (Turn("Three.", "B", True),)),
        ],
        speakers={"A": Speaker("A", "Ada")},
    )
    out = captionbridge.dumps(t, "sbv")
    assert out == (
        "0:00:00.000,0:00:01.000\n>> Ada: One.\n\n0:00:01.000,0:00:02.000\nTwo.\n\n"
        "0:00:02.500,0:00:03.000\n>> B: Three.\n"
    )
    assert "- Three." in str(captionbridge.dumps(t, "sbv", speaker_style="dash"))
    assert captionbridge.dumps(Transcript(), "sbv") == ""


def test_python_api_matches_the_cli(converted: dict[str, Any], tmp_path: Path) -> None:
    for name in ("seed", "hostile"):
        transcript, paths = converted[name]
        assert captionbridge.dumps(transcript, "sbv") == paths["sbv"].read_text("utf-8")
