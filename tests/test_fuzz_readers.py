"""Every reader, any bytes: a Transcript or a clean CaptionbridgeError, in linear work.

Hypothesis feeds random bytes and soups of each format's own tokens; the files under
``tests/corpus/<reader>/`` (inputs that once broke a reader, found by the fuzzers) are replayed;
adversarial inputs built to make regular expressions backtrack must scale linearly (in
function calls counted; benchmarks/bench_adversarial.py times them).
Profiles: ``HYPOTHESIS_PROFILE=deep`` for a long run by hand. The atheris harness in ``fuzz/``
keeps the same promise (:func:`captionbridge.testing.fuzzcheck.check_reader_input`).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from captionbridge.errors import CaptionbridgeError
from captionbridge.flow.pipeline import render, resolve_options
from captionbridge.hookspecs import hookimpl
from captionbridge.host.registry import make_host
from captionbridge.model import Transcript, Turn
from captionbridge.specs import ReadContext, ReaderSpec
from captionbridge.testing.fuzzcheck import check_reader_input, nonlinear_shapes

HOST = make_host(entry_points=False)
#: the built-in readers the promise is tested for; a new one must be added here (see the test
#: below). Plugin packages fuzz their own readers with the same kit (captionbridge.testing).
READERS = (
    "bracket", "srt", "vtt", "json", "ass", "ssa", "avid", "ttml", "scc", "stl", "sbv", "lrc",
    "csv", "tsv", "whisper-json", "openai-json", "whispercpp-json", "whisperx-json",
)  # fmt: skip
CORPUS = Path(__file__).parent / "corpus"
OPTION_SETS = ({}, {"lenient": True}, {"keep_empty": True})

TOKENS: dict[str, list[str]] = {
    "bracket": ["[", "]", "00:00:01.000", "1:2", "5.5s", " --> ", "->", "→", "(speaker 1)",
                "[SPEAKER_TURN]", "SPEAKER_00:", "- ", ">>", "\x1b[31m", "\n", "\r", " ", "text",
                # console captures: logs, blocks, progress, warnings, special tokens
                "whisper_model_load: x\n", "### Transcription 1 START | t0 = 5 ms | t1 = 9 ms\n",
                "### Transcription 1 END\n", " 50%|", "/a.py:1: UserWarning: w\n", "  src\n",
                "[_BEG_]", "[_TT_7]", "<|endoftext|>", "[BLANK_AUDIO]", ",", "."],
    "srt": ["1", "\n", "00:00:01,000", " --> ", "-->", "00:00:02,500", "<i>", "</i>", "{\\an8}",
            "- ", "text", "\r\n", " ", "99999999:00:00,000"],
    "vtt": ["WEBVTT", "\n", "00:01.000", "00:00:02.000", " --> ", "<v Al>", "</v>", "<c.x>",
            "NOTE", "STYLE", "::cue", "&amp;", "&", "<", " align:start", "text", "-->",
            "\r", "\x00", "REGION", "<v ", "<v.", "<ruby>", "<rt>", "</ruby>", "<00:00:01.500>",
            "-00:00:03.000", "00:99:00.000", "1000000000000:00:00.000", "0:10:00.00", "&lt;",
            "\ufeff", "\t", "\f"],
    "json": ['{"format": "captionbridge", "version": 1, "cues": [', '{"start": 0, "end": 1, ',
             '"turns": [{"text": "x", "speaker": null}]}', "]}", ",", '"speakers": {"a": {}}',
             "null", "1e999", "-1", '"', "[", "{", "}"],
    "ass": ["[Script Info]\n", "[V4+ Styles]\n", "[Events]\n", "Format: Layer, Start, End, Style, "
            "Name, Text\n", "Dialogue: 0,0:00:01.00,0:00:02.00,Default,Al,", "Style: Default,",
            "{\\an8}", "\\N", "\n", ",", "9:99:99.99", "text", "{\\k20}", "{\\kf999999999}",
            "\\K", "{", "}", " "],
    "avid": ["@ This file written with the Avid Caption plugin, version 1\n", "<begin subtitles>\n",
             "<end subtitles>\n", "00:00:01:00 00:00:02:00\n", "00:00:01;29", "@", "text\n", "\n"],
}  # fmt: skip
TOKENS["ttml"] = [
    '<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttp="http://www.w3.org/ns/ttml#parameter">',
    "</tt>", "<body>", "</body>", '<div begin="1s">', "</div>", '<p begin="', '" end="', '" dur="',
    '">', "</p>", "<br/>", '<span ttm:agent="a">', "</span>", "00:00:01:12", "00:00:01.5", "30f",
    "5t", "0.1m", ' ttp:frameRate="0"', ' ttp:frameRateMultiplier="1000 0"', "<!DOCTYPE tt [",
    '<!ENTITY a "x">', "]>", "&a;", "&amp;", "<![CDATA[x]]>", "text",
]  # fmt: skip
TOKENS["ssa"] = [t.replace("V4+", "V4") for t in TOKENS["ass"]]
TOKENS["scc"] = [
    "Scenarist_SCC V1.0\n", "\n", "00:00:01;00\t", "00:00:02:29\t", "99:59:59;29\t", "9420 ",
    "9420 ", "942f ", "942c ", "94ad ", "9425 ", "9429 ", "94d0 ", "9470 ", "c8e5 ", "9137 ",
    "92b9 ", "1334 ", "97a1 ", "9c20 ", "8080 ", "ffff ", "0000 ", "94zz", " ",
]  # fmt: skip
TOKENS["sbv"] = [
    "0:00:00.599,0:00:04.160\n", "99999999:00:00.000,0:00:01.000\n", "0:61:00.000,0:00:01.5\n",
    ">> ", ">> ALICE: ", "text", "\n", "\r\n", "\n\n", ",", ".", " ",
]  # fmt: skip
TOKENS["lrc"] = [
    "[00:12.00]", "[999999:59.999]", "[01:2]", "[ar:x]\n", "[offset:+500]\n", "[offset:-99999]\n",
    "[la:en]\n", "<00:12.50>", "text", "\n", "[", "]", ":", "\u2060", "- ",
]  # fmt: skip
TOKENS["csv"] = [
    "cue,start,end,start_ms,end_ms,speaker,text\n", "text,start,end\n", "1,", "00:00:01.000,",
    "1000,", "-5,", "9" * 30 + ",", '"', '""', "Ada,", "hello", "\r\n", "\n", ",", "\ufeff",
]  # fmt: skip
TOKENS["tsv"] = [t.replace(",", "\t") for t in TOKENS["csv"]]
TOKENS["whisper-json"] = [
    '{"segments": [', '{"start": 0.0, "end": 1.5, "text": "x"', ', "speaker": "A"',
    ', "words": [{"word": " x", "start": 0, "end": 1, "probability": 0.5}', '{"word": "y"}',
    "}", "]", ",", "1e308", "NaN", "-0.5", '"language": "en"', "null", '"', "9" * 30,
]  # fmt: skip
TOKENS["openai-json"] = [
    '{"task": "transcribe", "duration": 1.0, ', '"words": [', '{"word": "x", "start": 0.5, ',
    '"end": 0.2}', '"segments": [', '{"start": 0.0, "end": 1.5, "text": "x."}', '"text": "X,"',
    "}", "]", ",", "1e308", "NaN", "-0.5", "null", '"', '"speaker": 3',
]  # fmt: skip
TOKENS["whispercpp-json"] = [
    '{"transcription": [', '{"offsets": {"from": 0, "to": 1000}', ', "text": " x"',
    ', "tokens": [', '{"text": "[_BEG_]", "offsets": {"from": 0, "to": 0}}', '{"text": " y", ',
    '"offsets": {"from": 500, "to": 100}', ', "p": 0.9}', '{"text": "z"}', ', "speaker": "?"',
    ', "speaker_turn_next": true', "}", "]", ",", "-1", "2e9", '"result": {"language": "en"}',
]  # fmt: skip
TOKENS["whisperx-json"] = [
    '{"segments": [', '{"start": 0.0, "end": 1.5, "text": "x"', ', "speaker": "SPEAKER_00"',
    ', "words": [', '{"word": "x", "start": 0.1, "end": 0.2, "score": 0.5', ', "speaker": "S1"',
    '{"word": "250."}', "}", "]", ",", "1e308", "NaN", "-0.5", '"word_segments": []', "null",
]  # fmt: skip
TOKENS["stl"] = [
    "850STL25.01100" + " " * 1010, "850STL30.01", "1", "0", "00", "09", " " * 32, "00001", "\x00\x01\x00\xff\x00",
    "\x00\x00\x00\x00", "\x01\x02\x03\x04", "\x16\x02\x00", "\x8a", "\x8f", "\x0d\x0b\x0b",
    "\xc2e", "\xc8", "text", "\x80", "\xfe",
]  # fmt: skip


def _check(reader: str, data: bytes, options: dict[str, object]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pysubs2 warns about fields it cannot parse
        result = check_reader_input(HOST, reader, data, options)
    if isinstance(result, Transcript):
        # what a reader returns must be writable too
        resolved = resolve_options(HOST, {})
        for writer in ("srt", "vtt"):
            try:
                render(result, HOST.writer(writer), HOST, resolved, "fuzz")
            except CaptionbridgeError as exc:
                assert "PluginError" not in type(exc).__name__, exc


class _IllTypedReader:
    """A reader that lets a JSON object through as a speaker id, as one once did."""

    @hookimpl
    def captionbridge_register_readers(self, register: Callable[[ReaderSpec], None]) -> None:
        def read(text: str, context: ReadContext) -> Transcript:
            turn = Turn(text, {"id": 1}, True)  # type: ignore[arg-type]
            return Transcript.from_columns([0], [1000], [(turn,)], source=context.source)

        register(ReaderSpec("ill-typed", read))


def test_the_check_catches_ill_typed_fields() -> None:
    host = make_host(entry_points=False, plugins={"ill-typed": _IllTypedReader()})
    with pytest.raises(AssertionError, match=re.escape("cue 1: a turn's speaker is {'id': 1}")):
        check_reader_input(host, "ill-typed", b"hi")


def test_every_reader_is_fuzzed() -> None:
    assert set(READERS) == set(HOST.readers), "add the new reader to READERS and TOKENS"
    assert all((Path(__file__).parents[1] / "fuzz" / "seeds" / r).is_dir() for r in READERS)


@pytest.mark.parametrize("reader", READERS)
@given(data=st.binary(max_size=400), option=st.sampled_from(OPTION_SETS))
def test_random_bytes(reader: str, data: bytes, option: dict[str, object]) -> None:
    _check(reader, data, option)


@pytest.mark.parametrize("reader", READERS)
@given(data=st.data(), option=st.sampled_from(OPTION_SETS))
def test_token_soup(reader: str, data: st.DataObject, option: dict[str, object]) -> None:
    tokens = data.draw(st.lists(st.sampled_from(TOKENS[reader]), max_size=40))
    _check(reader, "".join(tokens).encode("utf-8"), option)


def _corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.glob("*/*") if p.is_file())


@pytest.mark.parametrize("path", _corpus_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus_replays(path: Path) -> None:
    for option in OPTION_SETS:
        _check(path.parent.name, path.read_bytes(), option)


def test_corpus_is_not_empty() -> None:
    assert _corpus_files(), "tests/corpus/<reader>/ holds the inputs the fuzzers found"


# -- linear time on adversarial input ---------------------------------------------------------


@pytest.mark.parametrize("reader", READERS)
def test_adversarial_input_takes_linear_work(reader: str) -> None:
    """Ten times the input may make at most twelve times the function calls (counted, not
    timed; benchmarks/bench_adversarial.py times the same inputs, which also shows
    backtracking inside a regular expression)."""
    slow = nonlinear_shapes(HOST, reader)
    assert not slow, f"{reader} is not linear on " + "; ".join(slow)
