"""SubRip (``.srt``): written natively on the fast path, read through pysubs2.

Written as editors accept it: UTF-8 without BOM, cues numbered from 1,
``HH:MM:SS,mmm --> HH:MM:SS,mmm``, one blank line between cues, no blank line inside a cue and
never ``-->`` in the text (it becomes ``-- >``), nor a text line with two timestamps (readers
such as pysubs2 take it for a timing line: a word joiner goes after its hours).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from captionbridge.hookspecs import hookimpl
from captionbridge.model import Content, Transcript, Turn
from captionbridge.render import cue_texts
from captionbridge.specs import ReadContext, ReaderSpec, WriteContext, WriterSpec
from captionbridge.timecode import stamps
from captionbridge.turns import has_turn_marker, split_turns

NAME = "srt"
_LINE_MARK = re.compile(r"^(?:-(?!-)(?:\s+|(?=[^\d\s]))|>>\s*)")
_TIMING = re.compile(r"^\s*\d+\s*\n\s*\d+:\d\d:\d\d[,.]\d+\s*-->", re.M)
# what pysubs2 (and players built like it) take for a timestamp: a text line holding two of
# them starts a new cue, arrow or not
_STAMP = re.compile(r"(\d{1,2}):(\d{1,2}:\d{1,2}[.,]\d)")
_WORD_JOINER = "\u2060"


def _defuse_stamps(line: str) -> str:
    if len(_STAMP.findall(line)) < 2:
        return line
    # an invisible word joiner after the hours keeps the text as it reads
    return _STAMP.sub(lambda m: f"{m.group(1)}:{_WORD_JOINER}{m.group(2)}", line)


def clean_text(text: str) -> str:
    """Text that cannot break the SRT layout: no ``-->``, no blank or bare-CR lines."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "-->" in text:
        text = text.replace("-->", "-- >")
    if "\n" in text:
        text = "\n".join(line for line in (part.strip() for part in text.split("\n")) if line)
    if _STAMP.search(text):
        text = "\n".join(map(_defuse_stamps, text.split("\n")))
    return text


def write_srt(transcript: Transcript, context: WriteContext) -> str:
    """Render a transcript as SubRip text."""
    starts, ends, _ = transcript.columns()
    texts = cue_texts(transcript, context.options.get("speaker_style") or "auto")
    joined = "\x00".join(texts)
    if "-->" in joined or "\n" in joined or "\r" in joined or _STAMP.search(joined):
        texts = [clean_text(t) for t in texts]
    numbers = range(1, len(texts) + 1)
    body = "\n\n".join(
        map("{}\n{} --> {}\n{}".format, numbers, stamps(starts, ","), stamps(ends, ","), texts)
    )
    return body + "\n" if body else ""


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
        body = event.plaintext.strip()
        if not body and not context.options.get("keep_empty"):
            continue
        starts.append(max(0, event.start))
        ends.append(max(0, event.end))
        contents.append(_turns_from_lines(body))
    return Transcript.from_columns(starts, ends, contents, source=context.source)


def _turns_from_lines(body: str) -> Content:
    """Cue lines to turns: a line that starts with a dash or ``>>`` starts a new turn."""
    lines = body.split("\n")
    if not any(line.startswith(("-", ">>")) for line in lines):
        return split_turns(body) if has_turn_marker(body) else body
    turns: list[Turn] = []
    for line in lines:
        marked = _LINE_MARK.match(line)
        if marked:
            turns.append(Turn(line[marked.end() :].strip(), None, True))
        elif turns:
            previous = turns[-1]
            turns[-1] = Turn(f"{previous.text}\n{line}", previous.speaker, previous.change)
        else:
            turns.append(Turn(line))
    return tuple(turns)


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
    register(WriterSpec(NAME, write_srt, extension=".srt", description="SubRip subtitles"))
