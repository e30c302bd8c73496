"""A request to stop at the next safe point: the batch's Ctrl-C handler sets it, the streaming
path checks it between chunks, so one huge file does not have to end before a batch stops."""

from __future__ import annotations

import threading

__all__ = ["Interrupted", "checkpoint", "requested"]

#: set when the user asked to stop (the first Ctrl-C of a batch, SIGINT in a pool worker)
requested = threading.Event()


class Interrupted(KeyboardInterrupt):
    """Raised at a safe point after a stop was requested; the work in progress was dropped."""


def checkpoint() -> None:
    """Raise :class:`Interrupted` when a stop was requested."""
    if requested.is_set():
        raise Interrupted
