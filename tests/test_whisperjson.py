"""The whisper JSON family (plugins/whisperjson): one reader per dialect, words and speakers.

The fixtures in data/words/ hold the same speech in each dialect's exact shape (written from
whisper's WriteJSON, the OpenAI API reference, whisper.cpp's output_json with full=true and
WhisperX's assign_word_speakers); data/whisperjson/ holds the files the former plugin package
tested with.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pysubs2
import pytest

import captionbridge
from captionbridge import Transcript, Turn, Word
from captionbridge.errors import CaptionbridgeError, ParseError, PluginError
from captionbridge.host.registry import PluginHost
from captionbridge.plugins.whisperjson.detect import dialect_of, sniff
from captionbridge.testing import ReaderConformance, compare_cues

DATA = Path(__file__).parent / "data"
WORDS = DATA / "words"
OLD = DATA / "whisperjson"

#: the speech of every data/words/ fixture, in ms: (text, start, end) per word
SPEECH = [
    [("Ilya,", 0, 940), ("unbelievable.", 1120, 2600)],
    [("Today", 3000, 3300), ("is", 3300, 3500), ("the", 3500, 3600), ("day", 3600, 3900),
     ("after", 3900, 4300), ("GPT-4.", 4300, 5600)],
    [("It's", 6200, 6500), ("2023.", 6500, 7400)],
]  # fmt: skip
FIXTURES = {
    "openai-whisper.json": "whisper-json",
    "openai-api-verbose.json": "openai-json",
    "openai-api-words-only.json": "openai-json",
    "whisper-cpp-full.json": "whispercpp-json",
    "whisperx.json": "whisperx-json",
}


def _spread(turn: Turn, start: int, end: int) -> list[tuple[str, float, float]]:
    """The words of a turn with times shared out over the cue, in seconds."""
    words = turn.text.split()
    step = (end - start) / max(len(words), 1)
    return [
        (w, round((start + i * step) / 1000, 3), round((start + (i + 1) * step) / 1000, 3))
        for i, w in enumerate(words)
    ]


def as_openai(transcript: Transcript) -> str:
    segments = []
    for cue in transcript.cues:
        words = [
            {"word": " " + w, "start": a, "end": b, "probability": 0.9}
            for turn in cue.turns
            for w, a, b in _spread(Turn(" ".join(t.text for t in cue.turns)), cue.start, cue.end)
        ][: len(" ".join(t.text for t in cue.turns).split())]
        segments.append(
            {"start": cue.start / 1000, "end": cue.end / 1000, "text": "", "words": words}
        )
    return json.dumps({"text": "", "segments": segments, "language": "en"})


def as_whisperx(transcript: Transcript) -> str:
    segments = []
    for cue in transcript.cues:
        words: list[dict[str, Any]] = []
        for turn in cue.turns:
            for w, a, b in _spread(turn, cue.start, cue.end):
                words.append({"word": w, "start": a, "end": b, "score": 0.5})
                if turn.speaker:
                    words[-1]["speaker"] = turn.speaker
        # WhisperX leaves numbers unaligned: drop the times of every third word
        for word in words[2::3]:
            del word["start"], word["end"], word["score"]
        segments.append({"start": cue.start / 1000, "end": cue.end / 1000, "words": words})
    return json.dumps({"segments": segments, "word_segments": [], "language": "en"})


def as_whisper_cpp(transcript: Transcript) -> str:
    rows = []
    for cue in transcript.cues:
        tokens: list[dict[str, Any]] = [{"text": "[_BEG_]", "offsets": {"from": 0, "to": 0}}]
        for w, a, b in _spread(Turn(cue.text.replace("\n", " ")), cue.start, cue.end):
            half = len(w) // 2 or 1  # a word in two tokens: the second continues it
            middle = round((a + b) * 500)
            tokens.append(
                {"text": " " + w[:half], "offsets": {"from": round(a * 1000), "to": middle}}
            )
            if w[half:]:
                tokens.append(
                    {"text": w[half:], "offsets": {"from": middle, "to": round(b * 1000)}}
                )
        rows.append({"offsets": {"from": cue.start, "to": cue.end}, "text": "", "tokens": tokens})
    return json.dumps({"result": {"language": "en"}, "transcription": rows}, indent="\t")


def as_verbose(transcript: Transcript) -> str:
    words = []
    segments = []
    for cue in transcript.cues:
        spread = _spread(Turn(cue.text.replace("\n", " ")), cue.start, cue.end)
        words += [{"word": w, "start": a, "end": b} for w, a, b in spread]
        segments.append({"start": cue.start / 1000, "end": cue.end / 1000, "text": cue.text})
    document = {"task": "transcribe", "duration": 1.0, "words": words, "segments": segments}
    return json.dumps(document)


class TestOpenAIShape(ReaderConformance):
    format_name = "whisper-json"

    def make_input(self, host: PluginHost, transcript: Transcript) -> str:
        return as_openai(transcript)


class TestWhisperXShape(ReaderConformance):
    format_name = "whisperx-json"

    def make_input(self, host: PluginHost, transcript: Transcript) -> str:
        return as_whisperx(transcript)


class TestWhisperCppShape(ReaderConformance):
    format_name = "whispercpp-json"

    def make_input(self, host: PluginHost, transcript: Transcript) -> str:
        return as_whisper_cpp(transcript)


class TestVerboseShape(ReaderConformance):
    format_name = "openai-json"

    def make_input(self, host: PluginHost, transcript: Transcript) -> str:
        return as_verbose(transcript)


def _words(transcript: Transcript) -> list[list[tuple[str, int, int]]]:
    return [[(w.text, w.start, w.end) for w in cue.words] for cue in transcript.cues]


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_every_dialect_reads_into_the_same_words(name: str, host: PluginHost) -> None:
    transcript = captionbridge.load(WORDS / name, host=host)  # recognised, not --from
    assert [cue.text for cue in transcript.cues] == [
        " ".join(w for w, _, _ in cue) for cue in SPEECH
    ]
    got = _words(transcript)
    for cue, expected in zip(got, SPEECH, strict=True):
        for (text, start, end), (want, want_start, want_end) in zip(cue, expected, strict=True):
            assert text == want
            if name == "whisperx.json" and text == "2023.":
                # unaligned: the span between "It's" and the segment end
                assert (start, end) == (6500, 8000)
                continue
            # float32 seconds (the API) are within a millisecond
            assert abs(start - want_start) <= 1 and abs(end - want_end) <= 1, (text, start, end)


@pytest.mark.parametrize(("name", "reader"), sorted(FIXTURES.items()))
def test_each_dialect_is_detected_from_content(name: str, reader: str, host: PluginHost) -> None:
    text = (WORDS / name).read_text()
    assert sniff(text) == reader
    assert dialect_of(json.loads(text)) == reader
    assert host.guess_reader(text, "no-extension").name == reader
    # asked for by its old name, whisper-json hands every dialect to its own reader
    by_old_name = captionbridge.loads(text, format="whisper-json", host=host)
    assert by_old_name == captionbridge.loads(text, format=reader, host=host)


@pytest.mark.parametrize(
    ("text", "reader"),
    [
        ('{"segments" : [], "start"\n:\t1, "word_segments":[]}', "whisperx-json"),
        # "word_segments" only as a string value, and as part of a longer key: not a key
        ('{"segments": [{"start": 1, "text": "word_segments", "xword_segments": 1}]}',
         "whisper-json"),
        ('{"segments": [{"start": 1}], "a": "score\\"", "score_": 1}', "whisper-json"),
        ('{"transcription": [], "offsets" \u3000: {}}', "whispercpp-json"),  # Unicode space
        ('{"transcription": "offsets", "restart": 1}', None),
        ('{"words": [{"start": 0}], "text": "task"}', "openai-json"),
    ],
)  # fmt: skip
def test_a_dialect_key_counts_only_as_a_key(text: str, reader: str | None) -> None:
    assert sniff(text) == reader


def test_readers_state_their_dialect(host: PluginHost) -> None:
    descriptions = {name: host.reader(name).description for name in FIXTURES.values()}
    assert "OpenAI whisper" in descriptions["whisper-json"]
    assert "verbose_json" in descriptions["openai-json"]
    assert "whisper.cpp" in descriptions["whispercpp-json"]
    assert "WhisperX" in descriptions["whisperx-json"]


def test_whisper_cpp_tokens_merge_and_specials_go(host: PluginHost) -> None:
    transcript = captionbridge.load(WORDS / "whisper-cpp-full.json", host=host)
    word = transcript.cues[1].words[-1]
    assert word == Word("GPT-4.", 4300, 5600, 0.9)  # " G" "PT" "-" "4" "." in one word
    assert all("[_" not in cue.text for cue in transcript.cues)
    assert transcript.language == "en"


def test_openai_api_punctuation_comes_back_from_the_text(host: PluginHost) -> None:
    raw = json.loads((WORDS / "openai-api-verbose.json").read_text())
    assert raw["words"][1]["word"] == "unbelievable"  # the API's words have no punctuation
    transcript = captionbridge.load(WORDS / "openai-api-verbose.json", host=host)
    assert transcript.cues[0].words[1].text == "unbelievable."
    assert transcript.cues[0].words[1].confidence is None
    assert transcript.language is None  # the API writes "english", not a code


def test_openai_words_keep_probability(host: PluginHost) -> None:
    transcript = captionbridge.load(WORDS / "openai-whisper.json", host=host)
    assert transcript.cues[0].words[0] == Word("Ilya,", 0, 940, 0.81)


def test_word_repairs_are_reported_once_per_kind(host: PluginHost) -> None:
    transcript = captionbridge.load(WORDS / "whisperx.json", host=host)
    assert [n.message for n in transcript.notes] == [
        "1 word(s) without times given times between their neighbours"
    ]


def test_whisperx_speakers_become_turns_with_words() -> None:
    transcript = captionbridge.load(OLD / "whisperx-diarized.json")
    assert set(transcript.speakers) == {"SPEAKER_00", "SPEAKER_01"}
    first, second, third = transcript.cues
    assert [t.text for t in first.turns] == ["Ilya, unbelievable."]
    assert [(t.text, t.speaker) for t in second.turns] == [
        ("Is it?", "SPEAKER_00"),
        ("It's great to be here.", "SPEAKER_01"),
    ]
    assert second.turns[1].words[0] == Word("It's", 4100, 4300, 0.95)
    assert (second.start, second.end) == (3016, 6422)
    # a word without times gets the segment's span
    assert third.turns == (Turn("2023", "SPEAKER_01", True, (Word("2023", 6900, 8000),)),)


def test_whisperx_to_srt_read_by_pysubs2(tmp_path: Path) -> None:
    out = tmp_path / "x.srt"
    source = OLD / "whisperx-diarized.json"
    command = [sys.executable, "-m", "captionbridge", "convert", str(source)]
    subprocess.run([*command, "-o", str(out), "-q"], check=True)
    events = pysubs2.load(str(out))
    assert [e.plaintext for e in events][:2] == [
        "SPEAKER_00: Ilya, unbelievable.",
        "SPEAKER_00: Is it?\nSPEAKER_01: It's great to be here.",
    ]
    assert events[1].start == 3016


def test_whisper_cpp_segments_and_speaker_turns() -> None:
    transcript = captionbridge.load(OLD / "whisper-cpp.json")
    assert len(transcript) == 2  # the empty segment is left out
    assert transcript.cues[1].turns == (Turn("Thank you, it's great to be here.", None, True),)
    assert (transcript.cues[1].start, transcript.cues[1].end) == (3000, 6000)
    kept = captionbridge.load(OLD / "whisper-cpp.json", keep_empty=True)
    assert len(kept) == 3


def test_seed_round_trips_at_scale(seed_path: Path) -> None:
    seed = captionbridge.load(seed_path)
    read = captionbridge.loads(as_whisperx(seed), source="seed.json")
    compare_cues(seed, read, what="seed as WhisperX JSON", lossy={"speakers", "line_breaks"})


@pytest.mark.parametrize(
    ("segment", "message", "at"),
    [
        (
            {"start": 2.0, "end": 1.0, "text": "x"},
            "segment 2: ends .* before it starts",
            '{"start": 2.0',
        ),
        ({"start": "0:01", "end": 2.0, "text": "x"}, "segment 2: start is '0:01'", '"0:01"'),
        ({"end": 2.0, "text": "x"}, "segment 2: start is None", '{"end": 2.0'),
        ({"start": -1, "end": 2.0, "text": "x"}, "segment 2: start is negative", "-1,"),
        # found by fuzzing: 1e308 seconds overflowed to infinity milliseconds (OverflowError)
        (
            {"start": 0.0, "end": 1e308, "text": "x"},
            "segment 2: end is 1e\\+308, too large",
            "1e+308",
        ),
        # found by fuzzing: a word's speaker that is an object was unhashable (TypeError)
        (
            {
                "start": 0,
                "end": 2,
                "words": [{"word": "a", "score": 1}, {"word": "b", "speaker": {}}],
            },
            "segment 2: a word's speaker is a JSON object, not a speaker name",
            "{}",
        ),
        (
            {"start": 0.0, "end": 2.0, "speaker": ["S1"]},
            "segment 2: speaker is a JSON array",
            '["S1"]',
        ),
        (
            {"start": 0.0, "end": 2.0, "text": {"en": "x"}},
            "segment 2: text is a JSON object",
            '{"en"',
        ),
        (
            {"start": 0.0, "end": 2.0, "words": [{"word": 7, "start": 0.0}]},
            "segment 2: a word's text is a JSON number",
            "7,",
        ),
        (
            {"start": 0.0, "end": 2.0, "words": [{"word": "a", "probability": 2}]},
            "segment 2: a word's probability is 2",
            "2}",
        ),
    ],
)
def test_bad_values_are_located_errors(segment: dict[str, Any], message: str, at: str) -> None:
    """The error points at the bad value (or the segment, for times that disagree)."""
    good = {"start": 0.0, "end": 1.0, "text": "fine"}
    text = json.dumps({"segments": [good, segment]})
    with pytest.raises(ParseError, match=message) as caught:
        captionbridge.loads(text, source="w.json")
    assert caught.value.line == 1 and caught.value.column is not None
    offset = caught.value.column - 1
    assert text[offset:].startswith(at) and offset > text.index("fine")
    assert str(caught.value).startswith(f"w.json:1:{caught.value.column}: segment 2")
    lenient = captionbridge.loads(text, lenient=True)
    assert lenient.notes and "segment 2" in lenient.notes[-1].message


def test_a_bad_token_in_a_tabbed_file_is_located_on_its_line(host: PluginHost) -> None:
    document = json.loads((WORDS / "whisper-cpp-full.json").read_text())
    document["transcription"][1]["tokens"][3]["offsets"]["to"] = -5
    text = json.dumps(document, indent="\t")
    with pytest.raises(ParseError, match=r"offsets\.to is -5") as caught:
        captionbridge.loads(text, source="cpp.json", host=host)
    line = text.splitlines()[caught.value.line - 1]
    assert line.strip() == '"to": -5'
    assert caught.value.column == line.index("-5") + 1


def test_malformed_json_is_located(host: PluginHost) -> None:
    text = (WORDS / "whisperx.json").read_text()[:200]
    with pytest.raises(ParseError) as caught:
        captionbridge.loads(text, format="whisperx-json", source="x.json", host=host)
    assert caught.value.line == 1 and caught.value.column is not None


def test_other_json_is_left_to_other_readers() -> None:
    ours = captionbridge.loads("[00:00:01.000 --> 00:00:02.000] Hi.")
    cb_json = captionbridge.dumps(ours, "json")
    assert captionbridge.loads(cb_json).cues[0].text == "Hi."  # still the built-in json reader
    with pytest.raises(CaptionbridgeError, match="cannot tell the input format"):
        captionbridge.loads('{"results": []}', source="x.json")


@pytest.mark.parametrize(
    "start",
    ["9" * 5000, "9" * 400, "1e300", str(2**60)],
    ids=["past-the-digit-limit", "400-digits", "1e300", "2**60"],
)
def test_huge_times_are_input_errors_not_plugin_failures(start: str) -> None:
    document = '{"segments": [{"start": ' + start + ', "end": 1.0, "text": "x"}]}'
    with pytest.raises(CaptionbridgeError) as caught:
        captionbridge.loads(document, format="whisper-json", source="w.json")
    assert not isinstance(caught.value, PluginError)
    assert caught.value.source == "w.json"


def test_whisper_cpp_stereo_speakers_are_kept(host: PluginHost) -> None:
    rows = [
        {"offsets": {"from": 0, "to": 1000}, "text": " Hi.", "speaker": "0"},
        {"offsets": {"from": 1000, "to": 2000}, "text": " Who?", "speaker": "?"},
        {"offsets": {"from": 2000, "to": 3000}, "text": " Me.", "speaker": "1"},
    ]
    text = json.dumps({"result": {"language": "en"}, "transcription": rows})
    transcript = captionbridge.loads(text, host=host)
    assert [t.speaker for cue in transcript.cues for t in cue.turns] == ["0", None, "1"]
    assert set(transcript.speakers) == {"0", "1"}


def test_openai_words_without_a_space_continue_the_word_before(host: PluginHost) -> None:
    # whisper splits text written without spaces by character, without leading spaces
    words = [
        {"word": " 你好", "start": 0.0, "end": 0.4, "probability": 0.8},
        {"word": "世界", "start": 0.4, "end": 0.9, "probability": 0.6},
        {"word": "。", "start": 0.9, "end": 1.0, "probability": 1.0},
        {"word": " OK", "start": 1.2, "end": 1.5, "probability": 0.9},
    ]
    segment = {"start": 0.0, "end": 1.5, "text": " 你好世界。 OK", "words": words}
    transcript = captionbridge.loads(json.dumps({"segments": [segment]}), host=host)
    (cue,) = transcript.cues
    assert cue.text == "你好世界。 OK"
    assert cue.words == (
        Word("你好世界。", 0, 1000, pytest.approx(0.8)),
        Word("OK", 1200, 1500, 0.9),
    )
