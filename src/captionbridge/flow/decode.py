"""Bytes to text: byte-order marks, UTF-8, UTF-16, legacy code pages, then mojibake repair.

Every change made to the input is reported as a :class:`~captionbridge.model.Note`, never made
silently.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

from ..errors import ParseError
from ..model import Note

__all__ = ["decode", "decode_keeping_nul", "refuse_nul", "repair_mojibake"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# UTF-8 read as cp1252 or Latin-1 turns a lead byte into one of \u00c2-\u00f4 followed by a
# continuation byte shown as a Latin-1 symbol or one of cp1252's extra characters.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030"
    "\u2039\u203a\u20ac\u2122]"
)


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
    except (UnicodeError, ValueError, TypeError, IndexError) as exc:
        # a codec that exists but cannot decode text ('undefined', 'punycode' on non-ASCII...)
        raise ParseError(
            f"cannot decode as {encoding}: {' '.join(str(exc).split())[:160]}", source=source
        ) from None


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


def refuse_nul(text: str, source: str) -> None:
    """Raise :class:`ParseError` at the first NUL character of ``text``, if there is one."""
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ParseError(
            "contains NUL characters: a binary file, not text", source=source, line=line
        )


def decode(
    data: bytes,
    source: str,
    *,
    encoding: str | None = None,
    fix_text: bool = True,
    allow_nul: bool = False,
) -> tuple[str, list[Note]]:
    """Decode ``data`` and repair mojibake; return the text and the notes about what changed.

    ``encoding`` forces a codec. Otherwise a byte-order mark decides, then strict UTF-8, then
    UTF-16 recognised by its NUL bytes, then charset-normalizer's best guess among legacy code
    pages. Raises :class:`ParseError` for binary data, and for a NUL character unless
    ``allow_nul`` (the caller then decides, knowing the format: see :func:`decode_keeping_nul`).
    """
    text, notes, _ = _decode(data, source, encoding, fix_text, allow_nul)
    return text, notes


def decode_keeping_nul(
    data: bytes, source: str, *, encoding: str | None = None, fix_text: bool = True
) -> tuple[str, list[Note], bool]:
    """:func:`decode` with NUL characters let through, and whether the text holds any: found
    in the bytes when they were UTF-8, sparing the caller a scan of the text for it."""
    return _decode(data, source, encoding, fix_text, allow_nul=True)


def _decode(
    data: bytes, source: str, encoding: str | None, fix_text: bool, allow_nul: bool
) -> tuple[str, list[Note], bool]:
    repair: _Repair | None = None
    if not encoding and fix_text:
        utf8, repair = _repaired_utf8(data, source)
        if utf8 is not None:
            # the bytes were UTF-8, where a NUL character is a NUL byte
            nul = b"\x00" in data
            if nul and not allow_nul:
                refuse_nul(utf8, source)
            return utf8, repair[1] if repair else [], nul
    notes: list[Note] = []
    plain_utf8 = False
    if encoding:
        text = _decode_with(data, encoding, source)
        if text.startswith("\ufeff"):
            text = text[1:]
    else:
        text, plain_utf8 = _auto_decode(data, source, notes)
    # in UTF-8 a NUL character is a NUL byte: memchr over the bytes beats a scan of the text
    nul = (b"\x00" in data) if plain_utf8 else ("\x00" in text)
    if nul and not allow_nul:
        refuse_nul(text, source)
    # every character a wrong decoding of UTF-8 produces (U+00C2-U+00F4) is C3 xx in UTF-8:
    # without a C3 byte, correctly decoded UTF-8 holds no mojibake and the scan is skipped
    if fix_text and not text.isascii():
        if plain_utf8:
            if b"\xc3" in data:
                # the bytes are UTF-8: a repair made before is theirs (one with a lone surrogate)
                repaired, repairs = repair or _repair_utf8(_without_utf8_bom(data), source)
                del repair
                if repaired is not None:
                    text = ""  # free the first decoding before the second: one text at a time
                    text = repaired.decode("utf-8", "surrogatepass")
                    del repaired
                notes.extend(repairs)
        else:
            text, repairs = repair_mojibake(text, source)
            notes.extend(repairs)
    return text, notes, nul


#: mojibake repaired in the bytes: the new bytes (``None`` when nothing changed) and the notes
_Repair = tuple[bytes | None, list[Note]]


def _without_utf8_bom(data: bytes) -> bytes:
    return data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data


def _repaired_utf8(data: bytes, source: str) -> tuple[str | None, _Repair | None]:
    """UTF-8 input that may hold mojibake (it has a C3 byte), repaired in its bytes and then
    decoded once: the text, or ``None`` for any other input (the general path of
    :func:`decode` takes it); and the repair, when it was made.

    Decoding first and repairing the bytes after held two texts in turn, and left the first
    text's 32 MB (a 16 MB file past Latin-1) to the allocator's heap, which kept it resident
    for the rest of the conversion; here the one text is allocated once."""
    if b"\xc3" not in data or data.startswith(_OTHER_BOMS):
        return None, None
    body = _without_utf8_bom(data)
    try:
        repair = _repair_utf8(body, source)
    except UnicodeDecodeError:
        return None, None  # not UTF-8 after all: the general path reads a code page
    try:
        # strict: bytes that are not UTF-8 after all, or a repair that made a lone
        # surrogate, go to the general path, which treats them as it always has
        return str(body if repair[0] is None else repair[0], "utf-8"), repair
    except UnicodeDecodeError:
        return None, repair


_OTHER_BOMS = tuple(bom for bom, codec in _BOMS if codec != "utf-8")


def _repair_utf8(data: bytes, source: str) -> tuple[bytes | None, list[Note]]:
    """Mojibake repair for UTF-8 input, located in the bytes: memchr-fast on large files.

    Returns the repaired bytes (``None`` when nothing changed) and the notes: the repair is
    spliced into the bytes, where each line's place is known, so that the caller holds a
    single decoded text at a time."""
    lines: list[tuple[int, int, int]] = []  # (line number, start, end) in bytes
    line_number = 1
    counted = 0
    position = data.find(b"\xc3")
    while position != -1:
        begin = data.rfind(b"\n", 0, position) + 1
        end = data.find(b"\n", position)
        end = len(data) if end == -1 else end
        line_number += data.count(b"\n", counted, begin)
        counted = begin
        lines.append((line_number, begin, end))
        position = data.find(b"\xc3", end)
    notes: list[Note] = []
    view = memoryview(data)  # slices of a view are not copies
    pieces: list[bytes | memoryview] = []
    done = 0  # data[:done] is in pieces
    for number, begin, end in lines:
        line = data[begin:end].decode("utf-8")
        if not _MOJIBAKE.search(line):
            continue
        fixed, line_notes = repair_mojibake(line, source)
        if line_notes:
            pieces += [view[done:begin], fixed.encode("utf-8", "surrogatepass")]
            done = end
            notes += [Note(n.message, source, number) for n in line_notes]
    if not notes:
        return None, []
    pieces.append(view[done:])
    return b"".join(pieces), _capped(notes)


def _auto_decode(data: bytes, source: str, notes: list[Note]) -> tuple[str, bool]:
    """Decode by BOM, UTF-8, UTF-16 or a guessed code page; say whether it was plain UTF-8."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_with(data[len(bom) :], codec, source), codec == "utf-8"
    try:
        return data.decode("utf-8"), True
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
            return text, False
    if data.count(0) > len(data) // 100:
        raise ParseError(
            "contains NUL bytes: a binary file, not text",
            source=source,
            line=_line_of(data, data.index(0)),
        )
    decoded: str | None = None
    best = _guess_code_page(_evidence(data))
    if best is not None and best.encoding not in ("utf_8", "utf-8"):
        try:
            decoded = data.decode(best.encoding)
        except UnicodeDecodeError:
            best = None  # a byte outside the evidence does not fit: look at everything
    if decoded is None:
        best = _guess_code_page(data)
        if best is None or best.encoding in ("utf_8", "utf-8"):
            raise ParseError(
                f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x}) and no other encoding"
                " fits; give --encoding",
                source=source,
                line=_line_of(data, utf8_error.start),
            )
        decoded = str(best)
    notes.append(Note(f"not UTF-8; decoded as {best.encoding} (use --encoding to choose)", source))
    return decoded, False


_EVIDENCE_BYTES = 32_768


def _evidence(data: bytes) -> bytes:
    """The lines that hold non-ASCII bytes (up to 32 KB): the only ones that tell code pages
    apart. Timestamps and plain ASCII text would only make the guess slower (about 3x)."""
    lines = []
    size = 0
    for line in data.split(b"\n"):
        if not line.isascii():
            lines.append(line)
            size += len(line) + 1
            if size > _EVIDENCE_BYTES:
                break
    return b"\n".join(lines)


# the code pages legacy transcripts are written in; trying these first is 5-20x faster than
# charset-normalizer's whole list, which is still tried when none of them decodes cleanly
_COMMON_CODE_PAGES = [
    "cp1252",
    "cp1250",
    "cp1251",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
    "cp1258",
    "iso8859_15",
    "koi8_r",
    "shift_jis",
    "cp932",
    "euc_jp",
    "gb18030",
    "big5",
    "euc_kr",
    "cp949",
]
_CLEAN_ENOUGH = 0.1  # charset-normalizer's "chaos" (share of odd characters) to accept a guess


def _guess_code_page(data: bytes) -> Any:
    """charset-normalizer's best match for ``data``: among the common code pages when one of
    them reads it cleanly, else among all it knows."""
    from charset_normalizer import from_bytes

    best = _best_match(from_bytes(data, cp_isolation=_COMMON_CODE_PAGES))
    if best is None or best.chaos > _CLEAN_ENOUGH:
        best = _best_match(from_bytes(data))
    return best


def _best_match(matches: Any) -> Any:
    best = matches.best()
    if best is not None:
        # short texts often fit several code pages equally well; among equals, take cp1252,
        # by far the most common legacy encoding of transcripts
        for match in matches:
            if match.encoding == "cp1252" and (match.chaos, -match.coherence) <= (
                best.chaos,
                -best.coherence,
            ):
                best = match
    return best


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


#: repaired lines reported one by one; the rest of a file's are counted in one note
LINE_NOTES = 5


def _capped(notes: list[Note]) -> list[Note]:
    """The first :data:`LINE_NOTES` notes of repaired lines, then one that counts the rest
    and names the last (a transcript repeated a hundred times gives six lines, not a hundred)."""
    if len(notes) <= LINE_NOTES + 1:
        return notes
    rest = notes[LINE_NOTES:]
    last = rest[-1]
    summary = f"{len(rest)} more line(s) repaired, the last: {last.message}"
    return [*notes[:LINE_NOTES], Note(summary, last.source, last.line)]


def repair_mojibake(text: str, source: str | None = None) -> tuple[str, list[Note]]:
    """Repair text that was decoded with the wrong code page (``knowâ€”`` to ``know—``).

    Only lines holding a sequence that a wrong decoding produces are looked at, so most text
    costs one scan. A line that is UTF-8 read as cp1252 through and through is decoded back
    directly; anything less clean goes to ftfy. The first repaired lines give a note each with
    its line number, the rest one note that counts them (see `LINE_NOTES`).
    """
    notes: list[Note] = []
    pieces: list[str] = []
    done = 0  # text[:done] is already in pieces
    line_number = 1
    counted = 0
    for match in _MOJIBAKE.finditer(text):
        if match.start() < done:
            continue  # another hit on a line already handled
        line_number += text.count("\n", counted, match.start())
        counted = match.start()
        begin = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.start())
        end = len(text) if end == -1 else end
        line = text[begin:end]
        fixed = _undo_cp1252(line)
        if fixed != line:
            pieces.append(text[done:begin])
            pieces.append(fixed)
            done = end
            notes.append(Note(f"repaired mojibake: {_diff(line, fixed)}", source, line_number))
        else:
            pieces.append(text[done:end])
            done = end
    if not notes:
        return text, []
    pieces.append(text[done:])
    return "".join(pieces), _capped(notes)


def _undo_cp1252(line: str) -> str:
    """The line repaired: by re-decoding when all of it is UTF-8 shown as cp1252 (the common
    case, without loading ftfy), else by ftfy's mojibake fixes alone."""
    try:
        return line.encode("cp1252").decode("utf-8")
    except UnicodeError:
        from ftfy import fix_text

        return str(fix_text(line, _fixer()))


def _diff(old: str, new: str) -> str:
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    return f"{old[start:end_old]!r} -> {new[start:end_new]!r}"
