"""captionbridge JSON (``.json``): the cue model itself, read back losslessly.

Schema, version 1::

    {
      "format": "captionbridge", "version": 1,
      "source": "talk.txt" | null, "language": "en" | null,
      "speakers": {"S1": {"name": "Ada" | null, "color": "#ffff00" | null}},
      "cues": [{"start": 3000, "end": 6000,                       # integer milliseconds
                "turns": [{"text": "...", "speaker": "S1" | null, "change": false,
                           "words": [{"text": "GPT-4.", "start": 4300, "end": 5600,
                                      "confidence": 0.93 | null}]}]}],  # words: only when known
      "notes": [{"message": "...", "source": "talk.txt" | null, "line": 12 | null}]
    }

Readers of version 1 must ignore keys they do not know; a new version is only needed for a change
that older readers would misread. ``words`` (word timings, in ms like the cues) came later within
version 1: a turn without it has no word timings, so older files read as they always did.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from captionbridge.errors import CaptionbridgeError, ParseError
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Content, Note, Speaker, Transcript, Turn, Word, turns_of
from captionbridge.specs import ReadContext, ReaderSpec, WriteContext, WriterSpec

NAME = "json"
SCHEMA_VERSION = 1


def _value(value: Any) -> str:
    """``value`` as JSON (what ``json.dumps`` gives for it)."""
    if isinstance(value, str):
        return _quote(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    import json

    return json.dumps(value)  # a float: json's own spelling of it (NaN, Infinity...)


def _quote(text: str) -> str:
    from json.encoder import encode_basestring  # the C version when there is one

    return str(encode_basestring(text))


def _turn_lines(turn: Turn) -> str:
    # the layout json.dumps(..., indent=1) gives a turn four levels down
    lines = (
        f'    {{\n     "text": {_quote(turn.text)},\n     "speaker": {_value(turn.speaker)},\n'
        f'     "change": {_value(turn.change)}'
    )
    if not turn.words:
        return lines + "\n    }"
    words = ",\n".join(
        f'      {{\n       "text": {_quote(w.text)},\n       "start": {_value(w.start)},\n'
        f'       "end": {_value(w.end)},\n       "confidence": {_value(w.confidence)}\n      }}'
        for w in turn.words
    )
    return f'{lines},\n     "words": [\n{words}\n     ]\n    }}'


#: the one turn of a cue whose content is plain text, around the quoted text
_PLAIN = ('    {\n     "text": ', ',\n     "speaker": null,\n     "change": false\n    }')


def _cue_lines(start: int, end: int, content: Content) -> str:
    if isinstance(content, str):  # the common case, without building a Turn
        turns = _PLAIN[0] + _quote(content) + _PLAIN[1]
    else:
        turns = ",\n".join(_turn_lines(t) for t in turns_of(content))
    return (
        f'  {{\n   "start": {_value(start)},\n   "end": {_value(end)},\n   "turns": [\n'
        f"{turns}\n   ]\n  }}"
    )


def _head_and_tail(transcript: Transcript) -> tuple[str, str]:
    """The document before its cues (up to ``"cues": ``) and after them (from the ``,`` on)."""
    import json  # not loaded at start-up

    head = {
        "format": "captionbridge",
        "version": SCHEMA_VERSION,
        "source": transcript.source,
        "language": transcript.language,
        "speakers": {
            key: {"name": s.name, "color": s.color} for key, s in transcript.speakers.items()
        },
        "cues": [],
        "notes": [
            {"message": n.message, "source": n.source, "line": n.line} for n in transcript.notes
        ],
    }
    before, after = json.dumps(head, ensure_ascii=False, indent=1).split('"cues": []', 1)
    return before + '"cues": ', after + "\n"


def iter_json(transcript: Transcript, context: WriteContext) -> Iterator[str]:
    """The captionbridge JSON document in pieces of one cue each, laid out as
    ``json.dumps(document, indent=1)`` would; it holds one cue's text at a time.

    A chunk of a streamed conversion (``context.first_cue``, ``context.final``) gives the
    pieces of its part: the head only with the first cue, the notes only at the end."""
    starts, ends, contents = transcript.columns()
    if transcript.notes and not (context.first_cue == 0 and context.final):
        # the whole file's notes are not those of its parts (a count, a line number)
        raise CaptionbridgeError("a streamed JSON document cannot hold the notes of its parts")
    before, after = _head_and_tail(transcript)
    if context.first_cue == 0:
        if not starts:
            if not context.final:  # a later chunk could not know that the head is written
                raise CaptionbridgeError("a streamed JSON document needs cues in its first part")
            yield before + "[]" + after
            return
        yield before + "[\n"
    separator = ",\n" if context.first_cue else ""
    for start, end, content in zip(starts, ends, contents, strict=True):
        yield separator + _cue_lines(start, end, content)
        separator = ",\n"
    if context.final:
        yield "\n ]" + after


def write_json(transcript: Transcript, context: WriteContext) -> str:
    """Render a transcript as captionbridge JSON (see :func:`iter_json`)."""
    return "".join(iter_json(transcript, context))


def _fail(message: str, context: ReadContext) -> ParseError:
    return ParseError(message, source=context.source)


class _Malformed(Exception):
    """A value of the wrong JSON type; the message names where it is."""


_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", bool: "true or false"}
_WANTED = {int: "an integer", str: "a string", bool: "true or false", list: "an array"}


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    return _JSON_TYPES.get(type(value), "a number")


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Malformed(f"{what} is {_json_type(value)}, not an object")
    return value


def _get(
    mapping: dict[str, Any], key: str, kind: type, where: str, *, optional: bool = True
) -> Any:
    """``mapping[key]`` checked to be of ``kind`` (``None`` allowed when ``optional``)."""
    value = mapping.get(key)
    if value is None and optional:
        return None
    not_an_integer = kind is int and isinstance(value, bool)  # JSON true is no time
    if not_an_integer or not isinstance(value, kind):
        raise _Malformed(f"{where}{key} is {_json_type(value)}, not {_WANTED[kind]}")
    return value


def _speakers(document: dict[str, Any]) -> dict[str, Speaker]:
    if document.get("speakers") is None:
        return {}
    speakers = {}
    for key, entry in _object(document["speakers"], "speakers").items():
        entry = _object(entry, f"speaker {key!r}")
        where = f"speaker {key!r}: "
        speakers[key] = Speaker(
            key, _get(entry, "name", str, where), _get(entry, "color", str, where)
        )
    return speakers


def _content(cue: dict[str, Any], where: str) -> Content:
    turns = []
    for number, turn_json in enumerate(_get(cue, "turns", list, where, optional=False), 1):
        turn = _object(turn_json, f"{where}turn {number}")
        here = f"{where}turn {number}: "
        text = _get(turn, "text", str, here, optional=False)
        change = _get(turn, "change", bool, here)
        words = _words(_get(turn, "words", list, here) or [], here)
        turns.append(Turn(text, _get(turn, "speaker", str, here), bool(change), words))
    if not turns:
        raise _Malformed(f"{where}no turns")
    only = turns[0]
    plain = len(turns) == 1 and only.speaker is None and not only.change and not only.words
    return only.text if plain else tuple(turns)


def _words(items: list[Any], where: str) -> tuple[Word, ...]:
    words = []
    for number, item in enumerate(items, 1):
        word = _object(item, f"{where}word {number}")
        here = f"{where}word {number}: "
        start = _get(word, "start", int, here, optional=False)
        end = _get(word, "end", int, here, optional=False)
        if not 0 <= start <= end <= MAX_MS:
            raise _Malformed(f"{here}start and end must be integers, 0 <= start <= end")
        confidence = word.get("confidence")
        if confidence is not None and (
            isinstance(confidence, bool)
            or not isinstance(confidence, (int, float))
            or not 0 <= confidence <= 1
        ):
            raise _Malformed(f"{here}confidence is {confidence!r}, not a number from 0 to 1")
        text = _get(word, "text", str, here, optional=False)
        words.append(Word(text, start, end, None if confidence is None else float(confidence)))
    return tuple(words)


def _notes(document: dict[str, Any]) -> list[Note]:
    notes = []
    for number, entry_json in enumerate(_get(document, "notes", list, "") or (), 1):
        entry = _object(entry_json, f"note {number}")
        where = f"note {number}: "
        message = _get(entry, "message", str, where, optional=False)
        notes.append(
            Note(message, _get(entry, "source", str, where), _get(entry, "line", int, where))
        )
    return notes


def read_json(text: str, context: ReadContext) -> Transcript:
    """Read captionbridge JSON back into a transcript.

    Every value must have the type the schema gives it; anything else is a
    :class:`~captionbridge.errors.ParseError` naming the cue, turn or field."""
    from captionbridge.helpers.jsonload import load_json  # not loaded at start-up

    document = load_json(text, context.source)
    if not isinstance(document, dict) or document.get("format") != "captionbridge":
        raise _fail('not a captionbridge JSON document (no "format": "captionbridge")', context)
    if document.get("version") != SCHEMA_VERSION:
        raise _fail(f"unsupported captionbridge JSON version {document.get('version')!r}", context)
    starts: list[int] = []
    ends: list[int] = []
    contents: list[Content] = []
    try:
        speakers = _speakers(document)
        for number, cue in enumerate(_get(document, "cues", list, "", optional=False), 1):
            cue = _object(cue, f"cue {number}")
            where = f"cue {number}: "
            start = _get(cue, "start", int, where, optional=False)
            end = _get(cue, "end", int, where, optional=False)
            if not 0 <= start <= end:
                raise _Malformed(f"{where}start and end must be integers, 0 <= start <= end")
            if end > MAX_MS:
                raise _Malformed(f"{where}end is past {MAX_MS:,} ms (2**53 - 1)")
            starts.append(start)
            ends.append(end)
            contents.append(_content(cue, where))
        notes = _notes(document)
        language = _get(document, "language", str, "")
        source = _get(document, "source", str, "")
    except _Malformed as exc:
        raise _fail(f"malformed captionbridge JSON: {exc}", context) from None
    return Transcript.from_columns(
        starts,
        ends,
        contents,
        speakers=speakers,
        language=language,
        source=source or context.source,
        notes=notes,
    )


#: The largest time (ms) a document may hold: the largest integer every JSON reader keeps exact.
MAX_MS = 2**53 - 1


def guess_json(text: str, filename: str) -> bool:
    """True for a JSON document naming the captionbridge format near its start."""
    head = text.lstrip("\ufeff \t\r\n")[:200]
    return head.startswith("{") and '"captionbridge"' in head


@hookimpl
def captionbridge_register_readers(register: Callable[[ReaderSpec], None]) -> None:
    register(
        ReaderSpec(
            NAME,
            read_json,
            extensions=(".json",),
            guess=guess_json,
            description="captionbridge JSON (the cue model)",
        )
    )


@hookimpl
def captionbridge_register_writers(register: Callable[[WriterSpec], None]) -> None:
    register(
        WriterSpec(
            NAME,
            write_json,
            extension=".json",
            description="captionbridge JSON (the cue model, versioned schema)",
            stream=True,
        )
    )
