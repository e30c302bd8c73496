"""The numbers a house style sets (line length, reading speed, durations, gaps) gathered from
the options, plus the option parsers and the reading-speed measures that reflow and
``captionbridge check`` share."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import brief
from ..helpers.timecode import DEFAULT_FPS
from ..model import Turn
from ..specs import Options, OptionSpec

__all__ = [
    "DEFAULT_FPS",
    "MAX_MS",
    "OPTIONS",
    "Gap",
    "Limits",
    "parse_gap",
    "parse_ms",
    "visible_chars",
]

_MS = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*(ms|s|f|frames?)?\s*$", re.I)


#: the longest duration or gap an option takes: a day (a longer one is a typing mistake, and
#: bounding it keeps every later computation on ordinary integers)
MAX_MS = 86_400_000


def _bounded_ms(number: float, value: object) -> int:
    if not (math.isfinite(number) and 0 <= number <= MAX_MS):
        raise ValueError(f"out of range: {brief(value)} (0 to {MAX_MS // 1000}s)")
    return round(number)


def parse_ms(value: str | float) -> int:
    """A duration in milliseconds: ``833``, ``833ms``, ``0.833s`` or ``5/6s`` (at most a day)."""
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, int) and not 0 <= value <= MAX_MS:
        raise ValueError(f"out of range: {brief(value)} (0 to {MAX_MS // 1000}s)")
    if isinstance(value, (int, float)):
        return _bounded_ms(float(value), value)
    if not isinstance(value, str) or len(value) > 100:
        raise ValueError(f"not a duration: {brief(value)} (write 833, 833ms or 0.833s)")
    text = value.strip().lower()
    if "/" in text:
        # a fraction of a second, such as the 5/6s of the Netflix minimum duration
        try:
            if not text.endswith("s") or text.endswith("ms"):
                raise ValueError(text)
            fraction = Fraction(text[:-1].strip()) * 1000
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"not a duration: {value!r} (write 833, 833ms or 0.833s)") from None
        if not 0 <= fraction <= MAX_MS:
            raise ValueError(f"out of range: {brief(value)} (0 to {MAX_MS // 1000}s)")
        return math.ceil(fraction)
    match = _MS.match(text)
    if not match or (match.group(2) or "ms")[0] == "f":
        raise ValueError(f"not a duration: {value!r} (write 833, 833ms or 0.833s)")
    number = float(match.group(1))
    return _bounded_ms(number * 1000 if match.group(2) == "s" else number, value)


@dataclass(frozen=True)
class Gap:
    """A gap length in milliseconds or in frames (``2f``)."""

    amount: float
    frames: bool = False

    def ms(self, fps: Fraction | None) -> int:
        """The gap in milliseconds: frames are measured at ``fps`` (23.976 when unknown) and
        rounded up, so a gap is never shorter than asked."""
        if not self.frames:
            return round(self.amount)
        rate = fps or DEFAULT_FPS
        return math.ceil(Fraction(self.amount).limit_denominator(1000) * 1000 / rate)

    def __str__(self) -> str:
        return f"{self.amount:g}f" if self.frames else f"{self.amount:g}ms"


def parse_gap(value: str | float | Gap) -> Gap:
    """A gap: ``2f`` / ``2 frames`` (frames at ``--fps``), ``80``, ``80ms`` or ``0.08s``."""
    if isinstance(value, Gap):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Gap(parse_ms(value))
    match = _MS.match(value) if isinstance(value, str) and len(value) <= 100 else None
    if not match:
        raise ValueError(f"not a gap: {brief(value)} (write 2f, 80ms or 0.08s)")
    number = float(match.group(1))
    unit = (match.group(2) or "ms").lower()
    if unit.startswith("f"):
        if not number <= MAX_GAP_FRAMES:
            raise ValueError(f"out of range: {value!r} (at most {MAX_GAP_FRAMES} frames)")
        return Gap(number, frames=True)
    return Gap(parse_ms(value))


#: the longest gap in frames an option takes (a minute at 60 fps)
MAX_GAP_FRAMES = 3600


def visible_chars(turns: tuple[Turn, ...] | str) -> int:
    """Characters a viewer reads: the text of every turn, a line break counting as a space."""
    if isinstance(turns, str):
        return len(turns)
    return sum(len(t.text) for t in turns) + len(turns) - 1


@dataclass(frozen=True)
class Limits:
    """The limits reflow enforces and ``check`` reports against; ``None`` means no limit."""

    max_chars: int | None = None
    max_lines: int | None = None
    max_cps: float | None = None
    max_wpm: float | None = None
    min_duration: int | None = None
    max_duration: int | None = None
    min_gap: int = 0
    #: the minimum gap in frames when it was given in frames (``2f``): counted at ``fps``
    gap_frames: float | None = None
    chain_gap: int = 0
    fps: Fraction | None = None
    #: ``fps`` was not given: it is :data:`DEFAULT_FPS`, assumed for a gap given in frames
    fps_assumed: bool = False
    resegment: bool = False
    language: str | None = None

    @classmethod
    def from_options(cls, options: Options) -> Limits:
        """Gather the limits from option values (typed by the resolver: nothing is parsed).

        A gap given in frames needs a frame rate: without ``fps`` it is counted at
        :data:`DEFAULT_FPS` and ``fps_assumed`` says so (reflow then snaps to that grid)."""
        fps: Fraction | None = options.get("fps")
        gap: Gap | None = MIN_GAP.value(options)
        frames = gap is not None and gap.frames and gap.amount > 0
        assumed = bool(frames and fps is None)
        if assumed:
            fps = DEFAULT_FPS
        return cls(
            max_chars=MAX_CHARS.value(options),
            max_lines=MAX_LINES.value(options),
            max_cps=MAX_CPS.value(options),
            max_wpm=MAX_WPM.value(options),
            min_duration=MIN_DURATION.value(options),
            max_duration=MAX_DURATION.value(options),
            min_gap=gap.ms(fps) if gap is not None else 0,
            gap_frames=gap.amount if gap is not None and frames else None,
            chain_gap=CHAIN_GAP.value(options) or 0,
            fps=fps,
            fps_assumed=assumed,
            resegment=RESEGMENT.value(options),
            language=options.get("language"),
        )

    @property
    def active(self) -> bool:
        """True when any reflow or timing rule is asked for."""
        return any(
            value not in (None, 0, False)
            for value in (
                self.max_chars,
                self.max_lines,
                self.max_cps,
                self.max_wpm,
                self.min_duration,
                self.max_duration,
                self.min_gap,
                self.chain_gap,
                self.resegment,
            )
        )

    def reading_ms(self, chars: int, words: int) -> int:
        """The shortest time a text can be shown at the reading-speed limits."""
        need = 0.0
        if self.max_cps:
            need = chars * 1000 / self.max_cps
        if self.max_wpm:
            need = max(need, words * 60000 / self.max_wpm)
        return math.ceil(need)

    def describe(self) -> dict[str, Any]:
        """The limits as plain values (for reports)."""
        return {
            "max_chars": self.max_chars,
            "max_lines": self.max_lines,
            "max_cps": self.max_cps,
            "max_wpm": self.max_wpm,
            "min_duration": self.min_duration,
            "max_duration": self.max_duration,
            "min_gap": self.min_gap,
            "chain_gap": self.chain_gap,
            "fps": str(self.fps) if self.fps else None,
            "fps_assumed": self.fps_assumed,
        }

    def gap_in_frames(self) -> int:
        """The minimum gap as a whole number of frames at ``fps`` (0 without a frame rate):
        exactly the frames asked for (``2f``), or the frames a millisecond gap needs."""
        if not self.fps or not self.min_gap:
            return 0
        if self.gap_frames is not None:
            return math.ceil(self.gap_frames)
        return math.ceil(self.min_gap * self.fps / 1000 - Fraction(1, 100))


def _count(value: str | int) -> int:
    """A whole number from 1 to 10,000 (characters, lines)."""
    if isinstance(value, bool):
        raise ValueError(f"not a whole number: {value!r}")
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit() and len(text.lstrip("0")) > 5:
            raise ValueError(f"too large: {brief(value)} (at most 10000)")
        try:
            number = int(text)
        except ValueError:
            raise ValueError(f"not a whole number: {brief(value)}") from None
    elif isinstance(value, int):
        number = value
    else:
        raise ValueError(f"not a whole number: {brief(value)}")
    if not 1 <= number <= 10_000:
        raise ValueError(f"must be from 1 to 10000, not {brief(value)}")
    return number


def _speed(value: str | float) -> float:
    """A reading speed above 0 and at most 100,000 (characters per second, words per minute)."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"not a number: {brief(value)}") from None
    if isinstance(value, bool) or not 0.001 <= number <= 100_000:
        raise ValueError(f"must be from 0.001 to 100000, not {brief(value)}")
    return number


# The reflow options, declared once: the reflow plugin registers them, from_options reads them.
RESEGMENT = OptionSpec(
    "resegment",
    "Regroup the transcript's fragments into subtitles (presets turn this on).",
    type=bool,
    default=False,
    is_bool=True,
)
MAX_CHARS = OptionSpec("max_chars", "Longest subtitle line.", type=_count, strict=True, metavar="N")
MAX_LINES = OptionSpec(
    "max_lines", "Most lines per subtitle.", type=_count, strict=True, metavar="N"
)
MAX_CPS = OptionSpec(
    "max_cps", "Reading speed limit, characters per second.", type=_speed, strict=True
)
MAX_WPM = OptionSpec("max_wpm", "Reading speed limit, words per minute.", type=_speed, strict=True)
MIN_DURATION = OptionSpec(
    "min_duration",
    "Shortest subtitle (833, 833ms, 0.833s or 5/6s).",
    type=parse_ms,
    strict=True,
    metavar="TIME",
)
MAX_DURATION = OptionSpec(
    "max_duration", "Longest subtitle (7s, 7000ms).", type=parse_ms, strict=True, metavar="TIME"
)
MIN_GAP = OptionSpec(
    "min_gap",
    "Shortest gap between subtitles: frames (2f, at --fps; 23.976 assumed without it)"
    " or time (80ms).",
    type=parse_gap,
    strict=True,
    metavar="GAP",
)
CHAIN_GAP = OptionSpec(
    "chain_gap",
    "Gaps shorter than this close to the minimum gap (500ms).",
    type=parse_ms,
    strict=True,
    default=0,
    metavar="TIME",
)
#: every reflow option, in the order ``--help`` shows them
OPTIONS = (
    RESEGMENT,
    MAX_CHARS,
    MAX_LINES,
    MAX_CPS,
    MAX_WPM,
    MIN_DURATION,
    MAX_DURATION,
    MIN_GAP,
    CHAIN_GAP,
)
