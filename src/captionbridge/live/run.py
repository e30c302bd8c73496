"""One live run: input bytes → :class:`~.lines.LineSplitter` → :class:`~.engine.LiveEngine` →
every sink, until the input ends or the user stops it (Ctrl-C, SIGTERM).

Either way the end is the same: the open line is taken as ended, every pending cue becomes
final, each sink gets its last publish and is closed (the HLS playlist gets
``EXT-X-ENDLIST``). A sink that fails to write is reported and left out from then on; the
others go on.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence

from ..errors import CaptionbridgeError
from .engine import LiveEngine
from .follow import follow
from .lines import LineSplitter
from .sinks import LiveSink

__all__ = ["LiveRun", "stdin_chunks"]


def stdin_chunks(fd: int = 0, size: int = 64 * 1024, tick: float | None = None) -> Iterator[bytes]:
    """Standard input as it comes (each read returns what the pipe holds); with ``tick``, an
    empty ``b""`` each ``tick`` seconds without input."""
    while True:
        if tick is not None and not select.select([fd], [], [], tick)[0]:
            yield b""
            continue
        data = os.read(fd, size)
        if not data:
            return
        yield data


class LiveRun:
    """Feeds the engine and publishes to the sinks after each read."""

    def __init__(
        self,
        engine: LiveEngine,
        sinks: Sequence[LiveSink],
        report: Callable[[str], None],
        *,
        settle: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.settle = settle
        self.clock = clock
        self._heard = clock()  # when input last came
        self.sinks = list(sinks)
        self.report = report
        self.splitter = LineSplitter()
        self.failed = 0
        self.interrupted = False
        self._reading = True

    def run(self, source: str) -> None:
        """Read ``source`` (a path to follow, or ``-`` for standard input) to its end or until
        interrupted, then finish every output.

        Ctrl-C stops a read at once; during a publish it only asks for the stop, which comes
        once the outputs are written (an interrupted rename would leave a temporary file)."""
        tick = None if self.settle is None else min(0.25, self.settle / 4)
        chunks: Iterable[bytes] = (
            stdin_chunks(tick=tick)
            if source == "-"
            else follow(source, self._restart, stop=self._stopped)
        )
        with _interrupts(self):
            try:
                for data in chunks:
                    self._reading = False
                    self.feed(data)
                    self._reading = True
                    if self.interrupted:
                        break
            except KeyboardInterrupt:
                self.interrupted = True
            finally:
                self._reading = False
                self.finish()

    def _stopped(self) -> bool:
        return self.interrupted

    def interrupt(self) -> None:
        """Stop the run: at once while it waits for input, else after the current publish."""
        self.interrupted = True
        if self._reading:
            raise KeyboardInterrupt

    def feed(self, data: bytes) -> None:
        """Take bytes of input (``b""`` when a wait for input timed out); publish when they
        changed anything. With ``settle``, input quiet for that long makes ended lines final."""
        if not data:
            if self.settle is not None and self.clock() - self._heard >= self.settle:
                self.engine.settle()
                if self.engine.changed:
                    self.publish()
            return
        self._heard = self.clock()
        for version in self.splitter.feed(data):
            self.engine.handle(version)
        if self.engine.changed:
            self.publish()

    def finish(self) -> None:
        """End the input: everything becomes final, each sink is published to and closed."""
        for version in self.splitter.feed(b"", final=True):
            self.engine.handle(version)
        self.engine.finish()
        self.publish()
        for sink in self.sinks:
            try:
                sink.close()
            except (CaptionbridgeError, OSError) as exc:
                self._failed(sink, exc)

    def publish(self) -> None:
        """Hand the engine's news to every sink."""
        finalised, pending = self.engine.take()
        for sink in list(self.sinks):
            try:
                sink.publish(finalised, pending)
            except (CaptionbridgeError, OSError) as exc:
                self._failed(sink, exc)

    def _failed(self, sink: LiveSink, exc: Exception) -> None:
        self.failed += 1
        self.report(f"captionbridge: an output failed and is left out from now on: {exc}")
        if sink in self.sinks:
            self.sinks.remove(sink)

    def _restart(self, why: str) -> None:
        for version in self.splitter.feed(b"", final=True):
            self.engine.handle(version)
        self.splitter.reset()
        self.report(f"captionbridge: {why}")
        self.engine.restart(why)
        self.publish()


@contextlib.contextmanager
def _interrupts(run: LiveRun) -> Iterator[None]:
    """Ctrl-C (and SIGTERM) go to :meth:`LiveRun.interrupt` while the run lasts."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        run.interrupt()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
