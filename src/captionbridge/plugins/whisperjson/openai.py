"""OpenAI whisper JSON: ``{"text", "language", "segments": [{"start", "end", "text",
"words": [{"word": " And", "start": 0.0, "end": 0.32, "probability": 0.91}]}]}``.

Seconds; each word carries its leading space, and a word without one (whisper splits words of
languages written without spaces by character) continues the word before it.
"""

from __future__ import annotations

from typing import Any

from ...model import Transcript
from ...specs import ReadContext
from .common import (
    Path,
    Piece,
    Segment,
    array,
    confidence_of,
    language_of,
    merge_pieces,
    objects,
    optional_seconds,
    read_segments,
    seconds,
    speaker_of,
    text_of,
)

NAME = "whisper-json"
DESCRIPTION = "OpenAI whisper JSON (segments[].words[] with probability, seconds)"


def parse_segment(item: dict[str, Any], path: Path) -> Segment:
    """One whisper segment."""
    start = seconds(item.get("start"), "start", (*path, "start"))
    end = seconds(item.get("end"), "end", (*path, "end"))
    pieces = []
    for index, word in enumerate(objects(item.get("words"), "words", (*path, "words"))):
        here = (*path, "words", index)
        pieces.append(
            Piece(
                text_of(word.get("word"), "a word's text", (*here, "word")),
                optional_seconds(word.get("start"), "a word's start", (*here, "start")),
                optional_seconds(word.get("end"), "a word's end", (*here, "end")),
                confidence_of(
                    word.get("probability"), "a word's probability", (*here, "probability")
                ),
            )
        )
    return Segment(
        start,
        end,
        text_of(item.get("text"), "text", (*path, "text")),
        speaker_of(item.get("speaker"), "speaker", (*path, "speaker")),
        merge_pieces(pieces),
    )


def read(text: str, document: dict[str, Any], context: ReadContext) -> Transcript:
    """A parsed OpenAI whisper document as a transcript, one cue per segment."""
    segments = array(document, "segments")
    return read_segments(
        text, segments, ("segments",), parse_segment, context, language_of(document.get("language"))
    )
