"""Tests of the youtube-json3 reader: YouTube auto-captions and manual captions in json3.

The files in data/ follow json3 as yt-dlp downloads it (``--sub-format json3``): window set-up
events without ``segs``, word segs with ``tOffsetMs`` and ``acAsrConf``, ``aAppend`` line
breaks, rolling events that overlap the next one.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pysubs2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import captionbridge
from captionbridge import ParseError, Transcript, Word
from captionbridge.testing import (
    PluginHost,
    ReaderConformance,
    check_reader_input,
    nonlinear_shapes,
    plugin_host,
)

pytest_plugins = ["captionbridge.testing"]

DATA = Path(__file__).parent / "data"
READER = "youtube-json3"


def as_json3(transcript: Transcript) -> str:
    """A transcript as auto-caption json3: one seg per word, offsets shared out over the cue."""
    events: list[dict[str, Any]] = [{"tStartMs": 0, "dDurationMs": 1, "id": 1, "wpWinPosId": 1}]
    for cue in transcript.cues:
        words = cue.text.split()
        step = (cue.end - cue.start) // max(len(words), 1)
        segs = [{"utf8": ("" if i == 0 else " ") + w, "tOffsetMs": i * step, "acAsrConf": 0}
                for i, w in enumerate(words)]  # fmt: skip
        events.append({"tStartMs": cue.start, "dDurationMs": cue.duration, "wWinId": 1,
                       "segs": segs or [{"utf8": ""}]})  # fmt: skip
    return json.dumps({"wireMagic": "pb3", "pens": [{}], "events": events}, indent=2)


class TestJson3(ReaderConformance):
    format_name = READER
    distribution = "captionbridge-youtube"

    def make_input(self, host: PluginHost, transcript: Transcript) -> str:
        return as_json3(transcript)


def test_auto_captions_have_word_times() -> None:
    transcript = captionbridge.load(DATA / "auto-captions.json3")  # recognised, not --from
    assert [cue.text for cue in transcript.cues] == [
        "ilya unbelievable",
        "today is the day after gpt-4",
        "it's 2023",
    ]
    first, second, third = transcript.cues
    # rolling events (0-5600, 3000-6200) end where the next begins
    assert (first.start, first.end) == (0, 3000)
    assert first.words == (Word("ilya", 0, 1120), Word("unbelievable", 1120, 3000))
    assert second.words[-1] == Word("gpt-4", 4300, 6000)
    assert [w.start for w in second.words] == [3000, 3300, 3500, 3600, 3900, 4300]
    assert third.words == (Word("it's", 6000, 6500), Word("2023", 6500, 8000))
    assert [n.message for n in transcript.notes] == [
        "2 rolling caption(s) ended where the next begins"
    ]


def test_manual_captions_keep_their_text_and_line_breaks() -> None:
    transcript = captionbridge.load(DATA / "manual.json3")
    assert [c.text for c in transcript.cues] == [
        "Ilya, unbelievable.",
        "Today is the day\nafter GPT-4.",
    ]
    assert all(not c.words for c in transcript.cues)


def test_json3_to_srt_read_by_pysubs2(tmp_path: Path) -> None:
    out = tmp_path / "x.srt"
    command = [sys.executable, "-m", "captionbridge", "convert", str(DATA / "manual.json3")]
    subprocess.run([*command, "-o", str(out), "-q"], check=True)
    events = pysubs2.load(str(out))
    assert [(e.start, e.end, e.plaintext) for e in events] == [
        (0, 3000, "Ilya, unbelievable."),
        (3000, 6000, "Today is the day\nafter GPT-4."),
    ]


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ({"tStartMs": -5, "segs": [{"utf8": "x"}]}, "event 2: tStartMs is -5"),
        ({"tStartMs": 5, "dDurationMs": "1s", "segs": [{"utf8": "x"}]}, "event 2: dDurationMs"),
        ({"tStartMs": 5, "segs": [{"utf8": 7}]}, "event 2: a seg without utf8 text"),
        ({"tStartMs": 5, "segs": [{"utf8": "x", "tOffsetMs": 1.5}]}, "event 2: tOffsetMs"),
    ],
)
def test_bad_events_are_located_errors(event: dict[str, Any], message: str) -> None:
    good = {"tStartMs": 0, "dDurationMs": 1000, "segs": [{"utf8": "fine"}]}
    text = json.dumps({"events": [good, event]}, indent=1)
    with pytest.raises(ParseError, match=message) as caught:
        captionbridge.loads(text, format=READER, source="y.json3")
    assert caught.value.line is not None
    assert '"tStartMs"' in text.splitlines()[caught.value.line - 1]
    assert caught.value.line > text[: text.index("fine")].count("\n") + 1
    assert str(caught.value).startswith(f"y.json3:{caught.value.line}:")


def test_other_json_is_left_alone() -> None:
    spec = plugin_host().reader(READER)
    assert spec.guess is not None
    assert not spec.guess('{"segments": [{"start": 0, "end": 1}]}', "x.json")
    assert not spec.guess('{"format": "captionbridge", "version": 1, "cues": []}', "x.json")


QUICK = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow],
    derandomize=True, database=None,
)  # fmt: skip
TOKENS = [
    '{"events": [', '{"tStartMs": 0, "dDurationMs": 1500', ', "segs": [', '{"utf8": " x"',
    ', "tOffsetMs": 300', ', "aAppend": 1', '{"utf8": "\\n"}', "}", "]", ",", "-1", "1e308",
    "null", '"', "9" * 30,
]  # fmt: skip
HOST = plugin_host()


def _check(data: bytes, options: dict[str, object]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_reader_input(HOST, READER, data, options)


@QUICK
@given(data=st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    _check(data, {})


@QUICK
@given(tokens=st.lists(st.sampled_from(TOKENS), max_size=40))
def test_token_soup(tokens: list[str]) -> None:
    _check("".join(tokens).encode("utf-8"), {})


def test_adversarial_input_takes_linear_work() -> None:
    assert nonlinear_shapes(HOST, READER) == []
