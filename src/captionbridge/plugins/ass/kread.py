"""Word timings from ASS karaoke tags (``\\k``, ``\\kf``/``\\K``, ``\\ko``), as karaoke timers
(Aegisub) and word-level tools (stable-ts) write them, and as our writer does.

Each tag starts a syllable of the given centiseconds, counted from the event's start; the text
up to the next tag is that syllable's. A word (a run of non-space characters of the displayed
text) starts with the syllable of its first character and ends with that of its last, so
sub-word syllables (``{\\k20}Hel{\\k30}lo``) make one word.
"""

from __future__ import annotations

import re

from captionbridge.model import Word

from .text import unescape_text

__all__ = ["karaoke_words"]

_TAG = re.compile(r"\\(?:kf|ko|k|K)(\d{1,9})(?!\d)")  # longer: not a usable time


def _segments(raw: str) -> list[tuple[bool, str]]:
    """``raw`` cut into override blocks (``True``, their inside) and text (``False``), the way
    :func:`~.text.unescape_text` tells them apart (``\\{`` is text)."""
    out: list[tuple[bool, str]] = []
    text_start = i = 0
    size = len(raw)
    while i < size:
        ch = raw[i]
        if ch == "\\":
            i += 2
            continue
        close = raw.find("}", i + 1) if ch == "{" else -1
        if close == -1:
            i += 1
            continue
        out.append((False, raw[text_start:i]))
        out.append((True, raw[i + 1 : close]))
        i = text_start = close + 1
    out.append((False, raw[text_start:]))
    return out


def karaoke_words(raw: str, start: int, end: int, soft_breaks: bool) -> list[Word] | None:
    """The words of an event's ``raw`` text with times from its karaoke tags, or ``None`` when
    it has none or no word has any length (our writer's form of a cue without words). Text
    before the first tag (a turn dash) has no time and gives no word."""
    if "\\k" not in raw and "\\K" not in raw:
        return None
    chars: list[tuple[str, tuple[int, int] | None]] = []
    syllable: tuple[int, int] | None = None
    cursor = 0
    tagged = False
    for is_block, piece in _segments(raw):
        if is_block:
            for match in _TAG.finditer(piece):
                length = int(match.group(1))
                syllable = (cursor, cursor + length)
                cursor += length
                tagged = True
            continue
        if piece:
            shown = "\n".join(line for _, line in unescape_text(piece, soft_breaks))
            chars.extend((ch, syllable) for ch in shown)
    if not tagged:
        return None
    words: list[Word] = []
    text = "".join(ch for ch, _ in chars)
    for match in re.finditer(r"\S+", text):
        first, last = chars[match.start()][1], chars[match.end() - 1][1]
        if first is None or last is None:
            continue  # before the first tag: a turn dash, or text the reader will not match
        begin = min(end, start + first[0] * 10)
        words.append(Word(match.group(), begin, max(begin, min(end, start + last[1] * 10))))
    if not words or all(word.start == word.end for word in words):
        return None  # text in a syllable of no length: shown, never timed (a cue without words)
    return words
