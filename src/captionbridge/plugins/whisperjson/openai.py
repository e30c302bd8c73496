"""OpenAI whisper JSON: ``{"text", "language", "segments": [{"start", "end", "text",
"words": [{"word": " And", "start": 0.0, "end": 0.32, "probability": 0.91}]}]}``.

Seconds; each word carries its leading space, and a word without one (whisper splits words of
languages written without spaces by character) continues the word before it.
"""

from __future__ import annotations

from typing import Any

from ...model import Transcript
from ...specs import ReadContext
from .common import Path, Segment, seconds, speaker_of, text_of
from .dialects import OPENAI
from .wholefile import read_segmented
from .words import fast_words, merge_pieces, word_rows

NAME = OPENAI
_KEYS = ("word", "probability", None)


def parse_segment(item: dict[str, Any], path: Path) -> Segment:
    """One whisper segment."""
    start = seconds(item.get("start"), "start", path, "start")
    end = seconds(item.get("end"), "end", path, "end")
    text = text_of(item.get("text"), "text", path, "text")
    speaker = speaker_of(item.get("speaker"), "speaker", path, "speaker")
    items = item.get("words")
    fast = fast_words(items, _KEYS, (start, end), spaced=True)
    if fast is not None:
        return Segment(start, end, text, speaker, fast=fast)
    rows = word_rows(items, (*path, "words"), "word", "probability")
    return Segment(start, end, text, speaker, merge_pieces(rows))


def read(text: str, document: dict[str, Any], context: ReadContext) -> Transcript:
    """A parsed OpenAI whisper document as a transcript, one cue per segment."""
    return read_segmented(text, document, context, _KEYS, True, parse_segment)
