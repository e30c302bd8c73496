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
from ..helpers.render import last_turned
from ..host.registry import PluginHost
from ..model import Content, Cue, Note, Transcript
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
    previous: Content | None = None,
) -> bytes:
    """The bytes ``writer`` makes of ``cues``, as one chunk of a file (see
    :attr:`WriterSpec.stream`): ``first_cue`` cues came before it, the last of them with turns
    being ``previous``; ``final`` if it ends the file."""
    part = Transcript(cues, source="<live>")
    files = render(
        part, writer, host, options, "live", notes, first_cue=first_cue, final=final,
        previous=previous,
    )  # fmt: skip
    return files[""]


class GrowingFileSink:
    """A caption file (SRT, WebVTT or any writer that can write in chunks) rewritten after each
    publish, in one rename, so that it is complete and valid whenever somebody reads it.

    The final cues but the last are rendered once, appended to a hidden
    ``.<name>.<pid>-<n>.part`` file beside the output, and copied (by the kernel where it can)
    into each new version; the last final cue and the pending ones follow them, rendered as the
    end of the file. Each version is byte for byte what a whole-file conversion of its cues
    would write: a writer marks the end of a file (JSON closes its document, SRT guards a last
    line of digits), and learns the last speaker shown from ``WriteContext.previous``. Memory
    stays the same however long the run: besides the last final cue, only the last one with
    speaker turns is kept."""

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
        self._count = 0  # final cues in the hidden file
        self._held: Cue | None = None  # the last final cue, written at the end of each version
        self._turns: Content | None = None  # the last cue with turns in the hidden file
        self._store_fd, self._store = open_temp(path)
        self._force = force
        self.writes = 0
        self.publish((), ())

    def publish(self, finalised: Sequence[Cue], pending: Sequence[Cue]) -> None:
        """Write the file again: the final cues so far, then the pending ones."""
        notes: list[Note] = []
        if finalised:
            done = [*([] if self._held is None else [self._held]), *finalised[:-1]]
            if done:
                chunk = self._render(done, final=False, notes=notes)
                _write_all(self._store_fd, chunk)
                self._count += len(done)
                self._turns = last_turned(done, self._turns)
            self._held = finalised[-1]
        tail = pending if self._held is None else [self._held, *pending]
        self._replace(self._render(tail, final=True, notes=notes))
        for note in notes:
            if note.message not in self._said:
                self._said.add(note.message)
                self.report(f"{self.path}: warning: {note.message}")

    def _render(self, cues: Sequence[Cue], *, final: bool, notes: list[Note]) -> bytes:
        """``cues`` as the chunk after the hidden file's cues, whose last speaker it carries
        on from."""
        return render_cues(
            cues, self.writer, self.host, self.options, first_cue=self._count, final=final,
            notes=notes, previous=self._turns,
        )  # fmt: skip

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
