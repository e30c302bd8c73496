"""captionbridge JSON carries word timings: ``"words": [{"text", "start", "end", "confidence"}]``
inside each turn object, round-tripped exactly; files without words read as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import captionbridge
from captionbridge.errors import ParseError
from captionbridge.host.registry import PluginHost
from captionbridge.model import Cue, Speaker, Transcript, Turn, Word

WORDS = Path(__file__).parent / "data" / "words"


def worded() -> Transcript:
    return Transcript(
        [
            Cue(0, 2600, (Turn("Ilya, unbelievable.", None, False,
                               (Word("Ilya,", 0, 940, 0.81), Word("unbelievable.", 1120, 2600))),)),
            Cue(3000, 6000, (Turn("Is it?", "a", True, (Word("Is", 3000, 3200, 1 / 3),
                                                        Word("it?", 3200, 3500, 0.0))),
                             Turn("Yes.", "b", True))),
            Cue(6000, 7000, (Turn("no words here"),)),
        ],
        speakers={"a": Speaker("a"), "b": Speaker("b")},
    )  # fmt: skip


def test_words_round_trip_exactly(host: PluginHost) -> None:
    original = worded()
    back = captionbridge.loads(captionbridge.dumps(original, "json", host=host), host=host)
    assert back == original
    assert [cue.words for cue in back.cues] == [cue.words for cue in original.cues]
    assert back.cues[1].turns[0].words[0].confidence == 1 / 3  # the float, bit for bit


def test_words_sit_inside_the_turn_objects(host: PluginHost) -> None:
    document = json.loads(captionbridge.dumps(worded(), "json", host=host))
    first = document["cues"][0]["turns"][0]
    assert first["words"] == [
        {"text": "Ilya,", "start": 0, "end": 940, "confidence": 0.81},
        {"text": "unbelievable.", "start": 1120, "end": 2600, "confidence": None},
    ]
    # a turn without words is written as before: no "words" key
    assert document["cues"][2]["turns"] == [
        {"text": "no words here", "speaker": None, "change": False}
    ]
    assert "words" not in document["cues"][1]["turns"][1]


def test_files_without_words_still_read(host: PluginHost) -> None:
    old = {"format": "captionbridge", "version": 1, "cues": [
        {"start": 0, "end": 1000, "turns": [{"text": "Hi.", "speaker": None, "change": False}]}]}  # fmt: skip
    transcript = captionbridge.loads(json.dumps(old), host=host)
    assert transcript.cues[0].text == "Hi." and transcript.cues[0].words == ()
    assert transcript.columns().contents == ["Hi."]  # the plain-string shorthand, as before


@pytest.mark.parametrize("name", ["openai-whisper.json", "whisperx.json", "whisper-cpp-full.json"])
def test_dialect_words_survive_captionbridge_json(name: str, host: PluginHost) -> None:
    read = captionbridge.load(WORDS / name, host=host)
    back = captionbridge.loads(captionbridge.dumps(read, "json", host=host), host=host)
    assert [cue.words for cue in back.cues] == [cue.words for cue in read.cues]
    assert all(cue.words for cue in back.cues)


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ('"x"', "cue 1: turn 1: words is a string, not an array"),
        ('[{"text": "a", "start": "0", "end": 5}]', "cue 1: turn 1: word 1: start is a string"),
        ('[{"text": "a", "start": 9, "end": 5}]', "cue 1: turn 1: word 1: start and end"),
        ('[{"text": "a", "start": 0, "end": 5, "confidence": 2}]', "word 1: confidence is 2"),
        ('[{"text": "a", "start": 0, "end": 5, "confidence": true}]', "confidence is True"),
        ('[{"start": 0, "end": 5}]', "word 1: text is null"),
        ("[7]", "cue 1: turn 1: word 1 is a number, not an object"),
    ],
)
def test_bad_words_are_refused_by_name(words: str, message: str, host: PluginHost) -> None:
    text = (
        '{"format": "captionbridge", "version": 1, "cues": [{"start": 0, "end": 9, '
        '"turns": [{"text": "a", "words": ' + words + "}]}]}"
    )
    with pytest.raises(ParseError, match=message):
        captionbridge.loads(text, format="json", host=host)
