"""The ASS/SSA reader, through pysubs2: names become speakers; dashes and style resets, turns."""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING

from captionbridge.errors import ParseError
from captionbridge.helpers.options import KEEP_EMPTY
from captionbridge.helpers.readfix import order_times
from captionbridge.model import Content, Note, Speaker, Transcript, Turn, Word, turns_of
from captionbridge.specs import ReadContext

from .kread import karaoke_words
from .styles import DEFAULT_STYLE, hex_colour
from .text import unescape_text

if TYPE_CHECKING:
    import pysubs2

_DASH = re.compile(r"^-(?!-)(?:\s+|(?=[^\d\s]))")


def _content(
    lines: list[tuple[str | None, str]], name: str | None, speaker_of: Mapping[str, str | None]
) -> Content:
    stripped = [(reset, text.strip()) for reset, text in lines]
    split = len(stripped) > 1 and any(
        reset is not None or _DASH.match(text) for reset, text in stripped
    )
    if not split:
        text = "\n".join(text for _, text in stripped if text)
        dashed = _DASH.match(text)
        if name is None and not dashed:
            return text
        return (Turn(text[dashed.end() :] if dashed else text, name, bool(dashed)),)
    turns: list[Turn] = []
    for reset, text in stripped:
        dashed = _DASH.match(text)
        if dashed or reset is not None or not turns:
            speaker = name if not turns else None
            if reset is not None:
                speaker = speaker_of.get(reset, speaker)
            body = text[dashed.end() :] if dashed else text
            turns.append(Turn(body, speaker, bool(dashed) or bool(turns)))
        elif text:
            last = turns[-1]
            turns[-1] = Turn(f"{last.text}\n{text}".strip("\n"), last.speaker, last.change)
    return tuple(turns)


def _with_words(content: Content, words: list[Word]) -> Content:
    """A cue of one turn with the karaoke words when they spell its text; other cues (several
    turns, or text outside the karaoke syllables) as they are."""
    turns = turns_of(content)
    if len(turns) != 1 or [word.text for word in words] != turns[0].text.split():
        return content
    turn = turns[0]
    return (Turn(turn.text, turn.speaker, turn.change, tuple(words)),)


class _CountedLines(io.StringIO):
    """Text that pysubs2 reads line by line, counting the lines it has taken."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.line = 0

    def __next__(self) -> str:  # type: ignore[override]  # typeshed's IOBase says bytes
        line = super().__next__()
        self.line += 1
        return line


def _parse(text: str, source: str) -> tuple[pysubs2.SSAFile, list[Note]]:
    """pysubs2's reading of ``text``, its warnings as notes on the line they are about."""
    import pysubs2

    # CR-only line ends: pysubs2 would see one line and no events
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = _CountedLines(text)
    notes: list[Note] = []

    def show(message: Warning | str, *_: object, **__: object) -> None:
        notes.append(Note(f"{message} (pysubs2)", source, lines.line or None))

    try:
        format_ = pysubs2.formats.autodetect_format(text)
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.showwarning = show  # restored when the block ends
            subs = pysubs2.SSAFile.from_file(lines, format_=format_)
    except Exception as exc:  # pysubs2 raises several types for malformed input
        raise ParseError(
            f"not a readable ASS/SSA file: {exc}", source=source, line=lines.line or None
        ) from None
    return subs, notes


def read_ass(text: str, context: ReadContext) -> Transcript:
    """Read ASS or SSA through pysubs2: ``Name`` fields become speakers, ``\\N`` line breaks."""
    subs, warned = _parse(text, context.source)
    soft_breaks = str(subs.info.get("WrapStyle", "0")).strip() == "2"
    speakers: dict[str, Speaker] = {}
    # a style named after a speaker (as the writer makes them) gives the speaker's colour
    speaker_of: dict[str, str | None] = {"": None, DEFAULT_STYLE: None}

    def register(name: str) -> str:
        if name not in speakers:
            style = subs.styles.get(name)
            colour = hex_colour(style.primarycolor) if style is not None else None
            speakers[name] = Speaker(name, name, colour)
        return name

    for style_name in subs.styles:
        speaker_of.setdefault(style_name, style_name)
    starts: list[int] = []
    ends: list[int] = []
    contents: list[Content] = []
    keep_empty = KEEP_EMPTY.value(context.options)
    for event in subs.events:
        if event.is_comment:
            continue
        name = event.name.strip() or None
        content = _content(unescape_text(event.text, soft_breaks), name, speaker_of)
        words = karaoke_words(event.text, max(0, event.start), max(0, event.end), soft_breaks)
        if words:
            content = _with_words(content, words)
        if content == "" and not keep_empty:
            continue
        if not isinstance(content, str):
            for turn in content:
                if turn.speaker is not None:
                    register(turn.speaker)
        starts.append(max(0, event.start))
        ends.append(max(0, event.end))
        contents.append(content)
    notes = warned + order_times(starts, ends, context.source)
    return Transcript.from_columns(
        starts, ends, contents, speakers=speakers, source=context.source, notes=notes
    )


def guess_ass(text: str, filename: str) -> bool:
    """True when the text starts with a ``[Script Info]`` section."""
    return text.lstrip("\ufeff \t\r\n")[:13].lower() == "[script info]"
