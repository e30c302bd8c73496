"""Where live cues go: the sink protocol and the caption files that grow cue by cue.

Every output of ``captionbridge live`` is a :class:`LiveSink`. After each batch of input the
engine calls :meth:`LiveSink.publish` with the cues that became final since the call before
(each exactly once, in time order) and all the cues that may still change; at the end it
publishes once more with everything final and calls :meth:`LiveSink.close`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from ..errors import CaptionbridgeError
from ..files.output import check_writable, commit_temp, open_temp
from ..flow.pipeline import render
from ..host.registry import PluginHost
from ..model import Cue, Note, Transcript
from ..specs import WriterSpec

__all__ = ["GrowingFileSink", "LiveSink", "render_cues"]


class LiveSink(Protocol):
    """An output of a live run."""

    def publish(self, finalised: Sequence[Cue], pending: Sequence[Cue]) -> None:
        """finalised: cues that became final since the previous call, each passed exactly once,
        in time order; pending: all cues not yet final (may be revised/replaced next call)."""

    def close(self) -> None:
        """Called once at the end, after a last publish that finalised everything."""


def render_cues(
    cues: Sequence[Cue],
    writer: WriterSpec,
    host: PluginHost,
    options: Mapping[str, Any],
    *,
    first_cue: int = 0,
    final: bool = True,
    notes: list[Note] | None = None,
) -> bytes:
    """The bytes ``writer`` makes of ``cues``, as one chunk of a file (see
    :attr:`WriterSpec.stream`): ``first_cue`` cues came before it, ``final`` if it ends the file."""
    part = Transcript(cues, source="<live>")
    files = render(part, writer, host, options, "live", notes, first_cue=first_cue, final=final)
    return files[""]


class GrowingFileSink:
    """A caption file (SRT, WebVTT or any writer that can write in chunks) rewritten after each
    publish, in one rename, so that it is complete and valid whenever somebody reads it.

    The final cues are rendered once, appended to a hidden ``.<name>.<pid>-<n>.part`` file
    beside the output, and copied (by the kernel where it can) into each new version; the
    pending cues follow them. Memory stays the same however long the run: of the final cues only
    the last is kept, so that the next chunk marks speakers as one whole file would (a
    ``NAME:`` label only where the speaker changes)."""

    def __init__(
        self,
        path: Path,
        writer: WriterSpec,
        host: PluginHost,
        options: Mapping[str, Any],
        *,
        force: bool = False,
        report: Callable[[str], None] = lambda message: None,
    ) -> None:
        if not writer.stream:
            raise CaptionbridgeError(
                f"the {writer.name} writer cannot write cue by cue", source=str(path)
            )
        check_writable([path], force=force)
        self.path, self.writer, self.host, self.options = path, writer, host, options
        self.report = report
        self._said: set[str] = set()
        self._count = 0  # final cues written
        self._last: Cue | None = None  # the last final cue written
        self._store_fd, self._store = open_temp(path)
        self._force = force
        self.writes = 0
        self.publish((), ())

    def publish(self, finalised: Sequence[Cue], pending: Sequence[Cue]) -> None:
        """Write the file again: the final cues so far, then the pending ones."""
        notes: list[Note] = []
        if finalised:
            done = self._render(finalised, self._count, not pending, notes)
            _write_all(self._store_fd, done)
            self._count += len(finalised)
            self._last = finalised[-1]
        if pending or not self._count:  # with no cue yet: the empty file (a header)
            tail = self._render(pending, self._count, True, notes)
        else:
            tail = b""
        self._replace(tail)
        for note in notes:
            if note.message not in self._said:
                self._said.add(note.message)
                self.report(f"{self.path}: warning: {note.message}")

    def _render(self, cues: Sequence[Cue], first: int, final: bool, notes: list[Note]) -> bytes:
        """The chunk of ``cues``, rendered after the last final cue and cut from its bytes, so
        that what a writer carries from cue to cue (the last speaker shown) carries over."""
        if self._last is not None and cues:
            lead = self._render_alone([self._last], first - 1, False, [])
            both = self._render_alone([self._last, *cues], first - 1, final, notes)
            if both.startswith(lead):
                return both[len(lead) :]
        return self._render_alone(cues, first, final, notes)

    def _render_alone(
        self, cues: Sequence[Cue], first: int, final: bool, notes: list[Note]
    ) -> bytes:
        return render_cues(
            cues, self.writer, self.host, self.options, first_cue=first, final=final, notes=notes
        )

    def _replace(self, tail: bytes) -> None:
        fd, temp = open_temp(self.path)
        try:
            with open(self._store, "rb") as store:
                _copy(store.fileno(), fd)
            _write_all(fd, tail)
            os.close(fd)
            fd = -1
            commit_temp(temp, self.path, force=self._force or self.writes > 0)
        except OSError as exc:
            raise CaptionbridgeError(
                f"cannot write: {exc.strerror or exc}", source=str(self.path)
            ) from None
        finally:
            if fd >= 0:
                os.close(fd)
            with contextlib.suppress(OSError):
                temp.unlink()  # moved into place when all went well
        self.writes += 1

    def close(self) -> None:
        """Drop the hidden file of final cues (the output holds them all by now)."""
        with contextlib.suppress(OSError):
            os.close(self._store_fd)
        with contextlib.suppress(OSError):
            self._store.unlink()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _copy(source: int, target: int) -> None:
    """Copy the whole file ``source`` to ``target``: inside the kernel where it can."""
    size = os.fstat(source).st_size
    copied = 0
    try:
        while copied < size:
            step = os.copy_file_range(source, target, size - copied)
            if step == 0:
                break
            copied += step
        if copied == size:
            return
    except (AttributeError, OSError):
        pass  # no copy_file_range here (or not between these files): copy through memory
    os.lseek(source, copied, os.SEEK_SET)
    with open(source, "rb", closefd=False) as src, open(target, "wb", closefd=False) as dst:
        shutil.copyfileobj(src, dst)
