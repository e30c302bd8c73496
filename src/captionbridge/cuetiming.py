"""Subtitle timing rules: minimum and maximum duration, reading speed, minimum gap, gap
chaining and the frame grid.

Applied in this order, on cues already in start order:

1. A subtitle too short to read (under the minimum duration, or faster than the reading
   speed) is extended into the free time after it: up to the minimum duration as far as the
   free time goes, and for reading speed up to :data:`READ_SLACK_MS` past the speech. When the
   free time is not enough, it borrows time from the next subtitle, as long as that one keeps
   its own minimum.
2. A gap shorter than the minimum gap is opened (the earlier subtitle ends sooner); a gap
   shorter than the chaining threshold is closed to exactly the minimum gap.
3. No subtitle lasts longer than the maximum duration.
4. With a frame rate, every time moves to the frame grid, gaps counted in whole frames.

What cannot be fixed without inventing time is counted and reported.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from .limits import Limits, visible_chars
from .model import Content
from .timecode import frames_to_ms, ms_to_frames

__all__ = ["READ_SLACK_MS", "TimingReport", "apply_timing"]

READ_SLACK_MS = 500


@dataclass
class TimingReport:
    """What the timing rules could not fix: indexes of the subtitles concerned."""

    short: list[int] = field(default_factory=list)
    fast: list[int] = field(default_factory=list)


def apply_timing(
    starts: Sequence[int], ends: Sequence[int], contents: Sequence[Content], limits: Limits
) -> tuple[list[int], list[int], TimingReport]:
    """New start and end times for the cues, and what could not be fixed."""
    s = list(starts)
    e = [max(a, b) for a, b in zip(starts, ends, strict=True)]
    n = len(s)
    reading = [_reading(limits, content) for content in contents]
    min_duration = limits.min_duration or 0
    max_duration = limits.max_duration or math.inf
    gap = limits.min_gap
    for i in range(n - 1):  # the minimum gap first: it is not free time
        if e[i] > s[i + 1] - gap:
            e[i] = max(s[i] + 1, s[i + 1] - gap)
    for i in range(n):
        _lengthen(s, e, reading, i, min_duration, max_duration, gap)
    _gaps(s, e, gap, limits.chain_gap, max_duration)
    if limits.fps:
        _snap(s, e, limits.fps, gap, limits.chain_gap, min_duration, max_duration)
    report = TimingReport()
    for i in range(n):
        length = e[i] - s[i]
        if length < min_duration:
            report.short.append(i)
        if length < reading[i]:
            report.fast.append(i)
    return s, e, report


def _lengthen(
    s: list[int],
    e: list[int],
    reading: list[int],
    i: int,
    min_duration: int,
    max_duration: float,
    gap: int,
) -> None:
    """Give cue ``i`` the time it needs: free time after it, then time the next cue can spare,
    then time the previous one can spare (each neighbour keeps what it needs itself)."""
    n = len(s)
    start, end = s[i], e[i]
    read_end = min(start + reading[i], end + READ_SLACK_MS)
    want = min(max(end, start + min_duration, read_end), start + max_duration)
    if want <= end:
        return
    limit = s[i + 1] - gap if i + 1 < n else want
    new_end = max(end, min(want, limit))
    missing = want - new_end
    if missing > 0 and i + 1 < n:
        spare = e[i + 1] - s[i + 1] - max(min_duration, reading[i + 1])
        # reading speed may borrow half a second; the minimum duration what it lacks
        shift = min(missing, spare, max(READ_SLACK_MS, start + min_duration - new_end))
        if shift > 0:
            s[i + 1] += int(shift)
            new_end += int(shift)
            missing -= shift
    e[i] = int(new_end)
    if missing > 0 and i > 0 and s[i] - e[i - 1] <= gap:
        spare = e[i - 1] - s[i - 1] - max(min_duration, reading[i - 1])
        shift = min(missing, spare, READ_SLACK_MS)
        if shift > 0:
            e[i - 1] -= int(shift)
            s[i] -= int(shift)


def _reading(limits: Limits, content: Content) -> int:
    if not (limits.max_cps or limits.max_wpm):
        return 0
    chars = visible_chars(content)
    text = content if isinstance(content, str) else " ".join(t.text for t in content)
    words = text.count(" ") + text.count("\n") + 1
    return limits.reading_ms(chars, words)


def _gaps(s: list[int], e: list[int], gap: int, chain: int, max_duration: float) -> None:
    """Open gaps under the minimum, close gaps under the chaining threshold to the minimum;
    a subtitle pushed to nothing pushes the next one's start instead."""
    n = len(s)
    for i in range(n):
        if i + 1 < n:
            space = s[i + 1] - e[i]
            if space < gap or space < chain:
                e[i] = s[i + 1] - gap
        if e[i] - s[i] > max_duration:
            e[i] = int(s[i] + max_duration)
        if e[i] <= s[i]:
            e[i] = s[i] + 1
            if i + 1 < n and s[i + 1] < e[i] + gap:
                s[i + 1] = e[i] + gap
                e[i + 1] = max(e[i + 1], s[i + 1] + 1)


def _snap(
    s: list[int],
    e: list[int],
    fps: Fraction,
    gap: int,
    chain: int,
    min_duration: int,
    max_duration: float,
) -> None:
    """Move every time to the nearest frame; gaps and durations are then counted in whole
    frames (rounding may not take a subtitle under its minimum or over its maximum)."""
    per_ms = fps / 1000
    gap_f = math.ceil(gap * per_ms - Fraction(1, 100)) if gap else 0
    chain_f = chain * per_ms
    min_f = math.ceil(min_duration * per_ms)
    max_f = math.floor(max_duration * per_ms) if max_duration != math.inf else None
    sf = [ms_to_frames(t, fps) for t in s]
    ef = [ms_to_frames(t, fps) for t in e]
    n = len(sf)
    for i in range(n):
        if i and sf[i] < ef[i - 1] + gap_f:
            sf[i] = ef[i - 1] + gap_f
        if ef[i] <= sf[i]:
            ef[i] = sf[i] + 1
        room = sf[i + 1] - gap_f if i + 1 < n else None
        if room is not None and room > sf[i]:
            space = sf[i + 1] - ef[i]
            if space < gap_f or space < chain_f:
                ef[i] = room
        if ef[i] - sf[i] < min_f:
            ef[i] = sf[i] + min_f if room is None else max(ef[i], min(room, sf[i] + min_f))
        if max_f is not None and ef[i] - sf[i] > max_f:
            ef[i] = sf[i] + max_f
    s[:] = [frames_to_ms(f, fps) for f in sf]
    e[:] = [frames_to_ms(f, fps) for f in ef]
