"""Scenarist SCC (``.scc``): CEA-608 captions for Premiere, Final Cut and broadcast encoders.

Pop-on captions (the default) are loaded into the hidden caption memory and shown by End Of
Caption (EOC); the bytes flow at one pair per frame (29.97 fps), so loading starts early enough
that EOC falls exactly on the cue's start frame, and Erase Displayed Memory (EDM) clears the
screen exactly on the cue's end frame (not needed when the next caption replaces it on that
frame). EOC and EDM always start a line of the file, so every decoder reads their time directly
from the line's timecode.

Loading a caption takes frames (RCL, ENM, a PAC per row, two characters per frame): it happens
while the previous caption is on screen, around that caption's EDM. When there is not time
enough even with control codes sent once instead of twice, the caption appears late, on the
first frame its loading allows, and a note says so. A cue at 0 ms always needs this (its
loading would have to start before the file does): give ``--start-timecode 01:00:00;00`` (or
any start with room) to keep it on time.

Text: CEA-608 basic, special and extended characters (see :mod:`.cea608`); everything else as
in :mod:`.broadcast`. Lines wrap at 32 columns, captions have at most ``scc_rows`` rows
(bottom of the screen, centred); a longer cue becomes several captions sharing its time in
proportion to their characters. Speakers: ``>> `` on a change, ``NAME: `` for a named one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from captionbridge.errors import CaptionbridgeError
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Transcript
from captionbridge.specs import OptionSpec, WriteContext, WriterSpec
from captionbridge.timecode import frames_to_smpte, ms_to_frames

from . import cea608
from .broadcast import CharMapper, start_offset, turn_lines, wrap

NAME = "scc"
HEADER = "Scenarist_SCC V1.0"
COLUMNS = 32
NTSC = Fraction(30000, 1001)


@dataclass(frozen=True)
class Caption:
    """One planned 608 caption: shown from frame ``start`` (EOC) to frame ``end`` (EDM or the
    next EOC), frames counted from timecode 00:00:00:00. ``late`` frames after its cue asked."""

    start: int
    end: int
    rows: tuple[str, ...]
    cue: int
    late: int = 0


@dataclass
class Plan:
    """The captions of a file and the frame rate and numbering of their timecodes."""

    captions: list[Caption]
    fps: Fraction
    drop_frame: bool
    mode: str


def _rate(context: WriteContext) -> tuple[Fraction, bool]:
    fps = context.options.get("fps") or NTSC
    if fps not in (NTSC, Fraction(30)):
        raise CaptionbridgeError(f"SCC runs at 29.97 or 30 fps, not {float(fps):g}")
    drop = bool(context.options.get("scc_drop_frame", True)) and fps == NTSC
    return fps, drop


def _pieces(lines: list[str], rows: int) -> list[list[str]]:
    return [lines[i : i + rows] for i in range(0, len(lines), rows)] or [[]]


def plan(transcript: Transcript, context: WriteContext) -> Plan:
    """Lay the cues out as 608 captions on the frame grid (before any load scheduling)."""
    fps, drop = _rate(context)
    offset = start_offset(context, fps, drop)
    mode = context.options.get("scc_mode") or "popon"
    rows = {"rollup2": 2, "rollup3": 3}.get(mode) or int(context.options.get("scc_rows") or 2)
    if not 1 <= rows <= 4:
        raise CaptionbridgeError(f"--scc-rows must be 1 to 4, not {rows}")
    mapper = CharMapper(cea608.KNOWN)
    style = context.options.get("speaker_style") or "auto"
    starts, ends, _ = transcript.columns()
    captions: list[Caption] = []
    split = 0
    for index, turns in enumerate(
        turn_lines(transcript, style, change_mark=">> ", upper_labels=True)
    ):
        lines: list[str] = []
        for turn in turns:
            for part in turn.split("\n"):  # a line break is a row break, never dropped
                lines.extend(wrap(mapper(part), COLUMNS))
        lines = [line for line in lines if line.strip()]
        if not lines:
            continue
        first = ms_to_frames(starts[index], fps) + offset
        last = max(ms_to_frames(ends[index], fps) + offset, first + 1)
        pieces = _pieces(lines, rows)
        if len(pieces) > 1:
            split += 1
        total = sum(len(line) for line in lines)
        done = 0
        for piece in pieces:
            begin = first + (last - first) * done // total
            done += sum(len(line) for line in piece)
            finish = first + (last - first) * done // total
            if finish > begin:
                captions.append(Caption(begin, finish, tuple(piece), index))
    if split:
        context.note(
            f"scc: {split} cue(s) had more than {rows} rows of {COLUMNS} characters and became"
            " several captions sharing the cue's time (more rows with --scc-rows, up to 4)",
            transcript.source,
        )
    mapper.report(context, "scc", transcript.source)
    return Plan(captions, fps, drop, mode)


def _load_groups(rows: Sequence[str], total_rows: int, double: bool) -> list[Sequence[str]]:
    """The byte-pair groups that load a pop-on caption into hidden memory (without EOC)."""
    twice = 2 if double else 1
    # RCL stays doubled: pycaption only drops repeated extended characters after a doubled RCL
    groups: list[Sequence[str]] = [[cea608.RCL] * 2, [cea608.ENM] * twice]
    first_row = 16 - len(rows) if total_rows <= 2 else 16 - total_rows
    for number, text in enumerate(rows):
        column = (COLUMNS - len(text)) // 2
        pac, tab = cea608.pac_words(first_row + number, column)
        groups.append([pac] * twice + ([tab] * twice if tab else []))
        groups.extend(cea608.encode_row(text))
    return groups


class _Timeline:
    """Byte pairs by frame, with the frames where nothing else may go."""

    def __init__(self) -> None:
        self.words: dict[int, str] = {}
        self.line_starts: set[int] = set()

    def free(self, first: int, length: int) -> bool:
        return all(f not in self.words for f in range(first, first + length))

    def put(self, frame: int, words: Sequence[str], line_start: bool = False) -> None:
        for i, w in enumerate(words):
            self.words[frame + i] = w
        if line_start:
            self.line_starts.add(frame)

    def fit_before(self, groups: Sequence[Sequence[str]], end: int, floor: int) -> list[int] | None:
        """Frames for the groups, packed to finish right before ``end`` and not below
        ``floor``, skipping taken frames between groups; None when they do not fit."""
        places: list[int] = []
        cursor = end
        for group in reversed(groups):
            at = cursor - len(group)
            while at >= floor and not self.free(at, len(group)):
                at -= 1
            if at < floor:
                return None
            places.append(at)
            cursor = at
        places.reverse()
        return places

    def fit_after(self, groups: Sequence[Sequence[str]], floor: int) -> tuple[list[int], int]:
        """Frames for the groups packed from ``floor`` on; also the first frame after them."""
        places: list[int] = []
        cursor = floor
        for group in groups:
            while not self.free(cursor, len(group)):
                cursor += 1
            places.append(cursor)
            cursor += len(group)
        while not self.free(cursor, 1):
            cursor += 1
        return places, cursor

    def render(self, fps: Fraction, drop: bool) -> str:
        lines = [HEADER]
        run: list[str] = []
        run_start = -1
        previous = -2
        for frame in sorted(self.words):
            if frame != previous + 1 or frame in self.line_starts:
                if run:
                    lines.append(f"{frames_to_smpte(run_start, fps, drop)}\t{' '.join(run)}")
                run, run_start = [], frame
            run.append(self.words[frame])
            previous = frame
        if run:
            lines.append(f"{frames_to_smpte(run_start, fps, drop)}\t{' '.join(run)}")
        return "\n\n".join(lines) + "\n"


def schedule_popon(captions: list[Caption]) -> tuple[list[Caption], _Timeline]:
    """Place every caption's loading, EOC and EDM on the frame grid; returns the captions as
    they will really show (``late`` set where loading could not finish in time)."""
    timeline = _Timeline()
    shown: list[Caption] = []
    floor = 1  # a file never starts at 00:00:00:00
    for i, cap in enumerate(captions):
        previous = shown[-1] if shown else None
        start, end = cap.start, cap.end
        if previous is not None:
            floor = previous.start + 1
            if previous.end < start:
                # EDM on the previous caption's last frame, its copy on the next frame if free
                timeline.put(previous.end, [cea608.EDM], line_start=True)
                if previous.end + 1 < start and timeline.free(previous.end + 1, 1):
                    timeline.put(previous.end + 1, [cea608.EDM])
        start = max(start, floor)
        groups = _load_groups(cap.rows, len(cap.rows), double=True)
        places = timeline.fit_before(groups, start, floor)
        if places is None:
            groups = _load_groups(cap.rows, len(cap.rows), double=False)
            places = timeline.fit_before(groups, start, floor)
        if places is None:
            places, start = timeline.fit_after(groups, floor)
        for at, group in zip(places, groups, strict=True):
            timeline.put(at, group)
        if previous is not None and previous.end == cap.start < start:
            # nothing cleared the previous caption: it stays until this one replaces it
            shown[-1] = replace(previous, end=start)
        following = captions[i + 1].start if i + 1 < len(captions) else None
        end = max(end, start + 1)
        if following is not None and end > following:
            end = max(following, start + 1)
        timeline.put(start, [cea608.EOC], line_start=True)
        if start + 1 < end:
            timeline.put(start + 1, [cea608.EOC])
        shown.append(Caption(start, end, cap.rows, cap.cue, start - cap.start))
    if shown:
        last = shown[-1]
        timeline.put(last.end, [cea608.EDM, cea608.EDM], line_start=True)
    return shown, timeline


def schedule_rollup(captions: list[Caption], depth: int) -> tuple[list[Caption], _Timeline]:
    """Roll-up: each row is painted as it arrives from the cue's start frame (RU, CR, PAC,
    text); the screen is cleared by EDM when a gap follows."""
    timeline = _Timeline()
    shown: list[Caption] = []
    cursor = 1
    ru = cea608.roll_up(depth)
    for i, cap in enumerate(captions):
        start = max(cap.start, cursor)
        at = start
        for number, text in enumerate(cap.rows):
            pac, _ = cea608.pac_words(15, 0)
            words = [ru, ru, cea608.CR, cea608.CR, pac, pac]
            words += [w for group in cea608.encode_row(text) for w in group]
            timeline.put(at, words, line_start=number == 0)
            at += len(words)
        following = captions[i + 1].start if i + 1 < len(captions) else None
        end = max(cap.end, at)
        if following is None or end < following:
            timeline.put(end, [cea608.EDM, cea608.EDM], line_start=True)
            at = end + 2
        shown.append(Caption(start, end, cap.rows, cap.cue, start - cap.start))
        cursor = at
    return shown, timeline


def build(transcript: Transcript, context: WriteContext) -> tuple[Plan, str]:
    """Plan and schedule the captions; return the plan (with the real times) and the file."""
    layout = plan(transcript, context)
    if layout.mode == "popon":
        shown, timeline = schedule_popon(layout.captions)
    else:
        shown, timeline = schedule_rollup(layout.captions, 2 if layout.mode == "rollup2" else 3)
    late = [c for c in shown if c.late > 0]
    if late:
        worst = max(c.late for c in late)
        context.note(
            f"scc: {len(late)} caption(s) appear later than their cue (up to {worst} frames):"
            " loading a caption takes one frame per two characters and the previous caption"
            " left too little time (or the cue starts before loading can; try"
            " --start-timecode 01:00:00;00)",
            transcript.source,
        )
    layout.captions = shown
    return layout, timeline.render(layout.fps, layout.drop_frame)


def write_scc(transcript: Transcript, context: WriteContext) -> str:
    """Render a transcript as a Scenarist SCC file."""
    return build(transcript, context)[1]


@hookimpl
def captionbridge_register_options(register: Callable[[OptionSpec], None]) -> None:
    register(
        OptionSpec(
            "scc_mode",
            "SCC caption style: pop-on, or roll-up with 2 or 3 rows.",
            default="popon",
            choices=("popon", "rollup2", "rollup3"),
        )
    )
    register(
        OptionSpec(
            "scc_rows",
            "Rows per pop-on SCC caption (1-4; at the bottom of the screen).",
            type=int,
            default=2,
            metavar="N",
        )
    )
    register(
        OptionSpec(
            "scc_drop_frame",
            "Drop-frame timecode (HH:MM:SS;FF) in SCC at 29.97 fps; off for non-drop.",
            type=bool,
            default=True,
            is_bool=True,
        )
    )


@hookimpl
def captionbridge_register_writers(register: Callable[[WriterSpec], None]) -> None:
    register(
        WriterSpec(
            NAME,
            write_scc,
            extension=".scc",
            description="Scenarist SCC (CEA-608 captions)",
            frame_based=True,
            encoding="ascii",
        )
    )
