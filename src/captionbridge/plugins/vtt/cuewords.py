"""Word timings from WebVTT cue timestamps (``word<00:00:01.500> next``, YouTube's
``<00:00:01.500><c> word</c>``).

A timestamp tag starts the text after it: the first words of a cue start at the cue's start,
each timestamp starts the next word, and the last word ends at the cue's end. Words between
two times without one of their own share that stretch in proportion to their length. A tag in
the middle of a word (syllable karaoke, ``hel<00:01.000>lo``) does not cut it: the word runs
from its first piece's time to its last piece's end. Times are kept inside the cue and never
go back.
"""

from __future__ import annotations

import re

from ...model import Word
from .blocks import parse_timestamp
from .cuetext import TAG, clean_text

__all__ = ["has_timestamps", "timed_words"]

# the timestamps writers produce, read without the specification's steps (same answer)
_STAMP = re.compile(r"(?:([0-9]{1,4}):)?([0-5][0-9]):([0-5][0-9])\.([0-9]{3})")


def _stamp(content: str) -> int | None:
    """A timestamp tag's time in milliseconds, or ``None`` when the tag is no timestamp."""
    match = _STAMP.fullmatch(content)
    if match is not None:
        hours, minutes, seconds, fraction = match.groups()
        return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(fraction)
    stamp = parse_timestamp(content, 0)
    if isinstance(stamp, str) or stamp[1] != len(content):
        return None
    return stamp[0]


def has_timestamps(raw: str) -> bool:
    """Whether a cue's raw text holds a timestamp tag."""
    return "<" in raw and any(match.group(1)[:1].isdigit() for match in TAG.finditer(raw))


def _runs(raw: str, start: int, end: int) -> list[tuple[int, str]]:
    """The cue text cut at its timestamp tags: ``(time, text)``, other tags left out."""
    runs: list[tuple[int, str]] = []
    time = start
    pieces: list[str] = []
    position = 0
    for match in TAG.finditer(raw):
        pieces.append(raw[position : match.start()])
        position = match.end()
        content = match.group(1)
        if not content[:1].isdigit():
            continue
        stamp = _stamp(content)
        if stamp is None:
            continue  # not a timestamp: the specification ignores the tag
        runs.append((time, "".join(pieces)))
        pieces = []
        time = min(max(stamp, time), end)
    pieces.append(raw[position:])
    runs.append((time, "".join(pieces)))
    return runs


def timed_words(raw: str, start: int, end: int) -> list[Word]:
    """The words of a cue with the times its timestamp tags give them."""
    runs = _runs(raw, start, end)
    words: list[Word] = []
    glued = False  # the text before ended inside a word
    for index, (time, text) in enumerate(runs):
        until = runs[index + 1][0] if index + 1 < len(runs) else end
        tokens = clean_text(text).split()
        if not tokens:
            glued = False
            continue
        continues = glued and words and not text[:1].isspace()
        total = sum(len(token) + 1 for token in tokens)
        at = time
        spoken = 0
        for number, token in enumerate(tokens):
            spoken += len(token) + 1
            stop = time + (until - time) * spoken // total
            if number == 0 and continues:
                last = words[-1]
                words[-1] = Word(last.text + token, last.start, stop)
            else:
                words.append(Word(token, at, stop))
            at = stop
        glued = not text[-1:].isspace()
    return words
