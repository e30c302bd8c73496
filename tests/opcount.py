"""Counting the work a call does, for growth tests that must not depend on the machine's speed.

:func:`calls` counts every Python function call and every call of a built-in made while the
function runs (``sys.setprofile`` events): deterministic, unlike a clock. A loop that grows
quadratically in Python shows; work that grows inside one built-in call (a regular expression
backtracking) does not: benchmarks/bench_adversarial.py times that.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType
from typing import Any


def calls(function: Callable[..., object], *args: Any, **kwargs: Any) -> int:
    """The number of function calls (Python and built-in) ``function(*args, **kwargs)`` makes."""
    count = 0

    def profile(frame: FrameType, event: str, arg: object) -> None:
        nonlocal count
        if event == "call" or event == "c_call":
            count += 1

    sys.setprofile(profile)
    try:
        function(*args, **kwargs)
    finally:
        sys.setprofile(None)
    return count
