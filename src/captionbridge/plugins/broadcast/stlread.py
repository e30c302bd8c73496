"""Reader for EBU-STL (``.stl``, EBU Tech 3264): the 1024-byte GSI block, then 128-byte TTI
blocks.

The frame rate comes from the GSI's disk format code (``STL25.01`` 25 fps, ``STL30.01`` 29.97
unless ``--fps 30``; ttconv's ``STL23.01``, ``STL24.01`` and ``STL50.01`` too). Each subtitle
is one TTI block, or several linked by extension block numbers; comment blocks (CF = 1) and
user-data blocks are skipped. Text is ISO 6937 (character code table 00): a non-spacing
diacritic byte followed by its letter becomes the accented letter; teletext and open-subtitle
control codes (colours, double height, boxing, italics, underline) are dropped; 0x8A breaks the
line (two in a row in double height count once). Other character code tables (Cyrillic, Greek,
Arabic, Hebrew) are refused with an error rather than misread.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from fractions import Fraction

from captionbridge.errors import ParseError
from captionbridge.helpers.timecode import frames_to_ms
from captionbridge.helpers.turns import turns_from_lines
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Note, Transcript
from captionbridge.specs import ReadContext, ReaderSpec

from .common import from_origin, start_offset
from .stl import _DIACRITICS, _SINGLE, LANGUAGES, NEWLINE, TF_SIZE, UNUSED

__all__ = ["guess_stl", "read_stl"]

NAME = "stl"
GSI_SIZE = 1024
TTI_SIZE = 128
RATES = {
    b"STL23.01": Fraction(24000, 1001),
    b"STL24.01": Fraction(24),
    b"STL25.01": Fraction(25),
    b"STL30.01": Fraction(30000, 1001),
    b"STL50.01": Fraction(50),
}

_SINGLE_BYTES = {code: char for char, code in _SINGLE.items()}
_SINGLE_BYTES[0xA4] = "$"
_SINGLE_BYTES[0xA6] = "#"
_SINGLE_BYTES[0xA0] = "\u00a0"
_MARKS = {code: mark for mark, code in _DIACRITICS.items()}
_MARKS[0xC9] = "\u0308"  # the umlaut position ISO 6937 keeps for compatibility
_LANGUAGE_CODES = {code: lang for lang, code in reversed(LANGUAGES.items())}


def _text(field: bytes) -> str:
    """An ISO 6937 text field as text with ``\\n`` between rows."""
    out: list[str] = []
    mark: str | None = None
    newline = False
    for byte in field:
        if byte == UNUSED:
            break
        if byte == NEWLINE:
            if not newline:
                out.append("\n")
            newline = True
            mark = None
            continue
        newline = False
        if byte < 0x20 or 0x7F <= byte <= 0x9F:
            if 0x00 <= byte <= 0x1F and out and out[-1] not in " \n":
                out.append(" ")  # teletext spacing attributes take a cell on screen
            continue
        if 0xC1 <= byte <= 0xCF:
            mark = _MARKS.get(byte)
            continue
        char = chr(byte) if byte < 0x7F else _SINGLE_BYTES.get(byte, "")
        if mark is not None and char:
            char = unicodedata.normalize("NFC", char + mark)
            mark = None
        out.append(char)
    rows = ("".join(out)).split("\n")
    return "\n".join(" ".join(row.split()) for row in rows if row.strip())


def _frames(block: bytes, offset: int, base: int) -> int:
    hh, mm, ss, ff = block[offset : offset + 4]
    return ((hh * 60 + mm) * 60 + ss) * base + ff


def read_stl(text: str, context: ReadContext) -> Transcript:
    """Decode an EBU-STL file (the bytes arrive as latin-1 text: one character per byte)."""
    data = text.encode("latin-1")
    source = context.source
    if len(data) < GSI_SIZE:
        raise ParseError(
            f"not an EBU-STL file: {len(data)} bytes, shorter than the 1024-byte GSI block",
            source=source,
        )
    fps = RATES.get(data[3:11])
    if fps is None:
        raise ParseError(
            f"unknown EBU-STL disk format code {data[3:11]!r}", source=source, column=4
        )
    if fps == Fraction(30000, 1001) and context.options.get("fps") == Fraction(30):
        fps = Fraction(30)
    if data[12:14] not in (b"00", b"  ", b"\x00\x00"):
        raise ParseError(
            f"EBU-STL character code table {data[12:14].decode('latin-1')!r} is not"
            " supported (only 00, Latin ISO 6937)",
            source=source,
            column=13,
        )
    base = round(fps)
    cues: list[tuple[int, int, str]] = []
    notes: list[Note] = []
    pending: list[bytes] = []  # joined once: bytes += copies, quadratic in a long chain
    skipped = 0
    body = memoryview(data)[GSI_SIZE:]
    if len(body) % TTI_SIZE:
        notes.append(
            Note(f"stl: {len(body) % TTI_SIZE} trailing byte(s) after the last TTI block", source)
        )
    for index in range(len(body) // TTI_SIZE):
        block = bytes(body[index * TTI_SIZE : (index + 1) * TTI_SIZE])
        ebn, comment = block[3], block[15]
        if 0xEF < ebn < 0xFF:
            continue  # user data
        pending.append(block[16 : 16 + TF_SIZE])
        if ebn != 0xFF:
            continue  # an extension block: the text goes on in the next one
        field, pending = b"".join(pending), []
        if comment == 1:
            continue
        start, end = _frames(block, 5, base), _frames(block, 9, base)
        if end <= start:
            skipped += 1
            continue
        content = _text(field)
        if content:
            cues.append((start, end, content))
    cues, moved = from_origin(cues, start_offset(context, fps, False), NAME, source)
    notes.extend(moved)
    starts = [frames_to_ms(start, fps) for start, _, _ in cues]
    ends = [frames_to_ms(end, fps) for _, end, _ in cues]
    contents = [turns_from_lines(content) for _, _, content in cues]
    if skipped:
        notes.append(Note(f"stl: {skipped} subtitle(s) end before they start; skipped", source))
    language = _LANGUAGE_CODES.get(data[14:16].decode("latin-1").upper())
    return Transcript.from_columns(
        starts, ends, contents, source=source, language=language, notes=tuple(notes)
    )


def guess_stl(text: str, filename: str) -> bool:
    """An EBU-STL file has a disk format code at bytes 3-10 of its GSI block."""
    return text[3:11].encode("latin-1", "replace") in RATES and text[:3].isdigit()


@hookimpl
def captionbridge_register_readers(register: Callable[[ReaderSpec], None]) -> None:
    register(
        ReaderSpec(
            NAME,
            read_stl,
            extensions=(".stl",),
            guess=guess_stl,
            description="EBU-STL subtitles (Tech 3264, ISO 6937 text)",
            binary=True,
        )
    )
