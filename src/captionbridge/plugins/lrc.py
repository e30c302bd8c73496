"""LRC lyrics (``.lrc``): one ``[mm:ss.xx]text`` line per cue, for players that show lyrics.

Times are in centiseconds, rounded to the nearest; minutes go past 59 (``[83:05.20]``) since LRC
has no hours. A cue's text is put on one line (its line breaks and turns joined by spaces;
speakers shown as in SRT: ``NAME: `` or ``- ``). Where a cue ends before the next one starts,
and after the last cue, an empty ``[mm:ss.xx]`` line clears the display. A ``[la:..]`` header
tag gives the language when it is known. Text that itself starts like a time tag gets an
invisible WORD JOINER (U+2060) first, so no player takes it for a second timestamp.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from captionbridge.errors import ParseError
from captionbridge.helpers.options import SPEAKER_STYLE
from captionbridge.helpers.render import cue_texts
from captionbridge.helpers.turns import split_turns
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Content, Transcript
from captionbridge.specs import ReadContext, ReaderSpec, WriteContext, WriterSpec

NAME = "lrc"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_TAG_LIKE = re.compile(r"^\[[^\]]*:")


def _centiseconds(ms: int) -> int:
    return (max(0, ms) + 5) // 10


def lrc_stamp(ms: int) -> str:
    """``[mm:ss.xx]`` for a time in milliseconds (nearest centisecond)."""
    cs = _centiseconds(ms)
    minutes, rest = divmod(cs, 6000)
    seconds, hundredths = divmod(rest, 100)
    return f"[{minutes:02d}:{seconds:02d}.{hundredths:02d}]"


def one_line(text: str) -> str:
    """A cue's text on one LRC line."""
    text = " ".join(_CONTROL.sub("", text).split())
    return "\u2060" + text if _TAG_LIKE.match(text) else text


def write_lrc(transcript: Transcript, context: WriteContext) -> str:
    """Render a transcript as LRC."""
    starts, ends, _ = transcript.columns()
    texts = cue_texts(transcript, SPEAKER_STYLE.value(context.options))
    lines: list[str] = []
    if transcript.language:
        lines.append(f"[la:{one_line(transcript.language)}]")
    last = len(texts) - 1
    for i, text in enumerate(texts):
        lines.append(lrc_stamp(starts[i]) + one_line(text))
        if i == last or _centiseconds(starts[i + 1]) > _centiseconds(ends[i]):
            lines.append(lrc_stamp(ends[i]))
    return "\n".join(lines) + "\n" if lines else ""


_STAMP = re.compile(r"\[(\d{1,6}):(\d{1,2})(?:[.:](\d{1,3}))?\]")
_HEADER = re.compile(r"\[([a-z]{2,8}):([^\]]*)\]\s*$", re.I)
_WORD_STAMP = re.compile(r"<\d{1,6}:\d{1,2}(?:[.:]\d{1,3})?>")
#: how long the last line stays when nothing clears it
LAST_LINE_MS = 4000


def _stamp_ms(match: re.Match[str]) -> int:
    minutes, seconds, fraction = match.groups()
    return (int(minutes) * 60 + int(seconds)) * 1000 + int((fraction or "0").ljust(3, "0")[:3])


def read_lrc(text: str, context: ReadContext) -> Transcript:
    """Read LRC: a line shows from its time tag to the next tag (an empty line clears);
    several tags on one line repeat it; ``[offset:]`` moves every time; enhanced word tags
    (``<mm:ss.xx>``) are dropped from the text."""
    source = context.source
    timed: list[tuple[int, str]] = []
    offset = 0
    language = None
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        position, times = 0, []
        while (match := _STAMP.match(line, position)) is not None:
            times.append(_stamp_ms(match))
            position = match.end()
        if not times:
            header = _HEADER.match(line)
            if header is None:
                raise ParseError("expected a [mm:ss.xx] time tag", source=source, line=number)
            key, value = header.group(1).lower(), header.group(2).strip()
            if key == "offset" and re.fullmatch(r"[+-]?\d{1,9}", value):
                offset = int(value)
            elif key == "la" and value:
                language = value
            continue
        words = " ".join(_WORD_STAMP.sub("", line[position:]).replace("\u2060", "").split())
        timed += [(time, words) for time in times]
    timed.sort(key=lambda item: item[0])
    starts: list[int] = []
    ends: list[int] = []
    contents: list[Content] = []
    for index, (time, words) in enumerate(timed):
        if not words:
            continue
        following = timed[index + 1][0] if index + 1 < len(timed) else time + LAST_LINE_MS
        starts.append(max(0, time - offset))
        ends.append(max(0, following - offset))
        contents.append(split_turns(words))
    return Transcript.from_columns(starts, ends, contents, source=source, language=language)


def guess_lrc(text: str, filename: str) -> bool:
    """Most non-blank lines of the head start with an LRC time or header tag."""
    lines = [line.strip() for line in text[:4096].splitlines() if line.strip()][:20]
    stamped = sum(1 for line in lines if _STAMP.match(line))
    tagged = sum(1 for line in lines if _HEADER.match(line))
    return stamped > 0 and stamped + tagged == len(lines)


@hookimpl
def captionbridge_register_readers(register: Callable[[ReaderSpec], None]) -> None:
    register(
        ReaderSpec(
            NAME, read_lrc, extensions=(".lrc",), guess=guess_lrc,
            description="LRC lyrics ([mm:ss.xx] lines, enhanced word tags dropped)",
        )
    )  # fmt: skip


@hookimpl
def captionbridge_register_writers(register: Callable[[WriterSpec], None]) -> None:
    register(
        WriterSpec(
            NAME,
            write_lrc,
            extension=".lrc",
            description="LRC lyrics, one [mm:ss.xx] line per cue",
        )
    )
