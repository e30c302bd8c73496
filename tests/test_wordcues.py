"""Word-by-word captions (``--words N``, the ``shorts`` preset, ``--upper``): grouping on the
words' own times, checked directly, as a property, through the CLI and in an ffmpeg render."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pysubs2
import pytest
from click.testing import CliRunner
from conftest import require_tool
from hypothesis import given
from hypothesis import strategies as st

from captionbridge import api
from captionbridge.cli.app import cli
from captionbridge.helpers.timecode import clock
from captionbridge.host.registry import PluginHost
from captionbridge.model import Cue, Transcript, Turn, Word, words_agree
from captionbridge.reflow.wordcues import WordRules, word_cues


def _turn(text: str, start: int, step: int = 400, speaker: str | None = None) -> Turn:
    words = tuple(
        Word(token, start + i * step, start + i * step + step - 100)
        for i, token in enumerate(text.split())
    )
    return Turn(text, speaker, words=words)


def test_groups_of_n_on_the_words_times(host: PluginHost) -> None:
    source = Transcript(
        [
            Cue(0, 5000, (_turn("one two three four five. six seven", 1000),)),
            Cue(5000, 9000, (_turn("eight nine", 5000, speaker="B"),)),
        ]
    )
    result = api.transform(source, host=host, words=3)
    assert [c.text for c in result] == [
        "one two three",
        "four five.",  # a sentence end closes a group
        "six seven",  # the next cue has another speaker
        "eight nine",
    ]
    assert [(c.start, c.end) for c in result] == [
        (1000, 2100),
        (2200, 2900),
        (3000, 3700),
        (5000, 5700),
    ]
    assert result.cues[3].turns[0].speaker == "B"
    assert all(words_agree(turn) for cue in result for turn in cue.turns)
    assert [w.text for w in result.cues[0].words] == ["one", "two", "three"]


def test_pauses_and_width_close_a_group() -> None:
    words = (
        Word("a", 0, 100),
        Word("b", 200, 300),
        Word("c", 900, 1000),
        Word("dddddd", 1000, 1100),
    )
    source = Transcript([Cue(0, 1100, (Turn("a b c dddddd", words=words),))])
    cues = word_cues(source, WordRules(4, max_chars=6)).cues
    assert [c.text for c in cues] == ["a b", "c", "dddddd"]


def test_short_cues_extend_into_silence_only() -> None:
    words = (Word("a", 0, 100), Word("b", 300, 400), Word("c", 2000, 2100))
    source = Transcript([Cue(0, 2100, (Turn("a b c", words=words),))])
    cues = word_cues(source, WordRules(1, min_duration=800)).cues
    # a and b stop at the next word's start; c has silence after it
    assert [(c.start, c.end) for c in cues] == [(0, 300), (300, 1100), (2000, 2800)]


@st.composite
def _timed(draw: st.DrawFn) -> Transcript:
    cues, at = [], 0
    for _ in range(draw(st.integers(1, 6))):
        words = []
        start = at
        for i in range(draw(st.integers(1, 8))):
            at += draw(st.integers(0, 900))
            length = draw(st.integers(1, 700))
            text = draw(st.sampled_from(["so", "we", "go.", "next,", "Why?", "GPT-4"])) + str(i)
            words.append(Word(text, at, at + length))
            at += length
        speaker = draw(st.sampled_from([None, "A", "B"]))
        text = " ".join(w.text for w in words)
        cues.append(Cue(start, at, (Turn(text, speaker, words=tuple(words)),)))
    return Transcript(cues)


@given(_timed(), st.integers(1, 4), st.integers(0, 1500))
def test_every_word_in_order_on_word_boundaries(
    transcript: Transcript, n: int, minimum: int
) -> None:
    result = word_cues(transcript, WordRules(n, min_duration=minimum))
    before = [w for cue in transcript for w in cue.words]
    after = [w for cue in result for w in cue.words]
    assert after == before
    assert [c.text for c in result] and " ".join(c.text for c in result).split() == [
        w.text for w in before
    ]
    cues = list(result)
    for i, cue in enumerate(cues):
        assert 1 <= len(cue.words) <= n
        assert cue.start == cue.words[0].start
        spoken_end = max(w.end for w in cue.words)
        assert cue.end >= spoken_end
        if cue.end > spoken_end:  # extended: into silence, to the minimum at most
            assert cue.end - cue.start <= minimum
            if i + 1 < len(cues):
                assert cue.end <= cues[i + 1].start


def test_without_word_timings_times_are_estimated_with_a_note(host: PluginHost) -> None:
    text = "[00:00:01.000 --> 00:00:03.000]  aaaa bbbb cccc dddd\n[00:00:03.000 --> 00:00:03.400]  one\n"
    result = api.transform(api.loads(text, host=host), host=host, words=2)
    assert [(c.start, c.end, c.text) for c in result] == [
        (1000, 2000, "aaaa bbbb"),
        (2000, 3000, "cccc dddd"),
        (3000, 3400, "one"),
    ]
    # the one-word cue (whisper.cpp -ml 1) is exact: only the first was estimated
    assert any("1 cue(s) had no word timings" in n.message for n in result.notes)


def test_upper_cases_text_and_words(host: PluginHost) -> None:
    source = Transcript([Cue(0, 1000, (_turn("straße ok", 0),)), Cue(1000, 2000, (Turn("plain"),))])
    result = api.transform(source, host=host, upper=True)
    assert [c.text for c in result] == ["STRASSE OK", "PLAIN"]
    assert [w.text for w in result.cues[0].words] == ["STRASSE", "OK"]
    assert not any("dropped" in n.message for n in result.notes)


def test_cli_words_option_and_errors(tmp_path: Path) -> None:
    source = tmp_path / "talk.txt"
    lines = [f"[00:00:0{i}.000 --> 00:00:0{i}.500]   w{i}" for i in range(1, 8)]
    source.write_text("\n".join(lines) + "\n")
    runner = CliRunner()
    result = runner.invoke(cli, ["convert", str(source), "--words", "2", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert "w1 w2" not in result.output  # a pause of 0.5 s between the words closes a group
    result = runner.invoke(cli, ["convert", str(source), "--words", "0", "-o", "-"])
    assert result.exit_code == 2
    assert "Invalid value for '--words': must be from 1 to 20, not '0'" in result.output
    assert "Traceback" not in result.output


def _bright(ass: Path, seconds: float) -> set[tuple[int, int]]:
    """The bright pixels (every second one each way) of the frame ffmpeg/libass burns ``ass``
    into at ``seconds``, on a black 1080x1920 picture."""
    ffmpeg = require_tool("ffmpeg")
    command = [ffmpeg, "-v", "error", "-f", "lavfi", "-i", "color=black:s=1080x1920:r=25:d=20"]
    command += ["-vf", f"subtitles={ass.name}", "-ss", f"{seconds}", "-frames:v", "1"]
    command += ["-f", "rawvideo", "-pix_fmt", "gray", "-"]
    raw = subprocess.run(command, cwd=ass.parent, capture_output=True, check=True).stdout
    assert len(raw) == 1080 * 1920
    return {(x, y) for y in range(0, 1920, 2) for x in range(0, 1080, 2) if raw[y * 1080 + x] > 160}


def _same_drawing(a: set[tuple[int, int]], b: set[tuple[int, int]]) -> float:
    return len(a & b) / len(a | b)


def test_shorts_preset_burns_in_inside_the_safe_area(tmp_path: Path) -> None:
    source = tmp_path / "talk.txt"
    words = ["This", "is", "how", "we", "do", "captions", "for", "vertical", "video", "now"]
    lines = []
    for i, word in enumerate(words):  # whisper.cpp -ml 1: a word a line, 0.45 s each
        start = 10_000 + i * 500
        lines.append(f"[{clock(start)} --> {clock(start + 450)}]   {word}")
    source.write_text("\n".join(lines) + "\n")
    out = tmp_path / "talk.ass"
    result = CliRunner().invoke(
        cli, ["convert", str(source), "--preset", "shorts", "--upper", "--karaoke", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert r"{\kf45}THIS {\k5}{\kf45}IS" in out.read_text()
    subs = pysubs2.load(str(out))
    assert (subs.info["PlayResX"], subs.info["PlayResY"]) == ("1080", "1920")
    assert [e.plaintext for e in subs.events] == [
        "THIS IS HOW",
        "WE DO CAPTIONS",
        "FOR VERTICAL",  # "video" would make it wider than the preset's 14 characters
        "VIDEO NOW",
    ]
    style = subs.styles["Default"]
    assert style.bold and style.fontsize >= 96
    drawn = _bright(out, 12.9)  # "WE DO CAPTIONS", every word sung
    assert drawn, "no caption drawn"
    xs, ys = [x for x, _ in drawn], [y for _, y in drawn]
    x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
    assert x0 >= 54 and x1 <= 1026  # 5 % side margins
    assert y0 >= 1920 * 0.2 and y1 <= 1920 * 0.8  # clear of the platforms' bottom fifth
    assert x1 - x0 > 300 and y1 - y0 > 60  # large text
    assert abs((x0 + x1) / 2 - 540) < 40  # centred
    # the words expected at that time: the frame matches the drawing of that text alone
    similar = {}
    for text in ("WE DO CAPTIONS", "THIS IS HOW"):
        reference = tmp_path / "reference.ass"
        alone = Transcript([Cue(0, 2000, (Turn(text),))])
        reference.write_text(str(api.dumps(alone, "ass", ass_layout="vertical")))
        similar[text] = _same_drawing(drawn, _bright(reference, 1.0))
    assert similar["WE DO CAPTIONS"] > 0.95 and similar["THIS IS HOW"] < 0.5, similar


@pytest.mark.parametrize("value", ["3", 3])
def test_words_option_takes_text_and_numbers(host: PluginHost, value: object) -> None:
    source = Transcript([Cue(0, 3000, (_turn("a b c d", 0),))])
    assert len(api.transform(source, host=host, words=value)) == 2
