"""captionbridge JSON (lossless round trip, documented schema) and the plain-text transcript."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import captionbridge
from captionbridge.errors import ParseError
from captionbridge.host.registry import PluginHost
from captionbridge.model import Cue, Note, Speaker, Transcript, Turn


def sample() -> Transcript:
    return Transcript(
        [
            Cue(0, 1500, (Turn("Hello & <welcome>", "a", True),)),
            Cue(1500, 3000, (Turn("Yes.", None, True), Turn("No!", "b", True))),
            Cue(3000, 86_400_000 + 5, (Turn("line one\nline two"),)),
        ],
        language="en",
        speakers={"a": Speaker("a", "Ann", "#ffff00"), "b": Speaker("b")},
        source="talk.txt",
        notes=[Note("repaired", "talk.txt", 3)],
    )


def test_json_round_trip_is_lossless(host: PluginHost) -> None:
    original = sample()
    text = captionbridge.dumps(original, "json", host=host)
    back = captionbridge.loads(text, host=host)
    assert back == original
    assert back.notes == original.notes
    assert back.speakers["a"].color == "#ffff00"


def test_json_schema_is_documented_shape(host: PluginHost) -> None:
    document = json.loads(captionbridge.dumps(sample(), "json", host=host))
    assert document["format"] == "captionbridge" and document["version"] == 1
    assert document["cues"][1] == {
        "start": 1500,
        "end": 3000,
        "turns": [
            {"text": "Yes.", "speaker": None, "change": True},
            {"text": "No!", "speaker": "b", "change": True},
        ],
    }
    assert document["speakers"]["a"] == {"name": "Ann", "color": "#ffff00"}


def test_seed_json_round_trip(seed_path: Path, host: PluginHost) -> None:
    seed = captionbridge.load(seed_path, host=host)
    back = captionbridge.loads(captionbridge.dumps(seed, "json", host=host), host=host)
    assert back == seed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"format": "captionbridge", "version": 9, "cues": []}', "unsupported"),
        (
            '{"format": "captionbridge", "version": 1, "cues": [{"start": 5, "end": 1, "turns": [{"text": "x"}]}]}',
            "cue 1",
        ),
        ('{"format": "captionbridge", "version": 1, "cues": [{"start": 0}]}', "malformed"),
        ('{"format": "captionbridge", "version": 1,\n "cues": [', "Expecting value"),
    ],
)
def test_json_errors(text: str, message: str, host: PluginHost) -> None:
    with pytest.raises(ParseError, match=message):
        captionbridge.loads(text, format="json", host=host)


# Every field of the sample document: its path, the name the error gives it, its JSON type.
FIELDS = [
    (("language",), "language", str),
    (("source",), "source", str),
    (("speakers",), "speakers", dict),
    (("speakers", "a"), "speaker 'a'", dict),
    (("speakers", "a", "name"), "speaker 'a': name", str),
    (("speakers", "a", "color"), "speaker 'a': color", str),
    (("cues",), "cues", list),
    (("cues", 1), "cue 2", dict),
    (("cues", 1, "start"), "cue 2: start", int),
    (("cues", 1, "end"), "cue 2: end", int),
    (("cues", 1, "turns"), "cue 2: turns", list),
    (("cues", 1, "turns", 1), "cue 2: turn 2", dict),
    (("cues", 1, "turns", 1, "text"), "cue 2: turn 2: text", str),
    (("cues", 1, "turns", 1, "speaker"), "cue 2: turn 2: speaker", str),
    (("cues", 1, "turns", 1, "change"), "cue 2: turn 2: change", bool),
    (("notes",), "notes", list),
    (("notes", 0), "note 1", dict),
    (("notes", 0, "message"), "note 1: message", str),
    (("notes", 0, "source"), "note 1: source", str),
    (("notes", 0, "line"), "note 1: line", int),
]
WRONG_VALUES = {dict: {"x": 1}, list: ["x"], float: 1.5, bool: True, str: "x"}
WRONG_CASES = [
    pytest.param(path, name, wrong, id=f"{name} as {kind.__name__}")
    for path, name, right in FIELDS
    for kind, wrong in WRONG_VALUES.items()
    if kind is not right
]


@pytest.mark.parametrize(("path", "name", "wrong"), WRONG_CASES)
def test_json_wrong_types_are_refused_by_name(
    path: tuple[str | int, ...], name: str, wrong: object, host: PluginHost
) -> None:
    """A value of the wrong type is a ParseError naming it, never a crash in a writer later."""
    document = json.loads(captionbridge.dumps(sample(), "json", host=host))
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = wrong
    with pytest.raises(ParseError, match=f": malformed captionbridge JSON: {name} is "):
        captionbridge.loads(json.dumps(document), format="json", host=host)


def test_txt_paragraphs_follow_speaker_turns(host: PluginHost) -> None:
    text = captionbridge.dumps(sample(), "txt", host=host)
    assert text == "Ann: Hello & <welcome>\n\nYes.\n\nb: No! line one line two\n"


def test_txt_without_names(host: PluginHost) -> None:
    text = captionbridge.dumps(sample(), "txt", host=host, speaker_style="none")
    assert text.startswith("Hello & <welcome>\n\nYes.\n\nNo! line one")
