"""The whole-file path of the whisper JSON readers (plugins/whisperjson/wholefile.py): it takes
a well-formed word-level document, gives the same transcript as the segment-by-segment path,
and leaves every document the careful path would change or reject to that path."""

from __future__ import annotations

import gc
import json
import math
from collections.abc import Callable
from typing import Any

import pytest

from captionbridge import Transcript
from captionbridge.plugins.whisperjson import openai, verbose, whisperx, wholefile
from captionbridge.specs import ReadContext
from captionbridge.testing import count_calls

CONTEXT = ReadContext("t.json")
OPENAI_KEYS = ("word", "probability", None)
WHISPERX_KEYS = ("word", "score", "speaker")


def _whisper() -> dict[str, Any]:
    return {"language": "en", "segments": [
        {"start": 0.0, "end": 1.0, "text": " Hello there.", "words": [
            {"word": " Hello", "start": 0.0, "end": 0.4, "probability": 0.9},
            {"word": " there.", "start": 0.5, "end": 1.0, "probability": 0.8}]},
        {"start": 1.2, "end": 2.0, "text": " Bye.", "speaker": "A", "words": [
            {"word": " Bye.", "start": 1.25, "end": 1.9, "probability": 1.0}]},
    ]}  # fmt: skip


def _whisperx() -> dict[str, Any]:
    return {"language": "en", "segments": [
        {"start": 0.0, "end": 1.0, "text": "Hello there.", "speaker": "SPEAKER_00", "words": [
            {"word": "Hello", "start": 0.0, "end": 0.4, "score": 0.9, "speaker": "SPEAKER_01"},
            {"word": "there.", "start": 0.5, "end": 1.0, "score": 0.8, "speaker": "SPEAKER_01"}]},
        {"start": 1.2, "end": 2.0, "text": "Bye.", "words": [
            {"word": "Bye.", "start": 1.25, "end": 1.9}]},
    ]}  # fmt: skip


def _careful(module: Any, document: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Any:
    with monkeypatch.context() as patch:  # both dialects reach it through read_segmented
        patch.setattr(wholefile, "read_whole", lambda *args, **kwargs: None)
        return _read(module, document)


def _read(module: Any, document: dict[str, Any]) -> Any:
    try:
        transcript: Transcript = module.read(json.dumps(document), document, CONTEXT)
    except Exception as exc:  # the two paths must fail alike too
        return repr(exc)
    cues = [(cue.start, cue.end, cue.turns) for cue in transcript.cues]
    return cues, dict(transcript.speakers), transcript.notes, transcript.language


@pytest.mark.parametrize(("module", "make", "keys", "spaced"), [
    (openai, _whisper, OPENAI_KEYS, True), (whisperx, _whisperx, WHISPERX_KEYS, False)])  # fmt: skip
def test_well_formed_taken_whole_and_same(
    module: Any, make: Callable[[], dict[str, Any]], keys: Any, spaced: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    document = make()
    assert wholefile.whole_file(document["segments"], keys, spaced) is not None
    assert _read(module, document) == _careful(module, document, monkeypatch)


def _set(*steps: Any) -> Callable[[dict[str, Any]], None]:
    *path, key, value = steps

    def change(document: dict[str, Any]) -> None:
        target = document["segments"]
        for step in path:
            target = target[step]
        if value is KeyError:
            del target[key]
        else:
            target[key] = value

    return change


#: documents the whole-file path must leave to the careful path (repairs, errors, speakers)
BROKEN = {
    "nan confidence": _set(0, "words", 0, "probability", math.nan),
    "int confidence": _set(0, "words", 0, "probability", 1),
    "bool time": _set(0, "words", 1, "end", True),
    "nan time": _set(0, "words", 1, "start", math.nan),
    "negative time": _set(1, "start", -1.0),
    "string time": _set(1, "end", "2"),
    "word before previous end": _set(0, "words", 1, "start", 0.3),
    "short word": _set(0, "words", 0, "end", 0.02),
    "word after its segment": _set(0, "words", 1, "end", 1.1),
    "word before its segment": _set(1, "words", 0, "start", 1.1),
    "no start": _set(0, "words", 1, "start", KeyError),
    "no words": _set(1, "words", []),
    "words not a list": _set(1, "words", {}),
    "word not an object": _set(1, "words", [7]),
    "int speaker": _set(1, "speaker", 7),
    "text not a string": _set(0, "text", 3),
    "word text not a string": _set(0, "words", 0, "word", None),
    "empty word": _set(0, "words", 0, "word", " "),
    "padded word": _set(0, "words", 0, "word", " Hello "),
    "tab after a word": _set(0, "words", 0, "word", " Hello\t"),
    "no leading space": _set(0, "words", 1, "word", "there."),
    "two leading spaces": _set(0, "words", 1, "word", "  there."),
    "space inside a word": _set(0, "words", 1, "word", " the re."),
    "control character first": _set(0, "words", 1, "word", "\x01there."),
    "tab inside a word": _set(0, "words", 1, "word", " the\tre."),
    "no-break space inside a word": _set(0, "words", 1, "word", " the\xa0re."),
    "empty word, two spaces in the next": _set(0, "words", 0, "word", ""),
    "tiny negative first word start": _set(0, "words", 0, "start", -0.0004),
    "tiny negative segment start": _set(0, "start", -0.0004),
    "segment past the largest time": _set(1, "end", 1e13),
    "word past the largest time": _set(1, "words", 0, "end", 1e13),
    "int time too large for a float": _set(1, "words", 0, "end", 10**400),
    "int time past the largest": _set(1, "words", 0, "end", 10**30),
    "infinite time": _set(1, "words", 0, "end", math.inf),
}


@pytest.mark.parametrize("dialect", ["whisper", "x"])
def test_whole_numbers_of_seconds_taken_whole(
    dialect: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Times written as JSON integers (``0`` for ``0.0``) among the floats: the whole-file path
    converts them as the careful path does."""
    module, make, keys, spaced = DIALECTS[dialect]
    document = make()
    document["segments"][0]["start"] = 0
    document["segments"][1]["end"] = 2
    document["segments"][0]["words"][1]["end"] = 1
    assert wholefile.whole_file(document["segments"], keys, spaced) is not None
    assert _read(module, document) == _careful(module, document, monkeypatch)


def test_segment_not_an_object(monkeypatch: pytest.MonkeyPatch) -> None:
    document = _whisper()
    document["segments"].append(["x"])
    assert wholefile.whole_file(document["segments"], OPENAI_KEYS, True) is None
    assert _read(openai, document) == _careful(openai, document, monkeypatch)


WHISPERX_BROKEN = {
    "nan score": _set(0, "words", 0, "score", math.nan),
    "score above 1": _set(0, "words", 0, "score", 1.5),
    "bool time": _set(0, "words", 1, "end", False),
    "no end (unaligned)": _set(1, "words", 0, "end", KeyError),
    "word after its segment": _set(0, "words", 1, "end", 1.1),
    "leading space": _set(0, "words", 0, "word", " Hello"),
    "space inside a word": _set(0, "words", 0, "word", "Hel lo"),
    "tab inside a word": _set(0, "words", 0, "word", "Hel\tlo"),
    "empty word": _set(0, "words", 0, "word", ""),
    "string time": _set(0, "words", 0, "start", "0"),
}

DIALECTS = {
    "whisper": (openai, _whisper, OPENAI_KEYS, True),
    "x": (whisperx, _whisperx, WHISPERX_KEYS, False),
}
CASES = [("whisper", change) for change in BROKEN.values()] + [
    ("x", change) for change in WHISPERX_BROKEN.values()
]


@pytest.mark.parametrize(("dialect", "change"), CASES, ids=[*BROKEN, *WHISPERX_BROKEN])
def test_anything_else_left_to_the_careful_path(
    dialect: str, change: Callable[[Any], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    module, make, keys, spaced = DIALECTS[dialect]
    document = make()
    change(document)
    assert wholefile.whole_file(document["segments"], keys, spaced) is None
    assert _read(module, document) == _careful(module, document, monkeypatch)


@pytest.mark.parametrize("speakers", [("A", "B"), ("A", None), ("", "")])
def test_word_speakers(
    speakers: tuple[str | None, str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two speakers in a segment make two turns (careful path); "" is a speaker like any other."""
    document = _whisperx()
    for word, speaker in zip(document["segments"][0]["words"], speakers, strict=True):
        word["speaker"] = speaker
    whole = wholefile.whole_file(document["segments"], WHISPERX_KEYS, False)
    assert (whole is not None) == (speakers[0] == speakers[1])
    assert _read(whisperx, document) == _careful(whisperx, document, monkeypatch)


def _verbose(first: str = "Hello, there.", second: str = "Bye.") -> dict[str, Any]:
    return {"language": "english", "text": f"{first} {second}", "words": [
        {"word": "Hello", "start": 0.0, "end": 0.4}, {"word": "there", "start": 0.5, "end": 1.0},
        {"word": "Bye", "start": 1.25, "end": 1.9}], "segments": [
        {"start": 0.0, "end": 1.0, "text": first}, {"start": 1.2, "end": 2.0, "text": second}]}  # fmt: skip


VERBOSE = {
    "punctuated": ({}, True),
    "as spelt": ({"first": "Hello there", "second": "Bye"}, True),
    "lone dash": ({"first": "Hello — there."}, True),
    "other words": ({"first": "Hi there."}, True),
    "case only": ({"first": "HELLO there"}, True),
    "a hyphen inside": ({"first": "Hel-lo, there."}, True),
    "a lone dash for a word": ({"first": "Hello —"}, True),
    "a word spelt as its token": ({"first": "(Hello) there.", "word": "(Hello)"}, True),
    "no segment text": ({"first": ""}, True),
    "word before the first segment": ({"change": (0, "start", 0.1)}, False),
    "segment without words": ({"change": (1, "start", 1.95)}, False),
    "segments out of order": ({"change": (1, "start", 0.0)}, False),
}


@pytest.mark.parametrize(("given", "whole"), VERBOSE.values(), ids=VERBOSE.keys())
def test_verbose_json(given: dict[str, Any], whole: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The API's words shared out to segments and punctuated from them, read whole when the
    file is well-formed; the same transcript as the careful path either way."""
    given = dict(given)
    change, word = given.pop("change", None), given.pop("word", None)
    document = _verbose(**given)
    if change is not None:
        index, key, value = change
        document["segments"][index][key] = value
    if word is not None:
        document["words"][0]["word"] = word
    taken = verbose._whole(document, None, None)
    assert (taken is not None) == whole
    with monkeypatch.context() as patch:
        patch.setattr(verbose, "_whole", lambda *args: None)
        careful = _read(verbose, document)
    assert _read(verbose, document) == careful


@pytest.mark.parametrize("first", ["A", None])
def test_speaker_change_between_segments(
    first: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change of word speaker where a segment starts keeps the whole-file path."""
    document = _whisperx()
    for word in document["segments"][0]["words"]:
        word["speaker"] = first
    document["segments"][1]["words"][0]["speaker"] = "B"
    assert wholefile.whole_file(document["segments"], WHISPERX_KEYS, False) is not None
    assert _read(whisperx, document) == _careful(whisperx, document, monkeypatch)


def _unsegmented(text: Any = "Hello, there. Bye.") -> dict[str, Any]:
    """``verbose_json`` without segments: cues are cut at sentence ends, pauses and length
    (``text`` spells the first three words; the others follow it)."""
    words = [("Hello", 0.0, 0.4), ("there", 0.5, 1.0), ("Bye", 1.25, 1.9)]
    words += [(f"w{i}", 3.0 + i, 3.5 + i) for i in range(3)]  # a pause of 1.1 s before
    words += [(f"long{i}", 10.0 + i / 4, 10.2 + i / 4) for i in range(30)]  # past 84 chars
    if isinstance(text, str):
        text = " ".join([text, *(w for w, _, _ in words[3:])])
    return {"task": "transcribe", "language": "english", "text": text,
            "words": [{"word": w, "start": s, "end": e} for w, s, e in words]}  # fmt: skip


PUNCTUATED_CUTS = [2, 1, 3, 14, 12, 4]  # after "there.", pauses, 84 characters
PLAIN_CUTS = [3, 3, 14, 12, 4]  # without punctuation: pauses and length only
UNSEGMENTED: dict[str, tuple[dict[str, Any], list[int] | None]] = {
    "punctuated": ({}, PUNCTUATED_CUTS),
    "other words": ({"text": "Something else entirely."}, PLAIN_CUTS),
    "no text": ({"text": None}, PLAIN_CUTS),
    "empty segments": ({"segments": []}, PUNCTUATED_CUTS),
    "text not a string": ({"text": 7}, None),
    "segments not a list": ({"segments": {}}, None),
    "overlapping words": ({"change": (1, "start", 0.3)}, None),
    "word without an end": ({"change": (4, "end", None)}, None),
    "padded word": ({"change": (0, "word", " Hello")}, None),
}


@pytest.mark.parametrize(("given", "cuts"), UNSEGMENTED.values(), ids=UNSEGMENTED.keys())
def test_verbose_json_without_segments(
    given: dict[str, Any], cuts: list[int] | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read whole when well-formed (``cuts``: the words per cue), cut where the careful path
    cuts; the same transcript either way."""
    given = dict(given)
    change = given.pop("change", None)
    document = _unsegmented(**({"text": given.pop("text")} if "text" in given else {}))
    document.update(given)
    if change is not None:
        index, key, value = change
        document["words"][index][key] = value
    assert (verbose._whole_unsegmented(document, None, None) is not None) == (cuts is not None)
    with monkeypatch.context() as patch:
        patch.setattr(verbose, "_whole_unsegmented", lambda *args: None)
        careful = _read(verbose, document)
    taken = _read(verbose, document)
    assert taken == careful
    if cuts is not None:
        assert [len(turns[0].words) for _, _, turns in taken[0]] == cuts


def _timed(module: Any, per_segment: int) -> dict[str, Any]:
    """Two segments of ``per_segment`` words each (50 ms every 100 ms) in ``module``'s dialect."""
    words = [(f"w{i}", i / 10, i / 10 + 0.05) for i in range(2 * per_segment)]
    halves = [words[:per_segment], words[per_segment:]]
    spans = [(half[0][1], half[-1][2]) for half in halves]
    if module is verbose:
        return {"task": "transcribe", "words": [
            {"word": w, "start": s, "end": e} for w, s, e in words], "segments": [
            {"start": a, "end": b, "text": " ".join(w for w, _, _ in half)}
            for (a, b), half in zip(spans, halves, strict=True)]}  # fmt: skip
    if module is openai:
        return {"segments": [{"start": a, "end": b, "text": "", "words": [
            {"word": f" {w}", "start": s, "end": e, "probability": 0.5} for w, s, e in half]}
            for (a, b), half in zip(spans, halves, strict=True)]}  # fmt: skip
    return {"segments": [{"start": a, "end": b, "text": "", "words": [
        {"word": w, "start": s, "end": e, "score": 0.5, "speaker": "A"} for w, s, e in half]}
        for (a, b), half in zip(spans, halves, strict=True)]}  # fmt: skip


def _calls(module: Any, document: dict[str, Any]) -> int:
    """The calls of one read, the collector paused: a collection in the middle of it would
    run the finalizers of other tests' garbage, whose calls would count too."""
    gc.collect()
    running = gc.isenabled()
    gc.disable()
    try:
        return count_calls(module.read, "", document, CONTEXT)
    finally:
        if running:
            gc.enable()


@pytest.mark.parametrize("module", [openai, whisperx, verbose])
def test_the_whole_file_path_makes_no_call_per_word(module: Any) -> None:
    """Every check and conversion of the words loops in C and each Word is built by one C call
    (``tuple.__new__``): a hundred times the words in the same two segments takes the same
    number of Python and built-in calls."""
    small, large = _timed(module, 5), _timed(module, 500)
    module.read("", small, CONTEXT)  # caches (compiled patterns) filled
    assert _calls(module, small) == _calls(module, large)
    assert sum(len(cue.words) for cue in module.read("", large, CONTEXT).cues) == 1000
