"""The bracket transcript reader: every variant of REFERENCE §1, markers, and errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import captionbridge
from captionbridge.errors import ParseError
from captionbridge.helpers.timecode import clock
from captionbridge.host.registry import PluginHost
from captionbridge.model import Note, Turn
from captionbridge.specs import ReadContext


def read(text: str, host: PluginHost, **options: object) -> captionbridge.Transcript:
    return captionbridge.loads(text, format="bracket", source="t.txt", host=host, **options)


def times(t: captionbridge.Transcript) -> list[tuple[int, int]]:
    return [(c.start, c.end) for c in t.cues]


@pytest.mark.parametrize(
    ("line", "start", "end", "text"),
    [
        ("[00:00:03.000 --> 00:00:06.000]   Today is the day.", 3000, 6000, "Today is the day."),
        ("[00:01.500 --> 00:03.250] no hours", 1500, 3250, "no hours"),
        ("[59:59.000 --> 01:00:02.000] mixed widths", 3_599_000, 3_602_000, "mixed widths"),
        ("[01:14.500 -> 01:15.500]  single dash", 74_500, 75_500, "single dash"),
        ("[0.00s -> 3.50s] seconds", 0, 3500, "seconds"),
        ("[12.5s -> 14s] seconds", 12_500, 14_000, "seconds"),
        ("[00:00:01,000 --> 00:00:02,500] comma", 1000, 2500, "comma"),
        ("[100:00:00.000 --> 100:00:01.000] long", 360_000_000, 360_001_000, "long"),
        ("[00:00:01.5 --> 00:00:02.25] short fraction", 1500, 2250, "short fraction"),
        ("  [ 00:00:01.000 --> 00:00:02.000 ]  spaced", 1000, 2000, "spaced"),
    ],
)
def test_variants(line: str, start: int, end: int, text: str, host: PluginHost) -> None:
    t = read(line + "\n", host)
    assert times(t) == [(start, end)]
    assert t.cues[0].text == text


def test_whisper_cpp_canonical_fast_path(host: PluginHost) -> None:
    text = "\n[00:00:00.000 --> 00:00:03.000]   Ilya, unbelievable.\n[00:00:03.000 --> 00:00:06.000]   Today.\n\n"
    t = read(text, host)
    assert times(t) == [(0, 3000), (3000, 6000)]
    assert [c.text for c in t.cues] == ["Ilya, unbelievable.", "Today."]


def test_hours_past_99_stay_on_the_fast_path(
    host: PluginHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    from captionbridge.plugins import bracket

    def line_reader(*_args: object) -> None:
        raise AssertionError("fell off the fast path onto the line reader")

    monkeypatch.setattr(bracket, "_read_lines", line_reader)
    text = (
        "[99:59:58.000 --> 99:59:59.500]   Late.\n"
        "[99:59:59.500 --> 100:00:01.250]   Later.\n"
        "[100:00:01.250 --> 100:00:03.000]   Latest.\n"
    )
    t = read(text, host)
    hour = 3_600_000
    assert times(t) == [
        (99 * hour + 3_598_000, 99 * hour + 3_599_500),
        (99 * hour + 3_599_500, 100 * hour + 1_250),
        (100 * hour + 1_250, 100 * hour + 3_000),
    ]
    assert [c.text for c in t.cues] == ["Late.", "Later.", "Latest."]


@pytest.mark.parametrize("late", [True, False], ids=["past-99-at-the-end", "past-99-between"])
def test_hours_past_99_in_a_later_piece_read_as_the_line_reader_does(
    host: PluginHost, monkeypatch: pytest.MonkeyPatch, late: bool
) -> None:
    # the integer columns start with the file when its last line is past 99 hours, else at
    # the piece that first is: the times are the same either way
    from captionbridge.plugins import bracket

    hour = 3_600_000
    ms = [i * 1000 for i in range(40)] + [100 * hour + i * 1000 for i in range(10)]
    if not late:
        ms += [98 * hour]
    lines = [
        f"[{clock(start)} --> {clock(start + 500)}]   line {i}\n\n" for i, start in enumerate(ms)
    ]
    text = "".join(lines)
    monkeypatch.setattr(bracket, "_PIECE", 200)
    expected = bracket._read_lines(text, "x.txt", {})
    monkeypatch.setattr(bracket, "_read_lines", None)  # the fast path only
    t = read(text, host)
    assert times(t) == times(expected) == [(start, start + 500) for start in ms]
    assert [c.text for c in t.cues] == [c.text for c in expected.cues]


def test_crlf_and_bom(host: PluginHost) -> None:
    data = "\ufeff[00:00:01.000 --> 00:00:02.000]  a\r\n[00:00:02.000 --> 00:00:03.000]  b\r\n"
    t = captionbridge.loads(data.encode("utf-8"), host=host)
    assert [c.text for c in t.cues] == ["a", "b"]


def test_ansi_colour_escapes_are_stripped(host: PluginHost) -> None:
    line = (
        "[00:00:00.000 --> 00:00:02.000]  \x1b[38;5;160m Hello\x1b[0m\x1b[38;5;82m world\x1b[0m\n"
    )
    assert read(line, host).cues[0].text == "Hello world"


def test_continuation_lines_join_previous_segment(host: PluginHost) -> None:
    t = read("[00:00:01.000 --> 00:00:02.000]  first part\nsecond part\n", host)
    assert [c.text for c in t.cues] == ["first part second part"]


def test_empty_segments_dropped_with_a_note_or_kept(host: PluginHost) -> None:
    text = "[00:00:01.000 --> 00:00:02.000]\n[00:00:02.000 --> 00:00:03.000]  words\n"
    dropped = read(text, host)
    assert [c.text for c in dropped.cues] == ["words"]
    assert any("dropped 1 empty" in n.message for n in dropped.notes)
    kept = read(text, host, keep_empty=True)
    assert [c.text for c in kept.cues] == ["", "words"]


def test_turn_dashes_become_turns(host: PluginHost) -> None:
    t = read(
        "[00:04:59.780 --> 00:05:01.400]   - Yes. - 2012.\n"
        "[00:16:29.100 --> 00:16:29.940]   That was the goal. - That it would learn\n"
        "[00:17:00.000 --> 00:17:01.000]   interrupted--\n",
        host,
    )
    assert t.cues[0].turns == (Turn("Yes.", None, True), Turn("2012.", None, True))
    assert t.cues[1].turns == (
        Turn("That was the goal.", None, False),
        Turn("That it would learn", None, True),
    )
    assert t.cues[2].turns == (Turn("interrupted--"),)


def test_chevrons_mark_turns(host: PluginHost) -> None:
    t = read("[00:00:01.000 --> 00:00:02.000]  >> Hello. >> Hi there.\n", host)
    assert [(x.text, x.change) for x in t.cues[0].turns] == [("Hello.", True), ("Hi there.", True)]


def test_whisper_cpp_diarize_speakers(host: PluginHost) -> None:
    t = read(
        "[00:00:00.000 --> 00:00:02.000]  (speaker 0) Hello there.\n"
        "[00:00:02.000 --> 00:00:04.000]  (speaker 1) Hi.\n"
        "[00:00:04.000 --> 00:00:05.000]  (speaker ?) Who?\n",
        host,
    )
    assert [c.turns[0].speaker for c in t.cues] == ["speaker 0", "speaker 1", None]
    assert [c.text for c in t.cues] == ["Hello there.", "Hi.", "Who?"]
    assert t.cues[1].turns[0].change
    assert set(t.speakers) == {"speaker 0", "speaker 1"}


def test_tinydiarize_speaker_turn_marks_next_segment(host: PluginHost) -> None:
    t = read(
        "[00:00:00.000 --> 00:00:02.000]   How are you? [SPEAKER_TURN]\n"
        "[00:00:02.000 --> 00:00:04.000]   Fine, thanks.\n"
        "[00:00:04.000 --> 00:00:05.000]   Good.\n",
        host,
    )
    assert [c.text for c in t.cues] == ["How are you?", "Fine, thanks.", "Good."]
    assert [c.turns[0].change for c in t.cues] == [False, True, False]


@pytest.mark.parametrize("prefix", ["[SPEAKER_00]: ", "SPEAKER_00: "])
def test_whisperx_prefixes(prefix: str, host: PluginHost) -> None:
    other = prefix.replace("00", "01")
    t = read(
        f"[00:00:00.000 --> 00:00:02.000]  {prefix}Hello.\n"
        f"[00:00:02.000 --> 00:00:04.000]  {other}Hi.\n",
        host,
    )
    assert [c.turns[0].speaker for c in t.cues] == ["SPEAKER_00", "SPEAKER_01"]
    assert [c.text for c in t.cues] == ["Hello.", "Hi."]


def test_seed_reads_all_segments(seed_path, host: PluginHost) -> None:  # type: ignore[no-untyped-def]
    t = captionbridge.load(seed_path, host=host)
    assert len(t) == 1106
    assert t.cues[0].text == "Ilya, unbelievable."
    assert t.cues[-1].end == 53 * 60_000 + 220
    assert "know—" in t.cues[70].text
    assert any("mojibake" in n.message and n.line == 72 for n in t.notes)
    assert not any(turn.text.startswith("- ") for c in t.cues for turn in c.turns)


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("[00:00:0x.000 --> 00:00:02.000] a\n", 1, 2, "malformed timestamp line"),
        ("[00:00:01.000 --> 00:00:02.000] a\n[00:00:02.000 -> oops] b\n", 2, 2, "malformed"),
        ("[00:00:05.000 --> 00:00:02.000] a\n", 1, 19, "before start"),
        ("[00:61:00.000 --> 00:62:00.000] a\n", 1, 2, "over 59"),
        ("hello\n[00:00:01.000 --> 00:00:02.000] a\n", 1, 1, "expected a '[start --> end]'"),
    ],
)
def test_errors_carry_line_and_column(
    text: str, line: int, column: int, message: str, host: PluginHost
) -> None:
    with pytest.raises(ParseError) as info:
        read(text, host)
    error = info.value
    assert (error.source, error.line, error.column) == ("t.txt", line, column)
    assert message in error.message
    assert str(error).startswith(f"t.txt:{line}:{column}: ")


def test_lenient_repairs_and_reports(host: PluginHost) -> None:
    t = read(
        "junk first\n[00:00:05.000 --> 00:00:02.000] swapped\n[00:00:0x.000 --> 1] skipped\n",
        host,
        lenient=True,
    )
    assert times(t) == [(2000, 5000)]
    messages = " ".join(n.message for n in t.notes)
    assert "swapped" in messages and "skipped" in messages


def test_guess_recognises_bracket_text(host: PluginHost) -> None:
    spec = host.guess_reader("\n\n[00:00.000 --> 00:01.000] hi\n", "x.log")
    assert spec.name == "bracket"


def test_turned_indexes_survive_replace_and_are_recomputed_for_new_columns() -> None:
    text = (
        "[00:00:01.000 --> 00:00:02.000]   - Hi.\n"
        "[00:00:02.000 --> 00:00:03.000]   plain\n"
        "[00:00:03.000 --> 00:00:04.000]   Yes. - No.\n"
    )
    transcript = captionbridge.loads(text, format="bracket")
    assert transcript.turned_indexes() == [0, 2]
    assert transcript.replace(language="en").turned_indexes() == [0, 2]
    columns = transcript.columns()
    swapped = transcript.with_columns(columns._replace(contents=["a", "b", "c"]))
    assert swapped.turned_indexes() == []


# --- console captures (``2>&1 | tee``): tests/data/console/README.md says where they come from

CONSOLE = Path(__file__).resolve().parent / "data" / "console"
JFK = (
    "And so my fellow Americans, ask not what your country can do for you,"
    " ask what you can do for your country."
)
JFK_WORDS = JFK.replace(",", " ,").replace(".", " .").split()


def words(t: captionbridge.Transcript) -> list[str]:
    return " ".join(c.text for c in t.cues).replace(",", " ,").replace(".", " .").split()


def skipped(t: captionbridge.Transcript) -> list[Note]:
    return [n for n in t.notes if n.message.startswith("skipped") and "console" in n.message]


@pytest.mark.parametrize(
    ("name", "cues", "skipped_lines", "first_line", "first_text"),
    [
        ("whispercpp-plain.txt", 1, 45, 1, "whisper_init_from_file_with_params_no_state: "),
        ("whispercpp-ml16.txt", 9, 44, 1, "whisper_init_from_file_with_params_no_state: "),
        ("whispercpp-ml1.txt", 2, 44, 1, "whisper_init_from_file_with_params_no_state: "),
        ("whispercpp-ml1-sow.txt", 2, 44, 1, "whisper_init_from_file_with_params_no_state: "),
        ("whispercpp-tdrz-progress.txt", 7, 48, 1, "whisper_init_from_file_"),
        ("whispercpp-colors-crlf.txt", 3, 45, 1, "whisper_init_from_file_with_params_no_state: "),
        ("whisper-stream-vad.txt", 2, 50, 1, "whisper_init_from_file_with_params_no_state: "),
        ("openai-whisper-verbose.txt", 3, 9, 2, "0%|"),
    ],
)
def test_console_captures_are_recognised_and_read(
    name: str, cues: int, skipped_lines: int, first_line: int, first_text: str, host: PluginHost
) -> None:
    path = CONSOLE / name
    assert host.guess_reader(path.read_text(encoding="utf-8"), name).name == "bracket"
    t = captionbridge.load(path, host=host)  # no format given
    assert len(t) == cues
    if name.startswith("whispercpp-tdrz"):
        assert words(t)[:7] == ["Okay", "Houston", ",", "we've", "had", "a", "problem"]
        assert words(t)[-3:] == ["at", "it", "."]
    elif name.startswith("whisper-stream"):
        assert [c.text for c in t.cues] == [
            "Hello, can you hear me?",
            "This is the second thing I said.",
        ]
    else:
        assert words(t) == JFK_WORDS
    (report,) = skipped(t)  # one note for all the skipped lines
    assert f"skipped {skipped_lines} console line(s)" in report.message
    assert (report.source, report.line) == (str(path), first_line)
    assert f"the first: '{first_text}" in report.message.replace('"', "'")
    assert not any(
        marker in c.text
        for c in t.cues
        for marker in ("whisper_", "progress", "%|", "###", "Detect", "Warning", "\x1b")
    )


def test_plain_whisper_cpp_run_keeps_its_segment_and_no_log(host: PluginHost) -> None:
    t = captionbridge.load(CONSOLE / "whispercpp-plain.txt", host=host)
    assert times(t) == [(0, 11_000)]
    assert t.cues[0].text == JFK


def test_max_len_16_reads_the_readme_segments(host: PluginHost) -> None:
    t = captionbridge.load(CONSOLE / "whispercpp-ml16.txt", host=host)
    assert times(t)[:3] == [(0, 850), (850, 1590), (1590, 4140)]
    assert [c.text for c in t.cues][:3] == ["And so my", "fellow", "Americans, ask"]
    assert t.cues[-1].text == "country." and times(t)[-1] == (10_020, 11_000)


def test_max_len_1_is_word_timing_every_word_kept(host: PluginHost) -> None:
    t = captionbridge.load(CONSOLE / "whispercpp-ml1.txt", host=host)
    words = [w for c in t.cues for w in c.words]
    assert [w.text for w in words] == JFK.split()
    assert [(w.start, w.end) for w in words[:2]] == [(320, 370), (370, 690)]
    # "," is a token of its own (2850-3300) that continues the word before it
    assert (words[4].text, words[4].start, words[4].end) == ("Americans,", 1590, 3300)
    assert (words[13].text, words[13].start, words[13].end) == ("you,", 7010, 8190)
    # grouped into segments of at most 84 characters, cut after a comma
    assert [c.text for c in t.cues] == [
        "And so my fellow Americans, ask not what your country can do for you,",
        "ask what you can do for your country.",
    ]
    assert times(t) == [(320, 8190), (8190, 11_000)]
    messages = [n.message for n in t.notes]
    assert any("read 26 word-level line(s)" in m and "into 2 segment(s)" in m for m in messages)
    assert any("joined 3 sub-word or punctuation token(s)" in m for m in messages)


def test_split_on_word_reads_like_max_len_1_with_its_punctuation_joined(host: PluginHost) -> None:
    words_only = captionbridge.load(CONSOLE / "whispercpp-ml1.txt", host=host)
    split_on_word = captionbridge.load(CONSOLE / "whispercpp-ml1-sow.txt", host=host)
    assert split_on_word.columns() == words_only.columns()
    assert not any("joined" in n.message for n in split_on_word.notes)


@pytest.mark.parametrize(
    "layout", ["[00:00:0{}.000 --> 00:00:0{}.000]  ", "[00:0{}.000 --> 00:0{}.000] "]
)
def test_only_contiguous_lone_punctuation_is_joined(layout: str, host: PluginHost) -> None:
    stamps = [(1, 2), (2, 3), (3, 4), (5, 6), (6, 7), (7, 8), (8, 9)]
    texts = ["Yes", "?!", "No", ".", "日本", "語", "..."]
    text = "".join(layout.format(*s) + t + "\n" for s, t in zip(stamps, texts, strict=True))
    t = read(text, host)
    assert [c.text for c in t.cues] == ["Yes?!", "No", ".", "日本", "語..."]
    assert times(t)[0] == (1000, 3000) and times(t)[2] == (5000, 6000)


@pytest.mark.parametrize("preset", [None, "netflix"])
def test_tiny_consecutive_segments_survive_conversion(preset: str | None, host: PluginHost) -> None:
    import srt

    t = captionbridge.load(CONSOLE / "whispercpp-ml1.txt", host=host)
    if preset is not None:
        t = captionbridge.transform(t, preset=preset, host=host)
    subtitles = list(srt.parse(captionbridge.dumps(t, "srt", host=host)))
    text = " ".join(s.content.replace("\n", " ") for s in subtitles)
    assert text.replace(",", " ,").replace(".", " .").split() == JFK_WORDS
    assert all(s.end > s.start for s in subtitles)


def test_tinydiarize_capture_with_progress_lines(host: PluginHost) -> None:
    t = captionbridge.load(CONSOLE / "whispercpp-tdrz-progress.txt", host=host)
    assert [c.turns[0].change for c in t.cues] == [False, True, True, False, True, True, True]
    assert t.cues[-1].text == "So okay stand, by thirteen we're looking at it."
    assert times(t)[2] == (6200, 8260)


def test_whisper_stream_blocks_count_from_their_t0(host: PluginHost) -> None:
    t = captionbridge.load(CONSOLE / "whisper-stream-vad.txt", host=host)
    assert times(t) == [(0, 3000), (2310 + 2500, 2310 + 6800)]
    messages = [n.message for n in t.notes]
    assert any("3 whisper-stream block(s)" in m for m in messages)
    assert any("dropped 2 segment(s) holding only" in m and "[BLANK_AUDIO]" in m for m in messages)


def test_openai_whisper_verbose_capture(host: PluginHost) -> None:
    t = captionbridge.load(CONSOLE / "openai-whisper-verbose.txt", host=host)
    assert times(t) == [(0, 3000), (3000, 8000), (8000, 11_000)]
    assert t.cues[1].text == "ask not what your country can do for you,"


def test_colours_and_crlf_read_like_the_plain_text(host: PluginHost) -> None:
    coloured = captionbridge.load(CONSOLE / "whispercpp-colors-crlf.txt", host=host)
    plain = captionbridge.load(CONSOLE / "openai-whisper-verbose.txt", host=host)
    assert times(coloured) == times(plain)
    assert [c.text for c in coloured.cues] == [c.text for c in plain.cues]


@pytest.mark.parametrize("lenient", [False, True])
def test_log_lines_after_segments_are_never_glued_to_the_text(
    lenient: bool, host: PluginHost
) -> None:
    t = read(
        "[00:00:01.000 --> 00:00:02.000]  last words\n"
        "whisper_print_progress_callback: progress = 100%\n"
        "\n"
        "whisper_print_timings:    total time =  1032.18 ms\n",
        host,
        lenient=lenient,
    )
    assert [c.text for c in t.cues] == ["last words"]
    (report,) = skipped(t)
    assert report.line == 2 and "skipped 2 console line(s)" in report.message


def test_a_continuation_that_is_speech_is_kept(host: PluginHost) -> None:
    t = read(
        "whisper_model_load: loading model\n"
        "[00:00:01.000 --> 00:00:02.000]  the rule is simple:\n"
        "  keep what is not a log line, note: this too\n"
        "[00:00:02.000 --> 00:00:03.000]  next\n"
        "/x/transcribe.py:132: UserWarning: FP16 is not supported on CPU; using FP32 instead\n"
        '  warnings.warn("FP16 is not supported on CPU; using FP32 instead")\n'
        "  but this indented line is speech again\n",
        host,
    )
    assert [c.text for c in t.cues] == [
        "the rule is simple: keep what is not a log line, note: this too",
        "next but this indented line is speech again",
    ]
    assert "skipped 3 console line(s)" in skipped(t)[0].message


TOKENS = [
    ("[_BEG_] Hello[_TT_50] world<|endoftext|>", "Hello world"),
    ("<|0.00|> Hi <|en|> there [_TT_1500]", "Hi there"),
    ("Before [BLANK_AUDIO] after", "Before after"),
    ("[_SOT_][_LANG_en][_TRANSCRIBE_] Go. [SPEAKER_TURN]", "Go."),
    # sound tags are SDH text: kept (the captionbridge-sdh plugin removes them on request)
    ("(music)", "(music)"),
    ("[Music] Hello. (laughs)", "[Music] Hello. (laughs)"),
    ("[APPLAUSE]", "[APPLAUSE]"),
    ("♪ la la la ♪", "♪ la la la ♪"),
    ("[ Silence ]", "[ Silence ]"),
]


@pytest.mark.parametrize(
    "stamp", ["00:00:0{}.000 --> 00:00:0{}.000", "00:0{}.000 --> 00:0{}.000"], ids=["fast", "lines"]
)
def test_special_tokens_are_dropped_sound_tags_kept(stamp: str, host: PluginHost) -> None:
    lines = [f"[{stamp.format(i, i + 1)}]   {raw}" for i, (raw, _) in enumerate(TOKENS)]
    lines.insert(2, f"[{stamp.format(8, 9)}]   [BLANK_AUDIO]")
    lines.insert(0, f"[{stamp.format(0, 0)}]   [_BEG_]")
    t = read("\n".join(lines) + "\n", host)
    assert [c.text for c in t.cues] == [text for _, text in TOKENS]
    assert t.cues[3].turns[0].change is False and len(t) == len(TOKENS)
    (note,) = [n for n in t.notes if "special tokens" in n.message]
    assert "dropped 2 segment(s)" in note.message and "'[_BEG_]'" in note.message


def test_errors_stay_located_past_console_lines(host: PluginHost) -> None:
    text = "whisper_model_load: loading model\n\n[00:00:0x.000 --> 00:00:02.000]   a\n"
    with pytest.raises(ParseError) as info:
        captionbridge.loads(text, source="t.txt", host=host)  # guessed, not named
    assert str(info.value).startswith("t.txt:3:2: malformed timestamp line")
    with pytest.raises(ParseError, match='only console output, such as "main: processing'):
        read("main: processing 'a.wav' (1 samples, 0.0 sec) ...\n", host)
    with pytest.raises(ParseError) as info:
        read("system_info: n_threads = 4\nhello\n[00:00:01.000 --> 00:00:02.000] a\n", host)
    assert (info.value.line, info.value.column) == (2, 1)


def test_cli_converts_a_capture_and_reports_once(tmp_path: Path) -> None:
    import pysubs2
    from click.testing import CliRunner

    from captionbridge.cli.app import cli

    source = tmp_path / "capture.txt"
    source.write_bytes((CONSOLE / "whispercpp-tdrz-progress.txt").read_bytes())
    result = CliRunner().invoke(cli, ["convert", str(source), "-o", str(tmp_path / "out.srt")])
    assert result.exit_code == 0, result.output
    assert result.output.count("console line(s)") == 1
    subs = pysubs2.load(str(tmp_path / "out.srt"))
    assert len(subs) == 7 and "Houston" in subs[0].plaintext


def test_a_huge_capture_streams_like_the_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import captionbridge.flow.streaming as streaming

    head, _, tail = (CONSOLE / "whispercpp-plain.txt").read_text().partition("[00:00:00.000")
    lines = []
    for i in range(3000):
        lines.append(
            f"[00:{i // 60 % 60:02d}:{i % 60:02d}.000 --> 00:{i // 60 % 60:02d}:{i % 60:02d}.900]   cue {i}"
        )
        if i % 250 == 0:
            lines.append(f"whisper_print_progress_callback: progress = {i // 30:3d}%")
    source = tmp_path / "in.txt"
    source.write_text(head + "\n".join(lines) + "\n" + tail.partition("\n")[2])
    monkeypatch.setenv(streaming.THRESHOLD_ENV, "1000")
    monkeypatch.setattr(streaming, "CHUNK_BYTES", 10_000)  # many chunks
    written = captionbridge.convert(source, to="srt", out_dir=tmp_path / "a")
    monkeypatch.setenv(streaming.THRESHOLD_ENV, str(10**12))
    expected = captionbridge.convert(source, to="srt", out_dir=tmp_path / "b")
    assert written[0].read_bytes() == expected[0].read_bytes()
    assert expected[0].read_text().count("cue ") == 3000


_PIECES = ["word", " ", ",", ".", "?!", "[_BEG_]", "[_TT_42]", "<|endoftext|>", "[BLANK_AUDIO]"]
_PIECES += ["(music)", "[SPEAKER_TURN]", "- ", ">> ", "é", "x_y: z"]
_LOGS = [
    "whisper_model_load: n_vocab = 51864",
    "main: processing 'a.wav' ...",
    "whisper_print_progress_callback: progress =  50%",
    " 50%|█████     | 1/2 [00:01<00:01,  1.00it/s]",
    "/w.py:1: UserWarning: FP16 is not supported on CPU; using FP32 instead\n"
    '  warnings.warn("FP16 is not supported on CPU; using FP32 instead")',
    "",
]


@given(
    head=st.lists(st.sampled_from(_LOGS), max_size=4),
    segments=st.lists(
        st.tuples(
            st.integers(0, 3),  # gap before, in 100 ms: 0 makes contiguous segments
            st.integers(0, 30),  # duration in 100 ms
            st.lists(st.sampled_from(_PIECES), max_size=4).map("".join),
        ),
        min_size=1,
        max_size=12,
    ),
    tail=st.lists(st.sampled_from(_LOGS), max_size=4),
    keep_empty=st.booleans(),
)
def test_fast_paths_agree_with_the_line_reader(
    head: list[str],
    segments: list[tuple[int, int, str]],
    tail: list[str],
    keep_empty: bool,
) -> None:
    from captionbridge.plugins import bracket

    def stamp(ms: int) -> str:
        return f"00:{ms // 60_000:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"

    lines, clock = list(head), 0
    for gap, duration, text in segments:
        start = clock + gap * 100
        clock = start + duration * 100
        lines.append(f"[{stamp(start)} --> {stamp(clock)}]   {text}".rstrip())
    source = "\n".join([*lines, *tail]) + "\n"
    options = {"keep_empty": keep_empty}
    try:
        lines_only = bracket._read_lines(source, "t.txt", options)  # type: ignore[arg-type]
    except ParseError as error:  # a file of empty segments only, say: both must refuse it
        with pytest.raises(ParseError, match=re.escape(error.message)):
            bracket.read_bracket(source, ReadContext("t.txt", options))  # type: ignore[arg-type]
        return
    whole = bracket.read_bracket(source, ReadContext("t.txt", options))  # type: ignore[arg-type]
    assert whole.columns() == lines_only.columns()
    assert [str(n) for n in whole.notes] == [str(n) for n in lines_only.notes]


@pytest.mark.parametrize(
    ("log", "language"),
    [
        ("Detected language: English", "en"),
        ("Detected language: Haitian Creole", "ht"),
        ("Detected language 'German' with probability 0.970000", "de"),  # whisper-ctranslate2
        ("whisper_full_with_state: auto-detected language: fr (p = 0.912345)", "fr"),
        ("main: processing 'a.wav' (16000 samples, 1.0 sec), 4 threads, lang = es, task = x", "es"),
        (
            "main: processing 'a.wav' (16000 samples, 1.0 sec), 4 threads, lang = auto, task = x",
            None,
        ),
        ("whisper_model_load: loading model", None),
    ],
)
def test_the_language_the_log_gives_is_the_transcript_language(
    log: str, language: str | None, host: PluginHost
) -> None:
    for segment in ("[00:00:00.000 --> 00:00:01.000]   Hi.", "[00:00.000 --> 00:01.000]  Hi."):
        t = read(f"{log}\n{segment}\n", host)
        assert t.language == language
        assert ("from the log" in skipped(t)[0].message) is (language is not None)
    given = read(f"{log}\n[00:00.000 --> 00:01.000]  Hi.\n", host, language="pt-BR")
    assert given.language == "pt-BR"  # --language wins


def test_a_5000_digit_hour_is_a_located_input_error() -> None:
    """Issue 19: int() of 5,000 digits raised inside the reader ('plugin failed')."""
    from captionbridge.errors import ParseError, PluginError

    text = f"[{'9' * 5000}:00:00.000 --> 00:00:01.000]  hi\n"
    with pytest.raises(ParseError, match="timestamp too long to be a time") as caught:
        captionbridge.loads(text, format="bracket", source="big.txt")
    assert not isinstance(caught.value, PluginError)
    assert (caught.value.line, caught.value.column) == (1, 2)
