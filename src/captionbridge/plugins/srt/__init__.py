"""SubRip (``.srt``): a native writer (:mod:`.writer`) and reader (:mod:`.reader`)."""

from __future__ import annotations

from collections.abc import Callable

from captionbridge.hookspecs import hookimpl
from captionbridge.specs import ReaderSpec, WriterSpec

from .reader import guess_srt, read_srt
from .writer import clean_text, write_srt

__all__ = ["NAME", "clean_text", "guess_srt", "read_srt", "write_srt"]

NAME = "srt"


@hookimpl
def captionbridge_register_readers(register: Callable[[ReaderSpec], None]) -> None:
    register(
        ReaderSpec(
            NAME, read_srt, extensions=(".srt",), guess=guess_srt, description="SubRip subtitles"
        )
    )


@hookimpl
def captionbridge_register_writers(register: Callable[[WriterSpec], None]) -> None:
    register(
        WriterSpec(
            NAME,
            write_srt,
            extension=".srt",
            description="SubRip subtitles",
            stream=True,
            default=True,  # the format written when none is asked for
        )
    )
