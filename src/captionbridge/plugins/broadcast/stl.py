"""EBU-STL (``.stl``, EBU Tech 3264): the binary subtitle file of European broadcast, read by
Avid, Premiere and playout systems.

A 1024-byte GSI block (code page 850, ``STL25.01``/``STL30.01``, display standard, character
table 00 = ISO 6937 Latin, language, titles, dates, counts, start timecode...) followed by one
128-byte TTI block per subtitle (or several, linked by extension block numbers, when the text
does not fit its 112 bytes). Text is ISO 6937: accented letters are a non-spacing diacritic byte
(0xC1-0xCF) followed by the plain letter; what ISO 6937 lacks is mapped as in
:mod:`.broadcast`, with a note. Teletext files (the default) show each row in double height
inside a box; ``--stl-display open`` writes open subtitles without teletext control codes.

Frame rate: EBU-STL has frame codes for 25 (``STL25.01``) and 30 / 29.97 (``STL30.01``) fps.
Without ``--fps`` it is written at 25 (with a note); a project rate it has no code for is
written at its carrier (23.976 and 59.94 at 29.97, 24 and 60 at 30, 50 at 25), with a note;
any other rate is refused. See docs/frame-rates.md.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
from fractions import Fraction

from captionbridge.errors import CaptionbridgeError
from captionbridge.helpers.framerate import project_fps
from captionbridge.helpers.options import LANGUAGE, SPEAKER_STYLE
from captionbridge.helpers.timecode import fps_name
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Transcript
from captionbridge.specs import OptionSpec, WriteContext, WriterSpec

from .common import CharMapper, frame_of, start_offset, turn_lines, wrap

NAME = "stl"
TF_SIZE = 112
NEWLINE = 0x8A
UNUSED = 0x8F
DOUBLE_HEIGHT = 0x0D
START_BOX = 0x0B
END_BOX = 0x0A
#: subtitle numbers are 16-bit; extension block numbers 0x00-0xEF, then 0xFF for the last
MAX_SUBTITLES = 0xFFFF
MAX_BLOCKS = 0xF0 + 1

#: ISO 6937 characters outside ASCII that take one byte.
_SINGLE: dict[str, int] = {
    "\u00a1": 0xA1, "¢": 0xA2, "£": 0xA3, "¥": 0xA5, "§": 0xA7, "¤": 0xA8,
    "«": 0xAB, "←": 0xAC, "↑": 0xAD, "→": 0xAE, "↓": 0xAF, "°": 0xB0, "±": 0xB1, "²": 0xB2,
    "³": 0xB3, "×": 0xB4, "µ": 0xB5, "¶": 0xB6, "·": 0xB7, "÷": 0xB8, "»": 0xBB, "¼": 0xBC,
    "½": 0xBD, "¾": 0xBE, "¿": 0xBF, "—": 0xD0, "¹": 0xD1, "®": 0xD2, "©": 0xD3, "™": 0xD4,
    "♪": 0xD5, "¬": 0xD6, "¦": 0xD7, "⅛": 0xDC, "⅜": 0xDD, "⅝": 0xDE, "⅞": 0xDF, "Ω": 0xE0,
    "Æ": 0xE1, "Đ": 0xE2, "ª": 0xE3, "Ħ": 0xE4, "Ĳ": 0xE6, "Ŀ": 0xE7, "Ł": 0xE8, "Ø": 0xE9,
    "Œ": 0xEA, "º": 0xEB, "Þ": 0xEC, "Ŧ": 0xED, "Ŋ": 0xEE, "ŉ": 0xEF, "ĸ": 0xF0, "æ": 0xF1,
    "đ": 0xF2, "ð": 0xF3, "ħ": 0xF4, "ı": 0xF5, "ĳ": 0xF6, "ŀ": 0xF7, "ł": 0xF8, "ø": 0xF9,
    "œ": 0xFA, "ß": 0xFB, "þ": 0xFC, "ŧ": 0xFD, "ŋ": 0xFE,
    "‘": 0xA9, "“": 0xAA, "’": 0xB9, "”": 0xBA,
}  # fmt: skip

#: Combining diacritics and the ISO 6937 non-spacing byte sent before the letter.
_DIACRITICS: dict[str, int] = {
    "\u0300": 0xC1,  # grave
    "\u0301": 0xC2,  # acute
    "\u0302": 0xC3,  # circumflex
    "\u0303": 0xC4,  # tilde
    "\u0304": 0xC5,  # macron
    "\u0306": 0xC6,  # breve
    "\u0307": 0xC7,  # dot above
    "\u0308": 0xC8,  # diaeresis
    "\u030a": 0xCA,  # ring above
    "\u0327": 0xCB,  # cedilla
    "\u030b": 0xCD,  # double acute
    "\u0328": 0xCE,  # ogonek
    "\u030c": 0xCF,  # caron
}


class _Iso6937:
    """``char in table`` and ``table[char]`` for every character ISO 6937 can write."""

    def __init__(self) -> None:
        self.codes: dict[str, bytes] = {chr(b): bytes([b]) for b in range(0x20, 0x7F)}
        self.codes.update({c: bytes([b]) for c, b in _SINGLE.items()})
        self.codes["Đ"] = b"\xe2"

    def __contains__(self, c: object) -> bool:
        return isinstance(c, str) and self.get(c) is not None

    def get(self, c: str) -> bytes | None:
        hit = self.codes.get(c)
        if hit is not None:
            return hit
        parts = unicodedata.normalize("NFD", c)
        if len(parts) == 2 and parts[0].isascii() and parts[0].isalpha():
            mark = _DIACRITICS.get(parts[1])
            if mark is not None:
                code = bytes([mark]) + parts[0].encode("ascii")
                self.codes[c] = code
                return code
        return None

    def encode(self, text: str) -> bytes:
        if text.isascii() and text.isprintable():  # 0x20-0x7E: the same bytes in ISO 6937
            return text.encode("ascii")
        return b"".join(self.codes[c] if c in self.codes else self.get(c) or b"" for c in text)


ISO6937 = _Iso6937()

#: EBU Tech 3264 Appendix 3 language codes (hex) by ISO 639-1 code.
LANGUAGES: dict[str, str] = {
    "sq": "01", "br": "02", "ca": "03", "hr": "04", "cy": "05", "cs": "06", "da": "07",
    "de": "08", "en": "09", "es": "0A", "eo": "0B", "et": "0C", "eu": "0D", "fo": "0E",
    "fr": "0F", "fy": "10", "ga": "11", "gd": "12", "gl": "13", "is": "14", "it": "15",
    "se": "16", "la": "17", "lv": "18", "lb": "19", "lt": "1A", "hu": "1B", "mt": "1C",
    "nl": "1D", "no": "1E", "nb": "1E", "nn": "1E", "oc": "1F", "pl": "20", "pt": "21",
    "ro": "22", "rm": "23", "sr": "24", "sk": "25", "sl": "26", "fi": "27", "sv": "28",
    "tr": "29",
}  # fmt: skip

_NTSC = Fraction(30000, 1001)
_RATES = {Fraction(25): b"STL25.01", _NTSC: b"STL30.01", Fraction(30): b"STL30.01"}
#: The rates of EBU-STL's frame codes, the EBU's own first.
FRAME_RATES = tuple(_RATES)
#: The STL rate a project rate is written at when EBU-STL cannot carry it: the 1001 rates on
#: 29.97 (the NTSC carrier of 23.976 material), 24 on 30, the double rates on their half.
_CARRIERS = {
    Fraction(24000, 1001): _NTSC,
    Fraction(24): Fraction(30),
    Fraction(50): Fraction(25),
    Fraction(60000, 1001): _NTSC,
    Fraction(60): Fraction(30),
}


def stl_rate(context: WriteContext) -> Fraction:
    """The rate the TTI timecodes are written at: the project rate when EBU-STL has a frame code
    for it (25, 29.97, 30), else its carrier (with a note), else a one-line refusal."""
    fps = project_fps(context, NAME, FRAME_RATES)
    if fps in _RATES:
        return fps
    carrier = _CARRIERS.get(fps)
    if carrier is None:
        raise CaptionbridgeError(
            f"EBU-STL has frame codes for 25 and 30 (29.97) fps only, not {fps_name(fps)};"
            " give --fps 25, 29.97 or 30 for STL"
        )
    context.note(
        f"{NAME}: EBU-STL has no {fps_name(fps)} fps frame code: timecodes written at"
        f" {fps_name(carrier)} fps ({_RATES[carrier].decode()}), each time on the nearest"
        f" {fps_name(carrier)} fps frame"
    )
    return carrier


def _field(value: str | bytes, size: int) -> bytes:
    data = value.encode("cp850", "replace") if isinstance(value, str) else value
    return data[:size].ljust(size, b" ")


def _number(value: int, size: int) -> bytes:
    if value >= 10**size:
        raise CaptionbridgeError(f"EBU-STL: {value} does not fit a {size}-digit field")
    return str(value).zfill(size).encode("ascii")


def _hmsf(frame: int, base: int) -> tuple[int, int, int, int]:
    seconds, ff = divmod(frame, base)
    minutes, ss = divmod(seconds, 60)
    hh, mm = divmod(minutes, 60)
    if hh > 99:
        raise CaptionbridgeError("EBU-STL: a time past 99 hours")
    return hh, mm, ss, ff


def _date() -> str:
    import datetime  # only when writing STL

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (
        datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
        if epoch and epoch.isdigit()
        else datetime.datetime.now(datetime.timezone.utc)
    )
    return when.strftime("%y%m%d")


def text_field(lines: list[str], teletext: bool) -> bytes:
    """The text of one subtitle: rows separated by 0x8A (two in double height), each teletext
    row in double height inside a box."""
    rows = []
    for line in lines:
        data = ISO6937.encode(line)
        if teletext:
            data = bytes([DOUBLE_HEIGHT, START_BOX, START_BOX]) + data + bytes([END_BOX, END_BOX])
        rows.append(data)
    separator = bytes([NEWLINE, NEWLINE]) if teletext else bytes([NEWLINE])
    return separator.join(rows)


def tti_blocks(
    number: int, tci: tuple[int, ...], tco: tuple[int, ...], vp: int, text: bytes
) -> list[bytes]:
    """The TTI block(s) of one subtitle; text longer than 112 bytes goes on in extension
    blocks numbered from 0, the last one numbered 0xFF."""
    chunks = [text[i : i + TF_SIZE] for i in range(0, len(text), TF_SIZE)] or [b""]
    if number > MAX_SUBTITLES:
        raise CaptionbridgeError(f"EBU-STL holds at most {MAX_SUBTITLES:,} subtitles")
    if len(chunks) > MAX_BLOCKS:
        raise CaptionbridgeError(
            f"EBU-STL: subtitle {number} has {len(text):,} bytes of text; at most"
            f" {MAX_BLOCKS * TF_SIZE:,} fit in one subtitle's {MAX_BLOCKS} blocks"
        )
    blocks = []
    for k, chunk in enumerate(chunks):
        ebn = 0xFF if k == len(chunks) - 1 else k
        head = bytes([0]) + number.to_bytes(2, "little") + bytes([ebn, 0])
        times = bytes(tci) + bytes(tco)
        tail = bytes([vp, 0x02, 0x00])
        blocks.append(head + times + tail + chunk.ljust(TF_SIZE, bytes([UNUSED])))
    return blocks


def write_stl(transcript: Transcript, context: WriteContext) -> bytes:
    """Render a transcript as an EBU-STL file."""
    options = context.options
    fps = stl_rate(context)
    base = 25 if fps == 25 else 30
    teletext = STL_DISPLAY.value(options) == "teletext"
    width = 37 if teletext else 40  # teletext rows are 40 cells, 3 taken by control codes
    max_rows = 0
    offset = start_offset(context, fps, False)
    mapper = CharMapper(ISO6937)
    starts, ends, _ = transcript.columns()
    starts, ends = list(starts), list(ends)  # lazily parsed stamps: convert them all at once
    frame = frame_of(fps)
    style = SPEAKER_STYLE.value(options)
    blocks: list[bytes] = []
    subtitles = 0
    max_chars = 0
    first_in: tuple[int, ...] | None = None
    for index, turns in enumerate(turn_lines(transcript, style, previous=context.previous)):
        lines: list[str] = []
        for turn in turns:
            for part in turn.split("\n"):  # a line break chosen by reflow is a row break
                lines.extend(wrap(mapper(part), width))
        if not lines:
            continue
        first = frame(starts[index]) + offset
        last = max(frame(ends[index]) + offset, first + 1)
        tci, tco = _hmsf(first, base), _hmsf(last, base)
        first_in = first_in or tci
        step = 2 if teletext else 1
        vp = max(1, 23 - step * (len(lines) - 1) - (1 if teletext else 0))
        max_chars = max(max_chars, *(len(line) for line in lines))
        subtitles += 1
        blocks.extend(tti_blocks(subtitles, tci, tco, vp, text_field(lines, teletext)))
        max_rows = max(max_rows, len(lines))
    mapper.report(context, "stl", transcript.source)
    language = (LANGUAGE.value(options) or transcript.language or "").split("-")[0].lower()
    title = STL_TITLE.value(options) or context.stem
    date = _date()
    tcp = _hmsf(offset, base)
    gsi = b"".join(
        [
            b"850",
            _RATES[fps],
            b"1" if teletext else b"0",
            b"00",
            LANGUAGES.get(language, "00").encode("ascii"),
            _field(title, 32),  # OPT
            _field("", 32),  # OET
            _field(title, 32),  # TPT
            _field("", 32),  # TET
            _field("", 32),  # TN
            _field("", 32),  # TCD
            _field("", 16),  # SLR
            date.encode("ascii"),  # CD
            date.encode("ascii"),  # RD
            b"00",  # RN
            _number(len(blocks), 5),  # TNB
            _number(subtitles, 5),  # TNS
            b"001",  # TNG
            _number(max(max_chars, 1), 2),  # MNC
            _number(23 if teletext else max(max_rows, 1), 2),  # MNR
            b"1",  # TCS: time codes intended for use
            "{:02d}{:02d}{:02d}{:02d}".format(*tcp).encode("ascii"),  # TCP
            "{:02d}{:02d}{:02d}{:02d}".format(*(first_in or tcp)).encode("ascii"),  # TCF
            b"1",  # TND
            b"1",  # DSN
            _field("", 3),  # CO
            _field("", 32),  # PUB
            _field("", 32),  # EN
            _field("", 32),  # ECD
            _field("", 75),  # spare
            _field("", 576),  # UDA
        ]
    )
    assert len(gsi) == 1024, len(gsi)
    return gsi + b"".join(blocks)


STL_DISPLAY = OptionSpec(
    "stl_display",
    "EBU-STL display standard: teletext (level 1, double height) or open subtitles.",
    default="teletext",
    choices=("teletext", "open"),
)
STL_TITLE = OptionSpec("stl_title", "EBU-STL programme title (default: the output file's name).")


@hookimpl
def captionbridge_register_options(register: Callable[[OptionSpec], None]) -> None:
    register(STL_DISPLAY)
    register(STL_TITLE)


@hookimpl
def captionbridge_register_writers(register: Callable[[WriterSpec], None]) -> None:
    register(
        WriterSpec(
            NAME,
            write_stl,
            extension=".stl",
            aliases=("ebu-stl", "ebustl"),
            description="EBU-STL subtitles (Tech 3264, binary)",
            frame_based=True,
            frame_rates=FRAME_RATES,
        )
    )
