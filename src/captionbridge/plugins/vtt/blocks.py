"""The WebVTT file parser of the W3C specification: signature, header, blocks, cue timings.

This module follows the specification's parsing algorithm ("WebVTT parser algorithm",
"collect a WebVTT block", "collect WebVTT cue timings and settings", "collect a WebVTT
timestamp") over lines: NUL becomes U+FFFD, CRLF and CR become LF, and every block is either a
cue, a style sheet, a region definition or nothing (a comment, stray text, a cue whose timing
line is invalid). What the specification drops silently is recorded here, so that the reader
can say what it skipped. Cue text is returned raw; :mod:`.cuetext` reads its markup.

Every step looks at each character a bounded number of times: the parser is linear in its
input whatever its shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

__all__ = [
    "MAX_HOURS",
    "Document",
    "RawCue",
    "Skipped",
    "normalise",
    "parse_document",
    "parse_timestamp",
    "parse_timings",
    "signature_ok",
    "timings_by_steps",
]

#: The largest hour a timestamp may have here. The specification sets no limit; a larger hour
#: is no real media time and breaks the formats downstream, so such a cue is skipped (reported).
MAX_HOURS = 9999

_DIGITS = re.compile(r"[0-9]*")
_SPACE = re.compile(r"[ \t\f]*")
# the timing lines writers produce, for a fast path; anything else takes the spec's steps
_STAMP = r"(?:([0-9]{1,4}):)?([0-5][0-9]):([0-5][0-9])\.([0-9]{3})"
_CANONICAL = re.compile(rf"[ \t\f]*{_STAMP}[ \t\f]*-->[ \t\f]*{_STAMP}(?:[ \t\f]+(.*))?")
_STYLE = re.compile(r"STYLE[ \t\n\f\r]*")
_REGION = re.compile(r"REGION[ \t\n\f\r]*")


class RawCue(NamedTuple):
    """A cue as the specification defines it: identifier, times (ms), settings and raw text."""

    id: str
    start: int
    end: int
    settings: str
    text: str
    line: int  # of the timing line, counted from 1


class Skipped(NamedTuple):
    """A block that is not a cue although it looks like one, and why."""

    line: int
    reason: str


@dataclass
class Document:
    """What a WebVTT file holds: its cues in file order, style sheets, region blocks, and the
    blocks the specification ignores (timing lines it rejects; text without a timing line)."""

    cues: list[RawCue] = field(default_factory=list)
    header: list[str] = field(default_factory=list)  # the lines after the signature line
    styles: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    bad_timings: list[Skipped] = field(default_factory=list)
    stray: list[Skipped] = field(default_factory=list)


def normalise(text: str) -> str:
    """The input as the specification's parser sees it: NUL replaced, LF line ends only."""
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def signature_ok(first_line: str) -> bool:
    """Whether a (normalised) first line is a valid WebVTT signature line."""
    line = first_line[1:] if first_line.startswith("\ufeff") else first_line
    return line.startswith("WEBVTT") and (len(line) == 6 or line[6] in " \t")


def _digits(line: str, pos: int) -> tuple[str, int]:
    """The ASCII digits at ``pos`` and the position after them."""
    match = _DIGITS.match(line, pos)
    assert match is not None  # [0-9]* always matches
    return match.group(), match.end()


def parse_timestamp(line: str, pos: int) -> tuple[int, int] | str:
    """Collect a WebVTT timestamp at ``pos``: ``(milliseconds, position after)``, or why not."""
    first, pos = _digits(line, pos)
    if not first:
        return "a timestamp must start with a digit"
    # hour digits are unbounded in the spec: look at their count before converting them
    hours_first = len(first) != 2 or int(first) > 59
    if line[pos : pos + 1] != ":":
        return f"expected ':' after {first[:20]!r}"
    second, pos = _digits(line, pos + 1)
    if len(second) != 2:
        return "minutes must have two digits"
    if hours_first or line[pos : pos + 1] == ":":
        if line[pos : pos + 1] != ":":
            return "expected ':' before the seconds"
        third, pos = _digits(line, pos + 1)
        if len(third) != 2:
            return "seconds must have two digits"
        hours, minutes, seconds = first, second, third
    else:
        hours, minutes, seconds = "0", first, second
    if line[pos : pos + 1] != ".":
        return "expected '.' and three digits of milliseconds"
    fraction, pos = _digits(line, pos + 1)
    if len(fraction) != 3:
        return "milliseconds must have three digits"
    if int(minutes) > 59 or int(seconds) > 59:
        return "minutes and seconds must be below 60"
    hours = hours.lstrip("0") or "0"
    if len(hours) > len(str(MAX_HOURS)) or int(hours) > MAX_HOURS:
        return f"hours beyond {MAX_HOURS}"
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(fraction), pos


def parse_timings(line: str) -> tuple[int, int, str] | str:
    """Collect WebVTT cue timings and settings: ``(start, end, settings)``, or why not."""
    match = _CANONICAL.fullmatch(line)
    if match is not None:  # the same answer as the steps below, sooner
        h1, m1, s1, f1, h2, m2, s2, f2, settings = match.groups()
        start = ((int(h1 or 0) * 60 + int(m1)) * 60 + int(s1)) * 1000 + int(f1)
        end = ((int(h2 or 0) * 60 + int(m2)) * 60 + int(s2)) * 1000 + int(f2)
        return start, end, settings or ""
    return timings_by_steps(line)


def timings_by_steps(line: str) -> tuple[int, int, str] | str:
    """:func:`parse_timings` by the specification's steps alone."""
    pos = _SPACE.match(line).end()  # type: ignore[union-attr]
    start = parse_timestamp(line, pos)
    if isinstance(start, str):
        return f"start time: {start}"
    pos = _SPACE.match(line, start[1]).end()  # type: ignore[union-attr]
    if line[pos : pos + 3] != "-->":
        return "expected '-->' after the start time"
    pos = _SPACE.match(line, pos + 3).end()  # type: ignore[union-attr]
    end = parse_timestamp(line, pos)
    if isinstance(end, str):
        return f"end time: {end}"
    return start[0], end[0], line[end[1] :].lstrip(" \t\f")


class _Parser:
    """One run of the algorithm over the lines of a normalised text."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.i = 1  # the signature line is behind us
        self.seen_cue = False
        self.doc = Document()

    def run(self) -> Document:
        lines, n = self.lines, len(self.lines)
        if self.i < n and lines[self.i] != "":
            self.block(in_header=True)
        while self.i < n:
            while self.i < n and lines[self.i] == "":
                self.i += 1
            if self.i < n:
                self.block(in_header=False)
        return self.doc

    def block(self, in_header: bool) -> None:
        """Collect a WebVTT block (the specification's steps, over whole lines)."""
        lines, n = self.lines, len(self.lines)
        first = self.i
        line_count = 0
        previous = self.i
        buffer: list[str] = []
        seen_arrow = False
        cue: tuple[str, int, int, str, int] | None = None
        kind = ""
        while True:
            line = lines[self.i]
            self.i += 1
            line_count += 1
            if "-->" in line:
                if not in_header and (line_count == 1 or (line_count == 2 and not seen_arrow)):
                    seen_arrow = True
                    previous = self.i
                    timings = parse_timings(line)
                    if isinstance(timings, str):
                        self.doc.bad_timings.append(Skipped(self.i, timings))
                        cue = None
                    else:
                        cue = ("\n".join(buffer), *timings, self.i)
                        buffer = []
                        self.seen_cue = True
                else:
                    self.i = previous
                    break
            elif line == "":
                break
            else:
                if not in_header and line_count == 2 and not self.seen_cue and buffer:
                    if _STYLE.fullmatch(buffer[0]):
                        kind, buffer = "style", []
                    elif _REGION.fullmatch(buffer[0]):
                        kind, buffer = "region", []
                buffer.append(line)
                previous = self.i
            if self.i >= n:
                break
        if in_header:
            self.doc.header = buffer
            return
        if cue is not None:
            self.doc.cues.append(RawCue(cue[0], cue[1], cue[2], cue[3], "\n".join(buffer), cue[4]))
        elif kind == "style":
            self.doc.styles.append("\n".join(buffer))
        elif kind == "region":
            self.doc.regions.append("\n".join(buffer))
        elif not seen_arrow and not _is_comment(lines[first]):
            self.doc.stray.append(Skipped(first + 1, "no timing line"))


def _is_comment(line: str) -> bool:
    return line.startswith("NOTE") and (len(line) == 4 or line[4] in " \t")


def parse_document(text: str) -> Document | None:
    """Parse WebVTT text; ``None`` when its first line is not a WebVTT signature."""
    lines = normalise(text).split("\n")
    if not signature_ok(lines[0]):
        return None
    if lines[-1] == "" and len(lines) > 1:
        lines.pop()  # the line end of the last line: no line of its own
    return _Parser(lines).run()
