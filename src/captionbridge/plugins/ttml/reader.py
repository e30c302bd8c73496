"""Reader for TTML, DFXP, IMSC and iTT (Final Cut, Premiere and YouTube exports).

Parsed with defusedxml: a document with a DTD, entity declarations or external references is
refused before anything is expanded or fetched (billion laughs, XXE), with a one-line error.
Times follow TTML 2's time containment model as ttconv reads it (:mod:`.timing`): ``par`` and
``seq`` containers at every level, ``begin``/``end``/``dur`` on ``body``, ``div``, ``p`` and
``span`` with inherited and implicit durations; a ``p`` whose spans have their own times is cut
into one cue per step (:mod:`.paragraph`). ``ttm:agent`` on a ``p`` or ``span`` gives the
speaker (named by ``ttm:name`` in the head when declared).

The parser is fed in chunks that grow with the token being read, so that expat (which
re-scans an unfinished token on every feed) stays linear on a megabyte-long text, attribute
or comment; finished paragraphs are dropped from the tree as they are read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from captionbridge.errors import ParseError
from captionbridge.helpers.readfix import order_times
from captionbridge.helpers.turns import turns_from_lines
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Content, Note, Speaker, Transcript, Turn
from captionbridge.specs import ReadContext, ReaderSpec

from .paragraph import MAX_STEPS, Context, Step, paragraph_steps
from .timing import NS, Clock, Span, attrs, local, to_ms

NAME = "ttml"
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
#: seconds an indefinite paragraph stays after the document's last timed event (as ttconv)
OPEN_END = 10
#: deeper nesting than any real caption document has: refused, so memory stays bounded
MAX_DEPTH = 64
#: the first feed; later feeds grow to the size of the token still unfinished
CHUNK = 16 * 1024
#: bytes between two element starts or ends (one attribute, comment or text) at most
MAX_GAP = 2_000_000


class _Frame(NamedTuple):
    """An open ``body`` or ``div``: its interval, its first cue and mark, whether it is not
    shown."""

    element: Any
    span: Span
    first: int
    first_mark: int
    hidden: bool


def _events(data: bytes, source: str) -> Iterator[tuple[str, Any]]:
    """Start and end events, fed so that each feed is at least as big as the bytes since
    the last event: expat's re-scanning of an unfinished token then costs O(size) in all.

    More than :data:`MAX_GAP` bytes without an element event is refused: expat 2.5 takes
    super-linear time on one token that long (an attribute value or a comment) even when it
    is fed at once (10 MB: 0.6 s, 30 MB: 4 s)."""
    import xml.etree.ElementTree as ET

    from defusedxml.ElementTree import DefusedXMLParser  # type: ignore[import-untyped]

    parser = DefusedXMLParser(
        target=ET.TreeBuilder(), forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    pull = ET.XMLPullParser(events=("start", "end"), _parser=parser)
    position = pending = 0
    while position < len(data):
        if pending > MAX_GAP:
            line = data.count(b"\n", 0, position - pending) + 1
            raise ParseError(
                f"more than {MAX_GAP // 1_000_000} MB without a tag: an attribute, comment"
                " or text that long is refused",
                source=source,
                line=line,
            )
        # grow with the unfinished token, but never past the gap: expat sees no more of it
        size = min(max(CHUNK, pending), MAX_GAP + 1 - pending) if pending else CHUNK
        chunk = data[position : position + size]
        pull.feed(chunk)
        position += len(chunk)
        pending += len(chunk)
        for event in pull.read_events():
            pending = 0
            yield event  # type: ignore[misc]
    pull.close()
    yield from pull.read_events()  # type: ignore[misc]


class _Walk:
    """Parse incrementally: each ``p`` is read when it closes and then dropped, so a big
    document never sits in memory as a whole tree; open elements are capped at MAX_DEPTH.

    ``frames`` holds the open ``body``/``div`` elements with their time interval and the
    index of the first cue read inside; when one closes, those cues are cut to its end."""

    def __init__(self, text: str, source: str, keep_empty: bool = False) -> None:
        # the text is decoded already: the declaration's encoding (maybe bogus) must not apply
        text = _DECLARATION.sub(lambda m: "\n" * m.group(0).count("\n"), text.lstrip("\ufeff"), 1)
        self.data = text.encode("utf-8", "surrogatepass")
        self.source = source
        self.root: Any = None
        self.clock: Clock | None = None
        self.names: dict[str, str] = {}
        self.styles: dict[str, str | None] = {}  # style id -> its tts:display
        self.starts: list[int] = []
        self.ends: list[int | None] = []
        self.turns: list[list[tuple[str | None, str]]] = []
        self.marks: list[int] = []  # per paragraph, the latest time its content is active
        self.open_marks: list[bool] = []  # and whether some of it has no end yet
        self.unshown = 0  # paragraphs and steps with text that are never active
        self.crowded = 0  # paragraphs with more than MAX_STEPS times, read as one cue
        self.count = 0  # paragraphs read
        self.keep_empty = keep_empty

    def paragraphs(self) -> Iterator[tuple[Any, int | None]]:
        """Read the document; yields every ``p`` element once its cues are recorded, with the
        syncbase its times counted from. Elements of foreign namespaces are skipped whole."""
        stack: list[Any] = []
        spaces = [False]  # xml:space="preserve" of each open element
        foreign = 0  # open elements inside a foreign one
        frames: list[_Frame] = []
        for event, element in _events(self.data, self.source):
            name = local(element.tag)
            if event == "start":
                if not stack:
                    self._start(element)
                stack.append(element)
                if len(stack) > MAX_DEPTH:
                    raise ParseError(f"elements nest deeper than {MAX_DEPTH}", source=self.source)
                space = element.get(_XML_SPACE)
                spaces.append(spaces[-1] if space is None else space.strip() == "preserve")
                foreign += bool(foreign) or not name
                if name in ("body", "div") and not foreign and (frames or len(stack) == 2):
                    frames.append(self._container(element, frames))
                continue
            stack.pop()
            spaces.pop()
            if foreign:
                foreign -= 1
            elif name == "p" and frames:
                base = frames[-1].span.child_syncbase()
                self._paragraph(element, frames[-1], spaces[-1])
                yield element, base
            elif frames and frames[-1].element is element:
                self._close(frames)
            elif name == "agent":
                self._agent(element)
            elif name == "style":
                self._style(element)
            if name in ("p", "body", "div", "head", "metadata") and stack:
                stack[-1].remove(element)  # done with it: let it go

    def hidden(self, attributes: dict[str, str]) -> bool:
        """``tts:display="none"`` in the attributes, else in the last style they refer to
        that says."""
        value = attributes.get("display")
        if value is None:
            for ref in reversed(attributes.get("style", "").split()):
                value = self.styles.get(ref)
                if value is not None:
                    break
        return value is not None and value.strip() == "none"

    def _style(self, element: Any) -> None:
        ident = element.get(_XML_ID)
        if ident is not None:
            attributes = attrs(element)
            display = attributes.get("display")
            if display is None and self.hidden(attributes):
                display = "none"
            self.styles[ident] = display

    def _start(self, root: Any) -> None:
        if local(root.tag) != "tt":
            name = str(root.tag).rsplit("}", 1)[-1]
            raise ParseError(f"not a TTML document: the root is <{name}>", source=self.source)
        self.root = root
        try:
            self.clock = Clock(root)
        except ValueError as exc:
            raise ParseError(str(exc), source=self.source) from None

    def _container(self, element: Any, frames: list[_Frame]) -> _Frame:
        assert self.clock is not None
        base = frames[-1].span.child_syncbase() if frames else 0
        try:
            attributes = attrs(element)
            span = Span(attributes, self.clock, base)
        except ValueError as exc:
            raise ParseError(f"<{local(element.tag)}> time: {exc}", source=self.source) from None
        hidden = self.hidden(attributes) or bool(frames and frames[-1].hidden)
        return _Frame(element, span, len(self.starts), len(self.marks), hidden)

    def _paragraph(self, element: Any, parent: _Frame, preserve: bool) -> None:
        assert self.clock is not None
        self.count += 1
        base = parent.span.child_syncbase()
        context = Context(self.clock, self.hidden)
        try:
            end, steps, crowded, latest, open_ended = paragraph_steps(
                element, context, base, preserve
            )
            if not steps and self.keep_empty:
                begin = Span(attrs(element), self.clock, base).begin
                if begin is not None and end is not None and end > begin:
                    steps = [Step(begin, end, [])]
        except ValueError as exc:
            raise ParseError(f"paragraph {self.count}: {exc}", source=self.source) from None
        parent.span.add_child(end)
        if parent.hidden:
            return
        if not steps and not self.hidden(attrs(element)) and "".join(element.itertext()).strip():
            self.unshown += 1  # it has text, but no time when it is active
        if latest is not None:
            self.marks.append(latest)
            self.open_marks.append(open_ended)
        self.crowded += crowded
        for step in steps:
            self.starts.append(step.begin)
            self.ends.append(step.end)
            self.turns.append(step.turns)

    def _close(self, frames: list[_Frame]) -> None:
        _element, span, first, first_mark, _hidden = frames.pop()
        end = span.finish()
        if frames:
            frames[-1].span.add_child(end)
        if end is None:
            return
        ends = self.ends
        for i in range(first, len(ends)):
            value = ends[i]
            if value is None or value > end:
                ends[i] = end
        marks, open_marks = self.marks, self.open_marks
        for i in range(first_mark, len(marks)):
            # content without an end now ends here; content that ends later is cut here
            marks[i] = max(marks[i], end) if open_marks[i] else min(marks[i], end)
            open_marks[i] = False

    def _agent(self, element: Any) -> None:
        ident = element.get(_XML_ID)
        for child in element:
            if isinstance(child.tag, str) and local(child.tag) == "name" and child.text:
                self.names.setdefault(str(ident), child.text.strip())

    def cues(self) -> tuple[list[int], list[int], list[list[tuple[str | None, str]]], int]:
        """The cues in time order (ms), with the number of indefinite ends that were given
        :data:`OPEN_END` seconds after the last timed event."""
        last = max(self.marks, default=0) + OPEN_END * NS
        rows = sorted(
            (
                (to_ms(s), to_ms(last if e is None else e), i)
                for i, (s, e) in enumerate(zip(self.starts, self.ends, strict=True))
            ),
            key=lambda row: (row[0], row[2]),
        )
        kept = [(s, e, i) for s, e, i in rows if e > s]
        self.unshown += len(rows) - len(kept)
        open_ends = sum(1 for e in self.ends if e is None)
        return (
            [s for s, _, _ in kept],
            [e for _, e, _ in kept],
            [self.turns[i] for _, _, i in kept],
            open_ends,
        )


def _failure(exc: Exception, source: str) -> ParseError:
    import xml.etree.ElementTree as ET

    import defusedxml  # type: ignore[import-untyped]

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


def _read(walk: _Walk) -> None:
    import xml.etree.ElementTree as ET

    import defusedxml

    try:
        for _ in walk.paragraphs():
            pass
    except (defusedxml.DefusedXmlException, ET.ParseError, LookupError, ValueError) as exc:
        raise _failure(exc, walk.source) from None


def _content(turns: list[tuple[str | None, str]]) -> Content:
    if len(turns) == 1 and turns[0][0] is None:
        return turns_from_lines(turns[0][1])  # "- " dashes mark turns
    if not turns:
        return ""
    return tuple(Turn(text, agent, i > 0) for i, (agent, text) in enumerate(turns))


def read_ttml(text: str, context: ReadContext) -> Transcript:
    """Read a TTML-family document into a :class:`Transcript`."""
    source = context.source
    walk = _Walk(text, source, bool(context.options.get("keep_empty")))
    _read(walk)
    if walk.root is None:
        raise ParseError("not a TTML document: no root element", source=source)
    starts, ends, turns, open_ends = walk.cues()
    speakers: dict[str, Speaker] = {}
    contents: list[Content] = []
    for cue in turns:
        for agent, _ in cue:
            if agent is not None:
                speakers.setdefault(agent, Speaker(agent, walk.names.get(agent)))
        contents.append(_content(cue))
    notes = order_times(starts, ends, source)
    if open_ends:
        notes.append(
            Note(
                f"{open_ends} cue(s) have no end in the document: shown until {OPEN_END} s"
                " after its last timed event",
                source,
            )
        )
    if walk.unshown:
        notes.append(
            Note(
                f"{walk.unshown} paragraph(s) or step(s) with text are never shown: they end"
                " before they begin, or their container ends first",
                source,
            )
        )
    if walk.crowded:
        notes.append(
            Note(
                f"{walk.crowded} paragraph(s) change more than {MAX_STEPS} times: each read"
                " as one cue over its whole time",
                source,
            )
        )
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
