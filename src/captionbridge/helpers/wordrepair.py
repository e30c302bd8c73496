"""Word-time repair that every reader of word timings shares, each kind of repair counted.

Recognisers give word times with known flaws: WhisperX leaves words it could not align (numbers,
symbols) without times, whisper.cpp gives sub-word tokens the same start and end, DTW times
overlap or run backwards, and a word can stick out of its segment. Before anything uses the
times, :func:`repair_words` puts them right, in this order:

1. a time outside the segment is pulled in to its bound (``outside``);
2. a run of words without times shares the span between its timed neighbours (or the segment
   bounds), in proportion to the words' lengths (``missing``);
3. a word that starts before the previous one ends starts at that end, and an end before its
   start is moved to the start (``overlap``);
4. a word shorter than :data:`MIN_WORD_MS` is lengthened to it (``short``).

A :class:`WordRepairs` collects the counts over a whole file and turns them into one note per
kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import repeat

from ..model import Note, Word

__all__ = ["MIN_WORD_MS", "RawWord", "WordRepairs", "make_words", "repair_words"]

#: The shortest a word may last (ms): one frame at 25 fps. Zero-length words make zero-length
#: karaoke syllables and cues that editors reject.
MIN_WORD_MS = 40

_KINDS = {
    "outside": "word time(s) outside their segment pulled in",
    "missing": "word(s) without times given times between their neighbours",
    "overlap": "overlapping or out-of-order word time(s) clamped",
    "short": f"zero-length or too short word(s) lengthened to {MIN_WORD_MS} ms",
}


#: A word as a reader found it: ``(text, start, end, confidence)``, times in ms or ``None`` when
#: the source gave none. A plain tuple: a one-hour file has ten thousand of them.
RawWord = tuple[str, int | None, int | None, float | None]

_new_tuple = tuple.__new__


def make_words(rows: Iterable[tuple[str, int, int, float | None]]) -> tuple[Word, ...]:
    """``Word`` objects from ``(text, start, end, confidence)`` rows (the values are the
    reader's, already checked), each built by one C call: ``tuple.__new__(Word, row)`` takes
    the row as it is, where ``Word(*row)`` goes through the named tuple's Python ``__new__``."""
    return tuple(map(_new_tuple, repeat(Word), rows))


@dataclass
class WordRepairs:
    """Counts of each kind of repair over one file."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_KINDS, 0))

    def notes(self, source: str | None) -> list[Note]:
        """One note per kind of repair that happened, with its count."""
        return [
            Note(f"{count} {_KINDS[kind]}", source) for kind, count in self.counts.items() if count
        ]


def _interpolate(
    raw: Sequence[RawWord],
    starts: list[int | None],
    ends: list[int | None],
    bounds: tuple[int, int],
) -> int:
    """Fill runs of words without times in place; return how many words were filled."""
    filled = 0
    index = 0
    count = len(raw)
    while index < count:
        if starts[index] is not None and ends[index] is not None:
            index += 1
            continue
        first = index
        while index < count and (starts[index] is None or ends[index] is None):
            index += 1
        before = ends[first - 1] if first else None
        own = starts[first]
        left: int = before if before is not None else own if own is not None else bounds[0]
        after = starts[index] if index < count else None
        right = max(left, after if after is not None else bounds[1])
        weights = [len(word[0]) + 1 for word in raw[first:index]]
        total = sum(weights)
        position = 0
        for offset, weight in enumerate(weights):
            at = first + offset
            starts[at] = left + (right - left) * position // total
            position += weight
            ends[at] = left + (right - left) * position // total
        filled += index - first
    return filled


def repair_words(
    raw: Sequence[RawWord], seg_start: int, seg_end: int, repairs: WordRepairs
) -> tuple[Word, ...]:
    """The words of one segment with usable times (see the module docstring); ``repairs``
    counts what was changed. The result is ordered, non-overlapping, inside the segment, and
    each word lasts at least :data:`MIN_WORD_MS`, or the segment's share per word when it is
    too short for that (only a segment with more words than milliseconds ends later)."""
    if not raw:
        return ()
    # a segment too short for its words at the minimum gets a smaller minimum (not a later end)
    shortest = max(1, min(MIN_WORD_MS, (seg_end - seg_start) // len(raw)))
    cursor = seg_start
    for _, start, end, _ in raw:  # the common case: nothing to repair
        if start is None or end is None or start < cursor or end - start < shortest:
            break
        cursor = end
    else:
        if cursor <= seg_end:
            return make_words(raw)  # type: ignore[arg-type]
    counts = repairs.counts
    starts: list[int | None] = []
    ends: list[int | None] = []
    for _, start, end, _ in raw:
        for value, column in ((start, starts), (end, ends)):
            if value is not None and not seg_start <= value <= seg_end:
                counts["outside"] += 1
                value = min(max(value, seg_start), seg_end)
            column.append(value)
    if None in starts or None in ends:
        counts["missing"] += _interpolate(raw, starts, ends, (seg_start, seg_end))
    times: list[list[int]] = []
    cursor = seg_start
    for start, end in zip(starts, ends, strict=True):
        assert start is not None and end is not None
        if start < cursor or end < start:
            counts["overlap"] += 1
            start = max(start, cursor)
            end = max(end, start)
        if end - start < shortest:
            counts["short"] += 1
            end = start + shortest
        times.append([start, end])
        cursor = end
    limit = seg_end
    for pair in reversed(times):  # lengthened words may have pushed the last ones out
        if pair[1] <= limit:
            break
        counts["outside"] += 1
        pair[1] = limit
        pair[0] = min(pair[0], limit - shortest)
        limit = pair[0]
    return make_words(
        (word[0], start, end, word[3]) for word, (start, end) in zip(raw, times, strict=True)
    )
