"""Reading SubRip as real tools write it, in one pass over the lines.

A cue starts after blank lines (or at the top of the file) with a timing line, or with a cue
number directly followed by a timing line; the number's value is not checked, and it may be
missing. A timing line is recognised by that position and by its shape,
``H:MM:SS[,mmm] --> H:MM:SS[,mmm]`` (``,`` or ``.``; 1-3 digits that count milliseconds, as
the srt library and ffmpeg read them; anything after the second time is ignored), never by
searching text for clock times. A blank line ends the cue only when what follows starts a cue
(or ends the file); otherwise it is a blank line inside the text and is dropped. A cue number
and timing line right after a text line start a new cue even without the blank line. Only the
tags SRT players honour (``<b> <i> <u> <s> <font ...>``) and ASS override blocks (``{\\...}``)
are markup; any other ``<...>`` is text.
"""

from __future__ import annotations

import re

from captionbridge.errors import ParseError
from captionbridge.helpers.readfix import order_times
from captionbridge.helpers.turns import turns_from_lines
from captionbridge.model import Content, Note, Transcript, Turn
from captionbridge.specs import ReadContext

__all__ = ["MAX_HOURS", "guess_srt", "read_srt"]

#: hours beyond this are taken for garbage, not for a time (about 11 years)
MAX_HOURS = 99_999
_STAMP = r"([0-9]+):([0-9]+):([0-9]+)(?:[,.]([0-9]*))?"
_TIMING = re.compile(rf"[ \t]*{_STAMP}[ \t]*-->[ \t]*{_STAMP}(?:[ \t].*)?")
_INDEX = re.compile(r"[ \t]*[0-9]+[ \t]*")
_SRT_START = re.compile(r"[ \t]*[0-9]+(?:[ \t]*$|:[0-9])")
_MARKUP = re.compile(
    r"</?[bBiIuUsS][ \t]*>|<[fF][oO][nN][tT](?:[ \t][^<>]*)?>|</[fF][oO][nN][tT][ \t]*>"
)
_OVERRIDE = re.compile(r"(?<!\\)\{\\[^{}]*\}")
# the invisible word joiners our writer puts in (after "<", "{", "\", a digit, before a line's "-")
_JOINER = re.compile("(?<=[<{\\\\0-9])\u2060|(?m:^)\u2060(?=-|>>)")


class _Problem(Exception):
    """A cue that cannot be read: the message and the 0-based column."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.column = column


def _ms(match: re.Match[str], first: int) -> int:
    """The time in the four groups of ``match`` from group ``first`` on."""
    hours, minutes, seconds, fraction = match.group(first, first + 1, first + 2, first + 3)
    if len(hours) > len(str(MAX_HOURS)) or int(hours) > MAX_HOURS:
        raise _Problem(f"hours out of range (at most {MAX_HOURS})", match.start(first))
    if len(minutes) > 2 or int(minutes) > 59:
        raise _Problem("minutes over 59", match.start(first + 1))
    if len(seconds) > 2 or int(seconds) > 59:
        raise _Problem("seconds over 59", match.start(first + 2))
    if fraction and len(fraction) > 3:
        raise _Problem("more than 3 digits after the seconds", match.start(first + 3))
    ms = int(fraction or "0")  # a count of milliseconds, as the srt library and ffmpeg read it
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + ms


def _starts_cue(lines: list[str], index: int) -> re.Match[str] | None:
    """The timing line's match when a cue starts at ``lines[index]``."""
    match = _TIMING.fullmatch(lines[index])
    if match is None and index + 1 < len(lines) and _INDEX.fullmatch(lines[index]):
        match = _TIMING.fullmatch(lines[index + 1])
    return match


def _clean(text: str) -> str:
    if "<" in text:
        text = _MARKUP.sub("", text)
    if "{" in text:
        text = _OVERRIDE.sub("", text)
    if "\\" in text:
        text = text.replace("\\{", "{").replace("\\}", "}")
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def _unjoin(content: Content) -> Content:
    if isinstance(content, str):
        return _JOINER.sub("", content) if "\u2060" in content else content
    return tuple(Turn(_JOINER.sub("", t.text), t.speaker, t.change) for t in content)


class _Skips:
    """Problems met with ``--lenient``: counted per kind, reported with the first line."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.kinds: dict[str, tuple[int, int, str]] = {}

    def add(self, message: str, line: int, text: str) -> None:
        count, first, first_text = self.kinds.get(message, (0, line, text))
        self.kinds[message] = (count + 1, first, first_text)

    def notes(self) -> list[Note]:
        return [
            Note(
                f"skipped {count} cue(s) or line(s): {message} (first: {text[:60]!r})",
                self.source,
                line,
            )
            for message, (count, line, text) in self.kinds.items()
        ]


def read_srt(text: str, context: ReadContext) -> Transcript:
    """Read SubRip text; dashes at turn starts become speaker turns."""
    source = context.source
    lenient = bool(context.options.get("lenient"))
    keep_empty = bool(context.options.get("keep_empty"))
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.removeprefix("\ufeff").split("\n")
    starts: list[int] = []
    ends: list[int] = []
    contents: list[Content] = []
    skips = _Skips(source)
    empty = inner_blanks = 0
    count = len(lines)

    def fail(message: str, number: int, column: int) -> None:
        line = lines[number]
        if not lenient:
            raise ParseError(message, source=source, line=number + 1, column=column + 1, text=line)
        skips.add(message, number + 1, line)

    i = 0
    while i < count:
        if not lines[i].strip():
            i += 1
            continue
        timing = _TIMING.fullmatch(lines[i])
        if timing is None:
            numbered = _INDEX.fullmatch(lines[i]) is not None and i + 1 < count
            if numbered and lines[i + 1].strip():
                i += 1
                timing = _TIMING.fullmatch(lines[i])
            if timing is None:
                what = (
                    "a timing line after the cue number"
                    if numbered
                    else "a cue number or a timing line"
                )
                fail(_expected(lines[i], what), i, _col(lines[i]))
                while i < count and lines[i].strip():  # skip the block it starts
                    i += 1
                continue
        timing_line = i
        i += 1
        body: list[str] = []
        while i < count:
            line = lines[i]
            if not line.strip():
                after = i + 1
                while after < count and not lines[after].strip():
                    after += 1
                if after == count or _starts_cue(lines, after) is not None:
                    i = after
                    break
                inner_blanks += 1
                i = after
                continue
            if i + 1 < count and _INDEX.fullmatch(line) and _TIMING.fullmatch(lines[i + 1]):
                break  # the next cue, without the blank line before it
            body.append(line)
            i += 1
        try:
            start, end = _ms(timing, 1), _ms(timing, 5)
        except _Problem as problem:
            fail(str(problem), timing_line, problem.column)
            continue
        cue_text = _clean("\n".join(body))
        if not cue_text and not keep_empty:
            empty += 1
            continue
        starts.append(start)
        ends.append(end)
        contents.append(_unjoin(turns_from_lines(cue_text)))
    notes = skips.notes() + order_times(starts, ends, source)
    if inner_blanks:
        notes.append(Note(f"joined {inner_blanks} blank line(s) inside cue text", source))
    if empty:
        notes.append(Note(f"dropped {empty} empty cue(s) (keep them with --keep-empty)", source))
    return Transcript.from_columns(starts, ends, contents, source=source, notes=notes)


def _col(line: str) -> int:
    return len(line) - len(line.lstrip())


def _expected(line: str, what: str) -> str:
    return "malformed timing line" if "->" in line else f"expected {what}"


def guess_srt(text: str, filename: str) -> bool:
    """True when the first non-blank lines are a cue number and a timing line, or a timing line
    with the ``,`` decimal mark only SubRip uses; for a ``.srt`` file, a first line that starts
    like a cue number or a time is enough (the reader then says what is wrong)."""
    head = text.removeprefix("\ufeff")[:1000].replace("\r\n", "\n").replace("\r", "\n")
    lines = [line for line in head.split("\n") if line.strip()][:2]
    if not lines:
        return False
    if filename.lower().endswith(".srt"):
        return _SRT_START.match(lines[0]) is not None
    if _INDEX.fullmatch(lines[0]):
        return len(lines) > 1 and _TIMING.fullmatch(lines[1]) is not None
    timing = _TIMING.fullmatch(lines[0])
    return timing is not None and "," in timing.group(0).partition("-->")[0]
