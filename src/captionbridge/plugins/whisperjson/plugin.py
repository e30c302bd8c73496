"""Registers the whisper JSON readers, one per dialect, each recognising its own dialect.

``whisper-json`` (the name the family had as a plugin package) also reads every other dialect
when asked for by name: it hands the document to the dialect's reader.

Registering imports none of the readers (:mod:`.dialects` names them): a dialect's module is
imported when a document is read in it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from ...errors import ParseError
from ...hookspecs import hookimpl
from ...model import Transcript
from ...specs import ReadContext, ReaderSpec
from .dialects import OPENAI, READERS


def _dialect_module(name: str) -> Any:
    return importlib.import_module(f"{__package__}.{READERS[name][0]}")


def _reader(name: str) -> Callable[[str, ReadContext], Transcript]:
    def read(text: str, context: ReadContext) -> Transcript:
        from ...helpers.jsonload import load_json, locate
        from . import detect
        from .common import Bad

        document: Any = load_json(text, context.source)
        if not isinstance(document, dict):
            raise ParseError(
                "not whisper JSON: the document is not an object",
                source=context.source,
                line=1,
                column=1,
            )
        dialect = name
        if name == OPENAI:
            dialect = detect.dialect_of(document) or name
            if "segments" not in document and dialect == name:
                message = (
                    'not whisper JSON: no "segments" (whisper, WhisperX), "words" (OpenAI API)'
                    ' or "transcription" (whisper.cpp) list'
                )
                raise ParseError(message, source=context.source, line=1, column=1)
        try:
            transcript: Transcript = _dialect_module(dialect).read(text, document, context)
        except Bad as exc:
            line, column = locate(text, exc.path)
            raise ParseError(str(exc), source=context.source, line=line, column=column) from None
        return transcript

    read.__doc__ = f"Read {READERS[name][1]}."
    return read


def _guess(name: str) -> Callable[[str, str], bool]:
    def guess(text: str, filename: str) -> bool:
        from . import detect

        return detect.sniff(text) == name

    return guess


@hookimpl
def captionbridge_register_readers(register: Callable[[ReaderSpec], None]) -> None:
    for name, (_, description) in READERS.items():
        register(
            ReaderSpec(
                name,
                _reader(name),
                extensions=(".json",),
                guess=_guess(name),
                description=description,
            )
        )
