"""WebVTT cue text to speaker turns: the specification's tokenizer and voice scoping.

Tags are cut as the specification's cue text tokenizer cuts them: a tag runs from ``<`` to the
next ``>`` or to the end of the text (``a < b`` is the text ``a `` and an unclosed tag), so one
pass finds them all. ``c``, ``i``, ``b``, ``u``, ``ruby``, ``rt``, ``v`` and ``lang`` open
elements; an end tag closes the current element when its name matches (``</ruby>`` also closes
an ``rt``); timestamp tags and unknown tags are left out. Text takes the voice of the innermost
open ``<v>``; each voice span is a turn whose speaker is the voice's annotation. Text outside
voices keeps the turn dashes of :func:`~captionbridge.helpers.turns.turns_from_lines`.
Character references are decoded the way HTML decodes them (what the specification asks for),
and the word joiners our writer puts in are taken out again.
"""

from __future__ import annotations

import re

from ...helpers.turns import turns_from_lines
from ...model import Content, Speaker, Turn, turns_of

__all__ = ["TAG", "clean_text", "plain", "turns_of_cue"]

# a tag ends at '>' or at the end of the text: one match per '<', never a second scan
TAG = re.compile(r"<([^>]*)>?")
_ANNOTATION_END = re.compile(r"[ \t\n\f]")
_NOT_SPACE_RUN = re.compile(r"[\t\n\f\r]+")
_ELEMENTS = frozenset(("c", "i", "b", "u", "ruby", "v", "lang"))
_JOINER = "\u2060"


def _unescape(text: str) -> str:
    if "&" not in text:
        return text
    from html import unescape  # not loaded at start-up

    return unescape(text)


def plain(raw: str) -> str:
    """The text of a cue without its tags, character references decoded."""
    if "<" in raw:
        raw = TAG.sub("", raw)
    return _unescape(raw)


def _start_tag(content: str) -> tuple[str, str]:
    """The name and the annotation of a start tag (classes are of no use here)."""
    match = _ANNOTATION_END.search(content)
    if match is None:
        return content.partition(".")[0], ""
    name = content[: match.start()].partition(".")[0]
    # the spec: strip, and make each run of whitespace other than spaces one space
    annotation = content[match.end() :].strip(" \t\n\f\r")
    return name, _NOT_SPACE_RUN.sub(" ", annotation)


def _pieces(raw: str) -> list[tuple[str | None, str, bool]]:
    """The text of a cue cut at voice changes: ``(voice, text, in a voice span)`` pieces."""
    # open elements, each with the voice in effect inside it: O(1) per tag at any depth
    stack: list[tuple[str, str | None, bool]] = []
    pieces: list[tuple[str | None, str, bool]] = []
    voice: str | None = None
    voiced = False
    text: list[str] = []
    position = 0
    for match in TAG.finditer(raw):
        text.append(raw[position : match.start()])
        position = match.end()
        content = match.group(1)
        if content.startswith("/"):
            name = content[1:]
            if not stack:
                continue
            if name == stack[-1][0]:
                stack.pop()
            elif name == "ruby" and stack[-1][0] == "rt":
                del stack[-2:]
            else:
                continue
        elif content[:1].isdigit():
            continue  # a timestamp tag: word times, which the model does not keep
        else:
            name, annotation = _start_tag(content)
            if name == "v":
                stack.append(("v", _unescape(annotation) or None, True))
            elif name in _ELEMENTS or (name == "rt" and stack and stack[-1][0] == "ruby"):
                stack.append((name, voice, voiced))
                continue
            else:
                continue
        inner, now_voiced = (stack[-1][1], stack[-1][2]) if stack else (None, False)
        if (inner, now_voiced) != (voice, voiced):
            pieces.append((voice, "".join(text), voiced))
            text = []
            voice, voiced = inner, now_voiced
    text.append(raw[position:])
    pieces.append((voice, "".join(text), voiced))
    return pieces


def _clean(text: str) -> str:
    """Text without the word joiners our writer puts before ``\\N``, ``\\h`` and dashes that
    are no turn markers (and before the decimal point of a clock time)."""
    return text.replace(_JOINER, "") if _JOINER in text else text


def clean_text(text: str) -> str:
    """Text outside tags as a reader shows it: character references decoded, our word joiners
    taken out."""
    return _clean(_unescape(text))


def turns_of_cue(
    raw: str, speakers: dict[str, Speaker], previous: str | None
) -> tuple[Content, str | None]:
    """The turns of one cue, and the last voice heard (``previous`` is the one before it)."""
    if "<v" not in raw:
        content = turns_from_lines(plain(raw).strip())
        if _JOINER in raw:
            content = _without_joiners(content)
        return content, previous
    turns: list[Turn] = []
    for name, text, voiced in _pieces(raw):
        if not voiced:
            text = text.strip()
            if text:
                turns.extend(turns_of(_without_joiners(turns_from_lines(_unescape(text)))))
            continue
        if name is not None:
            speakers.setdefault(name, Speaker(name, name))
        said = _unescape(text).strip()
        dashed = said.startswith("- ")  # the dual-speaker dash players show inside the voice
        turns.append(
            Turn(
                _clean(said[2:] if dashed else said).strip(),
                name,
                dashed or (previous is not None and name != previous),
            )
        )
        previous = name
    if not turns:
        return "", previous
    return tuple(turns), previous


def _without_joiners(content: Content) -> Content:
    """Drop the word joiners our writer puts before a dash that is not a turn marker."""
    if isinstance(content, str):
        return _clean(content)
    return tuple(Turn(_clean(t.text), t.speaker, t.change) for t in content)
