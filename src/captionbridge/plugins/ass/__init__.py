"""Advanced SubStation Alpha (``.ass``) and SubStation Alpha (``.ssa``), through pysubs2.

Written for a 1920x1080 video (``PlayResX``/``PlayResY``): one ``Default`` style, bottom centre,
68 px Arial (42 characters fit a line), white with a 4 px black outline and a soft shadow, and
one more style per speaker, a copy of ``Default`` in the speaker's colour (``Speaker.color``,
else the BBC order white, yellow, cyan, green). ``ass_font``, ``ass_font_size`` and
``ass_style_file`` (a ``.ass``/``.ssa`` file whose ``Default`` style, and play resolution, are
used) change the look.

Each cue is one ``Dialogue`` event. Its ``Name`` (actor) field holds the first speaker's label
with commas removed, and its style is that speaker's style. A cue with two or more turns puts
each turn on its own line after a ``- `` dash; a line whose speaker has a different style starts
with ``{\\r<style>}`` so it shows in that speaker's colour. A single turn after an unnamed turn
marker gets a dash too, as in SRT.

Text is escaped the way libass (mpv, ffmpeg, VLC, Aegisub) reads it, the convention ffmpeg
itself uses when it turns SRT into ASS: ``{`` and ``}`` become ``\\{`` and ``\\}`` so text can
never open an override block, and a backslash that would form ``\\N``, ``\\n`` or ``\\h`` gets
an invisible WORD JOINER (U+2060) after it so it shows as typed. A ``{`` followed by a
backslash also gets the WORD JOINER, so ffmpeg's own ASS parser does not take ``{\\an8}`` for a
tag either. Line breaks become ``\\N``; control characters are dropped. VSFilter knows no brace
escapes: there, a ``{`` in the text still hides what follows up to the next ``}``.

The reader (pysubs2) undoes all of this: ``Name`` becomes the speaker (the registry gets the
colour of the speaker's style), ``\\N`` a line break, dashed lines and ``{\\r<style>}`` resets
become turns, override blocks are removed.

With ``karaoke`` each word gets ``{\\kf}`` karaoke timing (:mod:`.karaoke`) and the styles
the highlight colour; ``ass_layout = "vertical"`` makes the ``Default`` style for 1080x1920
burn-in. Modules: :mod:`.text` (escaping), :mod:`.styles` (styles and their options),
:mod:`.karaoke`, :mod:`.writer`, :mod:`.reader`.
"""

from __future__ import annotations

from collections.abc import Callable

from captionbridge.helpers.deferred import deferred, lazy_exports
from captionbridge.hookspecs import hookimpl
from captionbridge.specs import OptionSpec, ReaderSpec, WriterSpec

from .styles import ASS_FONT, ASS_FONT_SIZE, ASS_HIGHLIGHT, ASS_LAYOUT, ASS_STYLE_FILE

__all__ = ["escape_text", "guess_ass", "read_ass", "unescape_text", "write_ass", "write_ssa"]

_READER = f"{__name__}.reader"
_WRITER = f"{__name__}.writer"
_TEXT = f"{__name__}.text"

# registering imports neither the reader (and pysubs2) nor the writer: each is imported by
# its first use
__getattr__ = lazy_exports(
    __name__,
    {
        "guess_ass": _READER,
        "read_ass": _READER,
        "escape_text": _TEXT,
        "unescape_text": _TEXT,
        "write_ass": _WRITER,
        "write_ssa": _WRITER,
    },
)


@hookimpl
def captionbridge_register_options(register: Callable[[OptionSpec], None]) -> None:
    for spec in (ASS_FONT, ASS_FONT_SIZE, ASS_STYLE_FILE, ASS_HIGHLIGHT, ASS_LAYOUT):
        register(spec)


@hookimpl
def captionbridge_register_readers(register: Callable[[ReaderSpec], None]) -> None:
    register(
        ReaderSpec(
            "ass",
            deferred(_READER, "read_ass"),
            extensions=(".ass",),
            guess=deferred(_READER, "guess_ass"),
            description="Advanced SubStation Alpha",
        )
    )
    register(
        ReaderSpec(
            "ssa",
            deferred(_READER, "read_ass"),
            extensions=(".ssa",),
            guess=deferred(_READER, "guess_ass"),
            description="SubStation Alpha",
        )
    )


@hookimpl
def captionbridge_register_writers(register: Callable[[WriterSpec], None]) -> None:
    register(
        WriterSpec(
            "ass",
            deferred(_WRITER, "write_ass"),
            extension=".ass",
            description="Advanced SubStation Alpha, 1920x1080, one style per speaker",
        )
    )
    register(
        WriterSpec(
            "ssa",
            deferred(_WRITER, "write_ssa"),
            extension=".ssa",
            description="SubStation Alpha v4, 1920x1080, one style per speaker",
        )
    )
