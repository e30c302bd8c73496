"""Reading a file that keeps growing, as ``tail -f`` does, from its first byte.

:func:`follow` yields the bytes as they are appended. When the file is replaced (a new inode
at its path: log rotation, or a producer that writes a new file and renames it into place) the
rest of the old file is read, then the new one from its start; when it shrinks (truncated to
be written again) it is read again from its start. Both are told to ``on_restart`` with the
reason, so the caller can say so and start a new chunk of times.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator

__all__ = ["follow"]

READ_SIZE = 64 * 1024


def follow(
    path: str,
    on_restart: Callable[[str], None],
    *,
    poll: float = 0.05,
    stop: Callable[[], bool] = lambda: False,
) -> Iterator[bytes]:
    """The bytes of ``path`` as they come, and ``b""`` after each wait that brought nothing;
    ends only when ``stop()`` turns true (or the caller stops iterating). A missing file is
    waited for."""
    fd = _open(path, poll, stop)
    if fd is None:
        return
    position = 0
    try:
        while not stop():
            data = os.read(fd, READ_SIZE)
            if data:
                position += len(data)
                yield data
                continue
            try:
                now = os.stat(path)
            except FileNotFoundError:
                time.sleep(poll)  # between the removal of the old file and the new one
                continue
            mine = os.fstat(fd)
            if (now.st_ino, now.st_dev) != (mine.st_ino, mine.st_dev):
                os.close(fd)
                fd = _open(path, poll, stop)
                if fd is None:
                    return
                position = 0
                on_restart(f"{path} was replaced (rotated): reading the new file from its start")
            elif mine.st_size < position:
                os.lseek(fd, 0, os.SEEK_SET)
                position = 0
                on_restart(f"{path} was truncated: reading it again from its start")
            else:
                time.sleep(poll)
                yield b""  # nothing new: the caller may act on a quiet input
    finally:
        if fd is not None:
            os.close(fd)


def _open(path: str, poll: float, stop: Callable[[], bool]) -> int | None:
    while not stop():
        try:
            return os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            time.sleep(poll)
    return None
