"""WhisperX JSON: ``{"segments": [{"start", "end", "text", "speaker", "words": [{"word": "Here",
"start": 0.454, "end": 0.716, "score": 0.715, "speaker": "SPEAKER_00"}, {"word": "250."}]}],
"word_segments": [...], "language"}``.

Seconds; words without leading spaces; words WhisperX could not align (numbers, symbols) have
no ``start``/``end``/``score``/``speaker`` and get times from their neighbours. A segment whose
words belong to several speakers becomes one turn per speaker.
"""

from __future__ import annotations

from typing import Any

from ...helpers.wordrepair import RawWord
from ...model import Transcript
from ...specs import ReadContext
from .common import (
    Path,
    Segment,
    array,
    confidence_of,
    language_of,
    objects,
    optional_seconds,
    read_segments,
    seconds,
    speaker_of,
    text_of,
)

NAME = "whisperx-json"
DESCRIPTION = "WhisperX JSON (segments[].words[] with score and speaker; unaligned words timed)"


def parse_segment(item: dict[str, Any], path: Path) -> Segment:
    """One WhisperX segment."""
    words: list[RawWord] = []
    who: list[str | None] = []
    for index, word in enumerate(objects(item.get("words"), "words", (*path, "words"))):
        here = (*path, "words", index)
        word_text = text_of(word.get("word"), "a word's text", (*here, "word")).strip()
        speaker = speaker_of(word.get("speaker"), "a word's speaker", (*here, "speaker"))
        if not word_text:
            continue
        words.append(
            RawWord(
                word_text,
                optional_seconds(word.get("start"), "a word's start", (*here, "start")),
                optional_seconds(word.get("end"), "a word's end", (*here, "end")),
                confidence_of(word.get("score"), "a word's score", (*here, "score")),
            )
        )
        who.append(speaker)
    return Segment(
        seconds(item.get("start"), "start", (*path, "start")),
        seconds(item.get("end"), "end", (*path, "end")),
        text_of(item.get("text"), "text", (*path, "text")),
        speaker_of(item.get("speaker"), "speaker", (*path, "speaker")),
        words,
        who if any(w is not None for w in who) else [],
    )


def read(text: str, document: dict[str, Any], context: ReadContext) -> Transcript:
    """A parsed WhisperX document as a transcript, one cue per segment."""
    segments = array(document, "segments")
    return read_segments(
        text, segments, ("segments",), parse_segment, context, language_of(document.get("language"))
    )
