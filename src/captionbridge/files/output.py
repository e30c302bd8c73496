"""Writing files so that a failure never leaves half a file or destroys an earlier one.

Each file is written to a temporary file in the target directory and then moved into place in
one step. Without ``force`` an existing file is never replaced, even by a race.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from ..errors import CaptionbridgeError, OutputExistsError
from ..model import Note

__all__ = [
    "check_writable",
    "commit_temp",
    "open_temp",
    "remove_stale_parts",
    "stale_notes",
    "write_atomic",
]


def check_writable(paths: Iterable[Path], *, force: bool, source: str | None = None) -> list[Path]:
    """Fail before anything is written when an output exists and ``force`` is off, or when an
    output is the input file ``source`` itself (even with ``force``: it would be lost).

    Returns the temporary files left beside the outputs by killed runs, which it removes (see
    :func:`remove_stale_parts`)."""
    input_id = _file_id(source)
    removed: list[Path] = []
    for path in paths:
        removed += remove_stale_parts(path.parent)
        try:
            info = os.stat(path)  # one system call for every question
        except OSError:
            continue  # missing (or unreachable: writing will say why)
        if stat.S_ISDIR(info.st_mode):
            raise CaptionbridgeError("is a directory, not a file", source=str(path))
        if input_id is not None and (info.st_dev, info.st_ino) == input_id:
            raise CaptionbridgeError(
                "is the input file; refusing to write over it (choose another output name)",
                source=str(path),
            )
        if not force:
            raise OutputExistsError("exists; use --force to overwrite it", source=str(path))
    return removed


def _file_id(source: str | None) -> tuple[int, int] | None:
    if not source or source.startswith("<") or "://" in source:
        return None
    try:
        info = os.stat(source)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


_PART = re.compile(r"^\..+\.(\d+)-\d+\.part$")
#: folders already swept by this process (each is looked at once)
_SWEPT: set[str] = set()


def remove_stale_parts(folder: Path) -> list[Path]:
    """Remove the ``.<name>.<pid>-<n>.part`` files in ``folder`` whose process is gone (a run
    killed with ``kill -9`` or a power cut leaves them); return what was removed. Each folder is
    looked at once per process; a part file of a live process, or of another user's, stays."""
    if str(folder) in _SWEPT:  # as given: no getcwd() per file to make it absolute
        return []
    key = os.path.abspath(folder)
    seen = key in _SWEPT
    _SWEPT.update((key, str(folder)))
    if seen:
        return []
    removed = []
    try:
        names = [e.name for e in os.scandir(folder) if e.name.endswith(".part")]
    except OSError:
        return []
    for name in names:
        match = _PART.match(name)
        if match is None or int(match.group(1)) == os.getpid() or _alive(int(match.group(1))):
            continue
        path = folder / name
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def stale_notes(removed: Iterable[Path]) -> list[Note]:
    """One note per folder that :func:`remove_stale_parts` cleaned."""
    by_folder: dict[Path, int] = {}
    for path in removed:
        by_folder[path.parent] = by_folder.get(path.parent, 0) + 1
    return [
        Note(f"removed {count} temporary file(s) left by a killed run", str(folder))
        for folder, count in by_folder.items()
    ]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError, OSError):
        return True  # another user's process, or a number we cannot ask about: keep its file
    return True


def write_atomic(path: Path, data: bytes, *, force: bool = False, durable: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    ``durable`` flushes the data to the disk before the rename (survives a power cut); batch
    jobs turn it off for speed: the rename alone already guarantees that an interrupted run
    leaves no partial file.

    With ``force``, a regular file that holds ``data`` already is left in place, only its
    modification time renewed: replacing it would free its blocks for nothing, which costs
    more than writing a new file on a disk that discards freed blocks (issue 20)."""
    if force and _holds(path, data):
        return
    fd, temp = open_temp(path)
    try:
        try:
            _write_all(fd, data)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        commit_temp(temp, path, force=force)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(exc, OSError):
            raise CaptionbridgeError(
                f"cannot write: {exc.strerror or exc}", source=str(path)
            ) from None
        raise


def _write_all(fd: int, data: bytes) -> None:
    # os.write, not a buffered file object: 3 system calls fewer a file
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _holds(path: Path, data: bytes) -> bool:
    """Whether ``path`` is a regular file, with no other link, whose bytes are ``data`` (then
    its modification time is renewed, as a rewrite would)."""
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1 or info.st_size != len(data):
            return False
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
        try:
            if not _reads_as(fd, data):
                return False
        finally:
            os.close(fd)
        os.utime(path)
    except OSError:
        return False  # writing it says why, if it fails
    return True


#: bytes of an existing output compared at a time
_COMPARED = 1 << 20


def _reads_as(fd: int, data: bytes) -> bool:
    """Whether reading ``fd`` to its end gives ``data``, compared a megabyte at a time (the
    whole file read at once would sit beside ``data``: twice a big output at the peak)."""
    view = memoryview(data)
    for at in range(0, len(data), _COMPARED):
        if os.read(fd, _COMPARED) != view[at : at + _COMPARED]:
            return False  # a short read only costs a rewrite
    return os.read(fd, 1) == b""


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


_PID = [os.getpid()]  # one system call per process, not per file (renewed in a fork)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=lambda: _PID.__setitem__(0, os.getpid()))


def _mkstemp(path: Path) -> tuple[int, str]:
    # like tempfile.mkstemp, but named by process and counter instead of 8 random letters, and
    # created with the usual 0o666 & ~umask mode, so that no chmod is needed before the rename
    for _ in range(1000):
        name = os.path.join(path.parent, f".{path.name}.{_PID[0]}-{next(_TEMP_NUMBERS)}.part")
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
