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

from captionbridge.helpers.options import SPEAKER_STYLE
from captionbridge.helpers.render import cue_texts
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Transcript
from captionbridge.specs import WriteContext, WriterSpec

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
