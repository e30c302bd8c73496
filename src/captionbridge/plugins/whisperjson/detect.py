"""Which whisper JSON dialect a document is, from its keys.

:func:`sniff` looks at the text (for guessing the input format without parsing it twice);
:func:`dialect_of` at a parsed document (for ``--from whisper-json`` given another dialect).
Both decide the same way:

- ``transcription`` with ``offsets``: whisper.cpp;
- ``word_segments``, or words with ``score``: WhisperX;
- ``task`` or ``duration`` (the API's), or ``words`` at the top without ``segments``: the
  OpenAI API's ``verbose_json``;
- ``segments`` with ``start``: OpenAI whisper.
"""

from __future__ import annotations

import re
from typing import Any

from . import openai, verbose, whispercpp, whisperx

__all__ = ["dialect_of", "sniff"]

_COLON = re.compile(r"\s*:")


def _has_key(text: str, key: str) -> bool:
    """Whether ``"key"`` followed by a colon (a key, not a string value) is in ``text``.

    ``str.find`` of the bare key passes over a megabyte several times faster than a regular
    expression search (or a find of the quoted key, whose last character, the quote, is the
    commonest in JSON): a guess sniffs the file once for each dialect, and a key absent from
    the file is looked for through all of it."""
    end = len(key)
    at = text.find(key)
    while at != -1:
        quoted = text[at - 1 : at] == '"' and text[at + end : at + end + 1] == '"'
        if quoted and _COLON.match(text, at + end + 1):
            return True
        at = text.find(key, at + 1)
    return False


def sniff(text: str) -> str | None:
    """The reader name of the dialect ``text`` is in, or ``None`` when it is no whisper JSON."""
    head = text.lstrip("\ufeff \t\r\n")
    if not head.startswith("{") or '"captionbridge"' in head[:200]:
        return None

    def has(key: str) -> bool:
        return _has_key(text, key)

    if has("transcription") and has("offsets"):
        return whispercpp.NAME
    segments = has("segments")
    if not has("start") or not (segments or has("words")):
        return None
    if segments and (has("word_segments") or has("score")):
        return whisperx.NAME
    if has("task") or has("duration") or not segments:
        return verbose.NAME
    return openai.NAME


def _scored(segments: list[Any]) -> bool:
    for segment in segments:
        words = segment.get("words") if isinstance(segment, dict) else None
        if isinstance(words, list) and words and isinstance(words[0], dict):
            return "score" in words[0]
    return False


def dialect_of(document: dict[str, Any]) -> str | None:
    """The reader name of a parsed document's dialect, or ``None``."""
    if isinstance(document.get("transcription"), list):
        return whispercpp.NAME
    segments = document.get("segments")
    if isinstance(segments, list) and ("word_segments" in document or _scored(segments)):
        return whisperx.NAME
    if "task" in document or "duration" in document or isinstance(document.get("words"), list):
        return verbose.NAME
    if isinstance(segments, list):
        return openai.NAME
    return None
