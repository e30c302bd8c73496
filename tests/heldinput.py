"""Inputs and pipes that hold a conversion at a point the test chooses, so a signal lands on
an observed state (a file being read, a full pipe) instead of after a guessed delay."""

from __future__ import annotations

import array
import contextlib
import errno
import fcntl
import mmap
import os
import subprocess
import termios
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

#: what the held input holds once it is let through
HELD_TEXT = b"[00:00:01.000 --> 00:00:02.000]  held\n"


@contextlib.contextmanager
def held_fifo(path: Path) -> Iterator[Callable[[subprocess.Popen[Any]], None]]:
    """A FIFO input that blocks whoever converts it until the test lets it through: yields
    ``wait(process)``, which returns once a reader has it open; leaving the block writes
    :data:`HELD_TEXT` and closes it."""
    os.mkfifo(path)
    writer: list[int] = []

    def wait(process: subprocess.Popen[Any]) -> None:
        deadline = time.monotonic() + 120  # a safety net, not an assertion
        while not writer:
            try:  # without a reader, a non-blocking open for writing fails with ENXIO
                writer.append(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
            except OSError as exc:
                assert exc.errno == errno.ENXIO, exc
                assert process.poll() is None, process.communicate()
                assert time.monotonic() < deadline, "nothing opened the FIFO"
                time.sleep(0.005)

    try:
        yield wait
    finally:
        if writer:
            os.write(writer[0], HELD_TEXT)
            os.close(writer[0])


def wait_until_full(pipe: IO[bytes], process: subprocess.Popen[Any]) -> None:
    """Until the pipe is full: whoever writes more into it is blocked. (Linux fills a pipe
    page by page; a write that does not fit in what is left of the last page waits.)"""
    capacity = fcntl.fcntl(pipe, fcntl.F_GETPIPE_SZ) - mmap.PAGESIZE
    held = array.array("i", [0])
    deadline = time.monotonic() + 120  # a safety net, not an assertion
    while True:
        fcntl.ioctl(pipe, termios.FIONREAD, held)
        if held[0] >= capacity:
            return
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"the pipe holds only {held[0]} bytes"
        time.sleep(0.005)
