"""The SCC roll-up live sink: a Scenarist file for broadcast encoders that grows caption by
caption and is a complete, decodable file after every publish.

Each finalised cue is rendered alone by the SCC writer of the plugin host in roll-up mode (the
writer owns the 608 bytes, the 32-column wrapping and the speaker marks), and its lines are
spliced onto the file:

- the writer ends every caption with an Erase Displayed Memory (EDM) at the cue's end, which is
  right only when the next caption starts later. That EDM line stays the file's *tail*: the
  next publish keeps it when the next caption starts after it and drops it otherwise, as the
  writer does between the cues of one file;
- a caption whose painting would start before the previous caption's bytes are done is moved
  later, whole, to the first free frame (the writer does the same within one file).

The file is rewritten atomically after each publish (temporary file and rename): its committed
part is copied from the previous file in blocks and the new lines appended, so memory stays
bounded however long the stream runs; the sink keeps a few numbers and the tail line.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import CaptionbridgeError
from ..files.output import check_writable, commit_temp, open_temp
from ..flow.options import resolve_options
from ..flow.pipeline import produce
from ..helpers.render import last_turned
from ..helpers.timecode import frames_to_smpte, smpte_to_frames
from ..host.registry import PluginHost, default_host
from ..model import Content, Cue, Note, Transcript
from ..specs import ResolvedOptions

__all__ = ["RollUpSink"]

#: the host's writer this sink drives, and its mode option
WRITER = "scc"
MODE_OPTION = "scc_mode"
#: 608 frames run at 29.97 (or 30) fps; labels count 30 frames a second either way
LABEL_RATE = Fraction(30000, 1001)
HEADER = "Scenarist_SCC V1.0\n"
_BLOCK = 1 << 20


class RollUpSink:
    """Live sink writing an SCC roll-up file of ``rows`` (2 or 3) rows at ``path``.

    ``options`` are conversion options for the SCC writer (``start_timecode``,
    ``scc_drop_frame``, ``speaker_style``...), given or already resolved. An existing file is
    replaced only with ``force`` (the sink owns it from then on). ``report`` receives
    the writer's notes as ``path: warning: ...`` lines (a character it had to replace, a
    caption moved later). Pending cues are never written: broadcast roll-up shows final text
    only.
    """

    def __init__(
        self,
        path: Path,
        rows: int = 2,
        *,
        host: PluginHost | None = None,
        options: Mapping[str, Any] | None = None,
        force: bool = False,
        report: Callable[[str], None] | None = None,
    ) -> None:
        if rows not in (2, 3):
            raise CaptionbridgeError(f"SCC roll-up has 2 or 3 rows, not {rows!r}")
        self.path = Path(path)
        check_writable([self.path], force=force)
        self.rows = rows
        self._host = host if host is not None else default_host()
        self._writer = self._host.writer(WRITER)
        mode = {MODE_OPTION: f"rollup{rows}"}
        if isinstance(options, ResolvedOptions):  # resolved by the caller already
            self._options = ResolvedOptions({**options, **mode})
        else:
            self._options = resolve_options(self._host, {**(options or {}), **mode})
        self._report = report
        self._committed = len(HEADER)  # bytes of the file that no later publish changes
        self._tail: tuple[int, str] | None = None  # (frame, line) of the last caption's EDM
        self._painted = 1  # the first frame after the bytes written so far (never frame 0)
        self._drop: bool | None = None
        self._previous: Content | None = None  # the last cue with turns written
        self._closed = False
        self._rewrite([], force=force)

    def publish(self, finalised: Sequence[Cue], pending: Sequence[Cue]) -> None:
        """Append the finalised cues (``pending`` ones are not shown in roll-up)."""
        if self._closed:
            raise CaptionbridgeError("the SCC roll-up sink is closed", source=str(self.path))
        lines: list[str] = []
        try:
            for cue in finalised:
                lines += self._place(self._render(cue))
        finally:  # a cue the writer refuses (past 99 hours) keeps the ones before it
            if lines:
                self._rewrite(lines)

    def close(self) -> None:
        """Write the file a last time, flushed to the disk (its EDM ends the last caption)."""
        if not self._closed:
            self._rewrite([], durable=True)
            self._closed = True

    def _render(self, cue: Cue) -> list[tuple[int, str]]:
        """The writer's lines for one cue, as (frame, byte pairs), without the header."""
        notes: list[Note] = []
        text = produce(
            Transcript([cue]), self._writer, self._host, self._options, "live", notes,
            previous=self._previous,
        )  # fmt: skip
        self._previous = last_turned([cue], self._previous)
        if self._report is not None:
            for note in notes:
                self._report(f"{self.path}: warning: {note.message}")
        assert isinstance(text, str)
        lines = []
        for block in text.split("\n\n")[1:]:
            stamp, _, pairs = block.strip().partition("\t")
            if self._drop is None:
                self._drop = ";" in stamp
            lines.append((smpte_to_frames(stamp, LABEL_RATE), pairs))
        return lines

    def _place(self, lines: list[tuple[int, str]]) -> list[str]:
        """Settle the previous tail, move the cue's lines past the bytes already painted, and
        keep their EDM as the new tail; return the lines to commit."""
        if not lines:
            return []
        out = []
        first = lines[0][0]
        if self._tail is not None:
            end, line = self._tail
            if end < first:  # a gap: the previous caption is erased at its end
                out.append(line)
                self._painted = end + 2
        shift = max(0, self._painted - first)
        body, (end, edm) = lines[:-1], lines[-1]
        for frame, pairs in body:
            out.append(self._line(frame + shift, pairs))
            self._painted = frame + shift + len(pairs.split())
        end = max(end, self._painted)  # as the writer: the cue's end, or when painting is done
        self._tail = (end, self._line(end, edm))
        return out

    def _line(self, frame: int, pairs: str) -> str:
        return f"\n{frames_to_smpte(frame, LABEL_RATE, bool(self._drop))}\t{pairs}\n"

    def _rewrite(self, lines: list[str], *, durable: bool = False, force: bool = True) -> None:
        """Write committed part + ``lines`` + tail to a temporary file and move it into place."""
        added = "".join(lines).encode("ascii")
        tail = self._tail[1].encode("ascii") if self._tail else b""
        fd, temp = open_temp(self.path)
        try:
            with os.fdopen(fd, "wb") as out:
                self._copy_committed(out)
                out.write(added)
                out.write(tail)
                if durable:
                    out.flush()
                    os.fsync(out.fileno())
            commit_temp(temp, self.path, force=force)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                temp.unlink()
            if isinstance(exc, OSError):
                raise CaptionbridgeError(
                    f"cannot write: {exc.strerror or exc}", source=str(self.path)
                ) from None
            raise
        self._committed += len(added)

    def _copy_committed(self, out: BinaryIO) -> None:
        """Copy the committed bytes of the current file (the header on the first write)."""
        if self._committed == len(HEADER) and self._tail is None:
            out.write(HEADER.encode("ascii"))
            return
        left = self._committed
        with open(self.path, "rb") as previous:
            while left:
                block = previous.read(min(left, _BLOCK))
                if not block:
                    raise CaptionbridgeError(
                        "changed by another program while being written", source=str(self.path)
                    )
                out.write(block)
                left -= len(block)
