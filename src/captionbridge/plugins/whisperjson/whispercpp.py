"""whisper.cpp ``-oj`` / ``-ojf`` JSON (``examples/cli`` ``output_json``): ``{"result":
{"language"}, "transcription": [{"timestamps": {...}, "offsets": {"from": 0, "to": 3000},
"text": " And so", "tokens": [{"text": " And", "offsets": {"from": 320, "to": 370}, "id": 843,
"p": 0.87, "t_dtw": -1}], "speaker": "0", "speaker_turn_next": false}]}``.

Milliseconds. ``tokens`` come with ``-ojf`` only; special tokens (``[_BEG_]``, ``[_TT_150]``,
``[_SOT_]``...) are dropped and a token that does not start with a space continues the word
before it. ``speaker`` (``-di``, ``"?"`` when unsure) and ``speaker_turn_next`` (``-tdrz``: the
next segment is a new speaker) are kept.
"""

from __future__ import annotations

from typing import Any

from ...model import Transcript
from ...specs import ReadContext
from .common import (
    Bad,
    Path,
    Segment,
    array,
    json_type,
    language_of,
    milliseconds,
    read_segments,
    speaker_of,
    text_of,
)
from .dialects import WHISPERCPP
from .words import fast_tokens, merge_pieces, token_rows

NAME = WHISPERCPP


def parse_segment(item: dict[str, Any], path: Path) -> Segment:
    """One whisper.cpp ``transcription`` entry."""
    span = item.get("offsets")
    here = (*path, "offsets")
    if not isinstance(span, dict):
        raise Bad(f"offsets is a JSON {json_type(span)}, not an object", here)
    speaker = speaker_of(item.get("speaker"), "speaker", path, "speaker")
    start = milliseconds(span.get("from"), "offsets.from", here, "from")
    end = milliseconds(span.get("to"), "offsets.to", here, "to")
    text = text_of(item.get("text"), "text", path, "text")
    speaker = None if speaker == "?" else speaker
    turn_next = item.get("speaker_turn_next") is True
    tokens = item.get("tokens")
    fast = fast_tokens(tokens, (start, end))
    if fast is not None:
        return Segment(start, end, text, speaker, turn_next=turn_next, fast=fast)
    words = merge_pieces(token_rows(tokens, (*path, "tokens")))
    return Segment(start, end, text, speaker, words, turn_next=turn_next)


def read(text: str, document: dict[str, Any], context: ReadContext) -> Transcript:
    """A parsed whisper.cpp document as a transcript, one cue per segment."""
    result = document.get("result")
    language = language_of(result.get("language")) if isinstance(result, dict) else None
    segments = array(document, "transcription")
    return read_segments(text, segments, ("transcription",), parse_segment, context, language)
