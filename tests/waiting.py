"""Waiting for something a test can observe (a file's content, a page's state, a count).

A test that waits for an event looks again until it happens; the bound only turns a hang into
a failure, so it is generous (a loaded machine makes the test slower, never failing) and no
test decides its result by how long something took.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

#: seconds after which a wait is a hang: far above what any wait takes on a busy machine
HANG = 120.0


def until(what: str | Callable[[], str], look: Callable[[], T | None], *, every: float = 0.01) -> T:
    """Call ``look`` every ``every`` seconds until it gives something other than None; return
    that. After :data:`HANG` seconds fail with ``never: what`` (``what`` may be a function,
    called then, to say what was last seen)."""
    deadline = time.monotonic() + HANG
    while (found := look()) is None:
        if time.monotonic() > deadline:
            raise AssertionError(f"never: {what if isinstance(what, str) else what()}")
        time.sleep(every)
    return found
