"""Tests of the whisper-json reader on whisper, WhisperX and whisper.cpp output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pysubs2
import pytest

import captionbridge
from captionbridge import Transcript, Turn
from captionbridge.testing import PluginHost, ReaderConformance, compare_cues

pytest_plugins = ["captionbridge.testing"]

DATA = Path(__file__).parent / "data"
SEED = Path(__file__).resolve().parents[3] / "seeds" / "fireside-chat.txt"


def as_openai_json(transcript: Transcript) -> str:
    """A transcript in OpenAI whisper's JSON shape; turns with speakers become words with
    WhisperX speaker fields."""
    segments: list[dict[str, Any]] = []
    for cue in transcript.cues:
        segment: dict[str, Any] = {"start": cue.start / 1000, "end": cue.end / 1000}
        segment["text"] = " " + " ".join(t.text for t in cue.turns)
        if any(t.speaker for t in cue.turns):
            segment["words"] = [
                {"word": word, "start": cue.start / 1000, "speaker": turn.speaker}
                for turn in cue.turns
                for word in turn.text.split()
            ]
        segments.append(segment)
    return json.dumps({"text": "", "segments": segments, "language": "en"})


def as_whisper_cpp_json(transcript: Transcript) -> str:
    rows = [
        {"offsets": {"from": c.start, "to": c.end}, "text": " " + c.text} for c in transcript.cues
    ]
    return json.dumps({"result": {"language": "en"}, "transcription": rows}, indent="\t")


class TestOpenAIShape(ReaderConformance):
    format_name = "whisper-json"
    distribution = "captionbridge-whisperjson"

    def make_input(self, host: PluginHost, transcript: Transcript) -> str:
        return as_openai_json(transcript)


class TestWhisperCppShape(ReaderConformance):
    format_name = "whisper-json"

    def make_input(self, host: PluginHost, transcript: Transcript) -> str:
        return as_whisper_cpp_json(transcript)


def test_openai_whisper_file() -> None:
    transcript = captionbridge.load(DATA / "openai-whisper.json")  # recognised, not --from
    raw = json.loads((DATA / "openai-whisper.json").read_text())
    segments = raw["segments"]
    expected = [(round(s["start"] * 1000), round(s["end"] * 1000), s["text"]) for s in segments]
    assert [(c.start, c.end, " " + c.text) for c in transcript.cues] == expected
    assert transcript.language == "en"


def test_whisperx_speakers_become_turns() -> None:
    transcript = captionbridge.load(DATA / "whisperx-diarized.json")
    assert set(transcript.speakers) == {"SPEAKER_00", "SPEAKER_01"}
    first, second, third = transcript.cues
    assert first.turns == (Turn("Ilya, unbelievable.", "SPEAKER_00", True),)
    assert second.turns == (
        Turn("Is it?", "SPEAKER_00", True),
        Turn("It's great to be here.", "SPEAKER_01", True),
    )
    assert (second.start, second.end) == (3016, 6422)
    assert third.turns == (Turn("2023", "SPEAKER_01", True),)  # a word without times is fine


def test_whisperx_to_srt_read_by_pysubs2(tmp_path: Path) -> None:
    out = tmp_path / "x.srt"
    source = DATA / "whisperx-diarized.json"
    command = [sys.executable, "-m", "captionbridge", "convert", str(source)]
    subprocess.run([*command, "-o", str(out), "-q"], check=True)
    events = pysubs2.load(str(out))
    assert [e.plaintext for e in events][:2] == [
        "SPEAKER_00: Ilya, unbelievable.",
        "SPEAKER_00: Is it?\nSPEAKER_01: It's great to be here.",
    ]
    assert events[1].start == 3016


def test_whisper_cpp_file_and_speaker_turns() -> None:
    transcript = captionbridge.load(DATA / "whisper-cpp.json")
    assert len(transcript) == 2  # the empty segment is left out
    assert transcript.cues[1].turns == (Turn("Thank you, it's great to be here.", None, True),)
    assert (transcript.cues[1].start, transcript.cues[1].end) == (3000, 6000)
    kept = captionbridge.load(DATA / "whisper-cpp.json", keep_empty=True)
    assert len(kept) == 3


def test_seed_round_trips_at_scale() -> None:
    seed = captionbridge.load(SEED)
    read = captionbridge.loads(as_openai_json(seed), source="seed.json")
    compare_cues(seed, read, what="seed as whisper JSON")


@pytest.mark.parametrize(
    ("segment", "message"),
    [
        ({"start": 2.0, "end": 1.0, "text": "x"}, "segment 2: ends .* before it starts"),
        ({"start": "0:01", "end": 2.0, "text": "x"}, "segment 2: start is '0:01'"),
        ({"end": 2.0, "text": "x"}, "segment 2: start is None"),
        ({"start": -1, "end": 2.0, "text": "x"}, "segment 2: start is negative"),
        # found by fuzzing: 1e308 seconds overflowed to infinity milliseconds (OverflowError)
        ({"start": 0.0, "end": 1e308, "text": "x"}, "segment 2: end is 1e\\+308, too large"),
        # found by fuzzing: a word's speaker that is an object was unhashable (TypeError)
        (
            {
                "start": 0.0,
                "end": 2.0,
                "words": [{"word": "a", "speaker": "S1"}, {"word": "b", "speaker": {"id": 2}}],
            },
            "segment 2: a word's speaker is a JSON object, not a speaker name",
        ),
        ({"start": 0.0, "end": 2.0, "speaker": ["S1"]}, "segment 2: speaker is a JSON array"),
        ({"start": 0.0, "end": 2.0, "text": {"en": "x"}}, "segment 2: text is a JSON object"),
        (
            {
                "start": 0.0,
                "end": 2.0,
                "words": [{"word": 7, "speaker": "S1"}, {"word": "b", "speaker": "S2"}],
            },
            "segment 2: a word's text is a JSON number",
        ),
    ],
)
def test_bad_times_name_the_segment(segment: dict[str, Any], message: str) -> None:
    good = {"start": 0.0, "end": 1.0, "text": "fine"}
    text = json.dumps({"segments": [good, segment]})
    with pytest.raises(captionbridge.ParseError, match=message):
        captionbridge.loads(text)
    lenient = captionbridge.loads(text, lenient=True)
    assert lenient.notes and "segment 2" in lenient.notes[-1].message


def test_other_json_is_left_to_other_readers() -> None:
    ours = captionbridge.loads("[00:00:01.000 --> 00:00:02.000] Hi.")
    cb_json = captionbridge.dumps(ours, "json")
    assert captionbridge.loads(cb_json).cues[0].text == "Hi."  # still the built-in json reader
    with pytest.raises(captionbridge.CaptionbridgeError, match="cannot tell the input format"):
        captionbridge.loads('{"results": []}', source="x.json")


@pytest.mark.parametrize(
    "start",
    ["9" * 5000, "9" * 400, "1e300", str(2**60)],
    ids=["past-the-digit-limit", "400-digits", "1e300", "2**60"],
)
def test_huge_times_are_input_errors_not_plugin_failures(start: str) -> None:
    from captionbridge import CaptionbridgeError, PluginError

    document = '{"segments": [{"start": ' + start + ', "end": 1.0, "text": "x"}]}'
    with pytest.raises(CaptionbridgeError) as caught:
        captionbridge.loads(document, format="whisper-json", source="w.json")
    assert not isinstance(caught.value, PluginError)
    assert caught.value.source == "w.json"
