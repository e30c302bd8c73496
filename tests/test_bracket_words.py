"""whisper.cpp ``-ml 1`` word lines read into segments whose turns carry word timings."""

from __future__ import annotations

from pathlib import Path

import pytest

import captionbridge
from captionbridge.errors import ParseError
from captionbridge.helpers.wordlines import group_words, looks_word_level
from captionbridge.host.registry import PluginHost
from captionbridge.model import Word, words_agree

DATA = Path(__file__).resolve().parent / "data" / "wordlines"
SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "fireside-chat.txt"
WORDS = [
    ("Okay,", 240, 700),
    ("Houston,", 700, 1420),
    ("we've", 1420, 1790),
    ("had", 1790, 2010),
    ("a", 2010, 2090),
    ("problem", 2090, 2550),
    ("here.", 2550, 3000),
    ("Roger,", 4400, 4900),
    ("Swigert.", 4900, 5640),
    ("Say", 5640, 5900),
    ("again", 5900, 6200),
    ("please.", 6200, 6600),
]


def load(name: str, host: PluginHost) -> captionbridge.Transcript:
    return captionbridge.load(DATA / name, host=host)


def word_list(t: captionbridge.Transcript) -> list[tuple[str, int, int]]:
    return [(w.text, w.start, w.end) for c in t.cues for w in c.words]


def line(start: int, end: int, text: str) -> str:
    def stamp(ms: int) -> str:
        return f"00:00:{ms // 1000:02d}.{ms % 1000:03d}"

    return f"[{stamp(start)} --> {stamp(end)}]  {text}\n"


def test_sub_word_tokens_continue_their_word(host: PluginHost) -> None:
    t = load("whispercpp-ml1-subwords.txt", host)
    assert word_list(t) == WORDS
    assert [c.text for c in t.cues] == [
        "Okay, Houston, we've had a problem here.",
        "Roger, Swigert.",
        "Say again please.",
    ]
    assert [(c.start, c.end) for c in t.cues] == [(240, 3000), (4400, 5640), (5640, 6600)]
    assert all(words_agree(turn) for c in t.cues for turn in c.turns)
    (note,) = [n for n in t.notes if "word-level" in n.message]
    assert "joined 9 sub-word or punctuation token(s)" in note.message


def test_split_on_word_gives_the_same_words_and_segments(host: PluginHost) -> None:
    tokens = load("whispercpp-ml1-subwords.txt", host)
    words = load("whispercpp-ml1-sow-subwords.txt", host)
    assert words.columns() == tokens.columns()
    assert word_list(words) == WORDS


def test_plain_writers_get_the_segments(host: PluginHost) -> None:
    import srt

    t = load("whispercpp-ml1-subwords.txt", host)
    subtitles = list(srt.parse(captionbridge.dumps(t, "srt", host=host)))
    assert [s.content for s in subtitles] == [c.text for c in t.cues]
    assert subtitles[1].start.total_seconds() == 4.4


def test_a_pause_ends_a_segment_and_a_long_one_is_cut_after_a_comma() -> None:
    words = [Word("one", 0, 100), Word("two", 100, 200), Word("three", 800, 900)]
    assert [[w.text for w in g] for g in group_words(words)] == [["one", "two"], ["three"]]
    long = [Word(f"w{i}{',' if i == 6 else ''}", i * 100, i * 100 + 100) for i in range(12)]
    groups = group_words(long, max_chars=30)
    assert [g[-1].text for g in groups] == ["w6,", "w11"]
    assert [w for g in groups for w in g] == long


def test_diarized_word_lines_keep_speakers_and_change_at_a_new_one(host: PluginHost) -> None:
    rows = [(0, 300, ""), (300, 600, "(speaker 0) Hello"), (600, 900, "(speaker 0) there")]
    rows += [(900, 1200, "(speaker 1) Hi"), (1200, 1500, "(speaker 1) back")]
    rows += [(1500, 1800, "(speaker 1) to"), (1800, 2100, "(speaker 1) you")]
    rows += [(2100, 2400, "(speaker 1) too"), (2400, 2700, "(speaker 1) now")]
    text = "".join(line(a, b, x) for a, b, x in rows)  # "]  (speaker 0) Hello" as cli.cpp
    t = captionbridge.loads(text, format="bracket", host=host)
    turns = [turn for c in t.cues for turn in c.turns]
    assert [(turn.text, turn.speaker, turn.change) for turn in turns] == [
        ("Hello there", "speaker 0", False),
        ("Hi back to you too now", "speaker 1", True),
    ]
    assert set(t.speakers) == {"speaker 0", "speaker 1"}


def test_speaker_turn_and_turn_dashes_start_a_new_turn(host: PluginHost) -> None:
    texts = [" Are", " you", " there?", " - Yes", " I", " am", " here", " now [SPEAKER_TURN]"]
    texts += [" Good", " news"]
    text = "".join(line(i * 300, i * 300 + 300, x) for i, x in enumerate(texts))
    text = text.replace("  - Yes", "  -\n" + line(900, 900, " Yes").rstrip("\n"))
    t = captionbridge.loads(text, format="bracket", host=host)
    turns = [turn for c in t.cues for turn in c.turns]
    assert [(turn.text, turn.change) for turn in turns] == [
        ("Are you there?", False),
        ("Yes I am here now", True),
        ("Good news", True),
    ]
    assert all(words_agree(turn) for turn in turns)


def test_spaceless_scripts_and_sentences_are_no_word_lines() -> None:
    starts = list(range(0, 1000, 100))
    ends = [s + 100 for s in starts]
    assert not looks_word_level(starts, ends, ["日本"] * 10)
    assert not looks_word_level(starts, ends, ["And so my fellow Americans, ask not"] * 10)
    assert looks_word_level(starts, ends, ["word"] * 10)
    gaps = [s + 50 for s in starts]  # not contiguous: not whisper.cpp's -ml 1
    assert not looks_word_level(starts, gaps, ["word"] * 10)


def test_the_seed_has_no_word_timings(host: PluginHost) -> None:
    t = captionbridge.load(SEED, host=host)
    assert len(t) == 1106
    assert not any(c.words for c in t.cues)


def test_a_broken_word_line_gives_a_located_error(host: PluginHost) -> None:
    text = "".join(line(i * 100, i * 100 + 100, " w") for i in range(10))
    text += "[00:00:01.000 -> oops]  w\n"
    with pytest.raises(ParseError) as caught:
        captionbridge.loads(text, format="bracket", host=host, source="words.txt")
    assert (caught.value.line, caught.value.column) == (11, 2)


def test_zero_length_word_lines_get_the_shared_repair(host: PluginHost) -> None:
    rows = [(i * 300, i * 300 + 300, f" w{i}") for i in range(9)] + [(2700, 2700, " end.")]
    text = "".join(line(a, b, x) for a, b, x in rows)
    t = captionbridge.loads(text, format="bracket", host=host)
    last = t.cues[-1].words[-1]
    assert (last.text, last.end - last.start) == ("end.", 40)
    assert t.cues[-1].end == 2700  # inside the segment: the word before gives up the time
    assert any("lengthened to 40 ms" in n.message for n in t.notes)
