"""The WebVTT reader against the specification: every web-platform-tests file-parsing case, the
W3C reference parser on every conformance file, and what the reader says about what it skips."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from vttref import WEBVTT, conformance_files, cue_order, node, our_raw_cues, reference_parse

import captionbridge
from captionbridge.errors import ParseError
from captionbridge.host.registry import PluginHost
from captionbridge.model import Turn, turns_of
from captionbridge.plugins.vtt.blocks import (
    parse_document,
    parse_timestamp,
    parse_timings,
    timings_by_steps,
)
from captionbridge.plugins.vtt.cuetext import turns_of_cue

# assertions on cues.length and on each cue's id, text, startTime and endTime in the WPT scripts
WPT_ASSERTIONS = 132


def _wpt_cases(cues_of: dict[Path, list[dict[str, object]]]) -> list[dict[str, object]]:
    return [{"script": str(vtt.with_suffix(".js")), "cues": cues} for vtt, cues in cues_of.items()]


def _as_dom(text: str) -> list[dict[str, object]]:
    return [
        {"id": c.id, "startTime": c.start / 1000, "endTime": c.end / 1000, "text": c.text}
        for c in our_raw_cues(text)
    ]


def _wpt_files() -> list[Path]:
    files = [f for f in conformance_files() if f.with_suffix(".js").exists()]
    assert len(files) == 39  # 36 file-parsing cases and 3 read from web-platform-tests directly
    return files


def test_every_wpt_file_parsing_case_passes() -> None:
    files = _wpt_files()
    answers = node({"mode": "check", "cases": _wpt_cases({f: _as_dom(_read(f)) for f in files})})
    failures = [(Path(a["script"]).name, r) for a in answers for r in a["results"] if not r["ok"]]
    assert failures == []
    assert [a["error"] for a in answers if a["error"]] == []
    assert sum(len(a["results"]) for a in answers) == WPT_ASSERTIONS


def test_the_wpt_runner_sees_a_wrong_cue() -> None:
    """The runner is not vacuous: one time off, one text changed, one cue too many all fail."""
    case = WEBVTT / "files" / "test" / "wpt-file-parsing" / "timings-too-short.vtt"
    good = _as_dom(_read(case))
    shifted = [{**good[0], "startTime": 0.001}, good[1]]
    retexted = [good[0], {**good[1], "text": "text1 "}]
    cases = _wpt_cases({case: shifted}) + _wpt_cases({case: retexted})
    cases += _wpt_cases({case: [*good, good[0]]})
    answers = node({"mode": "check", "cases": cases})
    bad = [[r["prop"] for r in a["results"] if not r["ok"]] for a in answers]
    assert bad == [["startTime"], ["text"], ["length"]]


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def test_blocks_agree_with_the_reference_parser_on_every_file() -> None:
    files = conformance_files()
    texts = [_read(f) for f in files]
    for path, text, theirs in zip(files, texts, reference_parse(texts), strict=True):
        ours = [(c.id, c.start, c.end, c.text) for c in our_raw_cues(text)]
        want = [
            (c["id"], round(c["startTime"] * 1000), round(c["endTime"] * 1000), c["text"])
            for c in theirs
        ]
        assert ours == want, path.name


def _letters(text: str) -> str:
    """The word characters of a text: what turn splitting (dashes, lines) leaves alone."""
    return re.sub(r"\W", "", text)


def test_transcripts_keep_what_the_reference_parser_shows(host: PluginHost) -> None:
    """Through the whole reader (bytes, decoding, cue text): times, letters and voices of every
    non-empty cue are the reference parser's."""
    files = conformance_files()
    texts = [_read(f) for f in files]
    for path, theirs in zip(files, reference_parse(texts), strict=True):
        shown = [c for c in theirs if "".join(p["text"] for p in c["pieces"]).strip()]
        transcript = captionbridge.load(path, host=host)
        cues = transcript.cues
        times = [(round(c["startTime"] * 1000), round(c["endTime"] * 1000)) for c in shown]
        # a cue that ends before it starts is shown the other way round (with a note)
        assert [(c.start, c.end) for c in cues] == [(min(t), max(t)) for t in times], path.name
        swapped = any(s > e for s, e in times)
        assert swapped == any("swapped start and end" in n.message for n in transcript.notes)
        for cue, want in zip(cues, shown, strict=True):
            want_text = "".join(p["text"] for p in want["pieces"])
            assert _letters(cue.text) == _letters(want_text), path.name
            voices = {p["voice"] or None for p in want["pieces"] if p["text"].strip()}
            assert {t.speaker for t in cue.turns} == voices, path.name


@pytest.mark.parametrize(
    ("stamp", "ms"),
    [
        ("00:00.000", 0),
        ("59:59.999", 3_599_999),
        ("60:00.000", None),  # two digits over 59 make hours: the minutes must follow
        ("1:00:00.000", 3_600_000),
        ("123:00:00.001", 442_800_001),
        ("00:00:00.00", None),
        ("00:00:0.000", None),
        ("00:00:00.0000", None),
        ("00:60:00.000", None),
        ("00:00:60.000", None),
        ("-00:00:03.000", None),
        ("\u0661\u0662:00.000", None),  # Arabic-Indic digits are not ASCII digits
        ("9999:59:59.999", 35_999_999_999),
        ("10000:00:00.000", None),  # beyond MAX_HOURS
        ("1000000000000:00:00.000", None),
        ("0" * 5000 + "1:00:00.000", 3_600_000),  # leading zeros of any length
        ("9" * 5000 + ":00:00.000", None),  # no int() of 5,000 digits
    ],
)
def test_timestamps_as_the_spec_collects_them(stamp: str, ms: int | None) -> None:
    got = parse_timestamp(stamp, 0)
    assert (got[0] if isinstance(got, tuple) else None) == ms


def test_bad_timings_are_skipped_with_a_counted_warning(host: PluginHost) -> None:
    text = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nkept\n\n"
        "-00:00:03.000 --> 00:00:04.000\nnegative\n\n"
        "1000000000000:00:00.000 --> 1000000000000:00:01.000\nhuge\n\n"
        "00:99:00.000 --> 00:99:01.000\nminutes\n\n"
        "stray text\nwithout timings\n\nNOTE a comment says nothing\n\n"
        "00:00:05.000 --> 00:00:06.000\nkept too\n"
    )
    transcript = captionbridge.loads(text, host=host)
    assert [c.text for c in transcript.cues] == ["kept", "kept too"]
    notes = [(n.line, n.message) for n in transcript.notes]
    assert notes == [
        (
            6,
            "skipped 3 cue(s) with an invalid timing line (first: line 6: start time: a"
            " timestamp must start with a digit)",
        ),
        (15, "skipped 1 block(s) of text that are not cues (first: line 15: no timing line)"),
    ]


def test_nul_becomes_replacement_character_for_webvtt_only(
    tmp_path: Path, host: PluginHost
) -> None:
    vtt = tmp_path / "nul.vtt"
    vtt.write_bytes(b"WEBVTT\r\n\r00:00:00.000 --> 00:00:01.000\ra\x00b\n")
    transcript = captionbridge.load(vtt, host=host)
    assert transcript.cues[0].text == "a\ufffdb"
    assert [(n.line, n.message) for n in transcript.notes] == [
        (4, "replaced 1 NUL character(s) with U+FFFD")
    ]
    srt = tmp_path / "nul.srt"
    srt.write_bytes(b"1\n00:00:00,000 --> 00:00:01,000\na\x00b\n")
    with pytest.raises(ParseError, match="NUL characters") as caught:
        captionbridge.load(srt, host=host)
    assert caught.value.line == 3
    zeros = tmp_path / "zeros.bin"
    zeros.write_bytes(b"\x00" * 1000)
    with pytest.raises(ParseError, match="NUL characters: a binary file"):
        captionbridge.load(zeros, host=host)


def test_signature_rules(host: PluginHost) -> None:
    for good in ("WEBVTT", "WEBVTT title", "WEBVTT\ttab", "\ufeffWEBVTT\n"):
        assert parse_document(good) is not None, good
    for bad in ("WEBVTTX", "webvtt", " WEBVTT", "WEBVT", ""):
        assert parse_document(bad) is None, bad
    with pytest.raises(ParseError, match="not a WebVTT file") as caught:
        captionbridge.loads("WEBVTTX\n\n00:00.000 --> 00:01.000\nx\n", format="vtt", host=host)
    assert caught.value.line == 1


def test_line_terminators_and_blocks() -> None:
    text = "WEBVTT\r\nKind: captions\r\n\r\nSTYLE\r::cue { color: red }\r\rREGION\nid:r\n\n"
    text += "a\r\n00:00.000 --> 00:01.000 align:start\r\n one\rtwo\r\n\r\nSTYLE\nlate\n"
    doc = parse_document(text)
    assert doc is not None
    assert doc.header == ["Kind: captions"]
    assert doc.styles == ["::cue { color: red }"]
    assert doc.regions == ["id:r"]
    assert [(c.id, c.settings, c.text) for c in cue_order(doc.cues)] == [
        ("a", "align:start", " one\ntwo")
    ]
    assert [s.line for s in doc.stray] == [15]  # a style block after a cue is no style block


def test_cue_text_voices_spans_and_escapes(host: PluginHost) -> None:
    cues = [
        "<v Ann>Hi <i>there</i></v> <v.loud Bob>Yo &amp; <b>go</b></v>",
        "<v Ann>outer <v Bob>inner</v> back</v>",
        "<c.x>plain</c> <ruby>漢<rt>kan</rt></ruby> <00:00:01.500>later &lt;3 &gt;",
        "<v a&lt;/v&gt;b c>escaped name</v>",
        "- Dash one.\n- Dash two.",
        "<v \tAnn\t\tLee >a</v><v Bo  Li>b</v>",
    ]
    text = "WEBVTT\n\n" + "".join(
        f"00:00:0{i}.000 --> 00:00:0{i}.500\n{cue}\n\n" for i, cue in enumerate(cues)
    )
    transcript = captionbridge.loads(text, host=host)
    # the timestamp tag of the third cue gives its words times (tests/test_vtt_words.py)
    assert [w.text for w in transcript.cues[2].words] == ["plain", "漢kan", "later", "<3", ">"]
    assert [tuple(replace(t, words=()) for t in c.turns) for c in transcript.cues] == [
        (Turn("Hi there", "Ann"), Turn("Yo & go", "Bob", True)),
        (Turn("outer", "Ann", True), Turn("inner", "Bob", True), Turn("back", "Ann", True)),
        (Turn("plain 漢kan later <3 >"),),
        (Turn("escaped name", "a</v>b c", True),),
        (Turn("Dash one.", None, True), Turn("Dash two.", None, True)),
        # the spec strips an annotation and makes runs of tabs and line ends one space
        (Turn("a", "Ann Lee", True), Turn("b", "Bo  Li", True)),
    ]
    assert transcript.speakers["a</v>b c"].label == "a</v>b c"


def test_language_header_round_trips(host: PluginHost) -> None:
    transcript = captionbridge.loads("[00:00:00.000 --> 00:00:01.000] Hola.\n", host=host)
    text = captionbridge.dumps(transcript.replace(language="es"), "vtt", host=host)
    assert captionbridge.loads(text, host=host).language == "es"


_DIGITS = st.sampled_from(
    ["0", "00", "1", "07", "59", "60", "99", "123", "0000", "12345", "\u0661"]
)
_STAMPS = st.one_of(
    st.lists(st.one_of(_DIGITS, st.sampled_from([":", ".", "000", "00"])), max_size=7).map("".join),
    st.sampled_from(
        [
            "00:00.000",
            "00:00:01.500",
            "1:00:00.000",
            "9999:59:59.999",
            "10000:00:00.000",
            "60:00.000",
            "00:60.000",
            "00:00.00",
            "0:00.000",
            "00001:00:00.000",
            "59:59.9999",
        ]
    ),
)
_GAPS = st.sampled_from(["", " ", "\t", "\f", "\v", "  \t", "\u00a0"])
_TIMING_LINES = st.tuples(
    _GAPS,
    _STAMPS,
    _GAPS,
    st.sampled_from(["-->", "--", "->", "-- >"]),
    _GAPS,
    _STAMPS,
    st.sampled_from(["", " ", " align:start", "x", "\u00a0x", "\tline:0 size:5%"]),
).map("".join)


@given(st.one_of(_TIMING_LINES, st.text(alphabet="0123456789:.- >\t", max_size=40)))
def test_fast_timings_path_is_the_spec_steps(line: str) -> None:
    assert parse_timings(line) == timings_by_steps(line)


@pytest.mark.parametrize(
    "line",
    [
        "00:01.000 --> 00:02.000",
        "\t01:00:00.000-->9999:59:59.999 line:0 align:end",
        "00:01.000 --> 00:02.000 ",
        "00:00:00.000 --> 00:00:01.000\u00a0x",
    ],
)
def test_fast_timings_path_on_common_lines(line: str) -> None:
    assert parse_timings(line) == timings_by_steps(line)
    assert not isinstance(parse_timings(line), str)


_TEXT_NODE = re.compile(r'^\| *"(.*?)"$', re.M | re.S)
_TITLE = re.compile(r'^\| *title="(.*?)"$', re.M)


def _cue_parsing_cases() -> list[tuple[str, str]]:
    """``(raw cue text as our parser reads it from the .vtt, expected tree)`` for each case."""
    folder = WEBVTT / "files" / "test" / "wpt-cue-parsing"
    cases = []
    for expected in sorted(folder.glob("*.json")):
        trees = [c["expectedTree"] for c in json.loads(expected.read_text("utf-8"))]
        doc = parse_document(_read(expected.with_suffix(".vtt")))
        assert doc is not None
        assert len(doc.cues) == len(trees), expected.name
        cases += [(cue.text, tree) for cue, tree in zip(doc.cues, trees, strict=True)]
    assert len(cases) == 77, f"the WPT cue-parsing cases are missing from {folder}"
    return cases


def test_wpt_cue_parsing_trees_give_our_text_and_voices() -> None:
    """The cue-parsing cases' expected DOM trees: their text nodes are our turns' text, their
    voice titles our speakers (the model keeps no classes, ruby structure or timestamps)."""
    for raw, tree in _cue_parsing_cases():
        content, _ = turns_of_cue(raw, {}, None)
        turns = turns_of(content)
        want = "".join(_TEXT_NODE.findall(tree))
        assert _letters("".join(t.text for t in turns)) == _letters(want), (raw, tree)
        voices = {title for title in _TITLE.findall(tree) if title}
        assert {t.speaker for t in turns if t.speaker is not None} == voices, (raw, tree)
