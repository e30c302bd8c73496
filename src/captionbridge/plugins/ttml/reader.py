"""Reader for TTML, DFXP, IMSC and iTT (Final Cut, Premiere and YouTube exports).

Parsed with defusedxml: a document with a DTD, entity declarations or external references is
refused before anything is expanded or fetched (billion laughs, XXE), with a one-line error.
Reads ``p`` elements with their ``span`` and ``br`` children; ``begin``/``end``/``dur`` as clock
times (``HH:MM:SS.fff``), SMPTE-style frames (``HH:MM:SS:FF`` with ``ttp:frameRate`` and
``ttp:frameRateMultiplier``) and offsets (``1.5s``, ``90f``, ``500ms``, ``10t`` with
``ttp:tickRate``), nested in timed ``body``/``div`` containers; ``ttm:agent`` on a ``p`` or
``span`` gives the speaker (named by ``ttm:name`` in the head when declared).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from fractions import Fraction
from typing import Any

from captionbridge.errors import ParseError
from captionbridge.helpers.options import KEEP_EMPTY
from captionbridge.helpers.readfix import order_times
from captionbridge.helpers.turns import turns_from_lines
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Content, Speaker, Transcript, Turn
from captionbridge.specs import ReadContext, ReaderSpec

NAME = "ttml"
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_CLOCK = re.compile(r"^(\d+):(\d\d):(\d\d)(?:(\.\d+)|:(\d+)(?:\.(\d+))?)?$")
_OFFSET = re.compile(r"^(\d+(?:\.\d+)?)(h|ms|m|s|f|t)$")
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_SPACE = re.compile(r"[ \t\r\n]+")


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _attr(element: Any, name: str) -> str | None:
    """An attribute by local name, in no namespace or a TTML one (``ttp:``, ``ttm:``)."""
    for key, value in element.attrib.items():
        if _local(key) == name:
            return str(value)
    return None


class _Timing:
    def __init__(self, root: Any) -> None:
        rate = _attr(root, "frameRate") or "30"
        multiplier = (_attr(root, "frameRateMultiplier") or "1 1").split()
        try:
            self.fps = Fraction(int(rate))
            if len(multiplier) == 2:
                self.fps *= Fraction(int(multiplier[0]), int(multiplier[1]))
            self.nominal = int(rate)
            self.ticks = int(_attr(root, "tickRate") or 1)
        except (ValueError, ZeroDivisionError):
            raise ValueError("bad ttp:frameRate, ttp:frameRateMultiplier or ttp:tickRate") from None
        if self.fps <= 0 or self.nominal <= 0 or self.ticks <= 0:
            raise ValueError("ttp:frameRate and ttp:tickRate must be positive")

    def seconds(self, value: str) -> Fraction:
        value = value.strip()
        clock = _CLOCK.match(value)
        if clock:
            h, m, s, fraction, frames, sub = clock.groups()
            whole = (int(h) * 60 + int(m)) * 60 + int(s)
            if frames is None:
                return whole + (Fraction(fraction) if fraction else Fraction(0))
            # SMPTE-style labels count frames at the nominal rate: media time runs at fps
            count = whole * self.nominal + int(frames)
            return Fraction(count, 1) / self.fps + (Fraction(f"0.{sub}") / self.fps if sub else 0)
        offset = _OFFSET.match(value)
        if offset is None:
            raise ValueError(f"unreadable time {value!r}")
        number, unit = Fraction(offset.group(1)), offset.group(2)
        scale: dict[str, Fraction] = {
            "h": Fraction(3600),
            "m": Fraction(60),
            "s": Fraction(1),
            "ms": Fraction(1, 1000),
        }
        if unit in scale:
            return number * scale[unit]
        return number / self.fps if unit == "f" else number / self.ticks


def _text(element: Any, agent: str | None, turns: list[tuple[str | None, list[str]]]) -> None:
    """Collect the text of ``element`` into ``turns`` (a new turn where the agent changes)."""
    own = _attr(element, "agent") or agent
    if own != turns[-1][0] and "".join(turns[-1][1]).strip():
        turns.append((own, []))
    elif own is not None and turns[-1][0] is None:
        turns[-1] = (own, turns[-1][1])
    if element.text:
        turns[-1][1].append(element.text)
    for child in element:
        name = _local(child.tag) if isinstance(child.tag, str) else ""
        if name == "br":
            turns[-1][1].append("\n")
        elif name == "span":
            _text(child, own, turns)
            if own != turns[-1][0] and "".join(turns[-1][1]).strip():
                turns.append((own, []))
        if child.tail:
            turns[-1][1].append(child.tail)


def _clean(parts: list[str]) -> str:
    lines = "".join(parts).split("\n")
    return "\n".join(s for s in (_SPACE.sub(" ", line).strip() for line in lines) if s)


#: deeper nesting than any real caption document has: refused, so memory stays bounded
MAX_DEPTH = 64


class _Walk:
    """Parse incrementally: each ``p`` is handed over when it closes and then dropped, so a big
    document never sits in memory as a whole tree; open elements are capped at MAX_DEPTH."""

    def __init__(self, text: str, source: str) -> None:
        # the text is decoded already: the declaration's encoding (maybe bogus) must not apply
        text = _DECLARATION.sub(lambda m: "\n" * m.group(0).count("\n"), text.lstrip("\ufeff"), 1)
        self.data = text.encode("utf-8", "surrogatepass")
        self.source = source
        self.root: Any = None
        self.timing: _Timing | None = None
        self.names: dict[str, str] = {}

    def paragraphs(self) -> Iterator[tuple[Any, Fraction]]:
        """Every ``p`` with the begin of its parent container (par timing: children start
        at it)."""
        import io

        import defusedxml.ElementTree as DET  # type: ignore[import-untyped]

        stack: list[Any] = []
        begins = [Fraction(0)]
        events = DET.iterparse(
            io.BytesIO(self.data),
            events=("start", "end"),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
        for event, element in events:
            name = _local(element.tag) if isinstance(element.tag, str) else ""
            if event == "start":
                if not stack:
                    self._start(element, name)
                stack.append(element)
                if len(stack) > MAX_DEPTH:
                    raise ParseError(f"elements nest deeper than {MAX_DEPTH}", source=self.source)
                if name in ("body", "div"):
                    value = _attr(element, "begin")
                    begins.append(begins[-1] + (self._seconds(value) if value else 0))
                continue
            stack.pop()
            if name == "p":
                yield element, begins[-1]
            elif name in ("body", "div"):
                begins.pop()
            elif name == "agent":
                self._agent(element)
            if name in ("p", "body", "div", "head", "metadata") and stack:
                stack[-1].remove(element)  # done with it: let it go

    def _start(self, root: Any, name: str) -> None:
        if name != "tt":
            raise ParseError(f"not a TTML document: the root is <{name}>", source=self.source)
        self.root = root
        try:
            self.timing = _Timing(root)
        except ValueError as exc:
            raise ParseError(str(exc), source=self.source) from None

    def _seconds(self, value: str) -> Fraction:
        assert self.timing is not None
        try:
            return self.timing.seconds(value)
        except ValueError as exc:
            raise ParseError(f"container time: {exc}", source=self.source) from None

    def _agent(self, element: Any) -> None:
        ident = element.get(_XML_ID)
        for child in element:
            if isinstance(child.tag, str) and _local(child.tag) == "name" and child.text:
                self.names.setdefault(str(ident), child.text.strip())


def _failure(exc: Exception, source: str) -> ParseError:
    import xml.etree.ElementTree as ET

    import defusedxml

    if isinstance(exc, defusedxml.DefusedXmlException):
        return ParseError(
            f"refused: the XML declares a DTD, entities or external references ({exc})",
            source=source,
        )
    if isinstance(exc, ET.ParseError):
        line, column = exc.position
        return ParseError(
            f"not well-formed XML: {exc}".split(": line ")[0],
            source=source,
            line=line,
            column=column + 1,
        )
    return ParseError(f"not readable XML: {exc}", source=source)


def read_ttml(text: str, context: ReadContext) -> Transcript:
    """Read a TTML-family document into a :class:`Transcript`."""
    source = context.source
    walk = _Walk(text, source)
    speakers: dict[str, Speaker] = {}
    starts: list[int] = []
    ends: list[int] = []
    contents: list[Content] = []
    keep_empty = KEEP_EMPTY.value(context.options)
    import xml.etree.ElementTree as ET

    import defusedxml

    paragraphs = enumerate(walk.paragraphs(), 1)
    while True:
        try:
            number, (p, base) = next(paragraphs)
        except StopIteration:
            break
        except (defusedxml.DefusedXmlException, ET.ParseError, LookupError, ValueError) as exc:
            raise _failure(exc, source) from None
        timing = walk.timing
        assert timing is not None
        try:
            begin = base + timing.seconds(_attr(p, "begin") or "0s")
            end_value, dur_value = _attr(p, "end"), _attr(p, "dur")
            if end_value is not None:
                end = base + timing.seconds(end_value)
            elif dur_value is not None:
                end = begin + timing.seconds(dur_value)
            else:
                raise ValueError("no end or dur")
        except ValueError as exc:
            raise ParseError(f"paragraph {number}: {exc}", source=source) from None
        turns: list[tuple[str | None, list[str]]] = [(None, [])]
        _text(p, None, turns)
        kept = [(agent, _clean(parts)) for agent, parts in turns if _clean(parts)]
        if not kept and not keep_empty:
            continue
        for agent, _ in kept:
            if agent is not None:
                speakers.setdefault(agent, Speaker(agent, walk.names.get(agent)))
        if len(kept) == 1 and kept[0][0] is None:
            content: Content = turns_from_lines(kept[0][1])  # "- " dashes mark turns
        elif not kept:
            content = ""
        else:
            content = tuple(Turn(t, a, i > 0) for i, (a, t) in enumerate(kept))
        starts.append(round(begin * 1000))
        ends.append(round(end * 1000))
        contents.append(content)
    notes = order_times(starts, ends, source)
    if walk.root is None:
        raise ParseError("not a TTML document: no root element", source=source)
    language = walk.root.get("{http://www.w3.org/XML/1998/namespace}lang") or None
    return Transcript.from_columns(
        starts, ends, contents, speakers=speakers, language=language, source=source, notes=notes
    )


def guess_ttml(text: str, filename: str) -> bool:
    """True for an XML document whose root is a TTML ``tt`` element."""
    head = text.lstrip("\ufeff \t\r\n")[:2000]
    return (
        head.startswith("<")
        and re.search(r"<(?:\w+:)?tt[\s>]", head) is not None
        and ("ns/ttml" in head or "ttaf1" in head)
    )


@hookimpl
def captionbridge_register_readers(register: Callable[[ReaderSpec], None]) -> None:
    register(
        ReaderSpec(
            NAME,
            read_ttml,
            extensions=(".ttml", ".dfxp", ".itt", ".xml"),
            guess=guess_ttml,
            description="TTML, DFXP, IMSC and iTT (read safely: no DTDs or entities)",
        )
    )
