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
from ...helpers.wordrepair import WordRepairs, repair_words
from ...helpers.words import WordFeed
from ...model import Content, Note, Speaker, Transcript, Turn, Word, turns_of, words_agree
from ...specs import ReadContext
from .blocks import Document, Skipped, normalise, parse_document, signature_ok
from .cuetext import turns_of_cue
from .cuewords import has_timestamps, timed_words
from .rolling import unroll

__all__ = ["guess_vtt", "read_vtt"]

_LANGUAGE = re.compile(r"Language:[ \t]*([^ \t]+)")
# a timestamp tag somewhere in the file: only then are word times looked for
_TIMESTAMP_TAG = re.compile(r"<[0-9]")


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
    cues = doc.cues
    timed = _TIMESTAMP_TAG.search(text) is not None
    notes = _notes(doc, text, context.source)
    if timed:
        cues, repeated, dropped = unroll(cues)  # in file order: the order they roll in
        if repeated:
            notes.append(
                Note(
                    f"rolling captions (YouTube): took out {repeated} line(s) repeated from the"
                    f" cue before and {dropped} cue(s) left with nothing new",
                    context.source,
                )
            )
    untimed = 0
    repairs = WordRepairs()
    for cue in sorted(cues, key=lambda c: (c.start, -c.end)):
        content, voice = turns_of_cue(cue.text, speakers, voice)
        if content == "" and not keep_empty:
            continue
        if timed and has_timestamps(cue.text):
            raw = [
                (w.text, w.start, w.end, None) for w in timed_words(cue.text, cue.start, cue.end)
            ]
            words = repair_words(raw, cue.start, cue.end, repairs)  # no zero-length words
            content, agreed = _with_words(content, words)
            untimed += not agreed
        starts.append(cue.start)
        ends.append(cue.end)
        contents.append(content)
    if untimed:
        notes.append(
            Note(
                f"{untimed} cue(s) with timestamps whose words did not match their text;"
                " read without word timings",
                context.source,
            )
        )
    notes += repairs.notes(context.source)
    notes += order_times(starts, ends, context.source)
    return Transcript.from_columns(
        starts,
        ends,
        contents,
        language=_language(doc.header),
        speakers=speakers,
        source=context.source,
        notes=notes,
    )


def _with_words(content: Content, words: tuple[Word, ...]) -> tuple[Content, bool]:
    """The cue's turns with the timed words handed out to them; whether they all agreed."""
    feed = WordFeed(words)
    turns: list[Turn] = []
    agreed = True
    for turn in turns_of(content):
        fed = Turn(turn.text, turn.speaker, turn.change, feed.take(turn.text))
        if not words_agree(fed):
            fed, agreed = turn, False
        turns.append(fed)
    return tuple(turns), agreed


def guess_vtt(text: str, filename: str) -> bool:
    """True when the text starts with a WebVTT signature line."""
    head = text[:64]
    return signature_ok(head.replace("\r", "\n").partition("\n")[0])
