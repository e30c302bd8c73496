"""Options every conversion understands: decoding, reading leniency, frame rate, speakers,
presets and editor targets."""

from __future__ import annotations

from collections.abc import Callable

from captionbridge.helpers.options import (
    ENCODING,
    FIX_TEXT,
    KARAOKE,
    KEEP_EMPTY,
    LANGUAGE,
    LENIENT,
    OVERLAPS,
    SPEAKER_STYLE,
    SPEAKER_STYLES,
)
from captionbridge.helpers.timecode import parse_fps
from captionbridge.hookspecs import hookimpl
from captionbridge.specs import OptionSpec

__all__ = ["SPEAKER_STYLES"]


@hookimpl
def captionbridge_register_options(register: Callable[[OptionSpec], None]) -> None:
    for spec in (ENCODING, FIX_TEXT, LENIENT, KEEP_EMPTY, OVERLAPS):
        register(spec)
    register(
        OptionSpec(
            "fps",
            "Frame rate for frame-based formats and frame snapping"
            " (23.976, 24, 25, 29.97, 30, 50, 59.94, 60 or a fraction).",
            type=parse_fps,
            metavar="RATE",
        )
    )
    register(LANGUAGE)
    register(SPEAKER_STYLE)
    register(KARAOKE)
    register(
        OptionSpec(
            "preset",
            "A house style: a named bundle of options (see 'captionbridge formats').",
            default="none",
            metavar="NAME",
            strict=True,
            chunked=True,  # its values are checked one by one
        )
    )
    register(
        OptionSpec(
            "target",
            "An editor to deliver to: chooses formats and options.",
            flag="--for",
            metavar="EDITOR",
            strict=True,
            chunked=True,  # its formats and values are checked one by one
        )
    )
