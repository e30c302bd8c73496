"""Subtitle timing rules: minimum and maximum duration, reading speed, minimum gap, gap
chaining and the frame grid.

Applied in this order, on cues already in start order:

1. Every subtitle gets the time its reading speed and the minimum duration ask for, as far
   as the speech around it allows (:func:`_balance`): free time after it (up to
   :data:`READ_SLACK_MS` past its speech), then a boundary with a neighbour moved by up to
   :data:`DRIFT_MS` when that neighbour can spare the time. The characters-per-second limit
   comes first; a words-per-minute limit (``bbc``, ``cea608``) is then met where time is
   left over, without taking a neighbour under its own limits.
2. A gap shorter than the minimum gap is opened (the earlier subtitle ends sooner); a gap
   shorter than the chaining threshold is closed to exactly the minimum gap.
3. No subtitle lasts longer than the maximum duration.
4. With a frame rate, every time moves to the frame grid, gaps counted in whole frames.

With real word times (``word_times``) step 1 moves no start and no boundary into a
neighbour's speech: a subtitle grows only into the silence after it, and in step 4 starts go to
the first frame not before the first word (:mod:`~captionbridge.reflow.wordtimes`).

What cannot be fixed without inventing time is counted and reported.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from ..helpers.timecode import frames_to_ms, ms_to_frames
from ..model import Content
from .limits import Limits, visible_chars
from .wordtimes import extend_into_silence, starts_on_frames

__all__ = ["DRIFT_MS", "READ_SLACK_MS", "TimingReport", "apply_timing"]

#: How long a subtitle may stay on screen past its speech to be read.
READ_SLACK_MS = 500
#: How far a boundary between two subtitles may move away from the speech to give one of
#: them the time it needs to be read.
DRIFT_MS = 500


@dataclass
class TimingReport:
    """What the timing rules could not fix: indexes of the subtitles concerned."""

    short: list[int] = field(default_factory=list)
    fast: list[int] = field(default_factory=list)


def apply_timing(
    starts: Sequence[int],
    ends: Sequence[int],
    contents: Sequence[Content],
    limits: Limits,
    word_times: bool = False,
) -> tuple[list[int], list[int], TimingReport]:
    """New start and end times for the cues, and what could not be fixed.

    ``word_times``: the times are real word times (a subtitle's first word's start and last
    word's end), so no start moves earlier and no boundary moves into a neighbour's speech;
    subtitles are lengthened only into the silence after them
    (:func:`~captionbridge.reflow.wordtimes.extend_into_silence`)."""
    s = list(starts)
    e = [b if b > a else a for a, b in zip(starts, ends, strict=True)]
    n = len(s)
    min_duration = limits.min_duration or 0
    max_duration = limits.max_duration or math.inf
    gap = limits.min_gap
    for i in range(n - 1):  # the minimum gap first: it is not free time
        if e[i] > s[i + 1] - gap:
            e[i] = max(s[i] + 1, s[i + 1] - gap)
    by_chars, reading = _reading(contents, limits)
    # snapping to the frame grid may take a frame off: ask for one more
    frame = math.ceil(1000 / limits.fps) if limits.fps else 0
    high = limits.max_duration or 1 << 40
    low = min(min_duration + frame, high)
    needs = [
        low if r < min_duration else (r + frame if r + frame < high else high) for r in by_chars
    ]
    speech = (s[:], e[:])
    wanted = [max(min_duration, need) + frame for need in reading] if limits.max_wpm else []
    if word_times:
        if wanted:
            needs = [max(a, b) for a, b in zip(needs, wanted, strict=True)]
        extend_into_silence(s, e, needs, gap, low, READ_SLACK_MS)
    else:
        _balance(s, e, needs, gap, min_duration)
        if wanted:
            _top_up(s, e, speech, wanted, gap, max_duration)
    _gaps(s, e, gap, limits.chain_gap, max_duration)
    if limits.fps:
        if word_times:
            starts_on_frames(s, limits.fps)
        gap_f = limits.gap_in_frames()
        _snap(s, e, limits.fps, gap_f, limits.chain_gap, min_duration, max_duration, word_times)
    report = TimingReport()
    for i in range(n):
        length = e[i] - s[i]
        if length < min_duration:
            report.short.append(i)
        if length < reading[i]:
            report.fast.append(i)
    return s, e, report


def _balance(s: list[int], e: list[int], needs: list[int], gap: int, min_duration: int) -> None:
    """Give every cue ``needs[i]`` milliseconds where the speech around it allows.

    A backward pass finds the latest time each cue may start so that it and every cue after
    it that can be satisfied is; a forward pass then starts each cue as close to its speech as
    that allows and ends it when its speech and its need are over. No boundary moves more
    than :data:`DRIFT_MS` from the speech, and no cue stays more than :data:`READ_SLACK_MS`
    past its speech (but for the minimum duration, which may take as long as it needs): a
    cue that cannot get its time takes what it can without taking it from the others.
    """
    n = len(s)
    if not n:
        return
    drift, slack = DRIFT_MS, READ_SLACK_MS
    # earliest[i]: the earliest time cue i + 1 may start when every cue up to i starts as
    # early as it may and keeps its need (or its own length, when that is shorter)
    earliest = [0] * n
    floor = min(s[0], 0)  # nothing starts before the programme
    for i in range(n):
        start = s[i]
        first = start - drift
        if first < floor:
            first = floor
        keep = e[i] - start
        if keep > needs[i]:
            keep = needs[i]
        elif keep < 1:
            keep = 1
        floor = earliest[i] = first + keep + gap
    latest_end = [0] * n
    latest_start = s[-1] + e[-1] + slack + min_duration + gap  # no cue after the last
    for i in range(n - 1, -1, -1):
        start, end = s[i], e[i]
        limit = end + slack
        if start + min_duration > limit:
            limit = start + min_duration
        if latest_start - gap < limit:
            limit = latest_start - gap
            if limit < end and limit <= start:
                limit = start + 1
        latest_end[i] = limit
        want = limit - needs[i]
        floor = start - drift
        room = drift
        if i:
            if earliest[i - 1] > floor:
                floor = earliest[i - 1]
            room = s[i - 1] + min_duration + gap - start
            if room < drift:
                room = drift  # but the cue before may need it for its minimum duration
        if want < floor:
            want = floor if floor < start else start  # out of reach: take what is spare
        latest_start = want if want < start + room else start + room
    floor = min(s[0], 0)
    for i in range(n):
        start, end, limit, need = s[i], e[i], latest_end[i], needs[i]
        new_start = limit - need
        if new_start > start:
            new_start = start
        if new_start < start - drift:
            new_start = start - drift
        if new_start < floor:
            new_start = floor
        if new_start >= limit:
            new_start = limit - 1
        new_end = new_start + need
        if new_end < end:
            new_end = end
        if new_end > limit:
            new_end = limit
        if new_end <= new_start:
            new_end = new_start + 1
        s[i] = new_start
        e[i] = new_end
        floor = new_end + gap


def _top_up(
    s: list[int],
    e: list[int],
    speech: tuple[list[int], list[int]],
    wanted: list[int],
    gap: int,
    max_duration: float,
) -> None:
    """Meet a stricter reading speed (words per minute) where time is left after
    :func:`_balance`: free time after a cue (up to :data:`READ_SLACK_MS` past its speech),
    then what a neighbour holds beyond its own need; no boundary moves more than
    :data:`DRIFT_MS` from the speech (``speech``: the original starts and ends)."""
    n = len(s)
    s0, e0 = speech
    for i in range(n):
        start, end = s[i], e[i]
        want = min(start + wanted[i], e0[i] + READ_SLACK_MS, start + max_duration)
        if want <= end:
            continue
        new_end = int(min(want, s[i + 1] - gap)) if i + 1 < n else int(want)
        new_end = max(end, new_end)
        missing = want - new_end
        if missing > 0 and i + 1 < n:
            spare = e[i + 1] - s[i + 1] - wanted[i + 1]
            shift = int(min(missing, spare, s0[i + 1] + DRIFT_MS - s[i + 1]))
            if shift > 0:
                s[i + 1] += shift
                new_end += shift
                missing -= shift
        e[i] = new_end
        if missing > 0 and i > 0 and s[i] - e[i - 1] <= gap:
            spare = e[i - 1] - s[i - 1] - wanted[i - 1]
            shift = int(min(missing, spare, s[i] - s0[i] + DRIFT_MS))
            if shift > 0:
                e[i - 1] -= shift
                s[i] -= shift


def _reading(contents: Sequence[Content], limits: Limits) -> tuple[list[int], list[int]]:
    """The shortest time each cue can be shown at the characters-per-second limit, and at
    all the reading-speed limits (characters and words per minute)."""
    ceil = math.ceil
    if limits.max_cps:
        cps = limits.max_cps
        chars = [len(c) if c.__class__ is str else visible_chars(c) for c in contents]
        by_chars = [ceil(k * 1000 / cps) for k in chars]
    else:
        by_chars = [0] * len(contents)
    if not limits.max_wpm:
        return by_chars, by_chars
    wpm = limits.max_wpm
    texts = [c if isinstance(c, str) else " ".join(t.text for t in c) for c in contents]
    words = [text.count(" ") + text.count("\n") + 1 for text in texts]
    return by_chars, [max(r, ceil(w * 60000 / wpm)) for r, w in zip(by_chars, words, strict=True)]


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
    gap_f: int,
    chain: int,
    min_duration: int,
    max_duration: float,
    fixed_starts: bool = False,
) -> None:
    """Move every time to the nearest frame; gaps (``gap_f`` frames at least, exactly that
    under the chaining threshold) and durations are then counted in whole frames (rounding
    may not take a subtitle under its minimum or over its maximum). ``fixed_starts``: no
    start moves earlier to close a gap (starts are first words' starts)."""
    per_ms = fps / 1000
    # gaps are whole frames: "under chain * per_ms frames" is "under its ceiling" (no
    # Fraction compared per subtitle)
    chain_f = math.ceil(chain * per_ms)
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
            if room is not None and gap_f < sf[i + 1] - ef[i] < chain_f and not fixed_starts:
                # the end cannot reach the next subtitle: the next one starts sooner instead
                sf[i + 1] = ef[i] + gap_f
    s[:] = [frames_to_ms(f, fps) for f in sf]
    e[:] = [frames_to_ms(f, fps) for f in ef]
