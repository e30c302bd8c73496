"""WebVTT written natively on the fast path.

Written with the ``WEBVTT`` header, ``HH:MM:SS.mmm`` times, ``&``, ``<`` and ``>`` escaped
(so ``-->`` can never appear in a cue), no blank line inside a cue, and speakers as
``<v Name>...</v>`` voice spans (``&``, ``<`` and ``>`` escaped in the name); in a cue of
several turns each voice starts with the ``- `` dash of dual-speaker subtitles, since browsers
show the text of a voice span but nothing that marks where it starts. A clock time in
the text (``0:10:00.00``) gets a word joiner (U+2060, invisible) before its decimal point: line
readers that look for two timestamps anywhere on a line (pysubs2) would otherwise take a line
holding two of them for a timing line.
"""

from __future__ import annotations

import re

from ...helpers.options import SPEAKER_STYLE
from ...helpers.render import (
    cue_texts,
    protect_markers,
    split_plain,
    text_lines,
    turn_prefixes,
)
from ...helpers.timecode import stamps
from ...model import Transcript, Turn
from ...specs import WriteContext

__all__ = ["escape_text", "escape_voice", "write_vtt"]

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ASS_ESCAPE = re.compile(r"\\(?=[Nnh])")
# the decimal point of a clock time: pysubs2 takes any line with two of these for timings
_CLOCK_POINT = re.compile(r"(?<=\d{2}:\d{2})(?=\.\d{2})")
_SPECIAL = "&<>\r\n\\:"


def escape_text(text: str) -> str:
    """Cue text safe for WebVTT: escaped, no blank lines, no bare carriage returns."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_ESCAPES)
    if "\\" in text:
        # \N and \h mean a line break and a space to ffmpeg and libass-based players
        text = _ASS_ESCAPE.sub("\\\\\u2060", text)
    if ":" in text:
        text = _CLOCK_POINT.sub("\u2060", text)
    if "\n" in text:
        text = "\n".join(text_lines(text))
    return text


def escape_voice(name: str) -> str:
    """A speaker name safe inside ``<v ...>``."""
    return " ".join(name.translate(_ESCAPES).split())


def _voiced_texts(transcript: Transcript) -> list[str]:
    contents = transcript.columns().contents
    out, turned = split_plain(contents, transcript.turned_indexes())
    joined = "\x00".join(out)
    if any(c in joined for c in _SPECIAL):
        out = [escape_text(text) for text in out]
    prefixes = turn_prefixes(transcript, "dash")
    for i in turned:
        turns: tuple[Turn, ...] = contents[i]  # type: ignore[assignment]
        marks = prefixes(turns)
        # browsers do not show <v>: in a cue of several turns each voiced one gets the dash
        # of dual-speaker subtitles inside its span, so the change is seen
        dash = "- " if len(turns) > 1 else ""
        parts = []
        for mark, turn in zip(marks, turns, strict=True):
            text = escape_text(turn.text)
            if turn.speaker is not None:
                label = escape_voice(transcript.speaker_label(turn.speaker) or turn.speaker)
                parts.append(f"<v {label}>{dash}{protect_markers(text)}</v>")
            else:
                parts.append(mark + protect_markers(text))
        out[i] = "\n".join(parts)
    return out


def write_vtt(transcript: Transcript, context: WriteContext) -> str:
    """Render a transcript as WebVTT text."""
    starts, ends, _ = transcript.columns()
    style = SPEAKER_STYLE.value(context.options)
    if style in ("auto", "voice"):
        texts = _voiced_texts(transcript)
    else:
        texts = cue_texts(transcript, style)
        joined = "\x00".join(texts)
        if any(c in joined for c in _SPECIAL):
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
