"""Writing files so that a failure never leaves half a file or destroys an earlier one.

Each file is written to a temporary file in the target directory and then moved into place in
one step. Without ``force`` an existing file is never replaced, even by a race.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from ..errors import CaptionbridgeError, OutputExistsError

__all__ = ["check_writable", "commit_temp", "open_temp", "write_atomic"]


def check_writable(paths: Iterable[Path], *, force: bool) -> None:
    """Fail before anything is written when an output exists and ``force`` is off."""
    for path in paths:
        try:
            mode = os.stat(path).st_mode  # one system call for both questions
        except OSError:
            continue  # missing (or unreachable: writing will say why)
        if stat.S_ISDIR(mode):
            raise CaptionbridgeError("is a directory, not a file", source=str(path))
        if not force:
            raise OutputExistsError("exists; use --force to overwrite it", source=str(path))


def write_atomic(path: Path, data: bytes, *, force: bool = False, durable: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    ``durable`` flushes the data to the disk before the rename (survives a power cut); batch
    jobs turn it off for speed: the rename alone already guarantees that an interrupted run
    leaves no partial file."""
    fd, temp = open_temp(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        commit_temp(temp, path, force=force)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(exc, OSError):
            raise CaptionbridgeError(
                f"cannot write: {exc.strerror or exc}", source=str(path)
            ) from None
        raise


def open_temp(path: Path) -> tuple[int, Path]:
    """Create the hidden ``.<name>.<process>-<counter>.part`` file beside ``path`` (and the
    folder when it is missing); return its descriptor and path. A killed run can leave one
    behind; it is never at the target path."""
    try:
        try:
            fd, temp_name = _mkstemp(path)
        except FileNotFoundError:  # the folder is made only when missing: batches write
            path.parent.mkdir(parents=True, exist_ok=True)  # thousands of files into few
            fd, temp_name = _mkstemp(path)
    except OSError as exc:
        raise CaptionbridgeError(f"cannot write: {exc.strerror or exc}", source=str(path)) from None
    return fd, Path(temp_name)


_TEMP_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_BINARY", 0)
)
_TEMP_NUMBERS = itertools.count()


def _mkstemp(path: Path) -> tuple[int, str]:
    # like tempfile.mkstemp, but named by process and counter instead of 8 random letters, and
    # created with the usual 0o666 & ~umask mode, so that no chmod is needed before the rename
    for _ in range(1000):
        name = os.path.join(path.parent, f".{path.name}.{os.getpid()}-{next(_TEMP_NUMBERS)}.part")
        try:
            return os.open(name, _TEMP_FLAGS, 0o666), name
        except FileExistsError:
            continue  # left by a killed run whose process number was the same
    raise FileExistsError(f"no free temporary name beside {path}")


def commit_temp(temp: Path, path: Path, *, force: bool) -> None:
    """Move the finished temporary file to ``path`` in one step (never over an existing file
    unless ``force``)."""
    if force:
        os.replace(temp, path)
    else:
        _move_no_clobber(temp, path)


def _move_no_clobber(temp: Path, path: Path) -> None:
    try:
        os.link(temp, path)
    except FileExistsError:
        raise OutputExistsError("exists; use --force to overwrite it", source=str(path)) from None
    except OSError:
        # file systems without hard links: check, then rename (a narrow race, but no loss)
        if path.exists():
            raise OutputExistsError(
                "exists; use --force to overwrite it", source=str(path)
            ) from None
        os.replace(temp, path)
        return
    temp.unlink()
