"""TTML time expressions and the time containment model (TTML 2 §12, as ttconv reads it).

:class:`Clock` turns a ``begin``/``end``/``dur`` value into seconds with the document's
``ttp:timeBase``, ``ttp:frameRate`` × ``ttp:frameRateMultiplier``, ``ttp:dropMode`` and
``ttp:tickRate``. :class:`Span` is one element's active interval: its begin is its syncbase
(the parent's begin in a ``par`` container, the previous sibling's end in a ``seq``) plus its
``begin``; its end comes from ``end``/``dur`` or, when neither is given, from its children
(the latest end in ``par``, the last child's end in ``seq``; text in a ``par`` element is
there until its parent ends). ``None`` stands for an indefinite end. :func:`attr` and
:func:`local` read attributes and element names the lenient way the reader needs (any TTML
namespace, old DFXP ones included). Registers nothing.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any

__all__ = ["Clock", "Span", "attr", "local"]

_CLOCK = re.compile(r"^(\d+):(\d\d):(\d\d)(?:(\.\d+)|:(\d+)(?:\.(\d+))?)?$")
_OFFSET = re.compile(r"^(\d+(?:\.\d+)?)(h|ms|m|s|f|t)?$")  # a bare number (Apple) is seconds
_INTEGER = re.compile(r"^\s*(\d+)")
_MULTIPLIER = re.compile(r"^\s*(\d+)\s+(\d+)\s*$")
_SCALE = {"h": Fraction(3600), "m": Fraction(60), "s": Fraction(1), "ms": Fraction(1, 1000)}


def attr(element: Any, name: str) -> str | None:
    """An attribute by local name, in no namespace or a TTML one (``ttp:``, ``ttm:``)."""
    for key, value in element.attrib.items():
        if key == name or key.endswith("}" + name):
            return str(value)
    return None


def local(tag: Any) -> str:
    """The local name of a TTML element (any TTML or DFXP namespace, or none); ``""`` for a
    comment, a processing instruction or an element of a foreign namespace."""
    if not isinstance(tag, str):
        return ""
    if not tag.startswith("{"):
        return tag
    namespace, _, name = tag[1:].partition("}")
    return name if "ns/ttml" in namespace or "ttaf1" in namespace else ""


def _integer(element: Any, name: str, default: int) -> int:
    raw = attr(element, name)
    if raw is None:
        return default
    match = _INTEGER.match(raw)
    if match is None:
        raise ValueError(f"bad ttp:{name} {raw[:40]!r}")
    return int(match.group(1))


class Clock:
    """The time parameters of a ``tt`` element, and time expressions read with them."""

    def __init__(self, root: Any) -> None:
        rate = _integer(root, "frameRate", 30)
        multiplier = attr(root, "frameRateMultiplier")
        self.fps = Fraction(rate)
        if multiplier is not None:
            match = _MULTIPLIER.match(multiplier)
            if match is None or int(match.group(2)) == 0:
                raise ValueError(f"bad ttp:frameRateMultiplier {multiplier[:40]!r}")
            self.fps *= Fraction(int(match.group(1)), int(match.group(2)))
        self.ticks = _integer(root, "tickRate", 1)
        if self.fps <= 0 or self.ticks <= 0:
            raise ValueError("ttp:frameRate and ttp:tickRate must be positive")
        self.nominal = math.ceil(self.fps)
        # smpte labels count frames (dropping labels in drop mode); media frames are seconds
        self.smpte = (attr(root, "timeBase") or "media").strip() == "smpte"
        self.drop = (attr(root, "dropMode") or "nonDrop").strip() in ("dropNTSC", "dropPAL")

    def seconds(self, value: str) -> Fraction:
        """Seconds of a clock time, frame time, offset time or bare number of seconds."""
        value = value.strip()
        clock = _CLOCK.match(value)
        if clock:
            h, m, s, fraction, frames, sub = clock.groups()
            whole = (int(h) * 60 + int(m)) * 60 + int(s)
            if frames is None:
                return whole + (Fraction(fraction) if fraction else Fraction(0))
            count = Fraction(min(int(frames), self.nominal - 1))
            if sub:
                count += Fraction(f"0.{sub}")
            if not self.smpte:
                return whole + count / self.fps
            dropped = 0
            if self.drop:
                minutes = int(h) * 60 + int(m)
                dropped = round(60 * (self.nominal - self.fps)) * (minutes - minutes // 10)
            return (whole * self.nominal + count - dropped) / self.fps
        offset = _OFFSET.match(value)
        if offset is None:
            raise ValueError(f"unreadable time {value[:40]!r}")
        number, unit = Fraction(offset.group(1)), offset.group(2) or "s"
        if unit in _SCALE:
            return number * _SCALE[unit]
        return number / self.fps if unit == "f" else number / self.ticks


class Span:
    """The active interval of one timed element, in absolute seconds, built as it is read.

    ``begin`` is ``None`` when the element never becomes active (it follows an indefinite
    sibling in a ``seq``). Children are announced with :meth:`child_syncbase` and
    :meth:`add_child`; text content with :meth:`add_text`; :meth:`finish` gives the end.
    """

    __slots__ = ("begin", "dur", "end_value", "implicit", "seq", "syncbase")

    def __init__(
        self, element: Any, clock: Clock, syncbase: Fraction | None, endless: bool = False
    ) -> None:
        """``endless``: without ``end``/``dur`` the element lasts as long as its parent (a
        ``set`` or ``br`` in a ``par`` container), instead of as long as its content."""
        self.syncbase = syncbase
        begin, end, dur = attr(element, "begin"), attr(element, "end"), attr(element, "dur")
        self.seq = (attr(element, "timeContainer") or "par").strip() == "seq"
        self.begin = None if syncbase is None else syncbase + (clock.seconds(begin) if begin else 0)
        self.end_value = None if end is None else clock.seconds(end)
        self.dur = None if dur is None else clock.seconds(dur)
        self.implicit: Fraction | None = None if endless else self.begin

    def child_syncbase(self) -> Fraction | None:
        """Where the next child's times count from."""
        return self.implicit if self.seq else self.begin

    def add_child(self, end: Fraction | None) -> None:
        """A child ended at ``end`` (its desired end, ``None`` if indefinite)."""
        if self.seq:
            self.implicit = end
        elif self.implicit is not None:
            self.implicit = None if end is None else max(self.implicit, end)

    def add_text(self) -> None:
        """Text content in a ``par`` element lasts until the element ends."""
        if not self.seq:
            self.implicit = None

    def finish(self) -> Fraction | None:
        """The desired end: explicit ``end``/``dur`` (the earlier of both), else implicit."""
        if self.begin is None:
            return None
        ends = []
        if self.dur is not None:
            ends.append(self.begin + self.dur)
        if self.end_value is not None:
            assert self.syncbase is not None
            ends.append(self.syncbase + self.end_value)
        return min(ends) if ends else self.implicit
