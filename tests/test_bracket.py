"""The bracket transcript reader: every variant of REFERENCE §1, markers, and errors."""

from __future__ import annotations

import pytest

import captionbridge
from captionbridge.errors import ParseError
from captionbridge.host.registry import PluginHost
from captionbridge.model import Turn


def read(text: str, host: PluginHost, **options: object) -> captionbridge.Transcript:
    return captionbridge.loads(text, format="bracket", source="t.txt", host=host, **options)


def times(t: captionbridge.Transcript) -> list[tuple[int, int]]:
    return [(c.start, c.end) for c in t.cues]


@pytest.mark.parametrize(
    ("line", "start", "end", "text"),
    [
        ("[00:00:03.000 --> 00:00:06.000]   Today is the day.", 3000, 6000, "Today is the day."),
        ("[00:01.500 --> 00:03.250] no hours", 1500, 3250, "no hours"),
        ("[59:59.000 --> 01:00:02.000] mixed widths", 3_599_000, 3_602_000, "mixed widths"),
        ("[01:14.500 -> 01:15.500]  single dash", 74_500, 75_500, "single dash"),
        ("[0.00s -> 3.50s] seconds", 0, 3500, "seconds"),
        ("[12.5s -> 14s] seconds", 12_500, 14_000, "seconds"),
        ("[00:00:01,000 --> 00:00:02,500] comma", 1000, 2500, "comma"),
        ("[100:00:00.000 --> 100:00:01.000] long", 360_000_000, 360_001_000, "long"),
        ("[00:00:01.5 --> 00:00:02.25] short fraction", 1500, 2250, "short fraction"),
        ("  [ 00:00:01.000 --> 00:00:02.000 ]  spaced", 1000, 2000, "spaced"),
    ],
)
def test_variants(line: str, start: int, end: int, text: str, host: PluginHost) -> None:
    t = read(line + "\n", host)
    assert times(t) == [(start, end)]
    assert t.cues[0].text == text


def test_whisper_cpp_canonical_fast_path(host: PluginHost) -> None:
    text = "\n[00:00:00.000 --> 00:00:03.000]   Ilya, unbelievable.\n[00:00:03.000 --> 00:00:06.000]   Today.\n\n"
    t = read(text, host)
    assert times(t) == [(0, 3000), (3000, 6000)]
    assert [c.text for c in t.cues] == ["Ilya, unbelievable.", "Today."]


def test_crlf_and_bom(host: PluginHost) -> None:
    data = "\ufeff[00:00:01.000 --> 00:00:02.000]  a\r\n[00:00:02.000 --> 00:00:03.000]  b\r\n"
    t = captionbridge.loads(data.encode("utf-8"), host=host)
    assert [c.text for c in t.cues] == ["a", "b"]


def test_ansi_colour_escapes_are_stripped(host: PluginHost) -> None:
    line = (
        "[00:00:00.000 --> 00:00:02.000]  \x1b[38;5;160m Hello\x1b[0m\x1b[38;5;82m world\x1b[0m\n"
    )
    assert read(line, host).cues[0].text == "Hello world"


def test_continuation_lines_join_previous_segment(host: PluginHost) -> None:
    t = read("[00:00:01.000 --> 00:00:02.000]  first part\nsecond part\n", host)
    assert [c.text for c in t.cues] == ["first part second part"]


def test_empty_segments_dropped_with_a_note_or_kept(host: PluginHost) -> None:
    text = "[00:00:01.000 --> 00:00:02.000]\n[00:00:02.000 --> 00:00:03.000]  words\n"
    dropped = read(text, host)
    assert [c.text for c in dropped.cues] == ["words"]
    assert any("dropped 1 empty" in n.message for n in dropped.notes)
    kept = read(text, host, keep_empty=True)
    assert [c.text for c in kept.cues] == ["", "words"]


def test_turn_dashes_become_turns(host: PluginHost) -> None:
    t = read(
        "[00:04:59.780 --> 00:05:01.400]   - Yes. - 2012.\n"
        "[00:16:29.100 --> 00:16:29.940]   That was the goal. - That it would learn\n"
        "[00:17:00.000 --> 00:17:01.000]   interrupted--\n",
        host,
    )
    assert t.cues[0].turns == (Turn("Yes.", None, True), Turn("2012.", None, True))
    assert t.cues[1].turns == (
        Turn("That was the goal.", None, False),
        Turn("That it would learn", None, True),
    )
    assert t.cues[2].turns == (Turn("interrupted--"),)


def test_chevrons_mark_turns(host: PluginHost) -> None:
    t = read("[00:00:01.000 --> 00:00:02.000]  >> Hello. >> Hi there.\n", host)
    assert [(x.text, x.change) for x in t.cues[0].turns] == [("Hello.", True), ("Hi there.", True)]


def test_whisper_cpp_diarize_speakers(host: PluginHost) -> None:
    t = read(
        "[00:00:00.000 --> 00:00:02.000]  (speaker 0) Hello there.\n"
        "[00:00:02.000 --> 00:00:04.000]  (speaker 1) Hi.\n"
        "[00:00:04.000 --> 00:00:05.000]  (speaker ?) Who?\n",
        host,
    )
    assert [c.turns[0].speaker for c in t.cues] == ["speaker 0", "speaker 1", None]
    assert [c.text for c in t.cues] == ["Hello there.", "Hi.", "Who?"]
    assert t.cues[1].turns[0].change
    assert set(t.speakers) == {"speaker 0", "speaker 1"}


def test_tinydiarize_speaker_turn_marks_next_segment(host: PluginHost) -> None:
    t = read(
        "[00:00:00.000 --> 00:00:02.000]   How are you? [SPEAKER_TURN]\n"
        "[00:00:02.000 --> 00:00:04.000]   Fine, thanks.\n"
        "[00:00:04.000 --> 00:00:05.000]   Good.\n",
        host,
    )
    assert [c.text for c in t.cues] == ["How are you?", "Fine, thanks.", "Good."]
    assert [c.turns[0].change for c in t.cues] == [False, True, False]


@pytest.mark.parametrize("prefix", ["[SPEAKER_00]: ", "SPEAKER_00: "])
def test_whisperx_prefixes(prefix: str, host: PluginHost) -> None:
    other = prefix.replace("00", "01")
    t = read(
        f"[00:00:00.000 --> 00:00:02.000]  {prefix}Hello.\n"
        f"[00:00:02.000 --> 00:00:04.000]  {other}Hi.\n",
        host,
    )
    assert [c.turns[0].speaker for c in t.cues] == ["SPEAKER_00", "SPEAKER_01"]
    assert [c.text for c in t.cues] == ["Hello.", "Hi."]


def test_seed_reads_all_segments(seed_path, host: PluginHost) -> None:  # type: ignore[no-untyped-def]
    t = captionbridge.load(seed_path, host=host)
    assert len(t) == 1106
    assert t.cues[0].text == "Ilya, unbelievable."
    assert t.cues[-1].end == 53 * 60_000 + 220
    assert "know—" in t.cues[70].text
    assert any("mojibake" in n.message and n.line == 72 for n in t.notes)
    assert not any(turn.text.startswith("- ") for c in t.cues for turn in c.turns)


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("[00:00:0x.000 --> 00:00:02.000] a\n", 1, 2, "malformed timestamp line"),
        ("[00:00:01.000 --> 00:00:02.000] a\n[00:00:02.000 -> oops] b\n", 2, 2, "malformed"),
        ("[00:00:05.000 --> 00:00:02.000] a\n", 1, 19, "before start"),
        ("[00:61:00.000 --> 00:62:00.000] a\n", 1, 2, "over 59"),
        ("hello\n[00:00:01.000 --> 00:00:02.000] a\n", 1, 1, "expected a '[start --> end]'"),
    ],
)
def test_errors_carry_line_and_column(
    text: str, line: int, column: int, message: str, host: PluginHost
) -> None:
    with pytest.raises(ParseError) as info:
        read(text, host)
    error = info.value
    assert (error.source, error.line, error.column) == ("t.txt", line, column)
    assert message in error.message
    assert str(error).startswith(f"t.txt:{line}:{column}: ")


def test_lenient_repairs_and_reports(host: PluginHost) -> None:
    t = read(
        "junk first\n[00:00:05.000 --> 00:00:02.000] swapped\n[00:00:0x.000 --> 1] skipped\n",
        host,
        lenient=True,
    )
    assert times(t) == [(2000, 5000)]
    messages = " ".join(n.message for n in t.notes)
    assert "swapped" in messages and "skipped" in messages


def test_guess_recognises_bracket_text(host: PluginHost) -> None:
    spec = host.guess_reader("\n\n[00:00.000 --> 00:01.000] hi\n", "x.log")
    assert spec.name == "bracket"


def test_turned_indexes_survive_replace_and_are_recomputed_for_new_columns() -> None:
    text = (
        "[00:00:01.000 --> 00:00:02.000]   - Hi.\n"
        "[00:00:02.000 --> 00:00:03.000]   plain\n"
        "[00:00:03.000 --> 00:00:04.000]   Yes. - No.\n"
    )
    transcript = captionbridge.loads(text, format="bracket")
    assert transcript.turned_indexes() == [0, 2]
    assert transcript.replace(language="en").turned_indexes() == [0, 2]
    columns = transcript.columns()
    swapped = transcript.with_columns(columns._replace(contents=["a", "b", "c"]))
    assert swapped.turned_indexes() == []
