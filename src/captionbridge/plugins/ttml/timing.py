"""TTML time expressions and the time containment model (TTML 2 §12, as ttconv reads it).

:class:`Clock` turns a ``begin``/``end``/``dur`` value into nanoseconds with the document's
``ttp:timeBase``, ``ttp:frameRate`` × ``ttp:frameRateMultiplier``, ``ttp:dropMode`` and
``ttp:tickRate``. :class:`Span` is one element's active interval: its begin is its syncbase
(the parent's begin in a ``par`` container, the previous sibling's end in a ``seq``) plus its
``begin``; its end comes from ``end``/``dur`` or, when neither is given, from its children
(the latest end in ``par``, the last child's end in ``seq``; text in a ``par`` element is
there until its parent ends). ``None`` stands for an indefinite end. :func:`attrs` and
:func:`local` read attributes and element names the lenient way the reader needs (any TTML
namespace, old DFXP ones included). Registers nothing.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any

__all__ = ["NS", "Clock", "Span", "attrs", "local", "to_ms"]

_CLOCK = re.compile(r"^(\d+):(\d\d):(\d\d)(?:(\.\d+)|:(\d+)(?:\.(\d+))?)?$")
_OFFSET = re.compile(r"^(\d+(?:\.\d+)?)(h|ms|m|s|f|t)?$")  # a bare number (Apple) is seconds
_INTEGER = re.compile(r"^\s*(\d{1,12})(?!\d)")
_MULTIPLIER = re.compile(r"^\s*(\d{1,12})\s+(\d{1,12})\s*$")
#: nanoseconds in a second: the reader's unit of time
NS = 1_000_000_000
_SCALE = {"h": 3600 * NS, "m": 60 * NS, "s": NS, "ms": NS // 1000}
_DIGITS = 12  # more digits of hours or seconds than that is no caption time
_LONGEST = 64  # characters in the longest time expression read


def attrs(element: Any) -> dict[str, str]:
    """The attributes of an element by local name (``begin``, ``ttp:frameRate`` and
    ``tts:display`` alike: TTML readers in the wild mix up their namespaces)."""
    items = element.attrib
    if not items:
        return {}
    return {key.rpartition("}")[2]: str(value) for key, value in items.items()}


def local(tag: Any) -> str:
    """The local name of a TTML element (any TTML or DFXP namespace, or none); ``""`` for a
    comment, a processing instruction or an element of a foreign namespace."""
    if not isinstance(tag, str):
        return ""
    if not tag.startswith("{"):
        return tag
    namespace, _, name = tag[1:].partition("}")
    return name if "ns/ttml" in namespace or "ttaf1" in namespace else ""


def _integer(attributes: dict[str, str], name: str, default: int) -> int:
    raw = attributes.get(name)
    if raw is None:
        return default
    match = _INTEGER.match(raw)
    if match is None:
        raise ValueError(f"bad ttp:{name} {raw[:40]!r}")
    return int(match.group(1))


def _round(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded to an integer, halves to even (as ``round``)."""
    quotient, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and quotient % 2):
        quotient += 1
    return quotient


def to_ms(ns: int) -> int:
    """Nanoseconds as milliseconds, halves up (as ``helpers.timecode.frames_to_ms``: a frame
    time reads back as the millisecond the frame-based writers wrote it for)."""
    return (ns + 500_000) // 1_000_000


def _decimal(number: str, scale: int) -> int:
    """A decimal number (``12`` or ``12.345``) times ``scale``, rounded to an integer."""
    whole, _, fraction = number.partition(".")
    if len(whole) > _DIGITS:
        raise ValueError(f"time too large {number[:40]!r}")
    fraction = fraction[:30]  # beyond any clock's resolution
    return _round(int(whole + fraction) * scale, 10 ** len(fraction))


class Clock:
    """The time parameters of a ``tt`` element, and time expressions read with them.

    Times are integer nanoseconds: exact for clock and offset times to the nanosecond, and
    within half a nanosecond for frame and tick times (a 1001/24000 s frame is not a whole
    number of anything), which the millisecond cue times never see."""

    def __init__(self, root: Any) -> None:
        params = attrs(root)
        rate = _integer(params, "frameRate", 30)
        multiplier = params.get("frameRateMultiplier")
        fps = Fraction(rate)
        if multiplier is not None:
            match = _MULTIPLIER.match(multiplier)
            if match is None or int(match.group(2)) == 0:
                raise ValueError(f"bad ttp:frameRateMultiplier {multiplier[:40]!r}")
            fps *= Fraction(int(match.group(1)), int(match.group(2)))
        self.ticks = _integer(params, "tickRate", 1)
        if fps <= 0 or self.ticks <= 0:
            raise ValueError("ttp:frameRate and ttp:tickRate must be positive")
        self.fps = fps
        self.nominal = math.ceil(fps)
        # smpte labels count frames (dropping labels in drop mode); media frames are seconds
        self.smpte = (params.get("timeBase") or "media").strip() == "smpte"
        self.drop = (params.get("dropMode") or "nonDrop").strip() in ("dropNTSC", "dropPAL")
        self.dropped = round(60 * (self.nominal - fps)) if self.drop else 0

    def _frames(self, count: str) -> int:
        """Nanoseconds of ``count`` frames (a decimal number)."""
        return _round(_decimal(count, NS * self.fps.denominator), self.fps.numerator)

    def ns(self, value: str) -> int:
        """Nanoseconds of a clock time, frame time, offset time or bare number of seconds."""
        value = value.strip()
        if len(value) > _LONGEST:
            raise ValueError(f"unreadable time {value[:40]!r}...")
        clock = _CLOCK.match(value)
        if clock:
            h, m, s, fraction, frames, sub = clock.groups()
            if len(h) > _DIGITS:
                raise ValueError(f"time too large {value[:40]!r}")
            whole = (int(h) * 60 + int(m)) * 60 + int(s)
            if frames is None:
                if not fraction:
                    return whole * NS
                if len(fraction) <= 10:  # ".fff" and the like: exact without rounding
                    scale: int = 10 ** (10 - len(fraction))
                    return whole * NS + int(fraction[1:]) * scale
                return whole * NS + _decimal("0" + fraction, NS)
            count = min(int(frames), self.nominal - 1)
            if not self.smpte:
                return whole * NS + self._frames(f"{count}.{sub or 0}")
            minutes = int(h) * 60 + int(m)
            count += whole * self.nominal - self.dropped * (minutes - minutes // 10)
            return self._frames(f"{count}.{sub or 0}")
        offset = _OFFSET.match(value)
        if offset is None:
            raise ValueError(f"unreadable time {value[:40]!r}")
        number, unit = offset.group(1), offset.group(2) or "s"
        if unit in _SCALE:
            return _decimal(number, _SCALE[unit])
        if unit == "f":
            return self._frames(number)
        return _round(_decimal(number, NS), self.ticks)


class Span:
    """The active interval of one timed element, in absolute nanoseconds, built as it is read.

    ``begin`` is ``None`` when the element never becomes active (it follows an indefinite
    sibling in a ``seq``). Children are announced with :meth:`child_syncbase` and
    :meth:`add_child`; text content with :meth:`add_text`; :meth:`finish` gives the end.
    """

    __slots__ = ("begin", "dur", "end_value", "implicit", "seq", "syncbase")

    def __init__(
        self,
        attributes: dict[str, str],
        clock: Clock,
        syncbase: int | None,
        endless: bool = False,
    ) -> None:
        """``endless``: without ``end``/``dur`` the element lasts as long as its parent (a
        ``set`` or ``br`` in a ``par`` container), instead of as long as its content."""
        self.syncbase = syncbase
        get = attributes.get
        begin, end, dur = get("begin"), get("end"), get("dur")
        self.seq = (get("timeContainer") or "par").strip() == "seq"
        self.begin = None if syncbase is None else syncbase + (clock.ns(begin) if begin else 0)
        self.end_value = None if end is None else clock.ns(end)
        self.dur = None if dur is None else clock.ns(dur)
        self.implicit: int | None = None if endless else self.begin

    def child_syncbase(self) -> int | None:
        """Where the next child's times count from."""
        return self.implicit if self.seq else self.begin

    def add_child(self, end: int | None) -> None:
        """A child ended at ``end`` (its desired end, ``None`` if indefinite)."""
        if self.seq:
            self.implicit = end
        elif self.implicit is not None:
            self.implicit = None if end is None else max(self.implicit, end)

    def add_text(self) -> None:
        """Text content in a ``par`` element lasts until the element ends."""
        if not self.seq:
            self.implicit = None

    def finish(self) -> int | None:
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
