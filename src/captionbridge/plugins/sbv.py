"""YouTube SubViewer (``.sbv``): ``0:00:00.599,0:00:04.160``, the text lines, a blank line.

Cues are not numbered; hours are not padded. Speakers follow the caption habit YouTube's own
editor uses: a turn whose speaker is known and new starts with ``>> NAME: ``, a turn that a
marker says is new but whose speaker is unknown with ``>> `` (``speaker_style`` ``label``,
``dash`` and ``none`` render speakers the plain-text way instead). A cue has no blank line
inside it and no control characters; a cue without text is left out, since a timing line with
nothing under it is not a cue in SBV.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from captionbridge.helpers.options import SPEAKER_STYLE
from captionbridge.helpers.render import cue_texts, text_lines, turn_prefixes
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Transcript
from captionbridge.specs import WriteContext, WriterSpec

NAME = "sbv"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def sbv_clock(ms: int) -> str:
    """``H:MM:SS.mmm`` as SBV writes it (hours not padded)."""
    h, rest = divmod(max(0, ms), 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, f = divmod(rest, 1000)
    return f"{h}:{m:02d}:{s:02d}.{f:03d}"


def _chevron_texts(transcript: Transcript) -> list[str]:
    """Cue texts with ``>> NAME: `` / ``>> `` turn prefixes."""
    prefixes = turn_prefixes(transcript, "auto")
    out: list[str] = []
    for content in transcript.columns().contents:
        if isinstance(content, str):
            out.append(content)
            continue
        lines = []
        for prefix, turn in zip(prefixes(content), content, strict=True):
            mark = f">> {prefix}" if prefix.endswith(": ") else (">> " if prefix else "")
            lines.append(mark + turn.text)
        out.append("\n".join(lines))
    return out


def clean_text(text: str) -> str:
    """Cue text that keeps the SBV layout: no blank lines, no control characters."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(text_lines(text))


def write_sbv(transcript: Transcript, context: WriteContext) -> str:
    """Render a transcript as YouTube SBV."""
    starts, ends, _ = transcript.columns()
    style = SPEAKER_STYLE.value(context.options)
    if style in ("auto", "voice"):
        texts = _chevron_texts(transcript)
    else:
        texts = cue_texts(transcript, style)
    blocks = [
        f"{sbv_clock(start)},{sbv_clock(end)}\n{text}"
        for start, end, text in zip(starts, ends, map(clean_text, texts), strict=True)
        if text
    ]
    return "\n\n".join(blocks) + "\n" if blocks else ""


@hookimpl
def captionbridge_register_writers(register: Callable[[WriterSpec], None]) -> None:
    register(
        WriterSpec(
            NAME,
            write_sbv,
            extension=".sbv",
            description="YouTube SubViewer captions, speakers as >> NAME:",
        )
    )
