"""Options every conversion understands: decoding, reading leniency, frame rate, speakers,
presets and editor targets."""

from __future__ import annotations

from collections.abc import Callable

from captionbridge.helpers.timecode import parse_fps
from captionbridge.hookspecs import hookimpl
from captionbridge.specs import OptionSpec

SPEAKER_STYLES = ("auto", "label", "dash", "voice", "none")


@hookimpl
def captionbridge_register_options(register: Callable[[OptionSpec], None]) -> None:
    register(
        OptionSpec(
            "encoding", "Decode the input with this codec instead of detecting it.", metavar="CODEC"
        )
    )
    register(
        OptionSpec(
            "fix_text",
            "Repair mojibake such as 'â€”' (each repair is reported).",
            type=bool,
            default=True,
            is_bool=True,
        )
    )
    register(
        OptionSpec(
            "lenient",
            "Repair bad timestamps (skip, swap) instead of failing; each repair is reported.",
            type=bool,
            default=False,
            is_bool=True,
        )
    )
    register(
        OptionSpec(
            "keep_empty", "Keep segments with no text.", type=bool, default=False, is_bool=True
        )
    )
    register(
        OptionSpec(
            "overlaps",
            "What to do when a cue starts before the previous one ends:"
            " trim the earlier cue (fix) or leave them (keep).",
            default="fix",
            choices=("fix", "keep"),
        )
    )
    register(
        OptionSpec(
            "fps",
            "Frame rate for frame-based formats and frame snapping"
            " (23.976, 24, 25, 29.97, 30, 50, 59.94, 60 or a fraction).",
            type=parse_fps,
            metavar="RATE",
        )
    )
    register(
        OptionSpec(
            "language", "Language code of the text (BCP 47, e.g. en, fr-CA).", metavar="LANG"
        )
    )
    register(
        OptionSpec(
            "speaker_style",
            "How writers show speakers: auto (the format's own way),"
            " label (NAME:), dash (- per turn), voice (VTT <v>), none.",
            default="auto",
            choices=SPEAKER_STYLES,
        )
    )
    register(
        OptionSpec(
            "preset",
            "A house style: a named bundle of options (see 'captionbridge formats').",
            default="none",
            metavar="NAME",
        )
    )
    register(
        OptionSpec(
            "target",
            "An editor to deliver to: chooses formats and options.",
            flag="--for",
            metavar="EDITOR",
        )
    )
