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

_KEYS = {
    name: re.compile(rf'"{name}"\s*:')
    for name in (
        "transcription", "offsets", "segments", "words", "start", "word_segments", "score",
        "task", "duration",
    )
}  # fmt: skip


def sniff(text: str) -> str | None:
    """The reader name of the dialect ``text`` is in, or ``None`` when it is no whisper JSON."""
    head = text.lstrip("\ufeff \t\r\n")
    if not head.startswith("{") or '"captionbridge"' in head[:200]:
        return None

    def has(key: str) -> bool:
        return _KEYS[key].search(text) is not None

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
