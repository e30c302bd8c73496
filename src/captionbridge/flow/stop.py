"""Ctrl-C at safe points. The first Ctrl-C of a batch sets :data:`requested` instead of
raising; the streaming path checks it between chunks, so one huge file does not have to end
before a batch stops; pool workers set it from their own handler."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

__all__ = ["Interrupted", "checkpoint", "deferred_ctrl_c", "request_on_signal", "requested"]

#: set when the user asked to stop (the first Ctrl-C of a batch, SIGINT in a pool worker)
requested = threading.Event()


class Interrupted(KeyboardInterrupt):
    """Raised at a safe point after a stop was requested; the work in progress was dropped."""


def checkpoint() -> None:
    """Raise :class:`Interrupted` when a stop was requested."""
    if requested.is_set():
        raise Interrupted


def request_on_signal(signum: int, frame: object) -> None:
    """A signal handler (pool workers' SIGINT) that requests a stop."""
    requested.set()


@contextlib.contextmanager
def deferred_ctrl_c(*, stop_streams: bool = False) -> Iterator[threading.Event]:
    """In the main thread, the first Ctrl-C sets the event this yields instead of raising (a
    KeyboardInterrupt could land between the creation of a temporary file and the code that
    removes it, or in the middle of a record being written); the handler then steps aside, so
    a second Ctrl-C interrupts. With ``stop_streams`` the first Ctrl-C also sets
    :data:`requested` (cleared again on the way out). Elsewhere the event is never set: only
    the main thread receives signals, an ignored Ctrl-C stays ignored, pool workers have
    :func:`request_on_signal`."""
    event = threading.Event()
    previous = signal.getsignal(signal.SIGINT)
    if (
        threading.current_thread() is not threading.main_thread()
        or previous == signal.SIG_IGN
        or previous == request_on_signal
    ):
        yield event
        return
    restore = previous if previous is not None else signal.SIG_DFL

    def stop(signum: int, frame: object) -> None:
        event.set()
        if stop_streams:
            requested.set()
        signal.signal(signal.SIGINT, restore)

    if stop_streams:
        requested.clear()
    signal.signal(signal.SIGINT, stop)
    try:
        yield event
    finally:
        signal.signal(signal.SIGINT, restore)
        if stop_streams:
            requested.clear()
