"""Reading and writing batch files on local disks or through fsspec URLs (``s3://``, ``gs://``,
``memory://``, ``file://``...).

Local paths take a fast path (plain ``open`` and :func:`captionbridge.files.output.write_atomic`);
fsspec is imported only when a URL is used. Writes to a local file system reached through a
``file://`` URL are atomic too; object stores make each upload atomic themselves.
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import CaptionbridgeError, OutputExistsError, SetupError
from .output import check_writable, write_atomic

__all__ = [
    "STREAM_LIMIT",
    "exists",
    "filesystem",
    "is_url",
    "join",
    "read_bytes",
    "read_stream",
    "sibling",
    "write_bytes",
]

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")

StorageOptions = Mapping[str, Any]


def is_url(path: str) -> bool:
    """True for ``protocol://...`` (a Windows drive ``C:\\`` is not a URL)."""
    return _URL.match(path) is not None


def join(base: str, relative: str) -> str:
    """``base`` / ``relative`` for local paths and URLs alike (``relative`` uses ``/``)."""
    if is_url(base):
        return posixpath.join(base, relative) if relative else base
    return str(Path(base, relative)) if relative else base


def sibling(path: str, name: str) -> str:
    """``name`` (relative, with ``/``) in the folder of ``path``, a local path or a URL."""
    folder = posixpath.dirname(path) if is_url(path) else os.path.dirname(path)
    return join(folder, name)


def filesystem(url: str, storage_options: StorageOptions | None = None) -> tuple[Any, str]:
    """The fsspec file system of a URL and the path inside it."""
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        raise SetupError(
            "URLs need fsspec: pip install 'captionbridge[cluster]'", source=url
        ) from None
    try:
        fs, path = url_to_fs(url, **dict(storage_options or {}))
    except ImportError as exc:  # the protocol's back end (s3fs, gcsfs...) is not installed
        raise SetupError(f"cannot open: {exc}", source=url) from None
    except ValueError as exc:
        raise CaptionbridgeError(f"cannot open: {exc}", source=url) from None
    return fs, str(path)


def _local_path(fs: Any, path: str) -> Path | None:
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    return Path(path) if protocol in ("file", "local") else None


def read_bytes(path: str, storage_options: StorageOptions | None = None) -> bytes:
    """The content of a local file or a URL; a missing or unreadable one is a clear error."""
    try:
        if not is_url(path):
            return _read_local(path)
        fs, inner = filesystem(path, storage_options)
        return bytes(fs.cat_file(inner))
    except FileNotFoundError:
        raise CaptionbridgeError("no such file", source=path) from None
    except IsADirectoryError:
        raise CaptionbridgeError("is a directory", source=path) from None
    except OSError as exc:
        raise CaptionbridgeError(f"cannot read: {exc.strerror or exc}", source=path) from None


def _read_local(path: str) -> bytes:
    # os calls instead of open(): a buffered file object costs five more system calls (fstat,
    # isatty, two lseeks, fstat), which shows when a batch reads thousands of small files
    fd = os.open(path, _READ_FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
            with open(fd, "rb", closefd=False) as handle:
                return read_stream(handle, path)  # a device or a pipe: no size to trust
        size = info.st_size
        if size >= _READ_AT_ONCE:
            with open(fd, "rb", closefd=False) as handle:  # big: read into one buffer
                return handle.read()
        data = os.read(fd, size + 1)  # a directory raises IsADirectoryError here
        if len(data) == size:
            return data  # asked for one byte more than the size and got the size: the end
        chunks = [data]  # the size was wrong (grown, shrunk, /proc, a pipe): read to the end
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


_READ_AT_ONCE = 1 << 26  # one read() call returns at most 2 GiB on Linux

#: The most a pipe, a device or standard input may hold: such input cannot be streamed in
#: chunks (a regular file of any size can), and ``/dev/zero`` never ends.
STREAM_LIMIT = 1 << 28


def read_stream(handle: BinaryIO, source: str, limit: int = STREAM_LIMIT) -> bytes:
    """Everything ``handle`` holds, up to ``limit`` bytes; more is a clear error (nothing
    beyond the limit is read)."""
    chunks = []
    total = 0
    while chunk := handle.read(min(1 << 20, limit + 1 - total)):
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise CaptionbridgeError(
                f"input from a pipe or device holds more than {limit >> 20} MiB; save it to a"
                " file first (files of any size are converted)",
                source=source,
            )
    return b"".join(chunks)


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def exists(path: str, storage_options: StorageOptions | None = None) -> bool:
    """Whether a local file or a URL exists."""
    if not is_url(path):
        return Path(path).exists()
    fs, inner = filesystem(path, storage_options)
    return bool(fs.exists(inner))


def write_bytes(
    targets: list[tuple[str, bytes]],
    *,
    force: bool,
    durable: bool = True,
    storage_options: StorageOptions | None = None,
    source: str | None = None,
) -> list[Path]:
    """Write every ``(path, data)``; nothing is written when one of them exists without
    ``force`` or is the input file ``source``. Local files are written atomically (temporary
    file and rename), and flushed to the disk first when ``durable``. Returns the temporary
    files of killed runs removed on the way (see :func:`.output.check_writable`)."""
    local: list[tuple[Path, bytes]] = []
    remote: list[tuple[Any, str, str, bytes]] = []
    urls: dict[str, str] = {}  # a local file reached through a file:// URL -> that URL
    for path, data in targets:
        if not is_url(path):
            local.append((Path(path), data))
            continue
        fs, inner = filesystem(path, storage_options)
        on_disk = _local_path(fs, inner)
        if on_disk is not None:
            local.append((on_disk, data))
            urls[str(on_disk)] = path
        else:
            if not force and fs.exists(inner):
                raise OutputExistsError("exists; use --force to overwrite it", source=path)
            remote.append((fs, inner, path, data))
    try:
        removed = check_writable([p for p, _ in local], force=force, source=source)
        for target, data in local:
            write_atomic(target, data, force=force, durable=durable)
    except CaptionbridgeError as exc:
        exc.source = urls.get(exc.source or "", exc.source)  # named as the user named it
        raise
    for fs, inner, path, data in remote:
        try:
            parent = posixpath.dirname(inner)
            if parent:
                fs.makedirs(parent, exist_ok=True)
            # an object store has no rename: one put of the whole object is its atomic write
            # (the object appears whole or not at all, an earlier one stays until then)
            fs.pipe_file(inner, data)
        except OSError as exc:
            raise CaptionbridgeError(f"cannot write: {exc.strerror or exc}", source=path) from None
    return removed
