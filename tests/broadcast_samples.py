"""Shared inputs and independent decoders for the broadcast writer tests (SCC, STL, Avid)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

#: A short hostile transcript: accented, extended and unmappable characters, a cue at 0 ms,
#: two cues one frame apart (7.000 and 7.034 s at 29.97), a 40-second cue of 200+ characters,
#: an empty segment, dual speakers, markup-like text and control characters.
HOSTILE = (
    "[00:00:00.000 --> 00:00:02.000]   Café naïve — “quoted” señor…\n"
    "[00:00:02.000 --> 00:00:05.000]   Über Straße, Åse «bonjour» © ® ♪ la la ♪\n"
    "[00:00:05.000 --> 00:00:07.000]   Emoji 🎉 CJK 日本語 Hebrew שלום <b>&amp; --> {\\an8}\x07\n"
    "[00:00:07.034 --> 00:00:09.000]   One frame later, ‘single’ ÿ ł ĳ quotes.\n"
    "[00:00:09.000 --> 00:00:09.500]   \n"
    "[00:00:10.000 --> 00:00:50.000]   This forty second cue keeps talking about the"
    " long history of closed captions on television, from the first line twenty-one tests in"
    " the seventies to the digital encoders of today, and it never seems to stop at all.\n"
    "[00:00:51.000 --> 00:00:53.000]   - Are you there? - Yes, I am.\n"
)

NTSC = Fraction(30000, 1001)


def paragraphs(doc: Any) -> list[tuple[Fraction, Fraction, str]]:
    """The ``p`` elements of a ttconv document: begin, end (seconds) and text."""
    from ttconv import model

    out: list[tuple[Fraction, Fraction, str]] = []

    def text_of(element: Any, parts: list[str]) -> None:
        for child in element:
            if isinstance(child, model.Text):
                parts.append(child.get_text())
            elif isinstance(child, model.Br):
                parts.append("\n")
            else:
                text_of(child, parts)

    def walk(element: Any, begin: Fraction) -> None:
        for child in element:
            if isinstance(child, model.P):
                parts: list[str] = []
                text_of(child, parts)
                start = begin + (child.get_begin() or 0)
                out.append(
                    (start, start + (child.get_end() - (child.get_begin() or 0)), "".join(parts))
                )
            else:
                walk(child, begin + (child.get_begin() or 0))

    walk(doc.get_body(), Fraction(0))
    return out


def words(text: str) -> list[str]:
    """Words with no-break spaces treated as spaces."""
    return text.replace("\xa0", " ").split()
