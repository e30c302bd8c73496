"""CEA-608 (line 21) byte pairs for caption channel 1: the character sets, control codes,
preamble address codes and odd parity.

Characters come in three sets (CEA-608-E §6.4 and Annex A):

- basic: one byte 0x20-0x7F, two per byte pair; mostly ASCII, but 0x2A, 0x5C, 0x5E-0x60 and
  0x7B-0x7F hold ``á é í ó ú ç ÷ Ñ ñ █`` instead of ``* \\ ^ _ ` { | } ~ DEL``;
- special: 0x11 0x30-0x3F (``® ° ½ ¿ ™ ¢ £ ♪ à`` and a few accented vowels);
- extended: 0x12/0x13 0x20-0x3F (Spanish, French, Portuguese, German, Danish letters, ``« »``,
  ``©``, the ASCII characters the basic set lacks...). A decoder that knows them backspaces over
  the character before, so each is sent after a plain fallback character that older decoders
  keep.

Special and extended characters, like control codes, are sent twice: decoders ignore a code
that repeats the one just before it.
"""

from __future__ import annotations

import functools

__all__ = [
    "CR",
    "EDM",
    "ENM",
    "EOC",
    "KNOWN",
    "RCL",
    "encode_row",
    "pac_words",
    "roll_up",
    "row_pairs",
    "row_width",
]


def _parity(byte: int) -> int:
    return byte | 0x80 if bin(byte).count("1") % 2 == 0 else byte


_HEX = [f"{_parity(b):02x}" for b in range(128)]


def word(b1: int, b2: int) -> str:
    """A byte pair as the four hex digits of an SCC file, with odd parity on both bytes."""
    return _HEX[b1] + _HEX[b2]


RCL = word(0x14, 0x20)  # resume caption loading (pop-on)
ENM = word(0x14, 0x2E)  # erase non-displayed memory
EOC = word(0x14, 0x2F)  # end of caption: swap memories
EDM = word(0x14, 0x2C)  # erase displayed memory
CR = word(0x14, 0x2D)  # carriage return (roll-up)
_ROLL_UP = {2: word(0x14, 0x25), 3: word(0x14, 0x26), 4: word(0x14, 0x27)}

_BASIC_SWAPS = {
    0x2A: "á",
    0x5C: "é",
    0x5E: "í",
    0x5F: "ó",
    0x60: "ú",
    0x7B: "ç",
    0x7C: "÷",
    0x7D: "Ñ",
    0x7E: "ñ",
    0x7F: "█",
}
BASIC: dict[str, int] = {chr(b): b for b in range(0x20, 0x80) if b not in _BASIC_SWAPS}
BASIC.update({c: b for b, c in _BASIC_SWAPS.items()})

SPECIAL: dict[str, int] = {c: 0x30 + i for i, c in enumerate("®°½¿™¢£♪à\x00èâêîôû") if c != "\x00"}

_EXT_12 = "ÁÉÓÚÜü‘¡*'—©℠•“”ÀÂÇÈÊËëÎÏïÔÙùÛ«»"
_EXT_13 = "ÃãÍÌìÒòÕõ{}\\^_|~ÄäÖöß¥¤┃ÅåØø┏┓┗┛"
EXTENDED: dict[str, tuple[int, int]] = {}
for _i, _c in enumerate(_EXT_12):
    EXTENDED.setdefault(_c, (0x12, 0x20 + _i))
for _i, _c in enumerate(_EXT_13):
    EXTENDED.setdefault(_c, (0x13, 0x20 + _i))
# the typographic quotes and dash of the extended set are sent plain (see broadcast.PLAIN):
# decoders disagree about them and editors show them inconsistently
for _c in "‘'—“”":
    EXTENDED.pop(_c, None)

#: Every character this module can encode.
KNOWN: frozenset[str] = frozenset(BASIC) | frozenset(SPECIAL) | frozenset(EXTENDED)

#: The basic character sent before an extended one, for decoders that lack the extended set.
_FALLBACK_TABLE = {
    "«": '"',
    "»": '"',
    "©": "c",
    "℠": "s",
    "•": ".",
    "¥": "Y",
    "¤": "$",
    "┃": "!",
    "┏": "+",
    "┓": "+",
    "┗": "+",
    "┛": "+",
    "ß": "s",
    "Ø": "O",
    "ø": "o",
    "*": ".",
    "{": "(",
    "}": ")",
    "\\": "/",
    "^": "'",
    "_": "-",
    "|": "!",
    "~": "-",
}


def fallback(c: str) -> int:
    """The basic-set byte shown by decoders that do not know extended character ``c``."""
    plain = _FALLBACK_TABLE.get(c)
    if plain is None:
        import unicodedata

        plain = unicodedata.normalize("NFKD", c)[0]
    return BASIC.get(plain, 0x20)


def row_width(text: str) -> int:
    """Columns ``text`` takes on screen (every known character takes one)."""
    return len(text)


_BASIC_CHARS = frozenset(BASIC)
_ASCII_BASIC = frozenset(c for c in BASIC if c.isascii())
#: the basic characters outside ASCII -> the character whose code is their byte
_TO_CODE = {ord(c): chr(b) for c, b in BASIC.items() if not c.isascii()}
#: byte -> byte with odd parity (0x00, the filler after an odd character, becomes 0x80)
_PARITY = bytes(_parity(b) for b in range(128)) + bytes(128)


def row_bytes(text: str) -> bytes:
    """The bytes (parity applied) of the pairs that paint ``text`` (already mapped onto
    :data:`KNOWN`): the groups of :func:`encode_row` run together."""
    if _ASCII_BASIC.issuperset(text):
        # the common case, at C speed: every character is its own byte, two to a pair
        raw = text.encode("ascii")
    elif _BASIC_CHARS.issuperset(text):
        raw = text.translate(_TO_CODE).encode("ascii")
    else:
        return bytes.fromhex("".join(w for group in encode_row(text) for w in group))
    if len(raw) % 2:
        raw += b"\x00"
    return raw.translate(_PARITY)


def row_pairs(text: str) -> list[str]:
    """The byte pairs of :func:`row_bytes` as the four hex digits each of an SCC file."""
    data = row_bytes(text)
    return data.hex(" ", 2).split(" ") if data else []


@functools.lru_cache(maxsize=4096)
def encode_row(text: str) -> tuple[tuple[str, ...], ...]:
    """The byte pairs that paint ``text`` (already mapped onto :data:`KNOWN`), in groups that
    must stay together: a pair of basic characters, or a special/extended code with its copy
    (and the pair carrying an extended character's fallback)."""
    groups: list[tuple[str, ...]] = []
    pending: int | None = None
    for c in text:
        b = BASIC.get(c)
        if b is not None:
            if pending is None:
                pending = b
            else:
                groups.append((word(pending, b),))
                pending = None
            continue
        s = SPECIAL.get(c)
        if s is not None:
            if pending is not None:
                groups.append((word(pending, 0x00),))
                pending = None
            code = word(0x11, s)
            groups.append((code, code))
            continue
        e1, e2 = EXTENDED[c]
        code = word(e1, e2)
        if pending is not None:
            groups.append((word(pending, fallback(c)), code, code))
            pending = None
        else:
            groups.append((word(fallback(c), 0x00), code, code))
    if pending is not None:
        groups.append((word(pending, 0x00),))
    return tuple(groups)


# preamble address codes: first byte and base of the second byte for rows 1-15
_PAC_ROWS = {
    1: (0x11, 0x40),
    2: (0x11, 0x60),
    3: (0x12, 0x40),
    4: (0x12, 0x60),
    5: (0x15, 0x40),
    6: (0x15, 0x60),
    7: (0x16, 0x40),
    8: (0x16, 0x60),
    9: (0x17, 0x40),
    10: (0x17, 0x60),
    11: (0x10, 0x40),
    12: (0x13, 0x40),
    13: (0x13, 0x60),
    14: (0x14, 0x40),
    15: (0x14, 0x60),
}


@functools.cache
def pac_words(row: int, column: int) -> tuple[str, str | None]:
    """The preamble address code that puts the cursor on ``row`` (1-15) at ``column`` (0-31),
    as an indent PAC (a multiple of 4) plus a tab offset (1-3 columns) when needed."""
    b1, base = _PAC_ROWS[row]
    indent, tab = divmod(column, 4)
    pac = word(b1, base + 0x10 + indent * 2)
    return pac, (word(0x17, 0x20 + tab) if tab else None)


def roll_up(rows: int) -> str:
    """The roll-up command for 2, 3 or 4 rows."""
    return _ROLL_UP[rows]
