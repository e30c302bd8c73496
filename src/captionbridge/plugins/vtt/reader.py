"""WebVTT to a transcript, as the specification reads it; what it skips is reported.

The file is parsed by :mod:`.blocks` (the specification's algorithm), cue text by
:mod:`.cuetext`. Cues come in the specification's text track cue order (by start time, then
longest first, then file order). Whatever the specification ignores without a word is counted
in a note naming its first line: cues whose timing line is invalid, and text blocks without a
timing line. NUL characters become U+FFFD, as the specification says, with a note.
"""

from __future__ import annotations

import re

from ...errors import ParseError
from ...helpers.options import KEEP_EMPTY
from ...helpers.readfix import order_times
from ...model import Content, Note, Speaker, Transcript
from ...specs import ReadContext
from .blocks import Document, Skipped, normalise, parse_document, signature_ok
from .cuetext import turns_of_cue

__all__ = ["guess_vtt", "read_vtt"]

_LANGUAGE = re.compile(r"Language:[ \t]*([^ \t]+)")


def _skipped_note(skipped: list[Skipped], what: str, source: str) -> Note:
    first = skipped[0]
    return Note(
        f"skipped {len(skipped)} {what} (first: line {first.line}: {first.reason})",
        source,
        first.line,
    )


def _notes(doc: Document, text: str, source: str) -> list[Note]:
    notes: list[Note] = []
    if "\x00" in text:
        line = normalise(text[: text.index("\x00")]).count("\n") + 1  # CR ends lines too
        count = text.count("\x00")
        notes.append(Note(f"replaced {count} NUL character(s) with U+FFFD", source, line))
    if doc.bad_timings:
        notes.append(_skipped_note(doc.bad_timings, "cue(s) with an invalid timing line", source))
    if doc.stray:
        notes.append(_skipped_note(doc.stray, "block(s) of text that are not cues", source))
    return notes


def _language(header: list[str]) -> str | None:
    for line in header:
        match = _LANGUAGE.fullmatch(line.strip())
        if match:
            return match.group(1)
    return None


def read_vtt(text: str, context: ReadContext) -> Transcript:
    """Read WebVTT the way the specification does; ``<v Name>`` voices become speakers."""
    doc = parse_document(text)
    if doc is None:
        raise ParseError(
            "not a WebVTT file: the first line must be WEBVTT, alone or followed by a space or"
            " tab and a title",
            source=context.source,
            line=1,
        )
    keep_empty = KEEP_EMPTY.value(context.options)
    starts: list[int] = []
    ends: list[int] = []
    contents: list[Content] = []
    speakers: dict[str, Speaker] = {}
    voice: str | None = None
    for cue in sorted(doc.cues, key=lambda c: (c.start, -c.end)):
        content, voice = turns_of_cue(cue.text, speakers, voice)
        if content == "" and not keep_empty:
            continue
        starts.append(cue.start)
        ends.append(cue.end)
        contents.append(content)
    notes = _notes(doc, text, context.source) + order_times(starts, ends, context.source)
    return Transcript.from_columns(
        starts,
        ends,
        contents,
        language=_language(doc.header),
        speakers=speakers,
        source=context.source,
        notes=notes,
    )


def guess_vtt(text: str, filename: str) -> bool:
    """True when the text starts with a WebVTT signature line."""
    head = text[:64]
    return signature_ok(head.replace("\r", "\n").partition("\n")[0])
