"""Bytes as they arrive → the versions of each input line.

A live producer rewrites the line it is on while its model revises it: whisper.cpp's
``stream`` prints ``ESC[2K`` (erase line), a carriage return and the new text, with no newline
until it moves on. :class:`LineSplitter` turns the bytes read so far into :class:`Version`
events: the current text of a line each time it changes (``complete=False`` while the line is
still open) and its last text once a newline ends it (``complete=True``).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

__all__ = ["LineSplitter", "Version"]

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
#: an open line longer than this is cut (a producer that never prints a newline)
MAX_LINE = 64 * 1024


@dataclass(frozen=True, slots=True)
class Version:
    """The text of input line ``line`` (counted from 1) as it stands now."""

    line: int
    text: str
    complete: bool


def current_text(raw: str) -> str:
    """What a terminal shows for ``raw``: the last non-blank text after a carriage return,
    without ANSI escapes, stripped."""
    if "\x1b" in raw:
        raw = _ANSI.sub("", raw)
    for part in reversed(raw.split("\r")):
        if part.strip():
            return part.strip()
    return ""


class LineSplitter:
    """Feed it bytes with :meth:`feed`; it returns the line versions they make."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._open = ""
        self._shown = ""  # the last version given for the open line
        self.line = 1  # the number of the open line

    def feed(self, data: bytes, *, final: bool = False) -> list[Version]:
        """The versions that ``data`` makes; ``final`` at the end of the input (the open line
        is then complete)."""
        text = self._decoder.decode(data, final)
        out: list[Version] = []
        if text.startswith("\ufeff") and self.line == 1 and not self._open:
            text = text[1:]
        parts = text.split("\n")
        for part in parts[:-1]:
            raw = self._open + part
            self._open = ""
            self._shown = ""
            out.append(Version(self.line, current_text(raw), True))
            self.line += 1
        self._open += parts[-1]
        if len(self._open) > MAX_LINE:
            self._open = self._open[-MAX_LINE:]
        if final:
            if self._open.strip():
                out.append(Version(self.line, current_text(self._open), True))
                self.line += 1
            self._open = self._shown = ""
        elif self._open:
            shown = current_text(self._open)
            if shown and shown != self._shown:
                self._shown = shown
                out.append(Version(self.line, shown, False))
        return out

    def reset(self) -> None:
        """Start again at line 1 (the followed file was truncated or replaced)."""
        self.__init__()  # type: ignore[misc]
