"""SubRip (``.srt``): written natively on the fast path, read through pysubs2.

Written as editors accept it: UTF-8 without BOM, cues numbered from 1,
``HH:MM:SS,mmm --> HH:MM:SS,mmm``, one blank line between cues, no blank line inside a cue and
never ``-->`` in the text (it becomes ``-- >``), nor a text line with two timestamps (readers
such as pysubs2 take it for a timing line: a word joiner goes after its hours).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from captionbridge.helpers.gcpause import gc_paused
from captionbridge.helpers.options import KEEP_EMPTY, SPEAKER_STYLE
from captionbridge.helpers.readfix import order_times
from captionbridge.helpers.render import cue_texts, text_lines
from captionbridge.helpers.timecode import stamps
from captionbridge.helpers.turns import turns_from_lines
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Content, Transcript
from captionbridge.specs import ReadContext, ReaderSpec, WriteContext, WriterSpec

NAME = "srt"
_CLOCK_IN_TEXT = re.compile(r"(\d:\d{1,2}:\d{1,2})(?=[.,]\d)")
_CLOCK_HINT = re.compile(r":\d{1,2}[.,]\d")
# a line break that starts or ends a blank line (texts are joined with NUL to test them at once)
_BLANK_LINE_RISK = re.compile(r"\n(?:[ \t\x00\n]|(?<=[ \t\x00]\n)|\Z)")
# "<" that would open a tag (pysubs2, ffmpeg and players strip or apply those): a word joiner
# after it keeps the text as text
_TAG_START = re.compile(r"<(?=\s*/?\s*[A-Za-z])")
_ASS_ESCAPE = re.compile(r"\\(?=[Nnh])")
_TIMING = re.compile(r"^\s*\d+\s*\n\s*\d+:\d\d:\d\d[,.]\d+\s*-->", re.M)


def clean_text(text: str) -> str:
    """Text that cannot break the SRT layout: no ``-->``, no blank or bare-CR lines, and no
    clock time that a lenient reader could take for a timing line (a word joiner, U+2060, goes
    before its decimal mark), no markup: a word joiner after a ``<`` that would open a tag, and
    braces as fullwidth braces (players take any ``{...}`` for an ASS override block)."""
    if "<" in text:
        text = _TAG_START.sub("<\u2060", text)
    if "{" in text or "}" in text:
        text = text.replace("{", "\uff5b").replace("}", "\uff5d")
    if "\\" in text:
        text = _ASS_ESCAPE.sub("\\\\\u2060", text)  # \N, \h: ASS escapes to ffmpeg and players
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


@gc_paused
def write_srt(transcript: Transcript, context: WriteContext) -> str:
    """Render a transcript as SubRip text."""
    starts, ends, _ = transcript.columns()
    texts = cue_texts(transcript, SPEAKER_STYLE.value(context.options))
    joined = "\x00".join(texts)
    if _unsafe(joined):
        texts = [clean_text(t) if _unsafe(t) else t for t in texts]
    if texts and context.final and texts[-1].rpartition("\n")[2].isdigit():
        # pysubs2 drops a last line of digits at the end of a file as a cue number to come
        texts[-1] += "\u2060"
    numbers = range(context.first_cue + 1, context.first_cue + len(texts) + 1)
    numbered = zip(numbers, stamps(starts, ","), stamps(ends, ","), texts, strict=True)
    # every block ends in its newline, so the join is the whole file: no 8 MB copy to add one
    body = "\n".join([f"{n}\n{a} --> {b}\n{t}\n" for n, a, b, t in numbered])
    if context.first_cue and body:
        body = "\n" + body  # the blank line after the previous chunk's last cue
    return body


def read_srt(text: str, context: ReadContext) -> Transcript:
    """Read SubRip through pysubs2; dashes at turn starts become speaker turns."""
    import pysubs2

    from captionbridge.errors import ParseError

    try:
        subs = pysubs2.SSAFile.from_string(text, format_="srt")
    except Exception as exc:  # pysubs2 raises several types for malformed input
        raise ParseError(f"not a readable SRT file: {exc}", source=context.source) from None
    starts: list[int] = []
    ends: list[int] = []
    contents: list[Content] = []
    for event in subs.events:
        if event.is_comment:
            continue
        # word joiners are what our writer adds to keep text from looking like timing
        body = event.plaintext.replace("\u2060", "").strip()
        if not body and not KEEP_EMPTY.value(context.options):
            continue
        starts.append(max(0, event.start))
        ends.append(max(0, event.end))
        contents.append(turns_from_lines(body))
    notes = order_times(starts, ends, context.source)
    return Transcript.from_columns(starts, ends, contents, source=context.source, notes=notes)


def guess_srt(text: str, filename: str) -> bool:
    """True when the text starts like a SubRip file: a number, then a timing line."""
    return _TIMING.match(text.lstrip("\ufeff")[:500]) is not None


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
        WriterSpec(NAME, write_srt, extension=".srt", description="SubRip subtitles", stream=True)
    )
