"""Milliseconds to and from clock timestamps and SMPTE timecodes.

Inside captionbridge every time is an integer number of milliseconds. Frames exist only here and
in the writers that need them; a frame rate travels as a :class:`fractions.Fraction`
(``Fraction(30000, 1001)`` for 29.97).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import overload

__all__ = [
    "CLOCK_RE",
    "DEFAULT_FPS",
    "StampList",
    "clock",
    "fps_name",
    "frames_to_ms",
    "frames_to_smpte",
    "is_drop_frame_rate",
    "label_frames",
    "ms_to_frames",
    "on_grid",
    "parse_clock",
    "parse_fps",
    "parse_smpte",
    "smpte",
    "smpte_to_frames",
    "stamps",
    "stamps_to_ms",
]

#: Frame rates by their everyday names.
NAMED_RATES: dict[str, Fraction] = {
    "23.976": Fraction(24000, 1001),
    "23.98": Fraction(24000, 1001),
    "24": Fraction(24),
    "25": Fraction(25),
    "29.97": Fraction(30000, 1001),
    "30": Fraction(30),
    "47.952": Fraction(48000, 1001),
    "48": Fraction(48),
    "50": Fraction(50),
    "59.94": Fraction(60000, 1001),
    "60": Fraction(60),
}

#: The project frame rate assumed when a frame-based rule or format runs without ``--fps``:
#: 23.976, the most common rate of video projects (formats whose specification fixes the rate,
#: SCC and EBU-STL, use their own; see docs/frame-rates.md).
DEFAULT_FPS = Fraction(24000, 1001)


#: The slowest and fastest frame rates accepted: a frame lasts at least a millisecond, so every
#: frame keeps its own millisecond time.
MIN_FPS, MAX_FPS = Fraction(1), Fraction(1000)
#: The longest frame-rate text read: ``30000/1001`` and ``23.976023976`` fit, 5,000 digits not.
_FPS_CHARS = 32


def parse_fps(value: str | float | Fraction) -> Fraction:
    """Parse a frame rate: ``29.97``, ``30000/1001``, ``25``... into an exact fraction.

    The NTSC names (23.976, 29.97, 59.94) mean the exact 1000/1001 rates. Anything else
    (``nan``, ``inf``, ``1e309``, ``0``, negative rates, rates over 1000, very long texts)
    raises :class:`ValueError` with a short message.
    """
    if isinstance(value, Fraction):
        fps = value
    elif isinstance(value, (int, float)):
        if value != value:
            raise ValueError(f"not a frame rate: {value!r}")
        if not MIN_FPS <= value <= MAX_FPS:  # infinities, 10**400: out of range before formatting
            raise ValueError(f"frame rate out of range (1 to 1000): {str(value)[:12]!r}")
        fps = NAMED_RATES.get(f"{value:g}") or Fraction(value).limit_denominator(1001)
    else:
        text = value.strip()
        if len(text) > _FPS_CHARS:
            raise ValueError(f"not a frame rate: {text[:12]!r}... ({len(text)} characters)")
        if text in NAMED_RATES:
            fps = NAMED_RATES[text]
        else:
            try:
                fps = Fraction(text)
            except (ValueError, ZeroDivisionError):
                raise ValueError(f"not a frame rate: {value!r}") from None
            if not MIN_FPS <= fps <= MAX_FPS:
                raise ValueError(f"frame rate out of range (1 to 1000): {value!r}")
            named = NAMED_RATES.get(f"{float(fps):g}")
            if named is not None and "/" not in text:
                fps = named
    if not MIN_FPS <= fps <= MAX_FPS:
        raise ValueError(f"frame rate out of range (1 to 1000): {value!r}")
    return fps


def fps_name(fps: Fraction) -> str:
    """The everyday name of a rate (``23.976``, ``25``) or its fraction (``1001/40``)."""
    for name, rate in NAMED_RATES.items():
        if rate == fps:
            return name
    return str(fps) if fps.denominator != 1 else str(fps.numerator)


def is_drop_frame_rate(fps: Fraction) -> bool:
    """True for the NTSC rates that can use drop-frame timecode (29.97 and 59.94)."""
    return fps in (Fraction(30000, 1001), Fraction(60000, 1001))


def clock(ms: int, sep: str = ".") -> str:
    """``HH:MM:SS.mmm`` (at least two hour digits) with ``sep`` before the milliseconds."""
    if ms < 0:
        ms = 0
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, f = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{f:03d}"


CLOCK_RE = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?$")


def parse_clock(text: str) -> int:
    """Parse ``[H+:]MM:SS[.mmm]`` (``.`` or ``,`` decimal mark) into milliseconds."""
    match = CLOCK_RE.match(text.strip())
    if not match:
        raise ValueError(f"not a timestamp: {text!r}")
    hours, minutes, seconds, fraction = match.groups()
    if int(minutes) > 59 or int(seconds) > 59:
        raise ValueError(f"minutes or seconds over 59 in {text!r}")
    ms = int((fraction or "0").ljust(3, "0"))
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + ms


def stamps_to_ms(stamps: Sequence[str]) -> list[int]:
    """``H...H:MM:SS.mmm`` strings (any number of hour digits, fields in range) to
    milliseconds, without a Python-level parse per stamp."""
    # the stamp without its marks is the number H..HMMSSmmm: one int() per stamp
    digits = " ".join(stamps).replace(":", "").replace(".", "").split()
    return [
        (n // 10_000_000 * 60 + n // 100_000 % 100) * 60_000 + n % 100_000 for n in map(int, digits)
    ]


class StampList(Sequence[int]):
    """Millisecond times kept as the ``HH:MM:SS.mmm`` strings a reader found.

    Converting 200,000 timestamps to integers and back costs more than reading the whole file;
    when a reader meets canonical timestamps it keeps them in this list, which converts an item
    only when somebody reads it, and lets :func:`stamps` hand the strings to a writer as they
    are. Every string must match ``\\d\\d:\\d\\d:\\d\\d.\\d\\d\\d`` with minutes and seconds
    below 60: such strings sort like the times they stand for.
    """

    __slots__ = ("_ints", "stamps")

    def __init__(self, stamps: Sequence[str]) -> None:
        self.stamps = stamps
        self._ints: list[int] | None = None

    @staticmethod
    def _to_ms(t: str) -> int:
        return (int(t[:2]) * 60 + int(t[3:5])) * 60_000 + int(t[6:8] + t[9:12])

    def ints(self) -> list[int]:
        """All times as a list of integers (computed once)."""
        if self._ints is None:
            self._ints = stamps_to_ms(self.stamps)
        return self._ints

    def __len__(self) -> int:
        return len(self.stamps)

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...
    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        if isinstance(index, slice):
            return StampList(self.stamps[index])
        if self._ints is not None:
            return self._ints[index]
        return self._to_ms(self.stamps[index])

    def __iter__(self) -> Iterator[int]:
        return iter(self.ints())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StampList):
            return list(self.stamps) == list(other.stamps)
        if isinstance(other, Sequence):
            return self.ints() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


def stamps(times: Sequence[int], sep: str = ".") -> list[str]:
    """Format many times as ``HH:MM:SS<sep>mmm``, reusing a reader's strings when it can."""
    if isinstance(times, StampList):
        if sep == "." or not times.stamps:
            return list(times.stamps)
        # one replace over all of them runs at C speed; NUL cannot occur in a stamp
        return "\x00".join(times.stamps).replace(".", sep).split("\x00")
    if not isinstance(times, list):
        times = list(times)  # an array makes an int object per item at each pass: once here
    # three table look-ups instead of formatting three numbers (5x faster than clock)
    millis = [sep + m for m in _MILLIS]
    hours, minutes = _HOURS, _MINUTES
    low, high = (min(times), max(times)) if times else (0, 0)
    if not 0 <= low <= high < 360_000_000:  # past 99 hours
        if low < 0 or high >= _TABLE_HOURS * 3_600_000:
            return [clock(ms, sep) for ms in times]
        hours = [f"{h:02d}:" for h in range(high // 3_600_000 + 1)]
    return [hours[ms // 3_600_000] + minutes[ms // 1000 % 3600] + millis[ms % 1000] for ms in times]


_HOURS = [f"{h:02d}:" for h in range(100)]
#: past this many hours the times are formatted one by one rather than through a table
_TABLE_HOURS = 100_000
_MINUTES = [f"{m:02d}:{s:02d}" for m in range(60) for s in range(60)]
_MILLIS = [f"{f:03d}" for f in range(1000)]


def ms_to_frames(ms: int, fps: Fraction) -> int:
    """The frame on which ``ms`` falls, rounded to the nearest frame."""
    # floor(ms * fps / 1000 + 1/2) in integers: no Fraction per time (this runs per cue)
    p, q = fps.numerator, fps.denominator
    return (2 * ms * p + 1000 * q) // (2000 * q)


def frames_to_ms(frames: int, fps: Fraction) -> int:
    """The start of frame ``frames`` in milliseconds, rounded to the nearest millisecond."""
    p, q = fps.numerator, fps.denominator  # floor(frames * 1000 / fps + 1/2) in integers
    return (2000 * frames * q + p) // (2 * p)


def _timebase(fps: Fraction) -> int:
    """The integer frame count per timecode second (30 for 29.97)."""
    return int(-(-fps.numerator // fps.denominator)) if fps.denominator != 1 else fps.numerator


def on_grid(ms: int, fps: Fraction) -> bool:
    """True when ``ms`` is the millisecond time of a whole frame: the time of frame ``n`` is
    ``n * 1000 / fps`` rounded to the nearest millisecond (halves up), as writers lay it."""
    return frames_to_ms(ms_to_frames(ms, fps), fps) == ms


def frames_to_smpte(frames: int, fps: Fraction, drop_frame: bool = False) -> str:
    """Frame count to ``HH:MM:SS:FF`` (``HH:MM:SS;FF`` with drop-frame numbering).

    Drop-frame (29.97 and 59.94 only) skips frame numbers 0 and 1 (0-3 at 59.94) at the start of
    every minute except each tenth, so that the timecode follows the wall clock.
    """
    base = _timebase(fps)
    if drop_frame:
        if not is_drop_frame_rate(fps):
            raise ValueError(f"drop-frame timecode needs 29.97 or 59.94 fps, not {float(fps):g}")
        dropped = 2 * base // 30
        per_minute = base * 60 - dropped
        per_ten = per_minute * 10 + dropped
        tens, rest = divmod(frames, per_ten)
        if rest > dropped:
            frames += dropped * 9 * tens + dropped * ((rest - dropped) // per_minute)
        else:
            frames += dropped * 9 * tens
    ff = frames % base
    total_seconds = frames // base
    ss = total_seconds % 60
    mm = (total_seconds // 60) % 60
    hh = total_seconds // 3600
    mark = ";" if drop_frame else ":"
    return f"{hh:02d}:{mm:02d}:{ss:02d}{mark}{ff:02d}"


def smpte_to_frames(timecode: str, fps: Fraction, drop_frame: bool | None = None) -> int:
    """``HH:MM:SS:FF`` or ``HH:MM:SS;FF`` to a frame count (``;`` implies drop-frame)."""
    match = re.fullmatch(r"(\d+):(\d\d):(\d\d)([:;.,])(\d\d)", timecode.strip())
    if not match:
        raise ValueError(f"not a SMPTE timecode: {timecode!r}")
    hh, mm, ss, mark, ff = match.groups()
    if drop_frame is None:
        drop_frame = mark in ";,"
    base = _timebase(fps)
    if int(mm) > 59 or int(ss) > 59 or int(ff) >= base:
        raise ValueError(f"timecode field out of range: {timecode!r}")
    return label_frames(int(hh), int(mm), int(ss), int(ff), base, drop_frame)


def label_frames(hh: int, mm: int, ss: int, ff: int, base: int, drop_frame: bool) -> int:
    """The frame count of the timecode label ``hh:mm:ss:ff`` at ``base`` frames per timecode
    second (30 for 29.97). Drop-frame numbering skips ``2 * base // 30`` labels at the start
    of every minute but each tenth. The fields are not range-checked."""
    total_minutes = hh * 60 + mm
    frames = (total_minutes * 60 + ss) * base + ff
    if drop_frame:
        frames -= 2 * base // 30 * (total_minutes - total_minutes // 10)
    return frames


def smpte(ms: int, fps: Fraction, drop_frame: bool = False) -> str:
    """Milliseconds to a SMPTE timecode on the nearest frame."""
    return frames_to_smpte(ms_to_frames(ms, fps), fps, drop_frame)


def parse_smpte(timecode: str, fps: Fraction, drop_frame: bool | None = None) -> int:
    """A SMPTE timecode to milliseconds."""
    return frames_to_ms(smpte_to_frames(timecode, fps, drop_frame), fps)
