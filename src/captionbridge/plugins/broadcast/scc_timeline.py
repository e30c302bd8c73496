"""Where the byte pairs of an SCC file go: pop-on and roll-up scheduling on the frame grid, and
the rendering of the scheduled pairs as Scenarist lines.

Pop-on (CEA-608 §B.5): a caption is loaded into non-displayed memory (RCL, ENM, a PAC per row,
the characters) and shown by EOC, which swaps the two memories; EDM clears the screen. The only
rules are that caption k's loading comes after caption k-1's EOC (before it, the hidden memory
still holds caption k-1) and before caption k's EOC, and that one frame carries one pair. So
caption k's loading may start on the frame after caption k-1's EOC, while caption k-1 is on
screen; the EDM that ends caption k-1 takes one frame in that stretch.

Loading is packed to end right before the EOC. When the stretch is too short it is made
smaller, one step at a time (:data:`STEPS`): control codes sent once instead of twice; the
copies of the previous caption's EOC and EDM left out; RCL sent once (when the caption has no
extended character: pycaption only drops the repeated copy of an extended character after a
doubled RCL); rows that are not on the 4-column grid of the PACs start on it (up to two columns
off centre) instead of needing a tab offset. Only when the smallest loading does not fit does
the caption appear late, on the first frame after its loading.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from fractions import Fraction
from typing import NamedTuple

from . import cea608
from .common import smpte_of

HEADER = "Scenarist_SCC V1.0"
COLUMNS = 32

#: What each step of making a pop-on loading smaller gives up, in order.
STEPS = (
    "control codes sent twice",
    "control codes sent once (RCL still twice)",
    "no copy of the previous caption's EOC and EDM",
    "RCL once (captions without extended characters)",
    "rows on the 4-column grid (no tab offsets)",
)

_RCL = bytes.fromhex(cea608.RCL)
_ENM = bytes.fromhex(cea608.ENM)
_EOC = cea608.EOC
_EDM = cea608.EDM
_EOC_TWICE = f"{_EOC} {_EOC}"
_EDM_TWICE = f"{_EDM} {_EDM}"
_DOUBLE_START = _RCL * 2 + _ENM * 2
_EXTENDED = frozenset(cea608.EXTENDED)


class Caption(NamedTuple):
    """One planned 608 caption: shown from frame ``start`` (EOC) to frame ``end`` (EDM or the
    next EOC), frames counted from timecode 00:00:00:00. ``late`` frames after its cue asked."""

    start: int
    end: int
    rows: tuple[str, ...]
    cue: int
    late: int = 0


class Timeline:
    """Runs of byte pairs by first frame, and which runs must start a line of the file."""

    __slots__ = ("chunks", "smaller")

    def __init__(self) -> None:
        self.chunks: list[tuple[int, int, str, bool]] = []
        #: pop-on loadings that were not simply put right before their EOC, by the step of
        #: :data:`STEPS` at which they fitted
        self.smaller = [0] * len(STEPS)

    def put_bytes(self, frame: int, data: bytes) -> None:
        """Byte pairs given as bytes (parity applied) from ``frame`` on."""
        self.chunks.append((frame, len(data) >> 1, data.hex(" ", 2), False))

    def render(self, fps: Fraction, drop: bool) -> str:
        """The Scenarist file: one line per run of consecutive frames (or per line start)."""
        smpte = smpte_of(fps, drop)
        out = [HEADER]
        append = out.append
        next_frame = -1
        for frame, length, text, line_start in sorted(self.chunks):
            if frame != next_frame or line_start:
                append(f"\n\n{smpte(frame)}\t{text}")
            else:
                append(f" {text}")
            next_frame = frame + length
        append("\n")
        return "".join(out)


@functools.cache
def _pac(row: int, column: int, twice: int) -> bytes:
    pac, tab = cea608.pac_words(row, column)
    return bytes.fromhex(pac * twice + (tab or "") * twice)


def _grid(column: int, width: int) -> int:
    """The multiple of 4 nearest ``column`` that keeps a row of ``width`` on screen."""
    low = column - column % 4
    return low + 4 if column % 4 > 2 and low + 4 + width <= COLUMNS else low


def load_bytes(rows: Sequence[str]) -> bytes:
    """The whole loading of a pop-on caption with every control code twice (step 0)."""
    parts = [_DOUBLE_START]
    first_row = 16 - len(rows)
    for number, text in enumerate(rows):
        parts.append(_pac(first_row + number, (COLUMNS - len(text)) // 2, 2))
        parts.append(cea608.row_bytes(text))
    return b"".join(parts)


def load_units(rows: Sequence[str], step: int) -> list[bytes]:
    """The loading of a pop-on caption at ``step`` of :data:`STEPS`, in units that must stay on
    consecutive frames (a control code with its copy, a PAC with its tab offset, a character
    pair, a special or extended character with its copy)."""
    twice = 2 if step == 0 else 1
    once_rcl = step >= 3 and not any(_EXTENDED.intersection(text) for text in rows)
    units = [_RCL if once_rcl else _RCL * 2, _ENM * twice]
    first_row = 16 - len(rows)
    for number, text in enumerate(rows):
        column = (COLUMNS - len(text)) // 2
        if step >= 4:
            column = _grid(column, len(text))
        units.append(_pac(first_row + number, column, twice))
        for group in cea608.encode_row(text):
            units.append(bytes.fromhex("".join(group)))
    return units


def load_sizes(rows: Sequence[str], whole: int) -> list[int]:
    """Frames the loading takes at each step of :data:`STEPS`, given ``whole``, its frames at
    step 0 (the length of :func:`load_bytes`)."""
    tabs = sum(1 for text in rows if (COLUMNS - len(text)) // 2 % 4)
    once = whole - len(rows) - tabs - 1  # ENM, PACs and tab offsets once
    rcl = once if any(_EXTENDED.intersection(text) for text in rows) else once - 1
    return [whole, once, once, rcl, rcl - tabs]


def pack_before(units: Sequence[bytes], taken: Sequence[int], floor: int, end: int) -> list[int]:
    """First frames for the units, in order, as late as possible before ``end``, none below
    ``floor`` or on a ``taken`` frame; an empty list when they do not fit."""
    places = [0] * len(units)
    marks = sorted((f for f in taken if floor <= f < end), reverse=True)
    j = 0
    cursor = end
    for i in range(len(units) - 1, -1, -1):
        at = cursor - (len(units[i]) >> 1)
        while j < len(marks) and marks[j] >= at:
            if marks[j] < cursor:  # a taken frame inside: go below it
                cursor = marks[j]
                at = cursor - (len(units[i]) >> 1)
            j += 1
        if at < floor:
            return []
        places[i] = cursor = at
    return places


def pack_after(units: Sequence[bytes], taken: Sequence[int], floor: int) -> tuple[list[int], int]:
    """First frames for the units, in order, as early as possible from ``floor`` on, avoiding
    ``taken`` frames; also the first free frame after them."""
    places = []
    marks = sorted(f for f in taken if f >= floor)
    j = 0
    cursor = floor
    for unit in units:
        length = len(unit) >> 1
        while j < len(marks) and marks[j] < cursor + length:
            if marks[j] >= cursor:
                cursor = marks[j] + 1
            j += 1
        places.append(cursor)
        cursor += length
    while j < len(marks) and marks[j] <= cursor:
        if marks[j] == cursor:
            cursor += 1
        j += 1
    return places, cursor


def _put_units(timeline: Timeline, units: Sequence[bytes], places: Sequence[int]) -> None:
    """Put units, joining those on consecutive frames into one run."""
    run: list[bytes] = []
    first = following = -1
    for at, unit in zip(places, units, strict=True):
        if at != following and run:
            timeline.put_bytes(first, b"".join(run))
            run = []
        if not run:
            first = at
        run.append(unit)
        following = at + (len(unit) >> 1)
    if run:
        timeline.put_bytes(first, b"".join(run))


def schedule_popon(
    captions: list[Caption], steps: int = len(STEPS)
) -> tuple[list[Caption], Timeline]:
    """Place every caption's loading, EOC and EDM on the frame grid; returns the captions as
    they will really show (``late`` set where even the smallest loading could not finish in
    time). ``steps`` limits how many of :data:`STEPS` may be used (for tests)."""
    timeline = Timeline()
    append = timeline.chunks.append
    shown: list[Caption] = []
    count = len(captions)
    before_start = before_end = -1  # the previous caption's EOC and end frames (-1: none)
    for i, cap in enumerate(captions):
        start = cap.start
        # frames taken after the previous EOC: its copy, the EDM ending the previous caption
        # when a gap follows it, and that EDM's copy (-1: none)
        floor = before_start + 1 if before_start >= 0 else 1  # never 00:00:00:00
        eoc_copy = floor if floor < before_end else -1
        edm = before_end if 0 <= before_end < start else -1
        edm_copy = edm + 1 if edm >= 0 and edm + 1 < start else -1
        if start < floor:
            start = floor
        data = load_bytes(cap.rows)
        length = len(data) >> 1
        first = start - length
        if first >= floor and edm < first and eoc_copy < first and edm_copy < first:
            # the usual case: a free stretch right before start
            append((first, length, data.hex(" ", 2), False))
        else:
            copies = [f for f in (eoc_copy, edm_copy) if f >= 0]
            taken = [edm] if edm >= 0 else []
            start, copies = _fit(timeline, cap.rows, length, taken, copies, floor, start, steps)
            eoc_copy = eoc_copy if eoc_copy in copies else -1
            edm_copy = edm_copy if edm_copy in copies else -1
        if before_start >= 0:
            append(
                (before_start, 2, _EOC_TWICE, True)
                if eoc_copy >= 0
                else (before_start, 1, _EOC, True)
            )
            if edm >= 0:
                append((edm, 2, _EDM_TWICE, True) if edm_copy >= 0 else (edm, 1, _EDM, True))
            if before_end == cap.start < start:
                # nothing cleared the previous caption: it stays until this one replaces it
                shown[-1] = shown[-1]._replace(end=start)
        end = cap.end if cap.end > start else start + 1
        if i + 1 < count and end > captions[i + 1].start:
            end = captions[i + 1].start if captions[i + 1].start > start else start + 1
        shown.append(Caption(start, end, cap.rows, cap.cue, start - cap.start))
        before_start, before_end = start, end
    if shown:
        append(
            (before_start, 2, _EOC_TWICE, True)
            if before_start + 1 < before_end
            else (before_start, 1, _EOC, True)
        )
        append((before_end, 2, _EDM_TWICE, True))
    return shown, timeline


def _fit(
    timeline: Timeline,
    rows: tuple[str, ...],
    whole: int,
    taken: list[int],
    copies: list[int],
    floor: int,
    start: int,
    steps: int,
) -> tuple[int, list[int]]:
    """Place a loading that does not fit whole right before ``start``: around the taken frames,
    then smaller step by step; late as a last resort. Returns the EOC frame and the copies
    kept."""
    sizes = load_sizes(rows, whole)
    for step in range(steps):
        if step == 2:
            copies = []
        blocked = taken + copies
        if sizes[step] > start - floor - sum(1 for f in blocked if floor <= f < start):
            continue  # too big whatever the packing
        units = load_units(rows, step)
        places = pack_before(units, blocked, floor, start)
        if places:
            timeline.smaller[step] += 1
            _put_units(timeline, units, places)
            return start, copies
    units = load_units(rows, steps - 1)
    places, start = pack_after(units, taken + copies, floor)
    _put_units(timeline, units, places)
    return start, copies


def schedule_rollup(captions: list[Caption], depth: int) -> tuple[list[Caption], Timeline]:
    """Roll-up: each row is painted as it arrives from the cue's start frame (RU, CR, PAC,
    text); the screen is cleared by EDM when a gap follows."""
    timeline = Timeline()
    shown: list[Caption] = []
    cursor = 1
    head = bytes.fromhex(cea608.roll_up(depth) * 2 + cea608.CR * 2 + cea608.pac_words(15, 0)[0] * 2)
    for i, cap in enumerate(captions):
        start = max(cap.start, cursor)
        at = start
        for number, text in enumerate(cap.rows):
            data = head + cea608.row_bytes(text)
            timeline.chunks.append((at, len(data) >> 1, data.hex(" ", 2), number == 0))
            at += len(data) >> 1
        following = captions[i + 1].start if i + 1 < len(captions) else None
        end = max(cap.end, at)
        if following is None or end < following:
            timeline.chunks.append((end, 2, _EDM_TWICE, True))
            at = end + 2
        shown.append(Caption(start, end, cap.rows, cap.cue, start - cap.start))
        cursor = at
    return shown, timeline
