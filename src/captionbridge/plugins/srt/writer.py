"""Writing SubRip (``.srt``) on the fast path.

Written as editors accept it: UTF-8 without BOM, cues numbered from 1,
``HH:MM:SS,mmm --> HH:MM:SS,mmm`` (past 99 hours with more hour digits, as ffmpeg, srt and
webvtt-py read them; pysubs2 reads ``100:00:01,500`` as 1.5 s, so a warning says so), one
blank line between cues, no blank line inside a
cue and never ``-->`` in the text (it becomes ``-- >``).

Text is left as it is except where a common reader or player would take it for structure or
markup (docs/text-formats.md has the rule): a word joiner (U+2060, invisible) goes after a
``<`` that ffmpeg would take for a tag, after a backslash that libass would read as ``\\N``,
``\\n``, ``\\h``, ``\\{`` or ``\\}``, and inside a clock time that pysubs2 would take
for a timing line; a ``{`` that a later ``}`` would close into a libass override block becomes
``\\{`` (libass shows ``{``), with a word joiner after it where ffmpeg would parse the block.
"""

from __future__ import annotations

import re

from captionbridge.helpers.options import SPEAKER_STYLE
from captionbridge.helpers.pieces import joined_pieces, timed_file
from captionbridge.helpers.render import cue_texts, text_lines
from captionbridge.helpers.timecode import StampList
from captionbridge.model import Transcript
from captionbridge.specs import WriteContext

__all__ = ["MAX_MS", "clean_text", "write_srt"]

#: 99:59:59,999, the last time with two hour digits
MAX_MS = 100 * 3_600_000 - 1
_CLOCK_IN_TEXT = re.compile(r"(\d:\d{1,2}:\d{1,2})(?=[.,]\d)")
_CLOCK_HINT = re.compile(r":\d{1,2}[.,]\d")
# a line break that starts or ends a blank line (texts are joined with NUL to test them at once)
_BLANK_LINE_RISK = re.compile(r"\n(?:[ \t\x00\n]|(?<=[ \t\x00]\n)|\Z)")
# a "<" that ffmpeg's SRT decoder takes for a tag: it drops any ASCII-named one and applies
# b/i/u/s/font/br even after spaces; possessive quantifiers, so each "<" is looked at once, up
# to the next "<" or ">"
_TAG_START = re.compile(
    r"<(?=(?:/?[0-9A-Za-z_/]++|[ ]*+/?[ ]*+(?i:b|i|u|s|font|br)\b)(?:[ ][^<>]*+)?>)"
)
# a backslash that libass reads as an escape
_ASS_ESCAPE = re.compile(r"\\(?=[Nnh{}])")
# what ffmpeg parses after a "{": an ASS tag or a MicroDVD-style {Y:i}
_FFMPEG_BLOCK = re.compile(r"\\\{(?=\\|[CcFfoPSsYy]:)")


def _escape_braces(text: str) -> str:
    """``\\{`` for each ``{`` that a later ``}`` closes into an override block."""
    last = text.rfind("}")
    head = text[:last].replace("{", "\\{")
    if "\\{" in head:
        head = _FFMPEG_BLOCK.sub("\\\\{\u2060", head)
    return head + text[last:]


def clean_text(text: str) -> str:
    """Text that cannot break the SRT layout (no ``-->``, no blank or bare-CR lines) and that
    players show as written (see the module's docstring)."""
    if "<" in text:
        text = _TAG_START.sub("<\u2060", text)
    if "\\" in text:
        text = _ASS_ESCAPE.sub("\\\\\u2060", text)
    if "{" in text and "}" in text:
        text = _escape_braces(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "-->" in text:
        text = text.replace("-->", "-- >")
    if "\n" in text:
        text = "\n".join(text_lines(text))
    return _CLOCK_IN_TEXT.sub("\\1\u2060", text)


def _unsafe(text: str) -> bool:
    # substring tests and regexes that start with a literal character: fast on megabytes
    return (
        "-->" in text
        or "\r" in text
        or "<" in text
        or "{" in text
        or "}" in text
        or "\\" in text
        or _CLOCK_HINT.search(text) is not None
        or text.startswith("\n")
        or ("\n" in text and _BLANK_LINE_RISK.search(text) is not None)
    )


def write_srt(transcript: Transcript, context: WriteContext) -> str | bytes:
    """Render a transcript as SubRip text."""
    starts, ends, _ = transcript.columns()
    canonical = isinstance(starts, StampList) and isinstance(ends, StampList)
    past = not canonical and bool(ends) and max(max(starts), max(ends)) > MAX_MS
    # the note once, in the chunk that crosses the line
    if past and (context.first_cue == 0 or min(starts) <= MAX_MS):
        context.note(
            "SRT times past 99:59:59,999 are written with 3 or more hour digits: ffmpeg,"
            " srt and webvtt-py read them, pysubs2 misreads them",
            transcript.source,
        )
    texts = cue_texts(transcript, SPEAKER_STYLE.value(context.options), context.previous)
    if any(map(_unsafe, joined_pieces(texts, "\x00"))):
        texts = [clean_text(t) if _unsafe(t) else t for t in texts]
    if texts and context.final and texts[-1].rpartition("\n")[2].isdigit():
        # pysubs2 drops a last line of digits at the end of a file as a cue number to come
        texts[-1] += "\u2060"
    # every block ends in its newline, so the join is the whole file: no 8 MB copy to add one;
    # a later chunk starts with the blank line after the previous chunk's last cue
    return timed_file(
        starts, ends, texts, sep=",", first_number=context.first_cue + 1,
        head="" if context.first_cue and texts else None, encoding=context.encoding,
    )  # fmt: skip
