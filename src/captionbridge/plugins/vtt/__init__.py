"""WebVTT (``.vtt``): read as the W3C specification's parser reads it, written natively.

:mod:`.blocks` is the specification's file parser, :mod:`.cuetext` turns cue text into speaker
turns, :mod:`.reader` builds the transcript and reports what the specification skips,
:mod:`.writer` writes.
"""

from __future__ import annotations

from collections.abc import Callable

from ...hookspecs import hookimpl
from ...specs import ReaderSpec, WriterSpec
from .reader import guess_vtt, read_vtt
from .writer import escape_text, escape_voice, write_vtt

__all__ = ["NAME", "escape_text", "escape_voice", "guess_vtt", "read_vtt", "write_vtt"]

NAME = "vtt"


@hookimpl
def captionbridge_register_readers(register: Callable[[ReaderSpec], None]) -> None:
    register(
        ReaderSpec(
            NAME,
            read_vtt,
            extensions=(".vtt",),
            guess=guess_vtt,
            description="WebVTT (cue timestamps as word timings; YouTube auto-captions)",
            nul_ok=True,
        )
    )


@hookimpl
def captionbridge_register_writers(register: Callable[[WriterSpec], None]) -> None:
    register(
        WriterSpec(
            NAME,
            write_vtt,
            extension=".vtt",
            aliases=("webvtt",),
            description="WebVTT",
            stream=True,
        )
    )
