"""Word-time repair (helpers/wordrepair.py): each kind of flaw fixed, counted and reported."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from captionbridge.helpers.wordrepair import (
    MIN_WORD_MS,
    RawWord,
    WordRepairs,
    make_words,
    repair_words,
)
from captionbridge.model import Word


def _repair(
    words: list[tuple[str, int | None, int | None]], start: int = 0, end: int = 10_000
) -> tuple[list[tuple[str, int, int]], dict[str, int]]:
    repairs = WordRepairs()
    raw: list[RawWord] = [(text, s, e, None) for text, s, e in words]
    fixed = repair_words(raw, start, end, repairs)
    return [(w.text, w.start, w.end) for w in fixed], {
        kind: count for kind, count in repairs.counts.items() if count
    }


def test_good_words_are_kept_as_they_are() -> None:
    words = [("a", 0, 500), ("b", 600, 900)]
    assert _repair(words) == (words, {})
    fixed = repair_words([("a", 0, 500, 0.5)], 0, 500, WordRepairs())
    assert fixed == (Word("a", 0, 500, 0.5),) and type(fixed[0]) is Word


def test_make_words_builds_real_words() -> None:
    (word,) = make_words([("GPT-4.", 4300, 5600, 0.93)])
    assert word == Word("GPT-4.", 4300, 5600, 0.93)
    assert hash(word) == hash(Word("GPT-4.", 4300, 5600, 0.93))


def test_missing_times_share_the_gap_by_length() -> None:
    # "250" and "km" lack times (WhisperX leaves numbers unaligned): they share 1000..2000
    # as 4:3 by length plus one
    fixed, counts = _repair([("drove", 0, 1000), ("250", None, None), ("km", None, None),
                             ("home", 2000, 2500)])  # fmt: skip
    assert fixed == [("drove", 0, 1000), ("250", 1000, 1571), ("km", 1571, 2000),
                     ("home", 2000, 2500)]  # fmt: skip
    assert counts == {"missing": 2}


def test_missing_times_at_the_edges_use_the_segment_bounds() -> None:
    fixed, counts = _repair([("1", None, None), ("two", 500, 800), ("3", None, None)], 100, 1800)
    assert fixed == [("1", 100, 500), ("two", 500, 800), ("3", 800, 1800)]
    assert counts == {"missing": 2}


def test_overlaps_and_backwards_times_are_clamped() -> None:
    fixed, counts = _repair([("a", 0, 600), ("b", 400, 900), ("c", 1500, 1200)])
    assert fixed == [("a", 0, 600), ("b", 600, 900), ("c", 1500, 1500 + MIN_WORD_MS)]
    assert counts == {"overlap": 2, "short": 1}


def test_zero_length_words_get_the_minimum() -> None:
    fixed, counts = _repair([("a", 100, 100), ("b", 300, 310)])
    assert fixed == [("a", 100, 100 + MIN_WORD_MS), ("b", 300, 300 + MIN_WORD_MS)]
    assert counts == {"short": 2}


def test_words_outside_the_segment_are_pulled_in() -> None:
    fixed, counts = _repair([("a", 50, 400), ("b", 900, 1300)], 100, 1000)
    assert fixed == [("a", 100, 400), ("b", 900, 1000)]
    assert counts == {"outside": 2}


def test_a_crowded_segment_end_stays_inside_the_segment() -> None:
    # three zero-length words at the very end: lengthening pushes them back, not past the end
    fixed, counts = _repair([("a", 1000, 1000), ("b", 1000, 1000), ("c", 1000, 1000)], 0, 1000)
    assert fixed[-1][2] == 1000
    assert [e - s for _, s, e in fixed] == [MIN_WORD_MS] * 3
    assert counts["short"] == 3


def test_one_note_per_kind_with_counts() -> None:
    repairs = WordRepairs()
    raw: list[RawWord] = [("a", 0, 0, None), ("b", None, None, None), ("c", 5, 5, None)]
    repair_words(raw, 0, 1000, repairs)
    repair_words(raw, 0, 1000, repairs)
    messages = [note.message for note in repairs.notes("x.json")]
    assert len(messages) == len({m.split(" ", 1)[1] for m in messages})  # one per kind
    assert "2 word(s) without times given times between their neighbours" in messages
    assert all(note.source == "x.json" for note in repairs.notes("x.json"))


times = st.one_of(st.none(), st.integers(-500, 12_000))


@given(st.lists(st.tuples(times, times), min_size=1, max_size=30), st.integers(0, 5000))
def test_repaired_words_are_ordered_inside_and_long_enough(
    pairs: list[tuple[int | None, int | None]], length: int
) -> None:
    start, end = 1000, 1000 + length + 30 * MIN_WORD_MS
    raw: list[RawWord] = [(f"w{i}", s, e, None) for i, (s, e) in enumerate(pairs)]
    words = repair_words(raw, start, end, WordRepairs())
    assert [w.text for w in words] == [r[0] for r in raw]
    assert all(isinstance(w, Word) and w.end - w.start >= MIN_WORD_MS for w in words)
    assert words[0].start >= start and words[-1].end <= end
    assert all(a.end <= b.start for a, b in itertools.pairwise(words))
