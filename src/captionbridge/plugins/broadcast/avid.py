"""Avid DS / SubCap caption text (``--to avid``, written as ``<name>.avid.txt``): what Avid Media
Composer's SubCap effect imports.

::

    @ This file written with the Avid Caption plugin, version 1

    <begin subtitles>
    00:00:03:00 00:00:06:00
    Today is the day after GPT-4.

    <end subtitles>

Timecodes are on the frame grid of ``--fps`` (give the sequence's rate; without it 23.976 is
assumed, with a note; non-drop numbering with ``:``) plus ``--start-timecode``; they must
match the sequence. Overlapping cues stop Avid's import: with ``--overlaps fix`` (the default)
an end that runs into the next cue is moved back to that cue's start, with a note; with
``--overlaps keep`` the writer refuses. At 23.976 and 24 fps Avid fails on cues ending on
frames 02, 07, 12, 17 and 22: such an end moves one frame earlier (Subtitle Edit's fix), and
the next start with it when they were 1 or 2 frames apart, so a chained gap keeps its length.
UTF-8 by default, UTF-16 with ``--avid-encoding utf-16``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction

from captionbridge.errors import CaptionbridgeError, ParseError
from captionbridge.helpers.framerate import assumed_message, project_fps
from captionbridge.helpers.readfix import order_times
from captionbridge.helpers.render import cue_texts
from captionbridge.helpers.timecode import (
    DEFAULT_FPS,
    frames_to_ms,
    frames_to_smpte,
    smpte_to_frames,
)
from captionbridge.helpers.turns import turns_from_lines
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Content, Note, Transcript
from captionbridge.specs import OptionSpec, ReadContext, ReaderSpec, WriteContext, WriterSpec

from .common import frame_of, smpte_of, start_offset

NAME = "avid"
SIGNATURE = "@ This file written with the Avid Caption plugin, version 1"
BEGIN = "<begin subtitles>"
END = "<end subtitles>"
_FILM_RATES = (Fraction(24000, 1001), Fraction(24))
_BAD_FILM_FRAMES = frozenset({2, 7, 12, 17, 22})
#: Gaps of 1 to this many frames are chained: when an end moves one frame earlier, the next
#: start moves with it so that the gap keeps its length (Netflix's 2 frames stay 2).
_CHAINED = 2
_TIMING = re.compile(r"^(\d{2}:\d{2}:\d{2}[:;]\d{2})\s+(\d{2}:\d{2}:\d{2}[:;]\d{2})\s*$")
# a line that starts like a timing line: if it is not one, the file is broken, not the text
_LOOKS_TIMED = re.compile(r"\d+:\d+:\d+[:;]\d+[ \t]+\d")
#: SMPTE timecodes are a 24-hour clock: 24:00:00:00 does not exist
_MAX_HOURS = 24
_JOINER = "\u2060"


def _frames(transcript: Transcript, context: WriteContext, fps: Fraction) -> list[tuple[int, int]]:
    """Start and end frames per cue, overlaps and Avid's bad film frames resolved."""
    starts, ends, _ = transcript.columns()
    offset = start_offset(context, fps, False)
    keep = context.options.get("overlaps") == "keep"
    film = fps in _FILM_RATES
    base = round(fps)
    frame = frame_of(fps)
    spans = [[frame(s) + offset, frame(e) + offset] for s, e in zip(starts, ends, strict=True)]
    trimmed = moved = 0
    out: list[tuple[int, int]] = []
    for i, (first, last) in enumerate(spans):
        last = max(last, first + 1)
        following = spans[i + 1][0] if i + 1 < len(spans) else None
        if following is not None and last > following:
            if keep or following <= first:
                raise CaptionbridgeError(
                    f"avid: cue {i + 1} at {frames_to_smpte(first, fps)} overlaps the next cue;"
                    " Avid stops the import on overlaps (use --overlaps fix)",
                    source=transcript.source,
                )
            last = following
            trimmed += 1
        if film and last % base in _BAD_FILM_FRAMES and last - 1 > first:
            last -= 1
            moved += 1
            if following is not None and 1 <= following - (last + 1) <= _CHAINED:
                spans[i + 1][0] -= 1  # a chained gap (2 frames, say) keeps its length
        out.append((first, last))
    if trimmed:
        context.note(f"avid: {trimmed} cue end(s) moved back to the next cue's start (overlap)")
    if moved:
        context.note(
            f"avid: {moved} cue end(s) moved one frame earlier (the next start too after a 1-2"
            " frame gap): Avid fails to import ends on frames 02, 07, 12, 17, 22 at"
            " 23.976/24 fps"
        )
    return out


def write_avid(transcript: Transcript, context: WriteContext) -> str:
    """Render a transcript as Avid DS caption text."""
    fps = project_fps(context, NAME)
    spans = _frames(transcript, context, fps)
    texts = cue_texts(transcript, context.options.get("speaker_style") or "auto")
    smpte = smpte_of(fps, False)
    parts = [SIGNATURE, "", BEGIN]
    latest = max(range(len(spans)), key=lambda i: spans[i][1], default=None)
    if latest is not None and spans[latest][1] >= _MAX_HOURS * 3600 * fps:
        raise CaptionbridgeError(
            f"avid: timecodes stop at 23:59:59 (a 24-hour clock); cue {latest + 1} ends at"
            f" {smpte(spans[latest][1])} (--start-timecode included)",
            source=transcript.source,
        )
    for (first, last), text in zip(spans, texts, strict=True):
        lines = [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]
        if not lines:
            continue
        parts.append(f"{smpte(first)} {smpte(last)}")
        parts.extend(_JOINER + line if _structural(line) else line for line in lines)
        parts.append("")
    parts.append(END)
    return "\n".join(parts) + "\n"


def _structural(line: str) -> bool:
    """A text line that readers of Avid DS would take for part of the layout: it gets an
    invisible word joiner (U+2060) in front, which our reader removes."""
    return (
        line.startswith(("@", _JOINER))
        or line in (BEGIN, END)
        or _LOOKS_TIMED.match(line) is not None
    )


def write_avid_utf16(transcript: Transcript, context: WriteContext) -> str | bytes:
    """The writer entry point: UTF-8 text, or UTF-16 bytes (with BOM) when asked."""
    text = write_avid(transcript, context)
    if (context.options.get("avid_encoding") or "utf-8") == "utf-16":
        return text.encode("utf-16")
    return text


def read_avid(text: str, context: ReadContext) -> Transcript:
    """Read Avid DS caption text; times are frames at ``--fps`` (23.976 assumed, with a note,
    without it: the file does not say its rate)."""
    fps = context.options.get("fps")
    assumed = []
    if not isinstance(fps, Fraction):
        fps = DEFAULT_FPS
        assumed.append(Note(f"{NAME}: " + assumed_message(fps, "timecodes read"), context.source))
    offset = 0
    if context.options.get("start_timecode"):
        try:
            offset = smpte_to_frames(str(context.options["start_timecode"]), fps, False)
        except ValueError as exc:
            raise CaptionbridgeError(f"--start-timecode: {exc}") from None
    starts: list[int] = []
    ends: list[int] = []
    contents: list[Content] = []
    lines = text.lstrip("\ufeff").splitlines()
    body: list[str] = []
    timing: tuple[int, int] | None = None

    def flush() -> None:
        if timing is None:
            return
        joined = "\n".join(body)
        if not joined and not context.options.get("keep_empty"):
            return
        starts.append(timing[0])
        ends.append(timing[1])
        contents.append(turns_from_lines(joined))  # line breaks kept, dashes start turns

    lenient = bool(context.options.get("lenient"))
    skipped: list[int] = []
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        match = _TIMING.match(line)
        if match is None and _LOOKS_TIMED.match(line):
            if not lenient:
                raise ParseError(
                    "malformed timecode line (HH:MM:SS:FF HH:MM:SS:FF)",
                    source=context.source,
                    line=number,
                    column=raw.index(line[0]) + 1,
                    text=raw,
                )
            skipped.append(number)
            flush()
            body, timing = [], None  # its text lines go with it
            continue
        if match:
            flush()
            body = []
            try:
                frames = [smpte_to_frames(tc, fps, False) - offset for tc in match.groups()]
            except ValueError as exc:
                raise ParseError(str(exc), source=context.source, line=number) from None
            timing = (frames_to_ms(frames[0], fps), frames_to_ms(frames[1], fps))
        elif line == END:
            break
        elif line and not line.startswith("@") and line != BEGIN and timing is not None:
            body.append(line[1:] if line.startswith(_JOINER) and _structural(line[1:]) else line)
    flush()
    notes = [*assumed, *order_times(starts, ends, context.source)]
    if skipped:
        notes.append(
            Note(
                f"skipped {len(skipped)} malformed timecode line(s) and their text",
                context.source,
                skipped[0],
            )
        )
    return Transcript.from_columns(starts, ends, contents, source=context.source, notes=notes)


def guess_avid(text: str, filename: str) -> bool:
    """True for the Avid Caption plugin signature or a ``<begin subtitles>`` line."""
    head = text.lstrip("\ufeff")[:300]
    return head.startswith("@ This file written with the Avid Caption plugin") or BEGIN in head


@hookimpl
def captionbridge_register_options(register: Callable[[OptionSpec], None]) -> None:
    register(
        OptionSpec(
            "avid_encoding",
            "Text encoding of Avid DS caption files.",
            default="utf-8",
            choices=("utf-8", "utf-16"),
        )
    )


@hookimpl
def captionbridge_register_readers(register: Callable[[ReaderSpec], None]) -> None:
    register(ReaderSpec(NAME, read_avid, guess=guess_avid, description="Avid DS caption text"))


@hookimpl
def captionbridge_register_writers(register: Callable[[WriterSpec], None]) -> None:
    register(
        WriterSpec(
            NAME,
            write_avid_utf16,
            extension=".avid.txt",
            claims=(),
            aliases=("avid-ds", "subcap"),
            description="Avid DS / SubCap caption text (Media Composer)",
            frame_based=True,
        )
    )
