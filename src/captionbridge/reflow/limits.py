"""The numbers a house style sets (line length, reading speed, durations, gaps) gathered from
the options, plus the option parsers and the reading-speed measures that reflow and
``captionbridge check`` share."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..helpers.timecode import DEFAULT_FPS
from ..model import Turn
from ..specs import Options

__all__ = [
    "DEFAULT_FPS",
    "Gap",
    "Limits",
    "parse_gap",
    "parse_ms",
    "visible_chars",
]

_MS = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*(ms|s|f|frames?)?\s*$", re.I)


def parse_ms(value: str | float) -> int:
    """A duration in milliseconds: ``833``, ``833ms``, ``0.833s`` or ``5/6s``."""
    if isinstance(value, (int, float)):
        return round(value)
    text = value.strip().lower()
    if "/" in text:
        # a fraction of a second, such as the 5/6s of the Netflix minimum duration
        try:
            if not text.endswith("s") or text.endswith("ms"):
                raise ValueError(text)
            return math.ceil(Fraction(text[:-1].strip()) * 1000)
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"not a duration: {value!r} (write 833, 833ms or 0.833s)") from None
    match = _MS.match(text)
    if not match or (match.group(2) or "ms")[0] == "f":
        raise ValueError(f"not a duration: {value!r} (write 833, 833ms or 0.833s)")
    number = float(match.group(1))
    return round(number * 1000) if match.group(2) == "s" else round(number)


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
    if isinstance(value, (int, float)):
        return Gap(float(value))
    match = _MS.match(value)
    if not match:
        raise ValueError(f"not a gap: {value!r} (write 2f, 80ms or 0.08s)")
    number = float(match.group(1))
    unit = (match.group(2) or "ms").lower()
    if unit.startswith("f"):
        return Gap(number, frames=True)
    return Gap(number * 1000 if unit == "s" else number)


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
        """Gather the limits from resolved option values.

        A gap given in frames needs a frame rate: without ``fps`` it is counted at
        :data:`DEFAULT_FPS` and ``fps_assumed`` says so (reflow then snaps to that grid)."""
        fps: Fraction | None = options.get("fps")
        gap = parse_gap(options["min_gap"]) if options.get("min_gap") is not None else None
        frames = gap is not None and gap.frames and gap.amount > 0
        assumed = frames and fps is None
        if assumed:
            fps = DEFAULT_FPS
        return cls(
            max_chars=options.get("max_chars"),
            max_lines=options.get("max_lines"),
            max_cps=options.get("max_cps"),
            max_wpm=options.get("max_wpm"),
            min_duration=options.get("min_duration"),
            max_duration=options.get("max_duration"),
            min_gap=gap.ms(fps) if gap is not None else 0,
            gap_frames=gap.amount if gap is not None and frames else None,
            chain_gap=options.get("chain_gap") or 0,
            fps=fps,
            fps_assumed=assumed,
            resegment=bool(options.get("resegment")),
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
