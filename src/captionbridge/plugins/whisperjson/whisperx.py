"""WhisperX JSON: ``{"segments": [{"start", "end", "text", "speaker", "words": [{"word": "Here",
"start": 0.454, "end": 0.716, "score": 0.715, "speaker": "SPEAKER_00"}, {"word": "250."}]}],
"word_segments": [...], "language"}``.

Seconds; words without leading spaces; words WhisperX could not align (numbers, symbols) have
no ``start``/``end``/``score``/``speaker`` and get times from their neighbours. A segment whose
words belong to several speakers becomes one turn per speaker.
"""

from __future__ import annotations

from typing import Any

from ...model import Transcript
from ...specs import ReadContext
from .common import Path, Segment, seconds, speaker_of, text_of
from .dialects import WHISPERX
from .wholefile import read_segmented
from .words import fast_words, word_rows, word_speakers

NAME = WHISPERX
_KEYS = ("word", "score", "speaker")


def parse_segment(item: dict[str, Any], path: Path) -> Segment:
    """One WhisperX segment."""
    start = seconds(item.get("start"), "start", path, "start")
    end = seconds(item.get("end"), "end", path, "end")
    text = text_of(item.get("text"), "text", path, "text")
    speaker = speaker_of(item.get("speaker"), "speaker", path, "speaker")
    here = (*path, "words")
    items = item.get("words")
    fast = fast_words(items, _KEYS, (start, end), spaced=False)
    if fast is not None:
        return Segment(start, end, text, speaker, fast=fast)
    rows = word_rows(items, here, "word", "score")
    who = word_speakers(items, here) if rows else []
    if any(not text or text[0].isspace() or text[-1].isspace() for text, _, _, _ in rows):
        kept = [(i, (t.strip(), s, e, c)) for i, (t, s, e, c) in enumerate(rows) if t.strip()]
        rows = [row for _, row in kept]
        who = [who[i] for i, _ in kept]
    return Segment(start, end, text, speaker, rows, who if any(w is not None for w in who) else [])


def read(text: str, document: dict[str, Any], context: ReadContext) -> Transcript:
    """A parsed WhisperX document as a transcript, one cue per segment."""
    return read_segmented(text, document, context, _KEYS, False, parse_segment)
