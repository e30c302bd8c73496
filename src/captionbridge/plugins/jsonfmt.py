"""captionbridge JSON (``.json``): the cue model itself, read back losslessly.

Schema, version 1::

    {
      "format": "captionbridge", "version": 1,
      "source": "talk.txt" | null, "language": "en" | null,
      "speakers": {"S1": {"name": "Ada" | null, "color": "#ffff00" | null}},
      "cues": [{"start": 3000, "end": 6000,                       # integer milliseconds
                "turns": [{"text": "...", "speaker": "S1" | null, "change": false}]}],
      "notes": [{"message": "...", "source": "talk.txt" | null, "line": 12 | null}]
    }

Readers of version 1 must ignore keys they do not know; a new version is only needed for a change
that older readers would misread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from captionbridge.errors import ParseError
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Content, Note, Speaker, Transcript, Turn, turns_of
from captionbridge.specs import ReadContext, ReaderSpec, WriteContext, WriterSpec

NAME = "json"
SCHEMA_VERSION = 1


def _cue_json(start: int, end: int, content: Content) -> dict[str, Any]:
    return {
        "start": start,
        "end": end,
        "turns": [
            {"text": t.text, "speaker": t.speaker, "change": t.change} for t in turns_of(content)
        ],
    }


def write_json(transcript: Transcript, context: WriteContext) -> str:
    """Render a transcript as captionbridge JSON."""
    starts, ends, contents = transcript.columns()
    document = {
        "format": "captionbridge",
        "version": SCHEMA_VERSION,
        "source": transcript.source,
        "language": transcript.language,
        "speakers": {
            key: {"name": s.name, "color": s.color} for key, s in transcript.speakers.items()
        },
        "cues": list(map(_cue_json, starts, ends, contents)),
        "notes": [
            {"message": n.message, "source": n.source, "line": n.line} for n in transcript.notes
        ],
    }
    import json  # not loaded at start-up

    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _fail(message: str, context: ReadContext) -> ParseError:
    return ParseError(message, source=context.source)


def read_json(text: str, context: ReadContext) -> Transcript:
    """Read captionbridge JSON back into a transcript."""
    import json  # not loaded at start-up

    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            exc.msg, source=context.source, line=exc.lineno, column=exc.colno
        ) from None
    if not isinstance(document, dict) or document.get("format") != "captionbridge":
        raise _fail('not a captionbridge JSON document (no "format": "captionbridge")', context)
    if document.get("version") != SCHEMA_VERSION:
        raise _fail(f"unsupported captionbridge JSON version {document.get('version')!r}", context)
    try:
        speakers = {
            str(key): Speaker(str(key), value.get("name"), value.get("color"))
            for key, value in (document.get("speakers") or {}).items()
        }
        starts: list[int] = []
        ends: list[int] = []
        contents: list[Content] = []
        for index, cue in enumerate(document["cues"]):
            start, end = cue["start"], cue["end"]
            if not (isinstance(start, int) and isinstance(end, int)) or start < 0 or end < start:
                raise _fail(
                    f"cue {index + 1}: start and end must be integers, 0 <= start <= end", context
                )
            turns = tuple(
                Turn(str(t["text"]), t.get("speaker"), bool(t.get("change", False)))
                for t in cue["turns"]
            )
            if not turns:
                raise _fail(f"cue {index + 1}: no turns", context)
            starts.append(start)
            ends.append(end)
            contents.append(
                turns[0].text
                if len(turns) == 1 and turns[0].speaker is None and not turns[0].change
                else turns
            )
        notes = [
            Note(n["message"], n.get("source"), n.get("line")) for n in document.get("notes", [])
        ]
    except (KeyError, TypeError, AttributeError) as exc:
        raise _fail(f"malformed captionbridge JSON: {type(exc).__name__} {exc}", context) from None
    return Transcript.from_columns(
        starts,
        ends,
        contents,
        speakers=speakers,
        language=document.get("language"),
        source=document.get("source") or context.source,
        notes=notes,
    )


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
        )
    )
