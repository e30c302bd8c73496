"""Reflow on real word times: pause evidence for the atoms, words carried to the subtitles.

When turns carry word timings (:attr:`~captionbridge.model.Turn.words`), reflow stops guessing
where a word falls from its character position:

- :func:`retime_pieces` gives the atoms of a word-timed turn the times of their own words, and
  cuts them again at every silence between two words of at least ``BREATH_MS`` (the search then
  prefers those cuts and never bridges a ``PAUSE_MS`` one: real pauses, not guessed ones);
- :func:`attach_words` hands every subtitle the words its text holds (the words are matched
  to the text token by token, in order: reflow moves words, it never changes them) and
  times it from its first word's start to its last word's end;
- :func:`extend_into_silence` and :func:`starts_on_frames` are the timing rules' word-time
  mode: a subtitle never starts before its first word, and it is lengthened for reading speed
  or the minimum duration only into the silence after it, never closer than the minimum gap to
  the next subtitle's first word.

Without words none of this runs: reflow costs and does what it did.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction

from ..model import Content, Turn, Word, turns_of

__all__ = [
    "attach_words",
    "extend_into_silence",
    "retime_pieces",
    "starts_on_frames",
    "word_bounds",
]


def _owners(text: str, words: Sequence[Word]) -> list[int] | None:
    """The index of the word each whitespace token of ``text`` belongs to, or ``None`` when
    the words do not spell the text."""
    owners = [k for k, word in enumerate(words) for _ in word.text.split()]
    return owners if len(owners) == len(text.split()) else None


def retime_pieces(
    pieces: list[tuple[str, int, int]], words: Sequence[Word], breath: int
) -> list[tuple[str, int, int]]:
    """The atoms ``pieces`` of one turn (text, start, end, their texts parted by single spaces
    as :mod:`~captionbridge.reflow.atoms` cuts them) timed by the turn's ``words``, and cut
    again at every silence of at least ``breath`` ms between two words. A cut that would fall
    inside a word (a word whose text holds a space) is moved to the word's end. Pieces whose
    words do not spell them are returned as they are."""
    text = " ".join(piece for piece, _, _ in pieces)
    owners = _owners(text, words)
    if owners is None or not owners:
        return pieces
    tokens = text.split()
    # token positions after which an atom ends
    ends = set()
    position = 0
    for piece, _, _ in pieces:
        position += len(piece.split())
        ends.add(position - 1)
    for k in range(len(tokens) - 1):
        first, second = owners[k], owners[k + 1]
        if first != second and words[second].start - words[first].end >= breath:
            ends.add(k)
    out: list[tuple[str, int, int]] = []
    begin = 0
    for k in range(len(tokens)):
        if k not in ends or (k + 1 < len(tokens) and owners[k] == owners[k + 1]):
            continue
        head, tail = words[owners[begin]], words[owners[k]]
        out.append((" ".join(tokens[begin : k + 1]), head.start, max(head.start, tail.end)))
        begin = k + 1
    return out


def _stream(contents: Sequence[Content]) -> list[tuple[Word, bool, bool] | None]:
    """One entry per whitespace token of the contents, in order: the word it belongs to and
    whether it is that word's first and last token, or ``None`` for a token without a word."""
    stream: list[tuple[Word, bool, bool] | None] = []
    for content in contents:
        if isinstance(content, str):
            stream.extend([None] * len(content.split()))
            continue
        for turn in content:
            owners = _owners(turn.text, turn.words) if turn.words else None
            if owners is None:
                stream.extend([None] * len(turn.text.split()))
                continue
            for k, owner in enumerate(owners):
                first = k == 0 or owners[k - 1] != owner
                last = k + 1 == len(owners) or owners[k + 1] != owner
                stream.append((turn.words[owner], first, last))
    return stream


def attach_words(
    source: Sequence[Content],
    starts: list[int],
    ends: list[int],
    contents: list[Content],
) -> tuple[list[int], list[int], list[Content]]:
    """Give every turn of the reflowed ``contents`` the words of ``source`` (the contents
    before reflow) that its text holds, and time every subtitle whose turns all have words by
    them (:func:`word_bounds`). Words are matched token by token in order; a turn whose
    tokens do not all belong to whole words gets none. When the token counts differ (nothing
    can be matched safely) the columns are returned as they are."""
    stream = _stream(source)
    if sum(len(turn.text.split()) for c in contents for turn in turns_of(c)) != len(stream):
        return starts, ends, contents
    new_contents: list[Content] = []
    position = 0
    for content in contents:
        turns: list[Turn] = []
        for turn in turns_of(content):
            count = len(turn.text.split())
            entries = stream[position : position + count]
            position += count
            words: tuple[Word, ...] = ()
            if entries and all(entries):
                head, tail = entries[0], entries[-1]
                assert head is not None and tail is not None
                if head[1] and tail[2]:
                    words = tuple(e[0] for e in entries if e is not None and e[1])
            turns.append(replace(turn, words=words) if words else turn)
        new_contents.append(tuple(turns) if any(t.words for t in turns) else content)
    new_starts, new_ends = word_bounds(starts, ends, new_contents)
    return new_starts, new_ends, new_contents


def word_bounds(
    starts: Sequence[int], ends: Sequence[int], contents: Sequence[Content]
) -> tuple[list[int], list[int]]:
    """Start and end times: from the first word's start to the last word's end for every
    subtitle whose turns all have words, the given times for the others."""
    new_starts, new_ends = list(starts), list(ends)
    for i, content in enumerate(contents):
        if isinstance(content, str) or not all(turn.words for turn in content):
            continue
        new_starts[i] = min(turn.words[0].start for turn in content)
        new_ends[i] = max(new_starts[i], max(turn.words[-1].end for turn in content))
    return new_starts, new_ends


def extend_into_silence(
    s: list[int], e: list[int], needs: Sequence[int], gap: int, shortest: int, slack: int
) -> None:
    """Lengthen every subtitle to ``needs[i]`` (its reading time or the minimum duration)
    where the silence after it allows: up to ``slack`` ms past its speech, or to ``shortest``
    (the minimum duration) from its start when that is later, and never closer than ``gap``
    to the next subtitle's start. Starts never move: they are the first words' starts."""
    n = len(s)
    for i in range(n):
        limit = max(e[i] + slack, s[i] + shortest)
        if i + 1 < n and s[i + 1] - gap < limit:
            limit = s[i + 1] - gap
        want = min(s[i] + needs[i], limit)
        if want > e[i]:
            e[i] = want


def starts_on_frames(s: list[int], fps: Fraction) -> None:
    """Move every start to the first frame that is not before it, so that snapping to the
    frame grid never shows a subtitle before its first word is spoken. (Frame ``f`` is at
    ``f * 1000 / fps`` ms rounded half up, as :func:`~captionbridge.helpers.timecode.
    frames_to_ms` lays it; integer arithmetic, as this runs once per subtitle.)"""
    num, den = fps.numerator, fps.denominator
    for i, start in enumerate(s):
        frame = -(-start * num // (1000 * den))  # the first frame at or after start
        # its millisecond, rounded half up: never below start, which is a whole millisecond
        s[i] = (2 * frame * 1000 * den + num) // (2 * num)
