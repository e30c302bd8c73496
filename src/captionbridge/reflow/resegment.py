"""Resegmentation: regroup atoms into subtitles by a minimum-cost search, then lay them out.

Every way of grouping consecutive atoms into subtitles that fit (characters, duration, turns)
is scored and the cheapest is found by dynamic programming over atom positions; a subtitle
holds a bounded number of atoms, so the search is linear in the length of the input. The
score prefers, in this order: cutting at sentence ends, at pauses, at clause marks, then
anywhere else; fewer, fuller subtitles over many small ones; subtitles long enough to read.

Silences of :data:`~captionbridge.reflow.atoms.PAUSE_MS` are never bridged. A speaker turn is a hard
cut unless both sides fit on one line each: then the two turns make one dual-speaker subtitle.
A merged subtitle spans from the first atom's start to the last atom's end.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import accumulate

from ..model import Content, Turn
from .atoms import Atoms
from .breakrules import BreakRules
from .limits import Limits
from .linebreak import lay_out, layout, two_line_break

__all__ = ["Shape", "emit", "group"]

CUE_COST = 6.0
SENTENCE_INSIDE = 2.0
DUAL_COST = 1.0
SHORT_COST = 12.0
SLOW_WEIGHT = 0.015  # per millisecond of reading time missing
TIGHT = 0.8  # share of the capacity after which a subtitle is hard to break well
TIGHT_WEIGHT = 0.3  # per character over it
READ_SLACK_MS = 500  # how far past the speech a subtitle may stay to be read
RAGGED = 3  # characters a line usually leaves empty when words wrap to the next


@dataclass(frozen=True)
class Shape:
    """The layout of a subtitle: line width, line count, break rules and the width speaker
    prefixes take (``dash`` for ``- ``/``>> ``, ``labels`` for ``NAME: ``)."""

    width: int
    lines: int
    rules: BreakRules
    dash: int = 3
    labels: Mapping[str, int] | None = None
    show_speakers: bool = True

    def prefix(self, speaker: str | None, change: bool, dual: bool) -> int:
        """The width of the prefix the writer puts before a turn."""
        if not self.show_speakers:
            return 0
        if speaker is not None and self.labels is not None and speaker in self.labels:
            return self.labels[speaker] if change or dual else 0
        return self.dash if change or dual else 0


def group(atoms: Atoms, limits: Limits, shape: Shape) -> list[int]:
    """The cheapest grouping of the atoms: the index one past the last atom of each group."""
    texts, starts, ends = atoms.texts, atoms.starts, atoms.ends
    turns, cuts, hard, heads = atoms.turns, atoms.cuts, atoms.hard, atoms.heads
    n = len(texts)
    if n == 0:
        return []
    width, lines = shape.width, shape.lines
    # what the lines hold, less what word wrapping usually loses at each line break
    full = lines * width + lines - 1 - RAGGED * (lines - 1)
    tight = TIGHT * full
    head_prefix = [
        shape.prefix(who, change, False)
        for who, change in zip(atoms.speakers, atoms.changes, strict=True)
    ]
    dual_prefix = [
        shape.prefix(who, change, True)
        for who, change in zip(atoms.speakers, atoms.changes, strict=True)
    ]
    # prefix sums: characters plus one space per atom, words, and the cost of the sentence
    # ends a group would hold inside
    chars = [0, *accumulate([len(text) + 1 for text in texts])]
    # (words are only counted for a words-per-minute limit; chars stand in, unread, if not)
    words = [0, *accumulate([text.count(" ") + 1 for text in texts])] if limits.max_wpm else chars
    sentences = [0.0, *accumulate([SENTENCE_INSIDE if cut == 0.0 else 0.0 for cut in cuts])]
    # stop[i]: a group cannot simply go on from atom i to atom i + 1 (a pause or a turn)
    stop = [hard[k] or turns[k] != turns[k + 1] for k in range(n - 1)] + [True]
    indent = [head_prefix[turns[k]] if heads[k] else 0 for k in range(n)]
    max_duration = limits.max_duration or math.inf
    min_duration = limits.min_duration or 0
    ms_per_char = 1000 / limits.max_cps if limits.max_cps else 0.0
    ms_per_word = 60000 / limits.max_wpm if limits.max_wpm else 0.0
    # base[i]: best cost up to atom i, minus the sentence ends before it
    base = [0.0] * (n + 1)
    back = [0] * (n + 1)
    inf = math.inf
    for j in range(1, n + 1):
        last = j - 1
        end = ends[last]
        free = starts[j] - end if j < n else inf
        # reading time that is missing costs from the end of the speech plus the slack
        slack = end + (free if free < READ_SLACK_MS else READ_SLACK_MS)
        tail = CUE_COST + (0.0 if hard[last] or j == n else cuts[last]) + sentences[last]
        chars_j, words_j = chars[j], words[j]
        short = min_duration - free
        # a group from atom i is too long once chars[i] < lowest or starts[i] < earliest
        lowest = chars_j - 1 - full
        earliest = end - max_duration
        best_j = inf
        back_j = last
        boundary = -1
        i = last  # the atom alone is always a candidate, however long
        while True:
            size = chars_j - chars[i] - 1
            start = starts[i]
            cost = base[i] + tail
            fits = True
            if boundary >= 0:  # two turns: each on one line
                left = chars[boundary] - chars[i] - 1 + dual_prefix[turns[i]]
                if left > width:
                    break
                fits = size - left + dual_prefix[turns[last]] <= width
                cost += DUAL_COST
            else:
                size += indent[i]
            if fits:
                if size > tight:
                    cost += (size - tight) * TIGHT_WEIGHT
                if end - start < short:
                    cost += SHORT_COST
                need = size * ms_per_char
                if ms_per_word:
                    by_words = (words_j - words[i]) * ms_per_word
                    if by_words > need:
                        need = by_words
                missing = need - slack + start
                if missing > 0:
                    cost += missing * SLOW_WEIGHT
                if cost < best_j:
                    best_j = cost
                    back_j = i
            i -= 1
            if i < 0 or chars[i] < lowest or starts[i] < earliest:
                break
            if stop[i]:
                if hard[i] or boundary >= 0 or lines < 2:
                    break
                boundary = i + 1
        back[j] = back_j
        base[j] = best_j - sentences[j]
    bounds = []
    j = n
    while j > 0:
        bounds.append(j)
        j = back[j]
    bounds.reverse()
    return bounds


def emit(
    atoms: Atoms, bounds: list[int], shape: Shape, first: int = 0, min_duration: int = 0
) -> tuple[list[int], list[int], list[Content], int]:
    """Build the subtitles of a grouping (``bounds`` from :func:`group`; the first group
    starts at atom ``first``), with their line breaks. A subtitle whose only layouts end a
    line on an article, preposition or conjunction is cut in two at a word where both halves
    break well, when both stay at least ``min_duration`` long. Returns the columns and the
    number of subtitles that could not be laid out within the limits and were split again."""
    texts, turns, a_starts, a_ends = atoms.texts, atoms.turns, atoms.starts, atoms.ends
    out_starts: list[int] = []
    out_ends: list[int] = []
    out_contents: list[Content] = []
    overflow = 0
    i = first
    heads, speakers, changes = atoms.heads, atoms.speakers, atoms.changes
    width, lines, rules = shape.width, shape.lines, shape.rules
    for j in bounds:
        cut: int | None = None
        turn = turns[i]
        if turn == turns[j - 1] and speakers[turn] is None and not (heads[i] and changes[turn]):
            # the common case: a plain text without speaker marks; atom texts are parted by
            # single spaces, so the fast two-line break applies when no other space is in
            text = texts[i] if j - i == 1 else " ".join(texts[i:j])
            if len(text) <= width:
                out_starts.append(a_starts[i])
                out_ends.append(a_ends[j - 1])
                out_contents.append(text)
                i = j
                continue
            at = two_line_break(text, width, rules) if lines > 1 and text.isprintable() else None
            if at is not None:
                laid: str | None = text[: at[0]] + "\n" + text[at[0] + 1 :]
                bad = at[1]
            else:
                laid, bad = lay_out(text, width, lines, rules)
            if bad:
                cut = _best_atom_cut(atoms, i, j, shape, strict=True)
                if cut is None:
                    start, end = atoms.starts[i], atoms.ends[j - 1]
                    halves = _word_cut(text, start, end, shape, min_duration)
                    if halves is not None:
                        for s, e, half in halves:
                            out_starts.append(s)
                            out_ends.append(e)
                            out_contents.append(half)
                        i = j
                        continue
            if laid is not None and cut is None:
                out_starts.append(a_starts[i])
                out_ends.append(a_ends[j - 1])
                out_contents.append(laid)
                i = j
                continue
        pieces: list[tuple[int, str, bool]] = []  # turn number, text, starts the turn
        k = i
        while k < j:
            m = k + 1
            while m < j and turns[m] == turns[k]:
                m += 1
            pieces.append((turns[k], " ".join(texts[k:m]), heads[k]))
            k = m
        cue = None if cut is not None else _lay_out(pieces, atoms, shape)
        start, end = atoms.starts[i], atoms.ends[j - 1]
        if cue is None:
            if cut is None:
                overflow += 1
                cut = _best_atom_cut(atoms, i, j, shape)
            if cut is not None:
                # two smaller subtitles at the cheapest atom boundary where both fit
                s0, e0, c0, _ = emit(atoms, [cut, j], shape, i, min_duration)
                out_starts += s0
                out_ends += e0
                out_contents += c0
                i = j
                continue
            total = sum(len(text) + 1 for _, text, _ in pieces)
            offset = 0
            for piece in pieces:  # each turn on its own, time in proportion to characters
                p0 = start + (end - start) * offset // total
                offset += len(piece[1]) + 1
                p1 = start + (end - start) * offset // total
                for s, e, content in _split_to_fit(piece, p0, p1, atoms, shape):
                    out_starts.append(s)
                    out_ends.append(e)
                    out_contents.append(content)
        else:
            out_starts.append(start)
            out_ends.append(end)
            out_contents.append(cue)
        i = j
    return out_starts, out_ends, out_contents, overflow


def _word_cut(
    text: str, start: int, end: int, shape: Shape, min_duration: int
) -> list[tuple[int, int, str]] | None:
    """``text`` as two subtitles cut at the cheapest word where neither ends a line (nor
    the first subtitle) badly, time in proportion to characters; ``None`` when there is no
    such word or a half would last less than ``min_duration``."""
    words = text.split(" ")
    rules, width, lines = shape.rules, shape.width, shape.lines
    total = len(text) + 1
    span = end - start
    best: tuple[float, int, str, str] | None = None
    offset = 0
    for k in range(1, len(words)):
        offset += len(words[k - 1]) + 1
        if span * min(offset, total - offset) < min_duration * total:
            continue
        cost = rules.break_cost(words[k - 1], words[k])
        if cost >= 300 or (best is not None and cost + abs(2 * offset - total) * 0.1 >= best[0]):
            continue
        left, bad = lay_out(" ".join(words[:k]), width, lines, rules)
        if left is None or bad:
            continue
        right, bad = lay_out(" ".join(words[k:]), width, lines, rules)
        if right is None or bad:
            continue
        best = (cost + abs(2 * offset - total) * 0.1, k, left, right)
    if best is None:
        return None
    _, k, left, right = best
    middle = start + span * (len(left) + 1) // total
    return [(start, middle, left), (middle, end, right)]


def _best_atom_cut(atoms: Atoms, i: int, j: int, shape: Shape, strict: bool = False) -> int | None:
    """The atom boundary inside ``[i, j)`` where cutting is cheapest and both halves can be
    laid out (``strict``: without a bad line break), or ``None``."""
    if atoms.turns[i] != atoms.turns[j - 1]:
        return None
    candidates = sorted(range(i + 1, j), key=lambda k: atoms.cuts[k - 1])
    for k in candidates:
        if strict and atoms.cuts[k - 1] > 10:
            break
        left, bad = lay_out(
            " ".join(atoms.texts[i:k]), shape.width, shape.lines, shape.rules, shape.dash
        )
        if left is None or (strict and bad):
            continue
        right, bad = lay_out(" ".join(atoms.texts[k:j]), shape.width, shape.lines, shape.rules)
        if right is None or (strict and bad):
            continue
        return k
    return None


def _lay_out(pieces: list[tuple[int, str, bool]], atoms: Atoms, shape: Shape) -> Content | None:
    dual = len(pieces) > 1
    lines = 1 if dual else shape.lines
    result: list[Turn] = []
    for turn, text, head in pieces:
        speaker = atoms.speakers[turn]
        change = atoms.changes[turn] and head
        indent = shape.prefix(speaker, change, dual)
        laid = layout(text, shape.width, lines, shape.rules, indent)
        if laid is None:
            return None
        result.append(Turn(laid, speaker, change))
    if len(result) == 1 and result[0].speaker is None and not result[0].change:
        return result[0].text
    return tuple(result)


def _split_to_fit(
    piece: tuple[int, str, bool], start: int, end: int, atoms: Atoms, shape: Shape
) -> list[tuple[int, int, Content]]:
    """Halve a one-turn text that does not fit (at its cheapest word break, time in proportion
    to characters) until every part fits or is a single word."""
    turn, text, head = piece
    content = _lay_out([piece], atoms, shape)
    words = text.split(" ")
    if content is not None:  # a single word always fits: it gets a line of its own
        return [(start, end, content)]
    middle = len(text) / 2
    best, best_cost = 1, math.inf
    offset = 0
    for k in range(1, len(words)):
        offset += len(words[k - 1]) + 1
        cost = shape.rules.break_cost(words[k - 1], words[k]) + abs(offset - middle) * 0.5
        if cost < best_cost:
            best, best_cost = k, cost
    left = " ".join(words[:best])
    right = " ".join(words[best:])
    cut = start + (end - start) * (len(left) + 1) // (len(text) + 1)
    return _split_to_fit((turn, left, head), start, cut, atoms, shape) + _split_to_fit(
        (turn, right, False), cut, end, atoms, shape
    )
