"""Live input lines → cues that are final and cues that may still change.

:class:`LiveEngine` takes the line versions of :mod:`.lines` one at a time and keeps the cues
that are not final yet (*pending*); :meth:`LiveEngine.take` hands out what became final since
the last call and what is pending now, which is what every :class:`~.sinks.LiveSink` is given.

The rules (docs/live.md has them for users):

- Each timed line is read by the bracket reader (every dialect it knows, speaker markers,
  special tokens), so a line means what it means in a batch conversion.
- A new version of a line replaces the cue of its earlier version (whisper.cpp ``stream``
  rewrites the line it is on). Outside a block, a cue is final once a later line starts.
- whisper.cpp ``stream`` with VAD prints ``### Transcription N START | t0 = T ms`` blocks whose
  times count from ``T`` and that transcribe the last seconds of audio again: at a block's
  start, the cues that start before ``T`` are final and the others become *stale*; each line of
  the block replaces the stale cues that start before it ends (a line that ends before the last
  final cue does is that cue heard again, and is left out), and the block's end drops the stale
  cues nobody replaced.
- Times that go back outside a block (a line that starts before the line above, or more
  than a second before it ended) start a new chunk: its times count from the end of the
  previous one, or from ``k * chunk_offset`` for the k-th chunk when ``chunk_offset`` is given.
- Text without any timestamp (whisper.cpp ``stream`` without VAD prints none) is timed by the
  clock: a line starts when it first appears and ends when it is ended. After a timed line, an
  untimed one continues the cue above, as in a batch conversion.
- A malformed line is reported with its place and skipped.
- Each cue goes through the pipeline's transforms on its own (clean, speakers, reflow, timing:
  SDH removal, speaker names, line breaking act live; nothing reaches back to final cues).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from dataclasses import replace as _replace

from ..errors import CaptionbridgeError, ParseError
from ..flow.pipeline import read_text, transform
from ..helpers.console import ConsoleLines
from ..host.registry import PluginHost
from ..model import Cue, Speaker, Transcript
from ..specs import Options, ReaderSpec
from .lines import Version

__all__ = ["LiveEngine"]

_BLOCK = re.compile(r"### Transcription (\d+) (START|END)\b(?: \| t0 = (\d+) ms)?")
_SPEAKER_TURN = "[SPEAKER_TURN]"
#: how long an untimed line lasts at least (milliseconds)
UNTIMED_MIN = 1000
#: a line that starts this much before the line above ended starts a new chunk (milliseconds)
GOES_BACK = 1000


@dataclass(slots=True)
class _Entry:
    """One input line's cue as it stands: its times and text after offsets, and the cues the
    transforms made of it."""

    line: int
    start: int
    end: int
    raw: str  # the line as read (continuation lines are appended to it)
    cues: tuple[Cue, ...]
    stale: bool = False
    turn_after: bool = False  # ends with [SPEAKER_TURN]: the next line is a new speaker
    complete: bool = False  # its line has ended
    lines: list[int] = field(default_factory=list)  # continuation lines joined to it


class LiveEngine:
    """Turns line versions into final and pending cues (see the module's docstring).

    ``report`` receives each warning as one ``source:line: message`` string; ``clock`` gives
    seconds (tests pass their own)."""

    def __init__(
        self,
        host: PluginHost,
        options: Options,
        reader: ReaderSpec,
        *,
        source: str = "<stdin>",
        report: Callable[[str], None] = lambda message: None,
        chunk_offset: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.host = host
        self.options = options
        self.reader = reader
        self._looks_timed = reader.guess or (lambda text, source: True)
        self.source = source
        self.report = report
        self.chunk_offset = chunk_offset
        self.clock = clock
        self.started = clock()
        self.speakers: dict[str, Speaker] = {}
        self.console = ConsoleLines()
        self.pending: list[_Entry] = []
        self._final: list[Cue] = []
        self._floor = 0  # the start of the last final cue: nothing may start before it
        self._block_t0: int | None = None
        self._offset = 0
        self._chunks = 0
        self._last_start: int | None = None  # of the last timed line, before offsets
        self._last_raw_end = 0
        self._last_end = 0  # the latest end seen, after offsets
        self._timed = False
        self._last_final: _Entry | None = None
        self._final_end = 0  # the latest end of a final cue
        self.changed = False
        self.finalised_count = 0

    # -- what the sinks get -------------------------------------------------------------------

    def take(self) -> tuple[list[Cue], list[Cue]]:
        """The cues that became final since the last call (in time order) and the pending ones."""
        final, self._final = self._final, []
        self.changed = False
        return final, [cue for entry in self.pending for cue in entry.cues]

    def finish(self) -> None:
        """The input ended (or was stopped): every pending cue is final."""
        self._finalise(len(self.pending))

    def settle(self) -> None:
        """The input has been quiet for a while (``live --settle``): the pending cues whose
        lines have ended are final (from the first, up to one whose line is still open)."""
        done = next((i for i, e in enumerate(self.pending) if not e.complete), len(self.pending))
        self._finalise(done)
        # what comes later starts after what was settled, so that outputs of fixed time slices
        # (HLS segments) may be written up to its end
        later = min((entry.start for entry in self.pending), default=self._final_end)
        self._floor = max(self._floor, min(self._final_end, later))

    @property
    def floor(self) -> int:
        """No cue to come starts before this time (milliseconds)."""
        return self._floor

    def restart(self, why: str) -> None:
        """The input starts over (a followed file was truncated or replaced): what is pending is
        final, and times may start again from zero (a new chunk)."""
        self.finish()
        self._block_t0 = None
        if self._last_start is not None:
            self._new_chunk(None, why)

    # -- input ----------------------------------------------------------------------------------

    def handle(self, version: Version) -> None:
        """Take one line version."""
        text = version.text
        if not text:
            return
        block = _BLOCK.match(text) if text.startswith("###") else None
        if block is not None:
            if version.complete:
                self._block(block)
            return
        if self._looks_timed(text, self.source):
            self._timed_line(version)
        elif self.console.take(text, version.line):
            return
        elif self._timed:
            self._continuation(version)
        else:
            self._untimed_line(version)

    def _block(self, match: re.Match[str]) -> None:
        if match.group(2) == "START":
            t0 = int(match.group(3) or 0)
            keep = next((i for i, e in enumerate(self.pending) if e.start >= t0), len(self.pending))
            self._finalise(keep)
            for entry in self.pending:
                entry.stale = True
            self._block_t0 = t0
        else:
            before = len(self.pending)
            self.pending = [entry for entry in self.pending if not entry.stale]
            self.changed |= len(self.pending) != before
            self._block_t0 = None

    def _timed_line(self, version: Version) -> None:
        existing = self._entry_of(version.line)
        cue = self._read(version.text, version)
        if cue is None:
            if existing is not None and version.complete:
                self._drop(existing)  # revised into nothing (a special token only)
            return
        start, end = cue.start, cue.end
        if self._block_t0 is not None:
            start, end = start + self._block_t0, end + self._block_t0
        else:
            if existing is None and self._goes_back(start):
                self._new_chunk(version.line, f"times go back to {_clock(start)}")
            if existing is None:
                self._last_start, self._last_raw_end = start, end
            start, end = start + self._offset, end + self._offset
        self._timed = True
        self._place(version, cue, start, end, version.text, existing)

    def _untimed_line(self, version: Version) -> None:
        now = int((self.clock() - self.started) * 1000)
        existing = self._entry_of(version.line)
        start = existing.start if existing is not None else max(now, self._floor)
        end = max(now, start + UNTIMED_MIN)
        line = f"[{start / 1000:.3f}s -> {end / 1000:.3f}s] {version.text}"
        cue = self._read(line, version)
        if cue is not None:
            self._place(version, cue, start, end, line, existing)

    def _continuation(self, version: Version) -> None:
        if not version.complete:
            return  # joined once it is whole
        target = self.pending[-1] if self.pending else None
        if target is None:
            self.report(
                f"{self.source}:{version.line}: warning: text after a final cue, skipped:"
                f" {version.text[:60]!r}"
            )
            return
        cue = self._read(f"{target.raw}\n{version.text}", version)
        if cue is None:
            return
        target.raw = f"{target.raw}\n{version.text}"
        target.lines.append(version.line)
        target.cues = self.transform_cue(_replace(cue, start=target.start, end=target.end))
        self.changed = True

    # -- the pending list -----------------------------------------------------------------------

    def _place(
        self, version: Version, cue: Cue, start: int, end: int, raw: str, existing: _Entry | None
    ) -> None:
        start = max(start, self._floor)
        end = max(end, start)
        if existing is None:
            if self._block_t0 is not None:
                if end <= self._final_end and self._final_end > self._block_t0:
                    return  # the block heard a final cue again
                self.pending = [e for e in self.pending if not (e.stale and e.start < end)]
            else:
                self._finalise(len(self.pending))  # the stream moved past them
        else:
            self.pending.remove(existing)
        position = len(self.pending)
        while position and self.pending[position - 1].start > start:
            position -= 1
        before = self.pending[position - 1] if position else self._last_final
        cue = self._speaker_change(cue, before)
        entry = _Entry(version.line, start, end, raw, (), turn_after=_turn_after(raw))
        entry.complete = version.complete
        entry.cues = self.transform_cue(_replace(cue, start=start, end=end))
        self.pending.insert(position, entry)
        self._last_end = max(self._last_end, end)
        self.changed = True

    def _speaker_change(self, cue: Cue, before: _Entry | None) -> Cue:
        """Speaker markers that span lines: ``[SPEAKER_TURN]`` at the end of the line before,
        or a ``(speaker N)`` other than the one before."""
        first = cue.turns[0]
        previous = before.cues[-1].turns[-1].speaker if before and before.cues else None
        change = bool(before and before.turn_after) or (
            first.speaker is not None and previous is not None and first.speaker != previous
        )
        if change and not first.change:
            return _replace(cue, turns=(_replace(first, change=True), *cue.turns[1:]))
        return cue

    def _finalise(self, count: int) -> None:
        if count <= 0:
            return
        done, self.pending = self.pending[:count], self.pending[count:]
        cues = sorted((cue for entry in done for cue in entry.cues), key=lambda c: c.start)
        self._last_final = done[-1]
        if cues:
            self._final_end = max(self._final_end, max(cue.end for cue in cues))
            self._final.extend(cues)
            self._floor = max(self._floor, cues[-1].start)
            self.finalised_count += len(cues)
        self.changed = True

    def _drop(self, entry: _Entry) -> None:
        self.pending.remove(entry)
        self.changed = True

    def _entry_of(self, line: int) -> _Entry | None:
        for entry in reversed(self.pending):
            if entry.line == line:
                return entry
        return None

    def _goes_back(self, start: int) -> bool:
        """Whether a new line starting at ``start`` (its own time) starts a new chunk: before
        the line above started, or well before it ended."""
        if self._last_start is None:
            return False
        return start < self._last_start or start + GOES_BACK < self._last_raw_end

    def _new_chunk(self, line: int | None, why: str) -> None:
        self._chunks += 1
        if self.chunk_offset is not None:
            self._offset = self._chunks * self.chunk_offset
        else:
            self._offset = self._last_end
        where = self.source if line is None else f"{self.source}:{line}"
        self.report(
            f"{where}: warning: {why}: a new chunk, its times count from {_clock(self._offset)}"
        )
        self._last_start = None

    # -- reading and transforming one cue ------------------------------------------------------

    def _read(self, text: str, version: Version) -> Cue | None:
        try:
            transcript = read_text(text, self.source, self.host, self.options, self.reader.name)
        except ParseError as exc:
            if version.complete:  # an open line may be half written: wait for its end
                exc.source, exc.line = self.source, version.line + (exc.line or 1) - 1
                self.report(f"{exc} (skipped)")
            return None
        except CaptionbridgeError as exc:
            if version.complete:
                self.report(f"{self.source}:{version.line}: {exc.args[0]} (skipped)")
            return None
        for speaker_id, speaker in transcript.speakers.items():
            self.speakers.setdefault(speaker_id, speaker)
        return transcript.cues[-1] if len(transcript) else None

    def transform_cue(self, cue: Cue) -> tuple[Cue, ...]:
        single = Transcript([cue], speakers=self.speakers, source=self.source)
        try:
            return tuple(transform(single, self.host, self.options).cues)
        except CaptionbridgeError as exc:
            self.report(f"{self.source}: warning: a transform failed, cue kept as read: {exc}")
            return (cue,)


def _turn_after(raw: str) -> bool:
    return raw.rstrip().endswith(_SPEAKER_TURN)


def _clock(ms: int) -> str:
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"
