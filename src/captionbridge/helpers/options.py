"""The options every format shares, declared once.

``plugins/core_options.py`` registers these specs; readers, writers and transforms read them
with :meth:`~captionbridge.specs.OptionSpec.value`, which gives the resolved, typed value (or
the default), so no call site repeats a default or parses a string.
"""

from __future__ import annotations

import codecs

from ..specs import OptionSpec

__all__ = [
    "ENCODING",
    "FIX_TEXT",
    "KARAOKE",
    "KEEP_EMPTY",
    "LANGUAGE",
    "LENIENT",
    "OVERLAPS",
    "SPEAKER_STYLE",
    "SPEAKER_STYLES",
    "parse_encoding",
]

SPEAKER_STYLES = ("auto", "label", "dash", "voice", "none")


def parse_encoding(value: str) -> str:
    """A codec name Python knows and that decodes bytes to text (not ``rot13`` or ``base64``)."""
    name = str(value).strip()
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        raise ValueError(f"unknown encoding {value!r}") from None
    if not getattr(info, "_is_text_encoding", True):
        raise ValueError(f"{value!r} is not a text encoding")
    try:
        info.decode(b"")
    except Exception:  # 'undefined' refuses every input
        raise ValueError(f"{value!r} cannot decode text") from None
    return name


ENCODING = OptionSpec(
    "encoding",
    "Decode the input with this codec instead of detecting it.",
    type=parse_encoding,
    strict=True,
    metavar="CODEC",
)
FIX_TEXT = OptionSpec(
    "fix_text",
    "Repair mojibake such as 'â€”' (each repair is reported).",
    type=bool,
    default=True,
    is_bool=True,
)
LENIENT = OptionSpec(
    "lenient",
    "Repair bad timestamps (skip, swap) instead of failing; each repair is reported.",
    type=bool,
    default=False,
    is_bool=True,
)
KEEP_EMPTY = OptionSpec(
    "keep_empty", "Keep segments with no text.", type=bool, default=False, is_bool=True
)
OVERLAPS = OptionSpec(
    "overlaps",
    "What to do when a cue starts before the previous one ends:"
    " trim the earlier cue (fix) or leave them (keep).",
    default="fix",
    choices=("fix", "keep"),
)
LANGUAGE = OptionSpec(
    "language", "Language code of the text (BCP 47, e.g. en, fr-CA).", metavar="LANG"
)
SPEAKER_STYLE = OptionSpec(
    "speaker_style",
    "How writers show speakers: auto (the format's own way),"
    " label (NAME:), dash (- per turn), voice (VTT <v>), none.",
    default="auto",
    choices=SPEAKER_STYLES,
    chunked=True,
)
KARAOKE = OptionSpec(
    "karaoke",
    "Show word timings where the format can: ASS karaoke (\\kf per word),"
    " WebVTT timestamps before each word. Cues without word timings are written as usual.",
    type=bool,
    default=False,
    is_bool=True,
)
