"""Which files a batch converts, and where each one's outputs go.

Arguments are files, directories or glob patterns (local paths or fsspec URLs). A directory
yields the files whose extension a registered reader declares, hidden files excluded; with
``recursive`` its sub-folders too. Each file keeps its path relative to its directory argument
(or to the fixed prefix of its glob), and that relative path is mirrored under the output folder.
A name that would lead outside the output folder is refused; symbolic links that lead out of
the tree are skipped unless ``follow_symlinks``; the same file named twice is converted once.
"""

from __future__ import annotations

import glob
import os
import posixpath
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..files import fsio

__all__ = ["Job", "Plan", "Rejected", "discover", "has_magic"]

_MAGIC = re.compile(r"[*?[]")
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class Job:
    """One file to convert: ``source`` to read, ``dest`` its outputs' path without extension."""

    source: str
    dest: str


@dataclass(frozen=True)
class Rejected:
    """A file that will not be converted: ``skipped`` ones are not failures."""

    source: str
    reason: str
    skipped: bool = False


@dataclass
class Plan:
    """The jobs of a batch in a stable order, plus the files refused on the way."""

    jobs: list[Job]
    rejected: list[Rejected]


def has_magic(argument: str) -> bool:
    """True when the argument is a glob pattern."""
    return _MAGIC.search(argument) is not None


def _unsafe(relative: str) -> bool:
    parts = re.split(r"[/\\]", relative)
    return (
        relative.startswith(("/", "\\"))
        or _DRIVE.match(relative) is not None
        or any(part in ("", ".", "..") for part in parts)
    )


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _stem(name: str) -> str:
    return name.rsplit(".", 1)[0] or name


class _Finder:
    def __init__(
        self,
        extensions: Iterable[str],
        out_dir: str | None,
        recursive: bool,
        follow_symlinks: bool,
        storage_options: Mapping[str, Any] | None,
    ) -> None:
        self.extensions = tuple(e.lower() for e in extensions)
        self.out_dir = out_dir
        self.out_real = (
            os.path.realpath(out_dir) if out_dir is not None and not fsio.is_url(out_dir) else None
        )
        self.recursive = recursive
        self.follow = follow_symlinks
        self.storage_options = storage_options
        self.jobs: list[Job] = []
        self.rejected: list[Rejected] = []
        self._seen: dict[str, str] = {}  # real input -> first source
        self._dests: dict[str, str] = {}  # dest -> source
        self._real_dirs: dict[str, str] = {}  # folder -> its real path (thousands share few)

    def _real_dir(self, folder: str) -> str:
        real = self._real_dirs.get(folder)
        if real is None:
            real = self._real_dirs[folder] = os.path.realpath(folder)
        return real

    # -- adding found files -------------------------------------------------------------------

    def add(self, source: str, real: str, base: str, relative: str) -> None:
        """Plan ``source`` (found under ``base`` as ``relative``, ``/``-separated)."""
        if real in self._seen:
            return
        self._seen[real] = source
        if _unsafe(relative):
            self.rejected.append(Rejected(source, "unsafe file name: refused to write outside"))
            return
        folder, _, name = relative.rpartition("/")
        root = self.out_dir if self.out_dir is not None else base
        dest = fsio.join(fsio.join(root, folder), _stem(name))
        if self.out_real is not None and not _inside(
            self._real_dir(os.path.dirname(dest)), self.out_real
        ):
            self.rejected.append(Rejected(source, "output would be written outside the folder"))
            return
        other = self._dests.get(dest)
        if other is not None:
            self.rejected.append(Rejected(source, f"same output names as {other}"))
            return
        self._dests[dest] = source
        self.jobs.append(Job(source, dest))

    def wanted(self, name: str) -> bool:
        return not name.startswith(".") and name.lower().endswith(self.extensions)

    # -- local --------------------------------------------------------------------------------

    def local_argument(self, argument: str) -> None:
        if has_magic(argument):
            self.local_glob(argument)
            return
        try:
            mode = os.stat(argument).st_mode
        except OSError:
            self.rejected.append(Rejected(argument, "no such file or directory"))
            return
        if stat.S_ISDIR(mode):
            self.walk(argument, argument, "")
            return
        parent, name = os.path.split(argument)
        # a file named on the command line is usually one of many in few folders
        if os.path.islink(argument):
            real = os.path.realpath(argument)
        else:
            real = os.path.join(self._real_dir(parent or "."), name)
        self.add(argument, real, parent or ".", name)

    def local_glob(self, pattern: str) -> None:
        fixed = pattern[: _MAGIC.search(pattern).start()]  # type: ignore[union-attr]
        prefix = fixed[: fixed.rfind(os.sep) + 1] if os.sep in fixed else ""
        root_real = os.path.realpath(prefix or ".")
        matches = sorted(glob.glob(pattern, recursive=True))
        if not matches:
            self.rejected.append(Rejected(pattern, "matches no file"))
        for match in matches:
            relative = os.path.relpath(match, prefix or ".").replace(os.sep, "/")
            real = os.path.realpath(match)
            if self.out_real is not None and _inside(real, self.out_real):
                continue
            if not self.follow and not _inside(real, root_real):
                self.rejected.append(Rejected(match, "symbolic link leads outside", True))
            elif os.path.isdir(match):
                self.walk(match, prefix or ".", relative)
            elif os.path.isfile(match):
                self.add(match, real, prefix or ".", relative)

    def walk(self, top: str, base: str, prefix: str) -> None:
        top_real = os.path.realpath(top)
        visited = {top_real}
        stack = [(top, prefix)]
        while stack:
            directory, relative_dir = stack.pop()
            try:
                entries = sorted(os.scandir(directory), key=lambda e: e.name)
            except OSError as exc:
                self.rejected.append(Rejected(directory, f"cannot list: {exc.strerror or exc}"))
                continue
            subdirs = []
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                relative = f"{relative_dir}/{entry.name}" if relative_dir else entry.name
                link = entry.is_symlink()
                real = os.path.realpath(entry.path) if link else entry.path
                if link and not self.follow and not _inside(real, top_real):
                    if entry.is_dir() or self.wanted(entry.name):
                        self.rejected.append(
                            Rejected(entry.path, "symbolic link leads outside", True)
                        )
                    continue
                if entry.is_dir():
                    real = os.path.realpath(entry.path)
                    inside_out = self.out_real is not None and _inside(real, self.out_real)
                    # a link to a folder inside the tree is found through its real path anyway
                    followed = not link or (self.follow and not _inside(real, top_real))
                    if self.recursive and followed and not inside_out and real not in visited:
                        visited.add(real)
                        subdirs.append((entry.path, relative))
                elif entry.is_file() and self.wanted(entry.name):
                    self.add(entry.path, os.path.realpath(entry.path), base, relative)
            stack.extend(reversed(subdirs))

    # -- URLs ---------------------------------------------------------------------------------

    def url_argument(self, argument: str) -> None:
        fs, inner = fsio.filesystem(argument, self.storage_options)
        if has_magic(inner):
            fixed = inner[: _MAGIC.search(inner).start()]  # type: ignore[union-attr]
            root = fixed[: fixed.rfind("/")] if "/" in fixed else ""
            found = sorted(fs.glob(inner))
            if not found:
                self.rejected.append(Rejected(argument, "matches no file"))
            candidates = [(p, True) for p in found]
        elif fs.isdir(inner):
            root = inner.rstrip("/")
            depth = None if self.recursive else 1
            candidates = [(p, False) for p in sorted(fs.find(root, maxdepth=depth))]
        elif fs.exists(inner):
            root = posixpath.dirname(inner)
            candidates = [(inner, True)]
        else:
            self.rejected.append(Rejected(argument, "no such file or directory"))
            return
        base = fs.unstrip_protocol(root) if root else argument
        for path, explicit in candidates:
            relative = path[len(root) :].lstrip("/") if root else path
            parts = relative.split("/")
            if any(part.startswith(".") and part not in (".", "..") for part in parts):
                continue
            if not explicit and not self.wanted(posixpath.basename(path)):
                continue
            source = fs.unstrip_protocol(path)
            if self.out_dir is not None and source.startswith(self.out_dir.rstrip("/") + "/"):
                continue
            self.add(source, source, base, relative)


def discover(
    arguments: Iterable[str],
    *,
    extensions: Iterable[str],
    out_dir: str | None = None,
    recursive: bool = False,
    follow_symlinks: bool = False,
    storage_options: Mapping[str, Any] | None = None,
) -> Plan:
    """Expand files, directories and globs into the jobs of a batch.

    ``extensions`` are the endings a directory's files must have (the readers' extensions).
    Files given by name or matched by a glob are taken whatever their extension.
    """
    finder = _Finder(extensions, out_dir, recursive, follow_symlinks, storage_options)
    for argument in arguments:
        if fsio.is_url(argument):
            finder.url_argument(argument)
        else:
            finder.local_argument(argument)
    return Plan(finder.jobs, finder.rejected)
