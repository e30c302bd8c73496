"""Where the cues of a huge input may be cut into chunks that transform on their own."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from itertools import accumulate

__all__ = ["last_cut"]


def last_cut(
    starts: Sequence[int],
    ends: Sequence[int],
    before: int,
    gap: float,
    accept: Callable[[int], bool] | None = None,
) -> int:
    """The largest ``c`` with ``0 < c <= before`` such that every cue from ``c`` on starts at
    least ``gap`` ms after every cue before ``c`` has ended (and ``accept(c)`` holds when it
    is given); ``0`` when there is none. One pass, however many places ``accept`` refuses."""
    n = len(starts)
    before = min(before, n)
    if before <= 0:
        return 0
    latest = list(accumulate(ends[:before], max))  # latest[k]: the last end up to cue k
    low = min(starts[before:], default=math.inf)
    for c in range(before, 0, -1):
        if c < before:
            low = min(low, starts[c])
        if low - latest[c - 1] >= gap and (accept is None or accept(c)):
            return c
    return 0
