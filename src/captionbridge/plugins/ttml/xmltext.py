"""Text helpers the XML writers share (TTML, IMSC, iTT, FCPXML); registers nothing.

Caption text reaches XML in three steps: :func:`clean` makes it legal XML 1.0 character data,
:func:`escape` / :func:`escape_attr` make it markup-safe, and :func:`language` picks the
``xml:lang`` value.

XML 1.0 forbids most C0 control characters, the non-characters U+FFFE and U+FFFF and lone
surrogates; no escape can carry them (``&#1;`` is as illegal as the raw byte). :func:`clean`
*removes* them, because they never show on screen and a replacement character would. A tab
becomes a space and ``\\r\\n`` / ``\\r`` become ``\\n``.
"""

from __future__ import annotations

import re

from captionbridge.helpers.options import LANGUAGE
from captionbridge.model import Transcript
from captionbridge.specs import WriteContext

__all__ = ["clean", "escape", "escape_attr", "fit_lines", "language", "xml_name"]

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_NAME = re.compile(r"[^A-Za-z0-9_.-]")
_NOT_LANG = re.compile(r"[^A-Za-z0-9-]")


def clean(text: str) -> str:
    """Text with every character XML 1.0 forbids removed, tabs as spaces and ``\\n`` breaks."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\t" in text:
        text = text.replace("\t", " ")
    if text.isprintable() or not _FORBIDDEN.search(text):
        return text
    return _FORBIDDEN.sub("", text)


def escape(text: str) -> str:
    """Character data safe between tags (``&``, ``<`` and ``>`` escaped)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def escape_attr(text: str) -> str:
    """An attribute value safe inside double quotes, on one line."""
    text = escape(text).replace('"', "&quot;")
    if "\n" in text:
        text = " ".join(text.split())
    return text


def xml_name(raw: str, prefix: str, taken: set[str]) -> str:
    """A unique XML name (NCName, usable as ``xml:id``) made from ``raw``."""
    base = prefix + _NOT_NAME.sub("_", raw)
    name = base
    number = 1
    while name in taken:
        number += 1
        name = f"{base}_{number}"
    taken.add(name)
    return name


def language(transcript: Transcript, context: WriteContext) -> str:
    """The document language: the transcript's, else the ``language`` option, else ``en``."""
    raw = transcript.language or LANGUAGE.value(context.options) or "en"
    return _NOT_LANG.sub("", raw) or "en"


def _balanced(text: str) -> list[str]:
    words = text.split()
    if len(words) < 2:
        return [" ".join(words)]
    middle = len(" ".join(words)) / 2
    best, best_cost, position = 1, float("inf"), 0
    for i, word in enumerate(words[:-1], start=1):
        position += len(word) + (1 if i > 1 else 0)
        cost = abs(position - middle)
        if cost < best_cost:
            best, best_cost = i, cost
    return [" ".join(words[:best]), " ".join(words[best:])]


def fit_lines(
    turn_lines: list[list[str]], max_lines: int | None
) -> tuple[list[list[str]], list[bool]]:
    """Fit the lines of a cue's turns into ``max_lines`` lines without losing a word.

    Returns each turn's lines and, between consecutive turns, whether a line break separates
    them. When the cue has too many lines: a single turn is rejoined and split into two
    balanced lines; several turns get one line each, and turns after the second share the
    second line.
    """
    breaks = [True] * (len(turn_lines) - 1)
    if max_lines is None or sum(len(lines) for lines in turn_lines) <= max_lines:
        return turn_lines, breaks
    if len(turn_lines) == 1:
        return [_balanced(" ".join(turn_lines[0]))], breaks
    flat = [[" ".join(" ".join(lines).split())] for lines in turn_lines]
    return flat, [i < max_lines - 1 for i in range(len(flat) - 1)]
