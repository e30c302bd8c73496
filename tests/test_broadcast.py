"""Shared broadcast helpers: wrapping inside fixed columns and character fallbacks."""

from __future__ import annotations

import itertools
from typing import SupportsIndex, overload

import pytest
from hypothesis import given
from hypothesis import strategies as st

from captionbridge.plugins.broadcast.cea608 import KNOWN
from captionbridge.plugins.broadcast.common import CharMapper, _wrap_cutting, wrap
from captionbridge.specs import WriteContext


def test_wrap_greedy_and_keeps_fitting_breaks() -> None:
    assert wrap("one two\nthree", 32) == ["one two", "three"]
    assert wrap("a " * 20, 10) == ["a a a a a", "a a a a a", "a a a a a", "a a a a a"]
    assert wrap("x" * 40, 32) == ["x" * 32, "x" * 8]
    assert all(len(line) <= 32 for line in wrap("word " * 50, 32))


def test_mapper_fallbacks_and_notes() -> None:
    mapper = CharMapper(KNOWN)
    assert mapper("“Hi” — ok… ‘x’") == "\"Hi\" -- ok... 'x'"
    assert mapper("ł ő ǅ") == "l o Dz"  # table, then NFKD
    assert mapper("日🎉a") == "?a"
    context = WriteContext()
    mapper.report(context, "scc", "in.txt")
    (note,) = context.notes
    assert "'日'→'?'" in note.message and "'🎉' dropped" in note.message


def test_fast_frame_math_matches_timecode_module() -> None:
    from fractions import Fraction

    from captionbridge.helpers.timecode import frames_to_smpte, ms_to_frames
    from captionbridge.plugins.broadcast.common import frame_of, smpte_of

    for fps in (Fraction(30000, 1001), Fraction(30), Fraction(25), Fraction(24000, 1001)):
        frame = frame_of(fps)
        assert all(frame(ms) == ms_to_frames(ms, fps) for ms in range(0, 7_300_000, 997))
        for drop in (False, True) if fps.denominator == 1001 and fps > 25 else (False,):
            smpte = smpte_of(fps, drop)
            for f in [*range(0, 40_000, 13), *range(107_800, 108_100)]:
                assert smpte(f) == frames_to_smpte(f, fps, drop)


@given(st.text(alphabet=st.sampled_from(sorted(KNOWN)), max_size=40))
def test_row_bytes_are_encode_row_run_together(text: str) -> None:
    from captionbridge.plugins.broadcast.cea608 import encode_row, row_pairs

    assert row_pairs(text) == [w for group in encode_row(text) for w in group]


@given(st.text(alphabet="ab \n\t\xa0é", max_size=120), st.integers(1, 40))
def test_wrap_is_greedy_and_loses_nothing(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert all(0 < len(line) <= width for line in lines)
    if all(len(w) <= width for w in text.split()):
        assert " ".join(lines).split() == text.split()
        if "\n" not in text:  # (breaks of its own are kept when every line fits)
            for line, after in itertools.pairwise(lines):
                assert len(line) + 1 + len(after.split(" ")[0]) > width  # greedy
    else:
        assert "".join("".join(lines).split()) == "".join(text.split())


def test_wrap_cuts_a_long_word_at_offsets() -> None:
    """A word longer than a line is cut into consecutive slices (issue 19: cutting it by
    ``word = word[width:]`` copied the rest per line, 6.7 s for a 4 MB word; the timing is
    benchmarks/bench_adversarial.py's stl-write rows, which a call count cannot see)."""
    word = "".join(chr(65 + i % 26) for i in range(100_003))
    pieces = [word[i : i + 32] for i in range(0, len(word), 32)]
    assert wrap(f"a {word} b", 32) == ["a", *pieces[:-1], f"{pieces[-1]} b"]


class _CountedStr(str):
    """A string whose slices are counted strings too, and that counts the characters sliced."""

    sliced = 0

    @overload
    def __getitem__(self, index: SupportsIndex) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> str: ...
    def __getitem__(self, index: SupportsIndex | slice) -> str:
        item = super().__getitem__(index)
        if isinstance(index, slice):
            _CountedStr.sliced += len(item)
            return _CountedStr(item)
        return item


@pytest.mark.parametrize("length", [25_000, 100_000])
def test_cutting_a_long_word_slices_each_character_a_bounded_number_of_times(
    monkeypatch: pytest.MonkeyPatch, length: int
) -> None:
    """``word = word[width:]`` per line copied the rest of the word each time:
    n**2 / (2 * width) characters for a word of n (9.8 million for 25,000 at width 32)."""
    monkeypatch.setattr(_CountedStr, "sliced", 0)
    word = "".join(chr(65 + i % 26) for i in range(length))
    lines = _wrap_cutting(["a", _CountedStr(word), "b"], 32)
    assert "".join("".join(lines).split()) == f"a{word}b" and max(map(len, lines)) <= 32
    assert 0 < _CountedStr.sliced <= 2 * length
