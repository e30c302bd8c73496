"""Cutting cues into atoms: the smallest pieces of text resegmentation moves around.

A cue's text is cut after every sentence end and clause mark inside it; a piece too long for
one subtitle (or shown longer than the longest duration) is cut again at its best word breaks.
Each atom gets the share of its cue's time that its characters hold (or, when the turn carries
word timings, its own words' times, and atoms are cut again at the silences between words: see
:mod:`~captionbridge.reflow.wordtimes`), the turn it belongs to, and the cost of ending a
subtitle after it.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Content
from .breakrules import PLAIN, BreakRules
from .wordtimes import retime_pieces

__all__ = ["PAUSE_MS", "Atoms", "cut_atoms"]

#: A silence at least this long is never bridged by one subtitle.
PAUSE_MS = 500
#: A silence at least this long makes a cut cheaper.
BREATH_MS = 250

_INNER = re.compile(r"(?<=[.?!…,;:—])\s+(?=\S)")
#: A quick test for a mark :data:`_INNER` may cut after (much faster than its look-behind).
_MARK = re.compile(r"[.?!…,;:—]\s")


@dataclass
class Atoms:
    """Atoms as parallel columns (cheaper than one object per atom on long inputs)."""

    texts: list[str]
    starts: list[int]
    ends: list[int]
    #: turn number: consecutive atoms with the same number belong to one speaker turn
    turns: list[int]
    #: speaker id and marker flag of each turn number
    speakers: list[str | None]
    changes: list[bool]
    #: True for the first atom of a turn
    heads: list[bool]
    #: cost of ending a subtitle after the atom (0 after a sentence end)
    cuts: list[float]
    #: True when a pause or the end of the input follows: no subtitle goes on across it
    hard: list[bool]


def cut_atoms(
    starts: Sequence[int],
    ends: Sequence[int],
    contents: Sequence[Content],
    rules: BreakRules,
    piece_chars: int,
    cue_chars: int,
    max_duration: int | None,
) -> Atoms:
    """Cut every cue into atoms. Pieces longer than ``cue_chars`` (what one subtitle holds:
    width x lines) are cut into pieces of about ``piece_chars``; pieces longer than
    ``max_duration`` into as many as it takes."""
    atoms = Atoms([], [], [], [], [], [], [], [], [])
    texts, a_starts, a_ends, a_turns = atoms.texts, atoms.starts, atoms.ends, atoms.turns
    heads = atoms.heads
    turn = -1
    speaker: str | None = None
    longest = max_duration if max_duration is not None else 1 << 62
    mark = _MARK.search
    for start, end, content in zip(starts, ends, contents, strict=True):
        if end < start:
            end = start
        if (  # the common case: a short plain segment that goes on with the current speaker
            content.__class__ is str
            and turn >= 0
            and content
            and len(content) <= cue_chars
            and end - start <= longest
            and mark(content) is None
            and "\n" not in content
            and "  " not in content
            and not content[0].isspace()
            and not content[-1].isspace()
        ):
            texts.append(content)
            a_starts.append(start)
            a_ends.append(end)
            a_turns.append(turn)
            heads.append(False)
            continue
        if isinstance(content, str):
            # one turn that goes on with the current speaker
            if turn < 0:
                turn = 0
                atoms.speakers.append(None)
                atoms.changes.append(False)
                new_turn = True
            else:
                new_turn = False
            for piece, p0, p1 in _pieces(
                content, start, end, rules, piece_chars, cue_chars, max_duration
            ):
                texts.append(piece)
                a_starts.append(p0)
                a_ends.append(p1)
                a_turns.append(turn)
                heads.append(new_turn)
                new_turn = False
            continue
        parts = [(t.text, t.speaker, t.change, t.words) for t in content]
        if len(parts) > 1:
            parts = [p for p in parts if p[0].strip()] or parts[:1]
        total = sum(len(p[0]) for p in parts) or 1
        offset = 0
        for text, who, change, words in parts:
            if turn < 0 or change or who != speaker:
                turn += 1
                speaker = who
                atoms.speakers.append(who)
                atoms.changes.append(change)
                new_turn = True
            else:
                new_turn = False
            t0 = start + (end - start) * offset // total
            offset += len(text)
            t1 = start + (end - start) * offset // total
            if words:  # real times: the words' own, and cuts at the silences between them
                t0, t1 = words[0].start, max(words[0].start, words[-1].end)
            pieces = _pieces(text, t0, t1, rules, piece_chars, cue_chars, max_duration)
            if words:
                pieces = retime_pieces(pieces, words, BREATH_MS)
            for piece, p0, p1 in pieces:
                texts.append(piece)
                a_starts.append(p0)
                a_ends.append(p1)
                a_turns.append(turn)
                heads.append(new_turn)
                new_turn = False
    _score_cuts(atoms, rules)
    return atoms


def _pieces(
    text: str,
    start: int,
    end: int,
    rules: BreakRules,
    piece_chars: int,
    cue_chars: int,
    max_duration: int | None,
) -> list[tuple[str, int, int]]:
    """The atoms of one turn's text, with times in proportion to characters."""
    if "\n" in text or "  " in text or text[:1].isspace() or text[-1:].isspace():
        text = " ".join(text.split())
    if not text:
        return []
    parts = _INNER.split(text) if _INNER.search(text) else [text]
    needs_cut = max_duration is not None and end - start > max_duration
    if not needs_cut and len(parts) == 1 and len(text) <= cue_chars:
        return [(text, start, end)]
    span = end - start
    total = len(text)
    out = []
    offset = 0
    for part in parts:
        p0 = start + span * offset // total
        offset += len(part) + 1
        p1 = start + span * min(offset - 1, total) // total
        count = 1
        if len(part) > cue_chars:
            count = math.ceil(len(part) / piece_chars)
        if max_duration and p1 - p0 > max_duration:
            count = max(count, math.ceil((p1 - p0) / max_duration))
        if count == 1:
            out.append((part, p0, p1))
        else:
            out.extend(_split_even(part, p0, p1, count, rules))
    return out


def _split_even(
    text: str, start: int, end: int, count: int, rules: BreakRules
) -> list[tuple[str, int, int]]:
    """Cut ``text`` into about ``count`` pieces of even length at the best word breaks near
    the even positions; time follows the characters."""
    words = text.split(" ")
    if len(words) == 1:
        return [(text, start, end)]
    positions = []  # character offset where each word starts
    offset = 0
    for word in words:
        positions.append(offset)
        offset += len(word) + 1
    total = len(text)
    cuts: list[int] = []
    last = 0
    for m in range(1, count):
        target = total * m / count
        window = total / count / 3
        best, best_cost = -1, math.inf
        for k in range(last + 1, len(words)):
            distance = abs(positions[k] - target)
            if positions[k] > target + window:
                break
            if distance > window:
                continue
            cost = rules.break_cost(words[k - 1], words[k]) + distance * 0.5
            if cost < best_cost:
                best, best_cost = k, cost
        if best < 0:
            # no word starts near the target: take the first word break after it
            best = next((k for k in range(last + 1, len(words)) if positions[k] >= target), -1)
        if best > 0 and best not in cuts:
            cuts.append(best)
            last = best
    out = []
    bounds = [0, *cuts, len(words)]
    span = end - start
    for a, b in itertools.pairwise(bounds):
        c0 = positions[a]
        c1 = positions[b] - 1 if b < len(words) else total
        out.append((" ".join(words[a:b]), start + span * c0 // total, start + span * c1 // total))
    return out


def _score_cuts(atoms: Atoms, rules: BreakRules) -> None:
    """The cost of ending a subtitle after each atom, and where pauses forbid going on."""
    texts, starts, ends = atoms.texts, atoms.starts, atoms.ends
    count = len(texts)
    lasts = [text[text.rfind(" ") + 1 :] for text in texts]
    known = list(map(rules._after.get, lasts))
    after = rules.after_cost
    cuts = [after(word) if cost is None else cost for cost, word in zip(known, lasts, strict=True)]
    pair = rules.pair_cost
    # only a capitalised word or a number can be glued to the next one (see pair_cost)
    glued = [
        k
        for k, (cost, last) in enumerate(zip(cuts, lasts, strict=True))
        if cost == PLAIN and (last[0].isupper() or last[-1].isdigit())
    ]
    for k in glued:
        if k + 1 < count:
            nxt = texts[k + 1]
            space = nxt.find(" ")
            cuts[k] = PLAIN + pair(lasts[k], nxt if space < 0 else nxt[:space])
    gaps = [b - a for a, b in zip(ends, starts[1:], strict=False)]
    for k in [k for k, gap in enumerate(gaps) if gap >= BREATH_MS]:
        cuts[k] = max(0.0, cuts[k] - 3.0)
    if count:
        cuts[-1] = 0.0
    atoms.cuts = cuts
    atoms.hard = [gap >= PAUSE_MS for gap in gaps] + [True]
