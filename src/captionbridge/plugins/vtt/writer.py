"""WebVTT written natively on the fast path.

Written with the ``WEBVTT`` header, ``HH:MM:SS.mmm`` times, ``&``, ``<`` and ``>`` escaped
(so ``-->`` can never appear in a cue), no blank line inside a cue, and speakers as
``<v Name>...</v>`` voice spans (``&``, ``<`` and ``>`` escaped in the name); in a cue of
several turns each voice starts with the ``- `` dash of dual-speaker subtitles, since browsers
show the text of a voice span but nothing that marks where it starts. A clock time in
the text (``0:10:00.00``) gets a word joiner (U+2060, invisible) before its decimal point: line
readers that look for two timestamps anywhere on a line (pysubs2) would otherwise take a line
holding two of them for a timing line.

With ``karaoke`` on, a turn with word timings gets a cue timestamp (``<00:00:01.500>``) before
each word whose start lies strictly inside the cue and after the previous timestamp, as the
specification requires; browsers expose them to styling (``:past`` / ``:future``) and scripts.
"""

from __future__ import annotations

import re

from ...helpers.options import KARAOKE, SPEAKER_STYLE
from ...helpers.pieces import joined_pieces, timed_file
from ...helpers.render import (
    cue_texts,
    protect_markers,
    protected,
    split_plain,
    text_lines,
    turn_prefixes,
    turn_texts,
)
from ...helpers.timecode import clock
from ...helpers.wordtext import cut_at_words
from ...model import Content, Transcript, Turn, words_agree
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


def _timed_turn(turn: Turn, start: int, end: int) -> str:
    """The turn's escaped text with a cue timestamp before each word that starts strictly
    inside ``(start, end)`` and later than the previous timestamp."""
    text = escape_text(turn.text)
    pieces = cut_at_words(text, turn.words) if turn.words and words_agree(turn) else None
    if pieces is None:
        return protect_markers(text)
    out: list[str] = []
    last = start
    for piece, word in pieces:
        if word is not None and last < word.start < end:
            out.append(f"<{clock(word.start)}>")
            last = word.start
        out.append(piece)
    return protect_markers("".join(out))


def _has_special(texts: list[str]) -> bool:
    return any(c in joined for joined in joined_pieces(texts, "\x00") for c in _SPECIAL)


def _escaped(texts: list[str]) -> list[str]:
    """:func:`escape_text` of every text, skipped when none holds a character it changes."""
    return [escape_text(text) for text in texts] if _has_special(texts) else texts


def _voiced_texts(transcript: Transcript, karaoke: bool) -> list[str]:
    starts, ends, contents = transcript.columns()
    out, turned = split_plain(contents, transcript.turned_indexes())
    out = _escaped(out)
    # every turn's text escaped and protected at once; a turn with words is written again,
    # with its cue timestamps, when karaoke is on
    shown = iter(protected(_escaped(turn_texts(contents, turned))))
    prefixes = turn_prefixes(transcript, "dash")
    for i in turned:
        turns: tuple[Turn, ...] = contents[i]  # type: ignore[assignment]
        marks = prefixes(turns)
        # browsers do not show <v>: in a cue of several turns each voiced one gets the dash
        # of dual-speaker subtitles inside its span, so the change is seen
        dash = "- " if len(turns) > 1 else ""
        parts = []
        for mark, turn in zip(marks, turns, strict=True):
            text = next(shown)
            if karaoke and turn.words:
                text = _timed_turn(turn, starts[i], ends[i])
            if turn.speaker is not None:
                label = escape_voice(transcript.speaker_label(turn.speaker) or turn.speaker)
                parts.append(f"<v {label}>{dash}{text}</v>")
            else:
                parts.append(mark + text)
        out[i] = "\n".join(parts)
    return out


def _timed_texts(
    transcript: Transcript, texts: list[str], style: str, previous: Content | None
) -> None:
    """Rewrite, in ``texts`` (from :func:`cue_texts`), the cues whose turns have words."""
    contents = transcript.columns().contents
    starts, ends, _ = transcript.columns()
    # called for every turned cue, as cue_texts did
    prefixes = turn_prefixes(transcript, style, previous)
    for i in transcript.turned_indexes():
        turns: tuple[Turn, ...] = contents[i]  # type: ignore[assignment]
        marks = prefixes(turns)
        if any(turn.words for turn in turns):
            texts[i] = "\n".join(
                escape_text(mark) + _timed_turn(turn, starts[i], ends[i])
                for mark, turn in zip(marks, turns, strict=True)
            )


def write_vtt(transcript: Transcript, context: WriteContext) -> str | bytes:
    """Render a transcript as WebVTT text."""
    starts, ends, _ = transcript.columns()
    style = SPEAKER_STYLE.value(context.options)
    karaoke = KARAOKE.value(context.options)
    if style in ("auto", "voice"):
        texts = _voiced_texts(transcript, karaoke)
    else:
        texts = _escaped(cue_texts(transcript, style, context.previous))
        if karaoke:
            _timed_texts(transcript, texts, style, context.previous)
    header = "WEBVTT\n"
    if transcript.language:
        header += f"Language: {transcript.language}\n"
    if context.first_cue:  # a later chunk: no header
        header = ""
    if not texts:
        return header
    return timed_file(starts, ends, texts, head=header, encoding=context.encoding)
