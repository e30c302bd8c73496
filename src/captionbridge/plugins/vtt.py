"""WebVTT (``.vtt``): written natively on the fast path, read through webvtt-py.

Written with the ``WEBVTT`` header, ``HH:MM:SS.mmm`` times, ``&``, ``<`` and ``>`` escaped
(so ``-->`` can never appear in a cue), no blank line inside a cue, and speakers as
``<v Name>...</v>`` voice spans (``&`` and ``>`` escaped in the name).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from captionbridge.errors import ParseError
from captionbridge.helpers.readfix import order_times
from captionbridge.helpers.render import (
    cue_texts,
    protect_markers,
    split_plain,
    text_lines,
    turn_prefixes,
)
from captionbridge.helpers.timecode import parse_clock, stamps
from captionbridge.helpers.turns import turns_from_lines
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Content, Speaker, Transcript, Turn, turns_of
from captionbridge.specs import ReadContext, ReaderSpec, WriteContext, WriterSpec

NAME = "vtt"
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:[ \t]+([^>]*))?>(.*?)(?:</v>|(?=<v[\s.>])|$)", re.S)
_TAG = re.compile(r"</?[^>]*>")


_ASS_ESCAPE = re.compile(r"\\(?=[Nnh])")


def escape_text(text: str) -> str:
    """Cue text safe for WebVTT: escaped, no blank lines, no bare carriage returns."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_ESCAPES)
    if "\\" in text:
        # \N and \h mean a line break and a space to ffmpeg and libass-based players
        text = _ASS_ESCAPE.sub("\\\\\u2060", text)
    if "\n" in text:
        text = "\n".join(text_lines(text))
    return text


def escape_voice(name: str) -> str:
    """A speaker name safe inside ``<v ...>``."""
    return " ".join(name.replace("&", "&amp;").replace(">", "&gt;").split())


def _voiced_texts(transcript: Transcript) -> list[str]:
    contents = transcript.columns().contents
    out, turned = split_plain(contents, transcript.turned_indexes())
    joined = "\x00".join(out)
    if any(c in joined for c in "&<>\r\n\\"):
        out = [escape_text(text) for text in out]
    prefixes = turn_prefixes(transcript, "dash")
    for i in turned:
        turns: tuple[Turn, ...] = contents[i]  # type: ignore[assignment]
        marks = prefixes(turns)
        parts = []
        for mark, turn in zip(marks, turns, strict=True):
            text = escape_text(turn.text)
            if turn.speaker is not None:
                label = escape_voice(transcript.speaker_label(turn.speaker) or turn.speaker)
                parts.append(f"<v {label}>{text}</v>")
            else:
                parts.append(mark + protect_markers(text))
        out[i] = "\n".join(parts)
    return out


def write_vtt(transcript: Transcript, context: WriteContext) -> str:
    """Render a transcript as WebVTT text."""
    starts, ends, _ = transcript.columns()
    style = context.options.get("speaker_style") or "auto"
    if style in ("auto", "voice"):
        texts = _voiced_texts(transcript)
    else:
        texts = cue_texts(transcript, style)
        joined = "\x00".join(texts)
        if any(c in joined for c in "&<>\r\n\\"):
            texts = [escape_text(t) for t in texts]
    header = "WEBVTT\n"
    if transcript.language:
        header += f"Language: {transcript.language}\n"
    if context.first_cue:  # a later chunk: no header
        header = ""
    if not texts:
        return header
    timed = zip(stamps(starts), stamps(ends), texts, strict=True)
    blocks = [header]
    blocks += [f"{a} --> {b}\n{t}\n" for a, b, t in timed]
    return "\n".join(blocks)


def _unescape(text: str) -> str:
    from html import unescape  # the reader's only use of html: not loaded at start-up

    return unescape(text)


def _without_joiners(content: Content) -> Content:
    """Drop the word joiners our writer puts before a dash that is not a turn marker."""
    if isinstance(content, str):
        return content.replace("\u2060", "")
    return tuple(Turn(t.text.replace("\u2060", ""), t.speaker, t.change) for t in content)


def _add_unvoiced(raw: str, turns: list[Turn]) -> None:
    """Text outside voice spans: its own turns (a dash line is a turn of its own)."""
    text = _unescape(_TAG.sub("", raw)).strip()
    if text:
        turns.extend(turns_of(_without_joiners(turns_from_lines(text))))


def _turns_from_raw(
    raw: str, speakers: dict[str, Speaker], previous: str | None
) -> tuple[Content, str | None]:
    """The turns of one cue, and the last voice heard (``previous`` is the one before it)."""
    if "\\\u2060" in raw:
        raw = raw.replace("\\\u2060", "\\")  # the writer's guard on \N and \h
    if "<v" not in raw:
        content = turns_from_lines(_unescape(_TAG.sub("", raw)).strip())
        return (_without_joiners(content) if "\u2060" in raw else content), previous
    turns: list[Turn] = []
    position = 0
    for match in _VOICE.finditer(raw):
        _add_unvoiced(raw[position : match.start()], turns)
        position = match.end()
        name = _unescape((match.group(1) or "").strip()) or None
        text = _unescape(_TAG.sub("", match.group(2))).strip()
        if name is not None:
            speakers.setdefault(name, Speaker(name, name))
        turns.append(Turn(text, name, previous is not None and name != previous))
        previous = name
    _add_unvoiced(raw[position:], turns)
    return tuple(turns), previous


def read_vtt(text: str, context: ReadContext) -> Transcript:
    """Read WebVTT through webvtt-py; ``<v Name>`` voices become speakers."""
    import webvtt
    from webvtt.errors import MalformedFileError

    try:
        captions = webvtt.from_string(text)
    except MalformedFileError as exc:
        raise ParseError(f"not a readable WebVTT file: {exc}", source=context.source) from None
    starts: list[int] = []
    ends: list[int] = []
    contents: list[Content] = []
    speakers: dict[str, Speaker] = {}
    voice: str | None = None
    for caption in captions.captions:
        content, voice = _turns_from_raw(caption.raw_text, speakers, voice)
        if content == "" and not context.options.get("keep_empty"):
            continue
        starts.append(parse_clock(caption.start))
        ends.append(parse_clock(caption.end))
        contents.append(content)
    notes = order_times(starts, ends, context.source)
    return Transcript.from_columns(
        starts, ends, contents, speakers=speakers, source=context.source, notes=notes
    )


def guess_vtt(text: str, filename: str) -> bool:
    """True when the text starts with the ``WEBVTT`` signature."""
    return text.lstrip("\ufeff").startswith("WEBVTT")


@hookimpl
def captionbridge_register_readers(register: Callable[[ReaderSpec], None]) -> None:
    register(
        ReaderSpec(NAME, read_vtt, extensions=(".vtt",), guess=guess_vtt, description="WebVTT")
    )


@hookimpl
def captionbridge_register_writers(register: Callable[[WriterSpec], None]) -> None:
    register(
        WriterSpec(
            NAME,
            write_vtt,
            extension=".vtt",
            aliases=("webvtt",),
            description="WebVTT",
            stream=True,
        )
    )
