"""Registers the whisper JSON readers, one per dialect, each recognising its own dialect.

``whisper-json`` (the name the family had as a plugin package) also reads every other dialect
when asked for by name: it hands the document to the dialect's reader.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...errors import ParseError
from ...helpers.jsonload import load_json, locate
from ...hookspecs import hookimpl
from ...model import Transcript
from ...specs import ReadContext, ReaderSpec
from . import detect, openai, verbose, whispercpp, whisperx
from .common import Bad

_DIALECTS = {m.NAME: m for m in (openai, verbose, whispercpp, whisperx)}


def _reader(name: str) -> Callable[[str, ReadContext], Transcript]:
    def read(text: str, context: ReadContext) -> Transcript:
        document: Any = load_json(text, context.source)
        if not isinstance(document, dict):
            raise ParseError(
                "not whisper JSON: the document is not an object",
                source=context.source,
                line=1,
                column=1,
            )
        dialect = name
        if name == openai.NAME:
            dialect = detect.dialect_of(document) or name
            if "segments" not in document and dialect == name:
                message = (
                    'not whisper JSON: no "segments" (whisper, WhisperX), "words" (OpenAI API)'
                    ' or "transcription" (whisper.cpp) list'
                )
                raise ParseError(message, source=context.source, line=1, column=1)
        try:
            transcript: Transcript = _DIALECTS[dialect].read(text, document, context)
        except Bad as exc:
            line, column = locate(text, exc.path)
            raise ParseError(str(exc), source=context.source, line=line, column=column) from None
        return transcript

    read.__doc__ = f"Read {_DIALECTS[name].DESCRIPTION}."
    return read


def _guess(name: str) -> Callable[[str, str], bool]:
    def guess(text: str, filename: str) -> bool:
        return detect.sniff(text) == name

    return guess


@hookimpl
def captionbridge_register_readers(register: Callable[[ReaderSpec], None]) -> None:
    for name, module in _DIALECTS.items():
        register(
            ReaderSpec(
                name,
                _reader(name),
                extensions=(".json",),
                guess=_guess(name),
                description=module.DESCRIPTION,
            )
        )
