"""The OpenAI API's ``verbose_json`` (``timestamp_granularities=["word"]``): ``{"task",
"language": "english", "duration", "text", "words": [{"word": "The", "start": 0.0, "end": 0.24}],
"segments": [{"start", "end", "text", ...}]}``.

Seconds; the words have no probability, no leading space and no punctuation: the punctuation
and case come back from the segment text (or the document text) when both spell the same
words. ``segments`` may be absent: cues are then cut after sentence ends, pauses of a second
or more, and every :data:`MAX_CUE_CHARS` characters. ``diarized_json`` puts ``speaker`` on
segments, which is kept.
"""

from __future__ import annotations

from typing import Any

from ...helpers.wordrepair import RawWord
from ...model import Transcript
from ...specs import ReadContext
from .common import (
    Bad,
    Path,
    Segment,
    array,
    language_of,
    read_segments,
    seconds,
    speaker_of,
    text_of,
)
from .words import punctuate, word_rows

NAME = "openai-json"
DESCRIPTION = "OpenAI API verbose_json (top-level words[], seconds; segments optional)"
#: without segments, a cue is cut at the first word past this many characters
MAX_CUE_CHARS = 84
#: without segments, a pause this long (ms) between words starts a new cue
PAUSE_MS = 1000


def _words(document: dict[str, Any]) -> list[RawWord]:
    rows = word_rows(document.get("words"), ("words",), "word", None)
    return [(t.strip(), s, e, c) for t, s, e, c in rows if t.strip()]


def _with_text(words: list[RawWord], reference: str) -> list[RawWord]:
    return punctuate(words, reference) or words


def _cut(words: list[RawWord]) -> list[list[RawWord]]:
    """Cue-sized runs of words, for a document without segments."""
    runs: list[list[RawWord]] = []
    run: list[RawWord] = []
    length = 0
    for word in words:
        if run:
            last = run[-1]
            pause = 0
            if word[1] is not None and last[2] is not None:
                pause = word[1] - last[2]
            if last[0][-1] in ".?!" or pause >= PAUSE_MS or length >= MAX_CUE_CHARS:
                runs.append(run)
                run, length = [], 0
        run.append(word)
        length += len(word[0]) + 1
    if run:
        runs.append(run)
    return runs


def _bounds(run: list[RawWord]) -> tuple[int, int]:
    times = [t for w in run for t in (w[1], w[2]) if t is not None]
    return (min(times), max(times)) if times else (0, 0)


def _start_ms(segment: Any) -> int:
    """A segment's start for sharing out the words; a bad one is reported by the segment."""
    try:
        return seconds(segment.get("start"), "start", ()) if isinstance(segment, dict) else 0
    except Bad:
        return 0


def read(text: str, document: dict[str, Any], context: ReadContext) -> Transcript:
    """A parsed ``verbose_json`` document as a transcript."""
    words = _words(document)
    segments = array(document, "segments")
    language = language_of(document.get("language"))
    if not segments:
        runs = _cut(_with_text(words, text_of(document.get("text"), "text", ("text",))))
        items = [{"run": run} for run in runs]

        def from_run(item: dict[str, Any], path: Path) -> Segment:
            run = item["run"]
            start, end = _bounds(run)
            return Segment(start, end, "", words=run)

        return read_segments(text, items, ("words",), from_run, context, language)
    starts = [_start_ms(segment) for segment in segments]
    owner: list[list[RawWord]] = [[] for _ in segments]
    at = 0
    for word in words:
        start = word[1] if word[1] is not None else 0
        while at + 1 < len(segments) and start >= starts[at + 1]:
            at += 1
        owner[at].append(word)

    def parse(item: dict[str, Any], path: Path) -> Segment:
        index = path[-1]
        assert isinstance(index, int)
        segment_text = text_of(item.get("text"), "text", path, "text")
        return Segment(
            seconds(item.get("start"), "start", path, "start"),
            seconds(item.get("end"), "end", path, "end"),
            segment_text,
            speaker_of(item.get("speaker"), "speaker", path, "speaker"),
            _with_text(owner[index], segment_text),
        )

    return read_segments(text, segments, ("segments",), parse, context, language)
