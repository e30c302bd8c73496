"""Reader for Scenarist SCC (``.scc``): CEA-608 caption channel 1, decoded as a caption decoder
shows it.

Each line is a timecode (``HH:MM:SS;FF`` drop-frame or ``HH:MM:SS:FF`` non-drop, 29.97 fps
unless ``--fps 30`` says otherwise), a tab and byte pairs, one pair per frame from that
timecode on. The decoder keeps the two caption memories of CEA-608 and emits one cue per
caption seen on screen:

- pop-on (RCL ... EOC): a cue from the End Of Caption that shows it to the Erase Displayed
  Memory (or the next EOC) that takes it away;
- roll-up (RU2/RU3/RU4 ... CR): one cue per row, from the carriage return that makes room for
  it (or its first character) to the next carriage return or the erase that clears the
  screen: each row once, where decoders show the rows above it again;
- paint-on (RDC): a cue for each burst of painting (from its preamble address code, or its
  first character) to the next burst or the erase, holding what the screen showed then.

Channel 2 (and text/service channels) are skipped; a control code sent twice in a row counts
once, as decoders do. Rows are trimmed of the spaces used to centre them and joined with line
breaks; a row that starts ``>>`` marks a speaker change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from captionbridge.errors import ParseError
from captionbridge.helpers.timecode import frames_to_ms, label_frames
from captionbridge.helpers.turns import turns_from_lines
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Note, Transcript
from captionbridge.specs import ReadContext, ReaderSpec

from .cea608 import _BASIC_SWAPS as BASIC_SWAPS
from .cea608 import _PAC_ROWS as PAC_ROWS
from .cea608 import EXTENDED, SPECIAL
from .common import from_origin, start_offset

__all__ = ["guess_scc", "read_scc"]

NAME = "scc"
HEADER = "Scenarist_SCC V1.0"
NTSC = Fraction(30000, 1001)
COLUMNS = 32

_LINE = re.compile(r"(\d{1,2}):(\d{2}):(\d{2})([:;.,])(\d{2})\t")
_PAIR = re.compile(r"[0-9a-fA-F]{4}")

_BASIC = {b: chr(b) for b in range(0x20, 0x80)} | BASIC_SWAPS
_SPECIAL = {code: char for char, code in SPECIAL.items()}
_EXTENDED = {codes: char for char, codes in EXTENDED.items()}
# the extended characters the writer sends plain still decode (CEA-608-E Annex A)
_EXTENDED.update({(0x12, 0x20 + i): c for i, c in enumerate("ÁÉÓÚÜü‘¡*'—©℠•“”")})

#: preamble address code first byte -> rows for second bytes 0x40-0x5F and 0x60-0x7F
_PAC_ROWS: dict[int, tuple[int, int]] = {}
for _row, (_first, _base) in sorted(PAC_ROWS.items()):
    _upper, _lower = _PAC_ROWS.get(_first, (_row, _row))
    _PAC_ROWS[_first] = (_row, _row) if _base == 0x40 else (_upper, _row)


@dataclass
class _Memory:
    """One caption memory: rows (1-15) of 32 cells."""

    rows: dict[int, list[str]] = field(default_factory=dict)

    def put(self, row: int, column: int, char: str) -> None:
        cells = self.rows.setdefault(row, [" "] * COLUMNS)
        cells[min(column, COLUMNS - 1)] = char

    def clear(self) -> None:
        self.rows.clear()

    def text(self) -> str:
        lines = ("".join(self.rows[r]).strip() for r in sorted(self.rows))
        return "\n".join(line for line in lines if line)


@dataclass
class _Decoder:
    """The CEA-608 decoder state for caption channel 1."""

    fps: Fraction
    cues: list[tuple[int, int, str]] = field(default_factory=list)
    mode: str = "popon"
    rollup_rows: int = 2
    displayed: _Memory = field(default_factory=_Memory)
    hidden: _Memory = field(default_factory=_Memory)
    row: int = 15
    column: int = 0
    channel: int = 1
    last_control: tuple[int, int] | None = None
    #: the frame the caption on screen appeared (None when the screen is clear)
    shown_at: int | None = None
    shown_text: str = ""
    #: roll-up: the row being typed and the frame its first character appeared
    typing: list[str] = field(default_factory=list)
    typing_at: int | None = None

    # -- emitting cues ------------------------------------------------------------------
    def _emit(self, start: int, end: int, text: str) -> None:
        if text.strip() and end > start:
            self.cues.append((start, end, text))

    def _close_screen(self, frame: int) -> None:
        if self.shown_at is not None:
            self._emit(self.shown_at, frame, self.shown_text)
        self.shown_at = None
        self.shown_text = ""

    def _close_row(self, frame: int) -> None:
        if self.typing_at is not None:
            self._emit(self.typing_at, frame, "".join(self.typing).strip())
        self.typing = []
        self.typing_at = None

    def _close_painted(self, frame: int) -> None:
        if self.mode == "painton" and self.shown_at is not None:
            self.shown_text = self.displayed.text()
        self._close_screen(frame)

    def finish(self, frame: int) -> None:
        """The end of the file: whatever is still on screen ends one frame after the last."""
        self._close_row(frame)
        self._close_painted(frame)

    # -- the byte stream -----------------------------------------------------------------
    def pair(self, b1: int, b2: int, frame: int) -> None:
        """Decode one byte pair (parity already removed) shown on ``frame``."""
        if b1 == 0 and b2 == 0:
            return
        if 0x10 <= b1 <= 0x1F:
            if self.last_control == (b1, b2):
                self.last_control = None  # the repeated copy of a control code
                return
            self.last_control = (b1, b2)
            self.channel = 2 if b1 & 0x08 else 1
            if self.channel == 1:
                self._control(b1, b2, frame)
            return
        self.last_control = None
        if self.channel != 1 or self.mode == "text":
            return
        for b in (b1, b2):
            if b >= 0x20:
                self._char(_BASIC.get(b, " "), frame)

    def _control(self, b1: int, b2: int, frame: int) -> None:
        if b1 in (0x14, 0x15) and 0x20 <= b2 <= 0x2F:
            self._misc(b2, frame)
        elif b1 == 0x11 and 0x30 <= b2 <= 0x3F:
            self._char(_SPECIAL.get(b2, " "), frame)
        elif b1 == 0x11 and 0x20 <= b2 <= 0x2F:
            self._char(" ", frame)  # a mid-row style code shows as a space
        elif b1 in (0x12, 0x13) and 0x20 <= b2 <= 0x3F:
            self._backspace()  # an extended character replaces its fallback
            self._char(_EXTENDED.get((b1, b2), " "), frame)
        elif b1 == 0x17 and 0x21 <= b2 <= 0x23:
            self.column = min(self.column + b2 - 0x20, COLUMNS - 1)
        elif b1 in _PAC_ROWS and 0x40 <= b2 <= 0x7F:
            self._pac(b1, b2, frame)

    def _pac(self, b1: int, b2: int, frame: int) -> None:
        upper, lower = _PAC_ROWS[b1]
        row = upper if b2 < 0x60 else lower
        low = b2 & 0x1F
        column = ((low - 0x10) >> 1) * 4 if low >= 0x10 else 0
        if self.mode == "rollup":
            if self.typing:
                self._close_row(frame)
            self.row = row
            return
        self.row, self.column = row, column
        if self.mode == "painton":
            # a new burst of painting: what the screen showed until now is one cue
            self._close_painted(frame)
            self.shown_at = frame

    def _misc(self, b2: int, frame: int) -> None:
        if b2 == 0x20:  # RCL
            if self.mode == "rollup":
                self._close_row(frame)
                self._close_screen(frame)
            self.mode = "popon"
        elif b2 in (0x25, 0x26, 0x27):  # RU2-RU4
            if self.mode != "rollup":
                self._close_screen(frame)
                self.displayed.clear()
                self.hidden.clear()
            self.mode = "rollup"
            self.rollup_rows = b2 - 0x23
            self.column = 0
        elif b2 == 0x29:  # RDC
            if self.mode == "rollup":
                self._close_row(frame)
                self._close_screen(frame)
            self.mode = "painton"
        elif b2 in (0x2A, 0x2B):  # TR, RTD: text service, not captions
            self.mode = "text"
        elif b2 == 0x2C:  # EDM
            self._close_row(frame)
            self._close_painted(frame)
            self.displayed.clear()
        elif b2 == 0x2E:  # ENM
            self.hidden.clear()
        elif b2 == 0x2F:  # EOC
            self._close_painted(frame)
            self.displayed, self.hidden = self.hidden, self.displayed
            text = self.displayed.text()
            if text:
                self.shown_at, self.shown_text = frame, text
            self.mode = "popon"
        elif b2 == 0x2D:  # CR: in roll-up, the rows move up and a new row starts here
            if self.mode == "rollup":
                self._close_row(frame)
                self.typing_at = frame
            self.column = 0
        elif b2 == 0x21:  # BS
            self._backspace()
        elif b2 == 0x24:  # DER
            memory = self._memory()
            if memory is not None:
                cells = memory.rows.get(self.row)
                if cells is not None:
                    cells[self.column :] = [" "] * (COLUMNS - self.column)

    def _memory(self) -> _Memory | None:
        return {"popon": self.hidden, "painton": self.displayed}.get(self.mode)

    def _backspace(self) -> None:
        if self.mode == "rollup":
            if self.typing:
                self.typing.pop()
            return
        memory = self._memory()
        if memory is not None and self.column > 0:
            self.column -= 1
            memory.put(self.row, self.column, " ")

    def _char(self, char: str, frame: int) -> None:
        if self.mode == "rollup":
            if self.typing_at is None:
                if not char.strip():
                    return
                self.typing_at = frame
            if self.typing or char.strip():
                self.typing.append(char)
            return
        memory = self._memory()
        if memory is None:
            return
        memory.put(self.row, self.column, char)
        self.column = min(self.column + 1, COLUMNS - 1)
        if self.mode == "painton" and self.shown_at is None and char.strip():
            self.shown_at = frame


def _frames(match: re.Match[str], fps: Fraction) -> int:
    hh, mm, ss, mark, ff = match.groups()
    return label_frames(int(hh), int(mm), int(ss), int(ff), round(fps), mark in ";,")


def read_scc(text: str, context: ReadContext) -> Transcript:
    """Decode an SCC file into cues."""
    source = context.source
    fps = context.options.get("fps") or NTSC
    if fps not in (NTSC, Fraction(30)):
        fps = NTSC
    lines = text.splitlines()
    if not lines or lines[0].strip() != HEADER:
        raise ParseError(
            f"not an SCC file: the first line must be {HEADER!r}", source=source, line=1
        )
    decoder = _Decoder(fps)
    previous = -1
    backwards = 0
    drop: bool | None = None
    last = 0
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if match is None:
            raise ParseError(
                "expected a timecode, a tab and byte pairs", source=source, line=number, column=1
            )
        frame = _frames(match, fps)
        if drop is None:
            drop = match.group(4) in ";," and fps == NTSC
        if frame < previous:
            backwards += 1
        previous = frame
        column = match.end() + 1
        for offset, word in enumerate(line[match.end() :].split()):
            if _PAIR.fullmatch(word) is None:
                raise ParseError(
                    f"not a byte pair: {word[:8]!r}", source=source, line=number, column=column
                )
            column += len(word) + 1
            value = int(word, 16)
            decoder.pair((value >> 8) & 0x7F, value & 0x7F, frame + offset)
            last = max(last, frame + offset)
    decoder.finish(last + 1)
    origin = start_offset(context, fps, bool(drop))
    cues, notes = from_origin(decoder.cues, origin, NAME, source)
    if backwards:
        notes.append(Note(f"scc: {backwards} line(s) go back in time; cues sorted", source))
    return _transcript(cues, fps, source, notes)


def _transcript(
    cues: list[tuple[int, int, str]], fps: Fraction, source: str, notes: list[Note]
) -> Transcript:
    cues.sort(key=lambda cue: cue[0])
    starts = [frames_to_ms(start, fps) for start, _, _ in cues]
    ends = [frames_to_ms(end, fps) for _, end, _ in cues]
    contents = [turns_from_lines(text) for _, _, text in cues]
    return Transcript.from_columns(starts, ends, contents, source=source, notes=tuple(notes))


def guess_scc(text: str, filename: str) -> bool:
    """An SCC file starts with the Scenarist header."""
    return text.lstrip("\ufeff").startswith(HEADER)


@hookimpl
def captionbridge_register_readers(register: Callable[[ReaderSpec], None]) -> None:
    register(
        ReaderSpec(
            NAME,
            read_scc,
            extensions=(".scc",),
            guess=guess_scc,
            description="Scenarist SCC (CEA-608 pop-on, roll-up, paint-on; drop and non-drop)",
        )
    )
