"""captionbridge reader ``youtube-json3``: YouTube's timed text in its ``json3`` shape.

``yt-dlp --write-auto-subs --sub-format json3`` (and the ``timedtext?fmt=json3`` endpoint) give::

    {"wireMagic": "pb3", "pens": [{}], "wsWinStyles": [...], "wpWinPositions": [...],
     "events": [
       {"tStartMs": 0, "dDurationMs": 4480, "id": 1, "wpWinPosId": 1, "wsWinStyleId": 1},
       {"tStartMs": 160, "dDurationMs": 4480, "wWinId": 1,
        "segs": [{"utf8": "so", "acAsrConf": 0}, {"utf8": " today", "tOffsetMs": 320}]},
       {"tStartMs": 2630, "dDurationMs": 2010, "wWinId": 1, "aAppend": 1, "segs": [{"utf8": "\\n"}]}
     ]}

An event with ``segs`` is a cue from ``tStartMs`` for ``dDurationMs``. In auto-captions each
seg is a word starting ``tOffsetMs`` after its event: the word ends where the next one starts,
the last one at the event's end. Manual captions have one seg per event and no word times.
Events without ``segs`` (window set-up) and ``aAppend`` events holding only a line break are
skipped. Auto-captions roll: each event stays up while the next line appears; a cue is ended
where the next begins, and a note counts how many were.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import captionbridge
from captionbridge import Note, ParseError, ReadContext, ReaderSpec, Transcript, Turn, Word

__all__ = ["NAME", "guess_json3", "read_json3"]
__version__ = "0.1.0"

NAME = "youtube-json3"
_LIMIT = 2**53
_EVENT_KEY = re.compile(r'"tStartMs"\s*:')


class _Bad(Exception):
    """A value that cannot be used, in event ``number``."""

    def __init__(self, message: str, number: int) -> None:
        super().__init__(message)
        self.number = number


def _ms(value: Any, what: str, number: int, default: int | None = None) -> int:
    if value is None and default is not None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _LIMIT:
        raise _Bad(f"{what} is {value!r}, not a whole number of milliseconds", number)
    return value


def _located(text: str, exc: _Bad, source: str) -> ParseError:
    """The error at the event's ``tStartMs`` (its n-th occurrence), where that can be found."""
    line = column = None
    for count, match in enumerate(_EVENT_KEY.finditer(text), 1):
        if count == exc.number:
            line = text.count("\n", 0, match.start()) + 1
            column = match.start() - text.rfind("\n", 0, match.start())
            break
    return ParseError(f"event {exc.number}: {exc}", source=source, line=line, column=column)


def _event(event: Any, number: int) -> tuple[int, int, list[tuple[str, int]]] | None:
    """An event's start, end and (text, start) per seg; ``None`` for an event with no text."""
    if not isinstance(event, dict):
        raise _Bad("is not an object", number)
    segs = event.get("segs")
    if segs is None:
        return None
    if not isinstance(segs, list):
        raise _Bad("segs is not an array", number)
    start = _ms(event.get("tStartMs"), "tStartMs", number)
    end = start + _ms(event.get("dDurationMs"), "dDurationMs", number, default=0)
    pieces = []
    for seg in segs:
        if not isinstance(seg, dict) or not isinstance(seg.get("utf8"), str):
            raise _Bad("a seg without utf8 text", number)
        offset = _ms(seg.get("tOffsetMs"), "tOffsetMs", number, default=0)
        pieces.append((seg["utf8"], start + offset))
    if not "".join(text for text, _ in pieces).strip():
        return None
    return start, end, pieces


def _words(pieces: list[tuple[str, int]], end: int) -> tuple[Word, ...]:
    """Word times from seg offsets: a word lasts until the next one starts."""
    words = []
    start = pieces[0][1]
    for index, (text, at) in enumerate(pieces):
        start = max(start, at)  # an offset that goes back is held at the one before
        following = pieces[index + 1][1] if index + 1 < len(pieces) else end
        for part in text.split():
            words.append(Word(part, start, max(start, min(following, end))))
    return tuple(words)


def read_json3(text: str, context: ReadContext) -> Transcript:
    """Read YouTube json3 timed text into a transcript, with word times for auto-captions."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            exc.msg, source=context.source, line=exc.lineno, column=exc.colno
        ) from None
    except ValueError:  # an integer past Python's digit limit
        raise ParseError("a number with too many digits", source=context.source) from None
    if not isinstance(document, dict) or not isinstance(document.get("events"), list):
        raise ParseError('not json3: no "events" array', source=context.source, line=1, column=1)
    events = []
    for number, event in enumerate(document["events"], 1):
        try:
            read = _event(event, number)
        except _Bad as exc:
            raise _located(text, exc, context.source) from None
        if read is not None:
            events.append(read)
    starts: list[int] = []
    ends: list[int] = []
    contents: list[tuple[Turn, ...] | str] = []
    rolled = 0
    for index, (start, end, pieces) in enumerate(events):
        later = events[index + 1][0] if index + 1 < len(events) else None
        if later is not None and start < later < end:
            end = later
            rolled += 1
        cue_text = "".join(piece for piece, _ in pieces).strip()
        timed = len(pieces) > 1 or any(at != start for _, at in pieces)
        words = _words(pieces, end) if timed else ()
        starts.append(start)
        ends.append(end)
        contents.append((Turn(cue_text, words=words),) if words else cue_text)
    notes = []
    if rolled:
        notes.append(
            Note(f"{rolled} rolling caption(s) ended where the next begins", context.source)
        )
    return Transcript.from_columns(starts, ends, contents, source=context.source, notes=notes)


def guess_json3(text: str, filename: str) -> bool:
    """True for a JSON object with json3's ``events`` holding ``tStartMs``."""
    head = text.lstrip("\ufeff \t\r\n")
    return head.startswith("{") and '"events"' in text and _EVENT_KEY.search(text) is not None


@captionbridge.hookimpl
def captionbridge_register_readers(register: Callable[[ReaderSpec], None]) -> None:
    register(
        ReaderSpec(
            NAME,
            read_json3,
            extensions=(".json3",),
            guess=guess_json3,
            description="YouTube timed text json3 (events[].segs[], word times from tOffsetMs)",
        )
    )
