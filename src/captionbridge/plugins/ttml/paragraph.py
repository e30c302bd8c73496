"""One TTML ``p`` element into timed text: what is on screen, when, and who says it.

A ``p`` is cut where its content changes: a ``span`` with its own times shows only while it
is active, so a paragraph whose spans appear one after another gives one piece of text per
step, the way ttconv's intermediate synchronic documents (ISDs) present it. White space is
collapsed as ``xml:space="default"`` says (a source line break is a space; ``br`` is a line
break); under ``xml:space="preserve"`` a line feed in the text is a line break too. Text
directly in a ``seq`` container is not presented (it has no time of its own). Registers nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

from .timing import Clock, Span, attrs, local

__all__ = ["MAX_STEPS", "Context", "Paragraph", "Piece", "Step", "paragraph_steps"]

#: more distinct times than this inside one ``p`` and the paragraph is read as one cue
MAX_STEPS = 64
_LWSP = re.compile(r"[ \t\r\n]+")
_BREAK = "\n"
_ANNOTATION = ("text", "textContainer", "delimiter")
_RUBY_CONTAINERS = ("container", "baseContainer", "textContainer")


class Piece(NamedTuple):
    """A run of text (or a line break) with its active interval and speaker."""

    begin: int
    end: int | None
    agent: str | None
    text: str


class Step(NamedTuple):
    """What the paragraph shows from ``begin`` to ``end`` (``None``: indefinite)."""

    begin: int
    end: int | None
    turns: list[tuple[str | None, str]]


def _text(raw: str, preserve: bool) -> str:
    if preserve:
        return raw.replace("\r\n", _BREAK).replace("\r", _BREAK)
    return _LWSP.sub(" ", raw)


class Context(NamedTuple):
    """What a paragraph is read with: the clock, and whether an element is ``display:none``
    (by its ``tts:display`` or its referenced styles)."""

    clock: Clock
    hidden: Callable[[dict[str, str]], bool]


def _shown(element: Any, context: Context, span: Span) -> list[tuple[int, int | None]]:
    """When a ``display:none`` element is shown: the ``set`` children that make it ``auto``."""
    windows: list[tuple[int, int | None]] = []
    for child in element:
        if local(child.tag) != "set":
            continue
        attributes = attrs(child)
        value = attributes.get("display")
        if value is not None and value.strip() != "none":
            window = Span(attributes, context.clock, span.child_syncbase(), endless=True)
            if window.begin is not None:
                windows.append((window.begin, window.finish()))
    return windows[:MAX_STEPS]  # every piece is cut by every window: keep that bounded


def _clip(piece: Piece, begin: int, end: int | None) -> Piece | None:
    start = max(piece.begin, begin)
    stop = end if piece.end is None else piece.end if end is None else min(piece.end, end)
    return None if stop is not None and stop <= start else Piece(start, stop, *piece[2:])


def _collect(
    element: Any,
    attributes: dict[str, str],
    context: Context,
    syncbase: int | None,
    agent: str | None,
    preserve: bool,
    out: list[Piece],
) -> int | None:
    """Append the pieces of ``element`` (a ``p`` or ``span``) to ``out``; its desired end."""
    span = Span(attributes, context.clock, syncbase)
    begin = span.begin
    if begin is None:
        return None
    agent = attributes.get("agent") or agent
    space = attributes.get("space")
    preserve = preserve if space is None else space.strip() == "preserve"
    first = len(out)
    par = not span.seq
    ruby = attributes.get("ruby", "").strip()
    if ruby in _RUBY_CONTAINERS:
        preserve = False  # white space between ruby parts is markup, not text
    if element.text and par and not (ruby in _RUBY_CONTAINERS and element.text.isspace()):
        out.append(Piece(begin, None, agent, _text(element.text, preserve)))
        span.add_text()
    for child in element:
        name = local(child.tag)
        if name == "span":
            inner = attrs(child)
            if inner.get("ruby", "").strip() not in _ANNOTATION:  # ruby text annotates
                base = span.child_syncbase()
                span.add_child(_collect(child, inner, context, base, agent, preserve, out))
        elif name in ("br", "set") and par:
            if name == "br":
                out.append(Piece(begin, None, None, _BREAK))
            span.add_child(None)  # indefinite in a par container
        if child.tail and par and not (ruby in _RUBY_CONTAINERS and child.tail.isspace()):
            out.append(Piece(begin, None, agent, _text(child.tail, preserve)))
            span.add_text()
    end = span.finish()
    windows: list[tuple[int, int | None]] = [(begin, end)]
    if context.hidden(attributes):
        windows = [
            (max(b, begin), e if end is None else end if e is None else min(e, end))
            for b, e in _shown(element, context, span)
        ]
    pieces = out[first:]
    del out[first:]
    for piece in pieces:
        for window in windows:
            clipped = _clip(piece, *window)
            if clipped is not None:
                out.append(clipped)
    return end


def _turns(pieces: list[Piece]) -> list[tuple[str | None, str]]:
    """Consecutive pieces grouped by speaker; a new turn where the agent changes."""
    turns: list[tuple[str | None, list[str]]] = [(None, [])]
    for piece in pieces:
        agent, parts = turns[-1]
        if piece.text != _BREAK and piece.agent != agent:
            if "".join(parts).strip():
                turns.append((piece.agent, []))
            else:
                turns[-1] = (piece.agent, parts)
        turns[-1][1].append(piece.text)
    cleaned = ((agent, _clean("".join(parts))) for agent, parts in turns)
    return [(agent, text) for agent, text in cleaned if text]


def _clean(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.split(_BREAK))
    return _BREAK.join(line for line in lines if line)


class Paragraph(NamedTuple):
    """A ``p`` read: its desired end (for its container's implicit end), its steps in time
    order, whether it had more than :data:`MAX_STEPS` distinct times (then it is one step over
    its whole extent), the latest time any of its content begins or ends (``None`` when
    nothing in it is ever active), and whether some of it has no end yet."""

    end: int | None
    steps: list[Step]
    crowded: bool
    latest: int | None
    open_ended: bool = False


def paragraph_steps(
    element: Any, context: Context, syncbase: int | None, preserve: bool = False
) -> Paragraph:
    """Read one ``p``; ``preserve``: the ``xml:space`` of the enclosing elements is
    ``preserve``."""
    pieces: list[Piece] = []
    end = _collect(element, attrs(element), context, syncbase, None, preserve, pieces)
    if not pieces:
        return Paragraph(end, [], False, None)
    times = sorted({p.begin for p in pieces} | {p.end for p in pieces if p.end is not None})
    open_ended = any(p.end is None for p in pieces)
    latest = times[-1]
    if len(times) == (1 if open_ended else 2):  # the usual case: one text for the whole p
        step = Step(times[0], None if open_ended else times[1], _turns(pieces))
        return Paragraph(end, [step], False, latest, open_ended)
    if len(times) > MAX_STEPS:
        step = Step(times[0], None if open_ended else times[-1], _turns(pieces))
        return Paragraph(end, [step], True, latest, open_ended)
    steps: list[Step] = []
    bounds: list[int | None] = [*times[1:], None] if open_ended else list(times[1:])
    for start, stop in zip(times, bounds, strict=False):
        active = [
            p
            for p in pieces
            if p.begin <= start and (p.end is None or (stop is not None and p.end >= stop))
        ]
        turns = _turns(active)
        if not turns:
            continue
        if steps and steps[-1].end == start and steps[-1].turns == turns:
            steps[-1] = steps[-1]._replace(end=stop)
        else:
            steps.append(Step(start, stop, turns))
    return Paragraph(end, steps, False, latest, open_ended)
