"""The one mapping every writer's text goes through (see SECURITY.md, guarantee 3)."""

from __future__ import annotations

import sys

import pytest

import captionbridge
from captionbridge.flow.textsafety import safe_for_writers, safe_text
from captionbridge.model import Note, Speaker, Transcript, Turn


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nul\x00 bel\x07 esc\x1b del\x7f csi\x9b nel\x85 end", "nul bel esc del csi nel end"),
        ("vt\x0bff\x0c", "vtff"),
        ("cr\ralone crlf\r\nls\u2028ps\u2029end", "cr\nalone crlf\nls\nps\nend"),
        ("lone \ud800 and \udfff", "lone \ufffd and \ufffd"),
        ("non\ufffe\uffffchar", "nonchar"),
        ("tab\tand\nnewline kept", "tab\tand\nnewline kept"),
        (
            "zwj👩\u200d👩 bidi\u202e comb e\u0301 wj\u2060",
            "zwj👩\u200d👩 bidi\u202e comb e\u0301 wj\u2060",
        ),
    ],
)
def test_mapping(text: str, expected: str) -> None:
    assert safe_text(text) == expected


def test_clean_transcript_is_returned_as_is() -> None:
    transcript = captionbridge.loads("[00:00:01.000 --> 00:00:02.000]  fine — ünïcode 🎉\n")
    notes: list[Note] = []
    assert safe_for_writers(transcript, notes) is transcript and notes == []


def test_turns_and_speaker_names_are_mapped_with_a_note() -> None:
    transcript = Transcript.from_columns(
        [0, 1000],
        [1000, 2000],
        ["a\x00b", (Turn("c\rd", "s1", True),)],
        speakers={"s1": Speaker("s1", "Ann\x07"), "s\x1b2": Speaker("s\x1b2")},
    )
    notes: list[Note] = []
    safe = safe_for_writers(transcript, notes)
    assert [c.text for c in safe.cues] == ["ab", "c\nd"]
    assert safe.speakers["s1"].name == "Ann" and safe.speakers["s\x1b2"].label == "s2"
    assert len(notes) == 1 and "2 cue(s)" in notes[0].message


def test_every_writer_gets_safe_text(host: object) -> None:
    transcript = Transcript.from_columns([0], [1000], ["x\x00y\ud800"])
    for name in ("srt", "vtt", "json", "csv"):
        out = captionbridge.dumps(transcript, name, host=host)  # type: ignore[arg-type]
        assert "\x00" not in out and "\ud800" not in out and "xy\ufffd" in out.replace('"', "")


def test_a_clean_transcript_is_not_kept_after_the_call() -> None:
    """No module-level memo holds on to the last transcript's texts (a memory leak the size of
    the input, and state shared between threads)."""
    transcript = captionbridge.loads("[00:00:01.000 --> 00:00:02.000]  fine\n")
    contents = transcript.columns()[2]
    before = sys.getrefcount(contents)
    assert safe_for_writers(transcript) is transcript
    assert sys.getrefcount(contents) == before
