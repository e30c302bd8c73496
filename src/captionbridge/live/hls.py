"""The live HLS sink: WebVTT segments of a fixed length and a subtitle playlist that grows.

Segment ``i`` covers ``[i * s, (i + 1) * s)`` seconds of cue time and holds every final cue
shown during it (a cue that crosses a boundary is repeated, as HLS asks). A segment is written
once, when no cue can touch it any more: the stream has moved past its end (the start of the
last final cue is later, or ``floor()``, the time before which the engine says no cue will
start, is). Each segment starts with ``X-TIMESTAMP-MAP=MPEGTS:<ticks>,
LOCAL:00:00:00.000``, which puts cue time 0 at that MPEG-TS time of the video.

The playlist (``<stem>.m3u8``) is rewritten, in one rename, after each new segment: an
``EVENT`` playlist that keeps every segment, or with ``window`` a sliding one of the last
``window`` segments (``EXT-X-MEDIA-SEQUENCE`` counts the ones dropped, whose files are deleted
once they have been out of the playlist for another window). :meth:`HlsSink.close` writes the
rest and ``EXT-X-ENDLIST``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..files.output import check_writable, write_atomic
from ..host.registry import PluginHost
from ..model import Cue
from ..specs import WriterSpec
from .sinks import render_cues

__all__ = ["DEFAULT_MPEGTS", "HLS_STEM", "HlsSink"]

DEFAULT_MPEGTS = 900_000  # 10 s at the 90 kHz MPEG-TS clock, where streams usually start
#: the name of the playlist (``live.m3u8``) and of the segments (``live-<i>.vtt``)
HLS_STEM = "live"


class HlsSink:
    """Live HLS subtitles in ``folder``: ``<stem>.m3u8`` and ``<stem>-<i>.vtt``.

    ``floor`` (optional) tells the time before which no cue is to come (the engine's
    :attr:`~.engine.LiveEngine.floor`); without it, the start of the last final cue is used."""

    def __init__(
        self,
        folder: Path,
        writer: WriterSpec,
        host: PluginHost,
        options: Mapping[str, Any],
        *,
        seconds: int = 6,
        window: int | None = None,
        mpegts: int | None = DEFAULT_MPEGTS,
        stem: str = HLS_STEM,
        force: bool = False,
        floor: Callable[[], int] | None = None,
    ) -> None:
        if seconds <= 0:
            raise ValueError("segment length must be above 0 seconds")
        self.folder, self.writer, self.host, self.options = folder, writer, host, options
        self.seconds, self.window, self.mpegts, self.stem = seconds, window, mpegts, stem
        self.playlist = folder / f"{stem}.m3u8"
        self.floor = floor
        check_writable([self.playlist], force=force)
        self._cues: list[Cue] = []  # final cues that may still touch an unwritten segment
        self._next = 0  # the next segment to write
        self._horizon = 0  # no cue to come starts before this (milliseconds)
        self._ended = False
        self.folder.mkdir(parents=True, exist_ok=True)
        self._write_playlist()

    def segment_name(self, index: int) -> str:
        """The file name of segment ``index``."""
        return f"{self.stem}-{index}.vtt"

    def publish(self, finalised: Sequence[Cue], pending: Sequence[Cue]) -> None:
        """Keep the new final cues; write every segment the stream has moved past."""
        self._cues.extend(finalised)
        if finalised:
            self._horizon = max(self._horizon, finalised[-1].start)
        if self.floor is not None:
            self._horizon = max(self._horizon, self.floor())
        span = self.seconds * 1000
        wrote = False
        while (self._next + 1) * span <= self._horizon:
            self._write_segment(self._next)
            wrote = True
        if wrote:
            self._write_playlist()

    def close(self) -> None:
        """Write the segments up to the last cue's end and end the playlist."""
        last_end = max((cue.end for cue in self._cues), default=0)
        span = self.seconds * 1000
        while self._next * span < last_end or self._next == 0:
            self._write_segment(self._next)
        self._ended = True
        self._write_playlist()

    def _write_segment(self, index: int) -> None:
        span = self.seconds * 1000
        begin, end = index * span, (index + 1) * span
        shown = [cue for cue in self._cues if cue.start < end and cue.end > begin]
        text = render_cues(shown, self.writer, self.host, self.options).decode("utf-8")
        if self.mpegts is not None:
            head, _, rest = text.partition("\n")
            text = f"{head}\nX-TIMESTAMP-MAP=MPEGTS:{self.mpegts},LOCAL:00:00:00.000\n{rest}"
        write_atomic(
            self.folder / self.segment_name(index), text.encode("utf-8"), force=True, durable=False
        )
        self._cues = [cue for cue in self._cues if cue.end > end]
        self._next = index + 1
        if self.window is not None:
            gone = index - 2 * self.window  # out of the playlist for a window already
            if gone >= 0:
                with contextlib.suppress(OSError):
                    (self.folder / self.segment_name(gone)).unlink()

    def _write_playlist(self) -> None:
        first = 0 if self.window is None else max(0, self._next - self.window)
        lines = [
            "#EXTM3U",
            "#EXT-X-VERSION:3",
            f"#EXT-X-TARGETDURATION:{self.seconds}",
            f"#EXT-X-MEDIA-SEQUENCE:{first}",
        ]
        if self.window is None:
            lines.append("#EXT-X-PLAYLIST-TYPE:EVENT")
        for index in range(first, self._next):
            lines += [f"#EXTINF:{self.seconds:.3f},", self.segment_name(index)]
        if self._ended:
            lines.append("#EXT-X-ENDLIST")
        write_atomic(
            self.playlist, ("\n".join(lines) + "\n").encode("ascii"), force=True, durable=False
        )
