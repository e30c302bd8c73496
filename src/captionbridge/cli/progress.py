"""What a batch prints while it runs: a progress bar on a terminal, plain lines otherwise,
JSON records for scripts, and the closing summary.

A batch of thousands of files must not flood the terminal: the first warning of each kind is
printed where it happens, the repeats are counted and summed up at the end (one line per kind,
with the count and the first place); files that were not converted because their outputs exist
are one message with the way out (``--skip-existing``, ``--force``), not one error per file.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from typing import IO

from ..batch.run import NOT_STARTED, FileResult

__all__ = ["Reporter", "record"]


def record(result: FileResult) -> dict[str, object]:
    """The JSON record of one file."""
    return {
        "input": result.input,
        "outputs": list(result.outputs),
        "cues": result.cues,
        "warnings": [str(note) for note in result.notes],
        "error": result.error,
        "skipped": result.skipped,
    }


def json_line(document: dict[str, object]) -> str:
    """One JSON record and a newline. File names that are not valid UTF-8 (undecodable bytes
    kept as lone surrogates) are written as ``\\udcXX`` escapes, so the line stays valid JSON
    in UTF-8; everything else is written as it is."""
    line = json.dumps(document, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(document)
    return line + "\n"


#: numbers inside a message do not make it another kind of warning
_NUMBERS = re.compile(r"\d+(?:[.,]\d+)*")
_EXISTS = "exists; use --force to overwrite it"


def warning_kind(message: str) -> str:
    """What makes two warnings the same kind: their message with the numbers left out."""
    return _NUMBERS.sub("#", message)


@dataclass
class _Kind:
    """Warnings of one kind: how many, and the first one."""

    count: int
    where: str
    message: str


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds + 0.5), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Reporter:
    """Collects results chunk by chunk and tells the user.

    ``bar`` draws a one-line progress bar on ``err`` (a terminal); otherwise failures and
    warnings are printed as lines. ``as_json`` writes one JSON record per file to ``out``, in
    input order.
    """

    def __init__(
        self,
        total: int,
        *,
        err: IO[str] | None = None,
        out: IO[str] | None = None,
        bar: bool = False,
        warnings: bool = True,
        as_json: bool = False,
    ) -> None:
        self.total = total
        self.err = err or sys.stderr
        self.out = out or sys.stdout
        self.bar = bar
        self.warnings = warnings
        self.as_json = as_json
        self.done = 0
        self.cues = 0
        self.counts: Counter[str] = Counter()
        self.skip_reasons: Counter[str] = Counter()
        self.started = time.monotonic()
        self._drawn = 0.0
        self._pending: dict[int, list[FileResult]] = {}
        self._next = 0
        self.warning_count = 0
        self._kinds: dict[str, _Kind] = {}
        self._exists: list[str] = []

    def chunk(self, index: int, results: list[FileResult]) -> None:
        """Take the results of one chunk (chunks arrive in any order)."""
        for result in results:
            self.add(result)
        if self.as_json:
            self._pending[index] = results
            while self._next in self._pending:
                for result in self._pending.pop(self._next):
                    self.out.write(json_line(record(result)))
                self._next += 1
            self.out.flush()
        self.draw()

    def emit(self, results: list[FileResult]) -> None:
        """Write the JSON records still held back (chunks that came after one that never
        finished, when a run is interrupted), then those of results that came from no chunk
        (refused files): every file that was done gets its record."""
        for index in sorted(self._pending):
            for result in self._pending.pop(index):
                self.out.write(json_line(record(result)))
        for result in results:
            self.out.write(json_line(record(result)))
        self.out.flush()

    def add(self, result: FileResult) -> None:
        """Count one result and print its failure and warnings."""
        if result.skipped == NOT_STARTED:
            self.counts["not started"] += 1
            return
        self.done += 1
        self.cues += result.cues
        if result.error is not None:
            self.counts["failed"] += 1
            if result.error.endswith(_EXISTS):
                self._exists.append(result.error[: -len(_EXISTS)].rstrip(": "))
                if len(self._exists) == 1:
                    self.line(result.error)
            else:
                self.line(result.error)
        elif result.skipped is not None:
            self.counts["skipped"] += 1
            self.skip_reasons[result.skipped] += 1
        else:
            self.counts["converted"] += 1
        for note in result.notes:
            self.warning_count += 1
            where = f"{note.source or result.input}"
            where += f":{note.line}" if note.line is not None else ""
            kind = self._kinds.get(warning_kind(note.message))
            if kind is not None:
                kind.count += 1
                continue
            self._kinds[warning_kind(note.message)] = _Kind(1, where, note.message)
            if self.warnings:
                self.line(f"{where}: warning: {note.message}")

    def line(self, text: str) -> None:
        """Print a line (above the bar when there is one)."""
        if self.bar:
            self.err.write("\r\x1b[2K")
            self._drawn = 0.0
        self.err.write(text + "\n")

    def draw(self, *, final: bool = False) -> None:
        """Redraw the bar (at most ten times a second)."""
        if not self.bar:
            return
        now = time.monotonic()
        if not final and now - self._drawn < 0.1:
            return
        self._drawn = now
        elapsed = max(now - self.started, 1e-6)
        width = 24
        filled = width * self.done // max(self.total, 1)
        rate = self.done / elapsed
        eta = (self.total - self.done) / rate if rate > 0 else 0.0
        text = (
            f"[{'#' * filled}{'-' * (width - filled)}] {self.done}/{self.total} files"
            f"  {self.cues / elapsed:,.0f} cues/s  ETA {_clock(eta)}"
            f"  {self.counts['failed']} failed"
        )
        self.err.write("\r\x1b[2K" + text)
        self.err.flush()

    def summary(self, *, interrupted: bool = False) -> None:
        """Print the closing summary."""
        if self.bar:
            self.err.write("\r\x1b[2K")
        elapsed = time.monotonic() - self.started
        parts = [
            f"{self.counts['converted']} converted",
            f"{self.counts['skipped']} skipped",
            f"{self.counts['failed']} failed",
        ]
        if self.counts["not started"]:
            parts.append(f"{self.counts['not started']} not started")
        parts.append(f"{self.warning_count} warning{'' if self.warning_count == 1 else 's'}")
        head = "captionbridge: interrupted; " if interrupted else "captionbridge: "
        self.err.write(f"{head}{', '.join(parts)} in {elapsed:.1f} s\n")
        for reason, count in sorted(self.skip_reasons.items()):
            self.err.write(f"  skipped {count}: {reason}\n")
        if self._exists:
            self.err.write(
                f"  {len(self._exists)} file(s) not converted because an output exists (first:"
                f" {self._exists[0]}); --skip-existing leaves them, --force overwrites them\n"
            )
        if self.warnings:
            for kind in self._kinds.values():
                if kind.count > 1:
                    self.err.write(
                        f"  warning x{kind.count} (first {kind.where}): {kind.message}\n"
                    )
        if interrupted:
            self.err.write("  no partial files were left; run again with --skip-existing\n")
        self.err.flush()
