"""whisper.cpp's token fast path (plugins/whisperjson/words.py, ``fast_tokens``): a well-formed
segment's tokens become words in one pass, the same words as the careful path (token rows,
merging, repair), and anything that path would change or reject is left to it."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import pytest

from captionbridge import Transcript
from captionbridge.plugins.whisperjson import whispercpp, words
from captionbridge.specs import ReadContext

CONTEXT = ReadContext("t.json")


def _token(text: str, start: int, end: int, p: float | None = 0.5) -> dict[str, Any]:
    token: dict[str, Any] = {"text": text, "offsets": {"from": start, "to": end}, "id": 1}
    if p is not None:
        token["p"] = p
    return token


def _document() -> dict[str, Any]:
    first = [_token("[_BEG_]", 0, 0, 1.0), _token(" And", 0, 320, 0.9), _token(" Wh", 400, 500),
             _token("isper", 500, 700, 0.25), _token(".", 700, 720, None), _token("[_TT_36]", 720, 720)]  # fmt: skip
    second = [_token(" Bye", 1000, 1400, 0.75)]
    return {"result": {"language": "en"}, "transcription": [
        {"offsets": {"from": 0, "to": 900}, "text": " And Whisper.", "tokens": first,
         "speaker_turn_next": True},
        {"offsets": {"from": 1000, "to": 2000}, "text": " Bye", "tokens": second, "speaker": "1"},
    ]}  # fmt: skip


def _read(document: dict[str, Any]) -> Any:
    try:
        transcript: Transcript = whispercpp.read(json.dumps(document), document, CONTEXT)
    except Exception as exc:  # the two paths must fail alike too
        return repr(exc)
    cues = [(cue.start, cue.end, cue.turns) for cue in transcript.cues]
    return cues, dict(transcript.speakers), transcript.notes


def _careful(document: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Any:
    with monkeypatch.context() as patch:
        patch.setattr(whispercpp, "fast_tokens", lambda *args: None)
        return _read(document)


def _set(segment: int, token: int, key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        target = document["transcription"][segment]["tokens"][token]
        if key in ("from", "to"):
            target = target["offsets"]
        if value is KeyError:
            del target[key]
        else:
            target[key] = value

    return change


def test_well_formed_tokens_taken_fast(monkeypatch: pytest.MonkeyPatch) -> None:
    document = _document()
    tokens = document["transcription"][0]["tokens"]
    fast = words.fast_tokens(tokens, (0, 900))
    assert fast is not None
    found, text, _ = fast
    assert text == "And Whisper."
    assert [(w.text, w.start, w.end, w.confidence) for w in found] == [
        ("And", 0, 320, 0.9), ("Whisper.", 400, 720, (0.5 + 0.25) / 2)]  # fmt: skip
    taken = _read(document)
    assert taken == _careful(document, monkeypatch)
    assert [turn.change for _, _, turns in taken[0] for turn in turns] == [False, True]


#: still well-formed: taken fast, the same words as the careful path's merging
FAST = {
    "empty piece ends a word": _set(0, 4, "text", ""),
    "no p": _set(0, 3, "p", KeyError),
    "first piece without its space": _set(0, 1, "text", "And"),
    "p of 0 and 1": _set(0, 2, "p", 0.0),
    "int p (1 for 1.0)": _set(0, 1, "p", 1),
    "int p in a merged word": _set(0, 3, "p", 0),
    "int p of a special token": _set(0, 0, "p", 1),
}


@pytest.mark.parametrize("change", FAST.values(), ids=FAST.keys())
def test_variants_taken_fast_and_same(
    change: Callable[[Any], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    document = _document()
    change(document)
    assert words.fast_tokens(document["transcription"][0]["tokens"], (0, 900)) is not None
    assert _read(document) == _careful(document, monkeypatch)


#: segments the fast path must leave to the careful path (errors, merging, repairs)
CAREFUL = {
    "piece with a tab": _set(0, 3, "text", "is\tper"),
    "piece starting with a tab": _set(0, 3, "text", "\tisper"),
    "space only piece": _set(0, 1, "text", " "),
    "two leading spaces": _set(0, 1, "text", "  And"),
    "p above 1": _set(0, 1, "p", 1.5),
    "nan p": _set(0, 1, "p", math.nan),
    "bool p": _set(0, 1, "p", True),
    "string time": _set(0, 1, "to", "320"),
    "float time": _set(0, 1, "to", 320.0),
    "bool time": _set(0, 1, "from", False),
    "negative time": _set(0, 1, "from", -1),
    "no time": _set(0, 1, "to", KeyError),
    "end before start": _set(0, 1, "to", 0),
    "overlapping words": _set(0, 2, "from", 300),
    "short word": _set(0, 1, "to", 10),
    "word past its segment": _set(1, 0, "to", 2500),
    "text not a string": _set(0, 1, "text", 3),
    "special token with a bad p": _set(0, 0, "p", "x"),
}


@pytest.mark.parametrize("change", CAREFUL.values(), ids=CAREFUL.keys())
def test_anything_else_left_to_the_careful_path(
    change: Callable[[Any], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    document = _document()
    change(document)
    segments = document["transcription"]
    bounds = [(s["offsets"]["from"], s["offsets"]["to"]) for s in segments]
    assert any(
        words.fast_tokens(s["tokens"], b) is None for s, b in zip(segments, bounds, strict=True)
    )
    assert _read(document) == _careful(document, monkeypatch)


def test_token_not_an_object_and_no_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    document = _document()
    document["transcription"][0]["tokens"].append(7)
    document["transcription"][1]["tokens"] = []
    assert words.fast_tokens(document["transcription"][0]["tokens"], (0, 900)) is None
    assert words.fast_tokens([], (1000, 2000)) is None
    assert _read(document) == _careful(document, monkeypatch)
