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

import re
from typing import Any

from ...model import Transcript
from ...specs import ReadContext
from .common import (
    Bad,
    Path,
    Piece,
    Segment,
    array,
    confidence_of,
    json_type,
    language_of,
    merge_pieces,
    milliseconds,
    objects,
    read_segments,
    speaker_of,
    text_of,
)

NAME = "whispercpp-json"
DESCRIPTION = "whisper.cpp -oj/-ojf JSON (transcription[].tokens[], offsets in ms)"
_SPECIAL = re.compile(r"\[_[A-Z]+_?\d*\]")


def _span(item: dict[str, Any], path: Path, *, required: bool) -> tuple[int | None, int | None]:
    span = item.get("offsets")
    if span is None and not required:
        return None, None
    if not isinstance(span, dict):
        raise Bad(f"offsets is a JSON {json_type(span)}, not an object", (*path, "offsets"))
    here = (*path, "offsets")
    return (
        milliseconds(span.get("from"), "offsets.from", (*here, "from")),
        milliseconds(span.get("to"), "offsets.to", (*here, "to")),
    )


def parse_segment(item: dict[str, Any], path: Path) -> Segment:
    """One whisper.cpp ``transcription`` entry."""
    start, end = _span(item, path, required=True)
    assert start is not None and end is not None
    pieces = []
    for index, token in enumerate(objects(item.get("tokens"), "tokens", (*path, "tokens"))):
        here = (*path, "tokens", index)
        token_text = text_of(token.get("text"), "a token's text", (*here, "text"))
        if _SPECIAL.fullmatch(token_text.strip()):
            continue
        token_start, token_end = _span(token, here, required=False)
        confidence = confidence_of(token.get("p"), "a token's p", (*here, "p"))
        pieces.append(Piece(token_text, token_start, token_end, confidence))
    speaker = speaker_of(item.get("speaker"), "speaker", (*path, "speaker"))
    return Segment(
        start,
        end,
        text_of(item.get("text"), "text", (*path, "text")),
        None if speaker == "?" else speaker,
        merge_pieces(pieces),
        turn_next=item.get("speaker_turn_next") is True,
    )


def read(text: str, document: dict[str, Any], context: ReadContext) -> Transcript:
    """A parsed whisper.cpp document as a transcript, one cue per segment."""
    result = document.get("result")
    language = language_of(result.get("language")) if isinstance(result, dict) else None
    segments = array(document, "transcription")
    return read_segments(text, segments, ("transcription",), parse_segment, context, language)
