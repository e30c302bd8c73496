"""WebVTT (``.vtt``): read as the W3C specification's parser reads it, written natively.

:mod:`.blocks` is the specification's file parser, :mod:`.cuetext` turns cue text into speaker
turns, :mod:`.reader` builds the transcript and reports what the specification skips,
:mod:`.writer` writes.
"""

from __future__ import annotations

from collections.abc import Callable

from ...helpers.deferred import deferred, lazy_exports
from ...hookspecs import hookimpl
from ...specs import ReaderSpec, WriterSpec

__all__ = ["NAME", "escape_text", "escape_voice", "guess_vtt", "read_vtt", "write_vtt"]

NAME = "vtt"
_READER = f"{__name__}.reader"
_WRITER = f"{__name__}.writer"

# registering imports neither the reader nor the writer: each is imported by its first use
__getattr__ = lazy_exports(
    __name__,
    {
        "guess_vtt": _READER,
        "read_vtt": _READER,
        "escape_text": _WRITER,
        "escape_voice": _WRITER,
        "write_vtt": _WRITER,
    },
)


@hookimpl
def captionbridge_register_readers(register: Callable[[ReaderSpec], None]) -> None:
    register(
        ReaderSpec(
            NAME,
            deferred(_READER, "read_vtt"),
            extensions=(".vtt",),
            guess=deferred(_READER, "guess_vtt"),
            description="WebVTT (cue timestamps as word timings; YouTube auto-captions)",
            nul_ok=True,
        )
    )


@hookimpl
def captionbridge_register_writers(register: Callable[[WriterSpec], None]) -> None:
    register(
        WriterSpec(
            NAME,
            deferred(_WRITER, "write_vtt"),
            extension=".vtt",
            aliases=("webvtt",),
            description="WebVTT",
            stream=True,
        )
    )
