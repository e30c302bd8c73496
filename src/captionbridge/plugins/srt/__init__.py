"""SubRip (``.srt``): a native writer (:mod:`.writer`) and reader (:mod:`.reader`)."""

from __future__ import annotations

from collections.abc import Callable

from captionbridge.helpers.deferred import deferred, lazy_exports
from captionbridge.hookspecs import hookimpl
from captionbridge.specs import ReaderSpec, WriterSpec

__all__ = ["NAME", "clean_text", "guess_srt", "read_srt", "write_srt"]

NAME = "srt"
_READER = f"{__name__}.reader"
_WRITER = f"{__name__}.writer"

# registering imports neither the reader nor the writer: each is imported by its first use
__getattr__ = lazy_exports(
    __name__,
    {"guess_srt": _READER, "read_srt": _READER, "clean_text": _WRITER, "write_srt": _WRITER},
)


@hookimpl
def captionbridge_register_readers(register: Callable[[ReaderSpec], None]) -> None:
    register(
        ReaderSpec(
            NAME,
            deferred(_READER, "read_srt"),
            extensions=(".srt",),
            guess=deferred(_READER, "guess_srt"),
            description="SubRip subtitles",
        )
    )


@hookimpl
def captionbridge_register_writers(register: Callable[[WriterSpec], None]) -> None:
    register(
        WriterSpec(
            NAME,
            deferred(_WRITER, "write_srt"),
            extension=".srt",
            description="SubRip subtitles",
            stream=True,
            default=True,  # the format written when none is asked for
        )
    )
