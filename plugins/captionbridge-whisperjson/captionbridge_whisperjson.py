"""captionbridge reader ``whisper-json``: the JSON that speech-to-text tools write.

Three shapes are read, told apart by their keys:

- OpenAI whisper (``--output_format json``) and the OpenAI API's ``verbose_json``:
  ``{"text", "language", "segments": [{"start", "end", "text", "words": [...]}]}``, times in
  seconds.
- WhisperX (``--output_format json``, with ``--diarize``): the same segments plus ``speaker``
  on segments and words (``SPEAKER_00``...). When the words of one segment belong to several
  speakers, the cue gets one turn per speaker (a dual-speaker cue).
- whisper.cpp (``-oj``/``-ojf``): ``{"result": {"language"}, "transcription": [{"offsets":
  {"from", "to"}, "text", "speaker_turn_next"}]}``, times in milliseconds; with ``-tdrz``
  ``speaker_turn_next`` marks the next segment as a new speaker.

Bad times (missing, negative, end before start) are a ``ParseError`` naming the segment, or
with ``--lenient`` the segment is skipped (end before start: swapped) and a note says so.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import captionbridge
from captionbridge import (
    Note,
    ParseError,
    ReadContext,
    ReaderSpec,
    Speaker,
    Transcript,
    Turn,
)

__all__ = ["NAME", "guess_whisper_json", "read_whisper_json"]
__version__ = "0.1.0"

NAME = "whisper-json"
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
Content = str | tuple[Turn, ...]


class _Bad(Exception):
    """A segment whose times cannot be used."""


#: The largest time in seconds (about 285,000 years): past it a time is not a time.
MAX_SECONDS = 2**53 // 1000


def _seconds(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Bad(f"{what} is {value!r}, not a number of seconds")
    if isinstance(value, int) and value > MAX_SECONDS:  # math.isfinite() would overflow
        raise _Bad(f"{what} is a {len(str(value))}-digit number, too large a number of seconds")
    if not math.isfinite(value):
        raise _Bad(f"{what} is {value!r}, not a number of seconds")
    if value < 0:
        raise _Bad(f"{what} is negative ({value})")
    if value > MAX_SECONDS:
        raise _Bad(f"{what} is {value:.6g}, too large a number of seconds")
    return round(value * 1000)


def _milliseconds(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 2**53:
        raise _Bad(f"{what} is {value!r}, not a whole number of milliseconds")
    return value


def _text(value: Any, what: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _Bad(f"{what} is a JSON {_json_type(value)}, not a string")
    return value


def _speaker(value: Any, what: str) -> str | None:
    """A speaker label: WhisperX writes strings; whole numbers are taken as written."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise _Bad(f"{what} is a JSON {_json_type(value)}, not a speaker name")


def _json_type(value: Any) -> str:
    names = {dict: "object", list: "array", bool: "boolean", float: "number", int: "number"}
    return names.get(type(value), type(value).__name__)


def _joined(words: Sequence[dict[str, Any]]) -> str:
    texts = [_text(w.get("word"), "a word's text") for w in words]
    if any(t.startswith(" ") for t in texts):
        return "".join(texts).strip()  # OpenAI whisper: each word carries its leading space
    return " ".join(t.strip() for t in texts if t.strip())


def _content(segment: dict[str, Any], speakers: dict[str, Speaker]) -> Content:
    text = _text(segment.get("text"), "text").strip()
    speaker = _speaker(segment.get("speaker"), "speaker")
    words = segment.get("words")
    if isinstance(words, list) and all(isinstance(w, dict) for w in words):
        by_speaker: list[tuple[str | None, list[dict[str, Any]]]] = []
        for word in words:
            who = _speaker(word.get("speaker"), "a word's speaker")
            if by_speaker and by_speaker[-1][0] == who:
                by_speaker[-1][1].append(word)
            else:
                by_speaker.append((who, [word]))
        if len({who for who, _ in by_speaker if who is not None}) > 1:
            turns = []
            for who, group in by_speaker:
                if who is not None:
                    speakers.setdefault(who, Speaker(who))
                turns.append(Turn(_joined(group), who, True))
            return tuple(t for t in turns if t.text)
    if speaker is not None:
        speakers.setdefault(speaker, Speaker(speaker))
        return (Turn(text, speaker, True),)
    return text


def _segments(document: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
    """The segments and whether their times are whisper.cpp offsets (milliseconds)."""
    if isinstance(document.get("transcription"), list):
        return document["transcription"], True
    if isinstance(document.get("segments"), list):
        return document["segments"], False
    raise ValueError('no "segments" (whisper, WhisperX) or "transcription" (whisper.cpp) list')


def _language(document: dict[str, Any]) -> str | None:
    result = document.get("result")
    language = result.get("language") if isinstance(result, dict) else document.get("language")
    return language if isinstance(language, str) and _LANGUAGE_CODE.match(language) else None


def read_whisper_json(text: str, context: ReadContext) -> Transcript:
    """Read whisper, WhisperX or whisper.cpp JSON into a transcript."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        line, column = exc.lineno, exc.colno
        raise ParseError(exc.msg, source=context.source, line=line, column=column) from None
    except ValueError:  # an integer past Python's digit limit
        raise ParseError("a number with too many digits", source=context.source) from None
    if not isinstance(document, dict):
        raise ParseError("not whisper JSON: the document is not an object", source=context.source)
    try:
        segments, offsets = _segments(document)
    except ValueError as exc:
        raise ParseError(f"not whisper JSON: {exc}", source=context.source) from None
    lenient = bool(context.options.get("lenient"))
    keep_empty = bool(context.options.get("keep_empty"))
    starts: list[int] = []
    ends: list[int] = []
    contents: list[Content] = []
    speakers: dict[str, Speaker] = {}
    notes: list[Note] = []
    turn_next = False
    for number, segment in enumerate(segments, 1):
        try:
            if not isinstance(segment, dict):
                raise _Bad("is not an object")
            if offsets:
                span = segment.get("offsets")
                span = span if isinstance(span, dict) else {}
                start = _milliseconds(span.get("from"), "offsets.from")
                end = _milliseconds(span.get("to"), "offsets.to")
            else:
                start = _seconds(segment.get("start"), "start")
                end = _seconds(segment.get("end"), "end")
            if end < start:
                if not lenient:
                    raise _Bad(f"ends ({end} ms) before it starts ({start} ms)")
                start, end = end, start
                notes.append(Note(f"segment {number}: end before start, swapped", context.source))
            content = _content(segment, speakers)
        except _Bad as exc:
            if not lenient:
                raise ParseError(f"segment {number}: {exc}", source=context.source) from None
            notes.append(Note(f"segment {number} skipped: {exc}", context.source))
            continue
        if turn_next and isinstance(content, str):
            content = (Turn(content, None, True),)
        turn_next = bool(segment.get("speaker_turn_next"))
        if (content == "" or content == ()) and not keep_empty:
            continue
        starts.append(start)
        ends.append(end)
        contents.append(content if content != () else "")
    return Transcript.from_columns(
        starts,
        ends,
        contents,
        language=_language(document),
        speakers=speakers,
        source=context.source,
        notes=notes,
    )


def guess_whisper_json(text: str, filename: str) -> bool:
    """True for a JSON object with whisper's ``segments`` or whisper.cpp's ``transcription``."""
    head = text.lstrip("\ufeff \t\r\n")
    if not head.startswith("{") or '"captionbridge"' in head[:200]:
        return False
    return ('"segments"' in text and '"start"' in text) or (
        '"transcription"' in text and '"offsets"' in text
    )


@captionbridge.hookimpl
def captionbridge_register_readers(register: Callable[[ReaderSpec], None]) -> None:
    register(
        ReaderSpec(
            NAME,
            read_whisper_json,
            extensions=(".json",),
            guess=guess_whisper_json,
            description="whisper / WhisperX / whisper.cpp JSON (segments, words, speakers)",
        )
    )
