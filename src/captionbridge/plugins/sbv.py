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

from captionbridge.errors import ParseError
from captionbridge.helpers.options import SPEAKER_STYLE
from captionbridge.helpers.readfix import order_times
from captionbridge.helpers.render import cue_texts, text_lines, turn_prefixes
from captionbridge.helpers.turns import turns_from_lines
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Content, Note, Transcript
from captionbridge.specs import ReadContext, ReaderSpec, WriteContext, WriterSpec

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


_TIMING = re.compile(r"(\d{1,9}):(\d{2}):(\d{2})\.(\d{1,3}),(\d{1,9}):(\d{2}):(\d{2})\.(\d{1,3})")


def _ms(h: str, m: str, s: str, f: str) -> int:
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(f.ljust(3, "0"))


def read_sbv(text: str, context: ReadContext) -> Transcript:
    """Read SubViewer: blocks of a ``start,end`` line and text lines, ``>>`` turns kept."""
    source = context.source
    lenient = bool(context.options.get("lenient"))
    starts: list[int] = []
    ends: list[int] = []
    contents: list[Content] = []
    skipped: list[int] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    number = 0
    while number < len(lines):
        line = lines[number].strip()
        number += 1
        if not line:
            continue
        match = _TIMING.fullmatch(line)
        if match is None or int(match.group(2)) > 59 or int(match.group(3)) > 59:
            if not lenient:
                raise ParseError(
                    "expected a timing line H:MM:SS.mmm,H:MM:SS.mmm", source=source,
                    line=number, column=1,
                )  # fmt: skip
            skipped.append(number)
            while number < len(lines) and lines[number].strip():
                number += 1
            continue
        body = []
        while number < len(lines) and lines[number].strip():
            body.append(lines[number].rstrip())
            number += 1
        g = match.groups()
        starts.append(_ms(*g[:4]))
        ends.append(_ms(*g[4:]))
        contents.append(turns_from_lines("\n".join(body)))
    notes = order_times(starts, ends, source)
    if skipped:
        notes.append(
            Note(f"sbv: skipped {len(skipped)} block(s) without a timing line", source, skipped[0])
        )
    return Transcript.from_columns(starts, ends, contents, source=source, notes=notes)


def guess_sbv(text: str, filename: str) -> bool:
    """The first line that is not blank is an SBV timing line."""
    for line in text[:4096].splitlines():
        if line.strip():
            return _TIMING.fullmatch(line.strip()) is not None
    return False


@hookimpl
def captionbridge_register_readers(register: Callable[[ReaderSpec], None]) -> None:
    register(
        ReaderSpec(
            NAME, read_sbv, extensions=(".sbv",), guess=guess_sbv,
            description="YouTube SubViewer captions (>> turns)",
        )
    )  # fmt: skip


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
