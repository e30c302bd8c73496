"""Scenarist SCC (``.scc``): CEA-608 captions for Premiere, Final Cut and broadcast encoders.

Pop-on captions (the default) are loaded into the hidden caption memory and shown by End Of
Caption (EOC); the bytes flow at one pair per frame (29.97 fps), so loading starts early enough
that EOC falls exactly on the cue's start frame, and Erase Displayed Memory (EDM) clears the
screen exactly on the cue's end frame (not needed when the next caption replaces it on that
frame). EOC and EDM always start a line of the file, so every decoder reads their time directly
from the line's timecode.

Loading a caption takes frames (RCL, ENM, a PAC per row, two characters per frame): it happens
while the previous caption is on screen, from the frame after that caption's EOC on, around
its EDM (see :mod:`.scc_timeline`). When that stretch is short the loading is made smaller
(control codes once, no repeated EOC/EDM, rows up to two columns off centre) and a note says
so; when even that does not fit, the caption appears late, on the first frame its loading
allows, and a note says so. A cue at 0 ms always needs this (its loading would have to start
before the file does): give ``--start-timecode 01:00:00;00`` (or any start with room) to keep
it on time.

Text: CEA-608 basic, special and extended characters (see :mod:`.cea608`); everything else as
in :mod:`.broadcast`. Lines wrap at 32 columns, captions have at most ``scc_rows`` rows
(bottom of the screen, centred); a longer cue becomes several captions sharing its time in
proportion to their characters. Speakers: ``>> `` on a change, ``NAME: `` for a named one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from captionbridge.errors import CaptionbridgeError
from captionbridge.helpers.framerate import project_fps
from captionbridge.helpers.options import SPEAKER_STYLE
from captionbridge.helpers.timecode import fps_name
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Transcript
from captionbridge.specs import OptionSpec, WriteContext, WriterSpec

from . import cea608
from .common import CharMapper, frame_of, start_offset, turn_lines, wrap
from .scc_timeline import COLUMNS, Caption, schedule_popon, schedule_rollup

__all__ = ["Caption", "Plan", "build", "plan", "write_scc"]

NAME = "scc"
NTSC = Fraction(30000, 1001)
#: CEA-608 in SCC is NTSC video: one byte pair per frame at 29.97 fps.
FRAME_RATES = (NTSC,)


@dataclass
class Plan:
    """The captions of a file and the frame rate and numbering of their timecodes."""

    captions: list[Caption]
    fps: Fraction
    drop_frame: bool
    mode: str


def _rate(context: WriteContext) -> tuple[Fraction, bool]:
    """SCC runs at 29.97 fps (30 when the project is 30): any other project rate is converted,
    each time to its nearest 29.97 fps frame, with a note."""
    fps = project_fps(context, NAME, FRAME_RATES)
    if fps not in (NTSC, Fraction(30)):
        context.note(
            f"{NAME}: SCC runs at 29.97 fps: times converted from the {fps_name(fps)} fps"
            " project rate to the nearest 29.97 fps frame"
        )
        fps = NTSC
    drop = SCC_DROP_FRAME.value(context.options) and fps == NTSC
    return fps, drop


def plan(transcript: Transcript, context: WriteContext) -> Plan:
    """Lay the cues out as 608 captions on the frame grid (before any load scheduling)."""
    fps, drop = _rate(context)
    offset = start_offset(context, fps, drop)
    mode = SCC_MODE.value(context.options)
    rows = {"rollup2": 2, "rollup3": 3}.get(mode) or SCC_ROWS.value(context.options)
    mapper = CharMapper(cea608.KNOWN)
    style = SPEAKER_STYLE.value(context.options)
    starts, ends, _ = transcript.columns()
    starts, ends = list(starts), list(ends)  # lazily parsed stamps: convert them all at once
    frame = frame_of(fps)
    captions: list[Caption] = []
    append = captions.append
    split = 0
    for index, turns in enumerate(
        turn_lines(
            transcript, style, change_mark=">> ", upper_labels=True, previous=context.previous
        )
    ):
        lines: list[str] = []
        for turn in turns:
            for part in turn.split("\n"):  # a line break is a row break, never dropped
                lines.extend(wrap(mapper(part), COLUMNS))
        lines = [line for line in lines if line.strip()]
        if not lines:
            continue
        first = frame(starts[index]) + offset
        last = max(frame(ends[index]) + offset, first + 1)
        if len(lines) <= rows:
            append(Caption(first, last, tuple(lines), index))
            continue
        split += 1
        total = sum(map(len, lines))
        done = 0
        for at in range(0, len(lines), rows):
            piece = lines[at : at + rows]
            begin = first + (last - first) * done // total
            done += sum(map(len, piece))
            finish = first + (last - first) * done // total
            if finish > begin:
                append(Caption(begin, finish, tuple(piece), index))
    if split:
        context.note(
            f"scc: {split} cue(s) had more than {rows} rows of {COLUMNS} characters and became"
            " several captions sharing the cue's time (more rows with --scc-rows, up to 4)",
            transcript.source,
        )
    mapper.report(context, "scc", transcript.source)
    return Plan(captions, fps, drop, mode)


def build(transcript: Transcript, context: WriteContext) -> tuple[Plan, str]:
    """Plan and schedule the captions; return the plan (with the real times) and the file."""
    layout = plan(transcript, context)
    if layout.mode == "popon":
        shown, timeline = schedule_popon(layout.captions)
    else:
        shown, timeline = schedule_rollup(layout.captions, 2 if layout.mode == "rollup2" else 3)
    smaller: int = sum(timeline.smaller[2:])
    if smaller:
        context.note(
            f"scc: {smaller} caption(s) had little time to load after the"
            " previous one and were sent with fewer repeated control codes"
            f" ({timeline.smaller[4]} with rows up to 2 columns off centre) to appear on time",
            transcript.source,
        )
    late = [c for c in shown if c.late > 0]
    if late:
        worst = max(c.late for c in late)
        context.note(
            f"scc: {len(late)} caption(s) appear later than their cue (up to {worst} frames):"
            " loading a caption takes one frame per two characters and the previous caption"
            " was on screen too briefly to load it behind (or the cue starts before loading"
            " can; try --start-timecode 01:00:00;00)",
            transcript.source,
        )
    layout.captions = shown
    _refuse_past_99_hours(shown, layout, transcript)
    return layout, timeline.render(layout.fps, layout.drop_frame)


def _refuse_past_99_hours(shown: list[Caption], layout: Plan, transcript: Transcript) -> None:
    """SCC timecodes have two hour digits: a caption on screen past 99:59:59 cannot be
    written (``100:00:00;24`` makes readers drop captions), so the writer refuses."""
    base = 30
    per_hour = (6 * (base * 600 - 2 * 9)) if layout.drop_frame else base * 3600
    limit = 100 * per_hour
    late = next((c for c in shown if c.end >= limit), None)
    if late is not None:
        mark = ";" if layout.drop_frame else ":"
        raise CaptionbridgeError(
            f"SCC timecodes stop at 99:59:59{mark}29; cue {late.cue + 1} runs past it",
            source=transcript.source,
        )


def write_scc(transcript: Transcript, context: WriteContext) -> str:
    """Render a transcript as a Scenarist SCC file."""
    return build(transcript, context)[1]


def _rows(value: str | int) -> int:
    rows = int(value)
    if not 1 <= rows <= 4:
        raise ValueError(f"must be 1 to 4, not {value!r}")
    return rows


SCC_MODE = OptionSpec(
    "scc_mode",
    "SCC caption style: pop-on, or roll-up with 2 or 3 rows.",
    default="popon",
    choices=("popon", "rollup2", "rollup3"),
)
SCC_ROWS = OptionSpec(
    "scc_rows",
    "Rows per pop-on SCC caption (1-4; at the bottom of the screen).",
    type=_rows,
    strict=True,
    default=2,
    metavar="N",
)
SCC_DROP_FRAME = OptionSpec(
    "scc_drop_frame",
    "Drop-frame timecode (HH:MM:SS;FF) in SCC at 29.97 fps; off for non-drop.",
    type=bool,
    default=True,
    is_bool=True,
)


@hookimpl
def captionbridge_register_options(register: Callable[[OptionSpec], None]) -> None:
    for spec in (SCC_MODE, SCC_ROWS, SCC_DROP_FRAME):
        register(spec)


@hookimpl
def captionbridge_register_writers(register: Callable[[WriterSpec], None]) -> None:
    register(
        WriterSpec(
            NAME,
            write_scc,
            extension=".scc",
            description="Scenarist SCC (CEA-608 captions)",
            frame_based=True,
            frame_rates=FRAME_RATES,
            encoding="ascii",
        )
    )
