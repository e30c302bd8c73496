"""Bytes to text: byte-order marks, UTF-8, UTF-16, legacy code pages, then mojibake repair.

Every change made to the input is reported as a :class:`~captionbridge.model.Note`, never made
silently.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

from .errors import ParseError
from .model import Note

__all__ = ["decode", "repair_mojibake"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# UTF-8 read as cp1252 or Latin-1 turns every lead byte into one of these characters.
_MOJIBAKE_HINT = re.compile("[\u00c2-\u00f4]")


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _decode_with(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ParseError(
            f"cannot decode as {encoding}: byte 0x{data[exc.start]:02x} is invalid",
            source=source,
            line=_line_of(data, exc.start),
        ) from None
    except LookupError:
        raise ParseError(f"unknown encoding {encoding!r}", source=source) from None


def _guess_utf16(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > half * 0.4 and even_nuls < half * 0.05:
        return "utf-16-le"
    if even_nuls > half * 0.4 and odd_nuls < half * 0.05:
        return "utf-16-be"
    return None


def decode(
    data: bytes, source: str, *, encoding: str | None = None, fix_text: bool = True
) -> tuple[str, list[Note]]:
    """Decode ``data`` and repair mojibake; return the text and the notes about what changed.

    ``encoding`` forces a codec. Otherwise a byte-order mark decides, then strict UTF-8, then
    UTF-16 recognised by its NUL bytes, then charset-normalizer's best guess among legacy code
    pages. Raises :class:`ParseError` for binary data.
    """
    notes: list[Note] = []
    if encoding:
        text = _decode_with(data, encoding, source)
        if text.startswith("\ufeff"):
            text = text[1:]
    else:
        text = _auto_decode(data, source, notes)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ParseError(
            "contains NUL characters: a binary file, not text", source=source, line=line
        )
    if fix_text and not text.isascii():
        text, repairs = repair_mojibake(text, source)
        notes.extend(repairs)
    return text, notes


def _auto_decode(data: bytes, source: str, notes: list[Note]) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_with(data[len(bom) :], codec, source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    utf16 = _guess_utf16(data)
    if utf16 is not None:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            pass
        else:
            notes.append(Note(f"decoded as {utf16} (no byte-order mark)", source))
            return text
    if data.count(0) > len(data) // 100:
        raise ParseError(
            "contains NUL bytes: a binary file, not text",
            source=source,
            line=_line_of(data, data.index(0)),
        )
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding in ("utf_8", "utf-8"):
        raise ParseError(
            f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x}) and no other encoding fits;"
            " give --encoding",
            source=source,
            line=_line_of(data, utf8_error.start),
        )
    notes.append(Note(f"not UTF-8; decoded as {best.encoding} (use --encoding to choose)", source))
    return str(best)


_FIXER_CONFIG: Any = None


def _fixer() -> Any:
    global _FIXER_CONFIG
    if _FIXER_CONFIG is None:
        from ftfy import TextFixerConfig

        # only undo wrong decodings: keep quotes, widths, ligatures and normalisation as written
        _FIXER_CONFIG = TextFixerConfig(
            unescape_html=False,
            remove_terminal_escapes=False,
            fix_latin_ligatures=False,
            fix_character_width=False,
            uncurl_quotes=False,
            fix_line_breaks=False,
            fix_surrogates=False,
            remove_control_chars=False,
            normalization=None,
            explain=False,
        )
    return _FIXER_CONFIG


def repair_mojibake(text: str, source: str | None = None) -> tuple[str, list[Note]]:
    """Repair text that was decoded with the wrong code page (``knowâ€”`` to ``know—``).

    Only lines that hold a character a wrong decoding produces are looked at, so plain ASCII and
    most correctly decoded text costs one scan. Each repaired line gives a note.
    """
    if not _MOJIBAKE_HINT.search(text):
        return text, []
    from ftfy import fix_text

    config = _fixer()
    notes: list[Note] = []
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        if line.isascii() or not _MOJIBAKE_HINT.search(line):
            continue
        fixed = fix_text(line, config)
        if fixed != line:
            lines[number - 1] = fixed
            notes.append(Note(f"repaired mojibake: {_diff(line, fixed)}", source, number))
    if not notes:
        return text, []
    return "\n".join(lines), notes


def _diff(old: str, new: str) -> str:
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    return f"{old[start:end_old]!r} -> {new[start:end_new]!r}"
