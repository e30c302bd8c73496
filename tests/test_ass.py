"""ASS/SSA writer and reader (plugins/ass/), checked with pysubs2, ffmpeg and libass."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pysubs2
import pytest
import srt
from conftest import require_tool
from hypothesis import given
from hypothesis import strategies as st
from textcases import FORMATS, HOSTILE, converted, cue_words, words

import captionbridge
from captionbridge import CaptionbridgeError, Cue, Speaker, Transcript, Turn
from captionbridge.flow.pipeline import OptionError
from captionbridge.plugins.ass import escape_text, unescape_text

__all__ = ["converted"]  # the session fixture, imported so pytest finds it

FFMPEG_TAG = re.compile(r"</?(?:font|b|i|u|s)\b[^>]*>")


def libass_text(raw: str) -> str:
    """What libass shows for an event's text: its get_next_char rules (``\\N``, ``\\n``, ``\\h``,
    ``\\{``, ``\\}``) and override blocks ``{...}`` removed; written here from libass's
    ass_render.c, independent of the plugin's reader."""
    out: list[str] = []
    i = 0
    while i < len(raw):
        if raw[i] == "{" and "}" in raw[i:]:
            i = raw.index("}", i) + 1
        elif raw[i] == "\\" and raw[i + 1 : i + 2] in ("N", "n", "h", "{", "}"):
            out.append({"N": "\n", "n": " ", "h": "\u00a0"}.get(raw[i + 1], raw[i + 1]))
            i += 2
        else:
            out.append(raw[i])
            i += 1
    return "".join(out)


def _two_speakers() -> Transcript:
    return Transcript(
        [
            Cue(0, 1500, (Turn("Hello {\\an8} there", "S1"),)),
            Cue(1500, 3000, (Turn("Yes.", "S1"), Turn("No, \\N never.", "S2", True))),
            Cue(3000, 4000, (Turn("Third", "S3"),)),
            Cue(4000, 5000, (Turn("line one\nline two"),)),
            Cue(5000, 6000, (Turn("unnamed turn", None, True),)),
        ],
        speakers={
            "S1": Speaker("S1", "Ada, Countess"),
            "S2": Speaker("S2", "Bob", "#ff8000"),
            "S3": Speaker("S3"),
        },
    )


# -- escaping --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["{\\an8}top?", "literal \\N and \\n and \\h", "braces {x} } {", "back\\", "\\{", "a\\\nb"],
)
def test_escaped_text_shows_literally_in_libass(text: str) -> None:
    shown = libass_text(escape_text(text)).replace("\u2060", "")
    assert shown == text


@given(st.text(alphabet=st.sampled_from("\\{}Nnhab \n-é🎉"), max_size=30))
def test_escape_then_unescape_gives_the_text_back(text: str) -> None:
    lines = unescape_text(escape_text(text))
    assert "\n".join(line for _, line in lines) == text
    assert all(style is None for style, _ in lines)


def test_escaped_text_has_no_override_block_for_pysubs2() -> None:
    raw = escape_text("{\\an8}{\\b1}x")
    assert not re.search(r"(?<!\\)\{", raw)
    assert "{\\" not in raw  # ffmpeg's own ASS parser starts a tag block at "{\"


# -- the writer ------------------------------------------------------------------------------


def test_styles_and_names() -> None:
    subs = pysubs2.SSAFile.from_string(str(captionbridge.dumps(_two_speakers(), "ass")))
    assert (subs.info["PlayResX"], subs.info["PlayResY"]) == ("1920", "1080")
    default = subs.styles["Default"]
    assert default.alignment == pysubs2.Alignment.BOTTOM_CENTER
    assert 64 <= default.fontsize <= 72 and default.outline > 0 and default.shadow > 0
    assert set(subs.styles) == {"Default", "Ada Countess", "Bob", "S3"}
    assert subs.styles["Ada Countess"].primarycolor == pysubs2.Color(255, 255, 255)
    assert subs.styles["Bob"].primarycolor == pysubs2.Color(255, 128, 0)  # Speaker.color
    assert subs.styles["S3"].primarycolor == pysubs2.Color(0, 255, 255)  # BBC third: cyan
    names = [e.name for e in subs.events]
    assert names == ["Ada Countess", "Ada Countess", "S3", "", ""]
    styles = [e.style for e in subs.events]
    assert styles == ["Ada Countess", "Ada Countess", "S3", "Default", "Default"]
    dual = subs.events[1].text
    assert dual.startswith("- Yes.\\N{\\rBob}- No, ")
    assert subs.events[3].text == "line one\\Nline two"
    assert subs.events[4].text == "- unnamed turn"


def test_options_font_and_size() -> None:
    out = captionbridge.dumps(_two_speakers(), "ass", ass_font="DejaVu Sans", ass_font_size="54")
    subs = pysubs2.SSAFile.from_string(str(out))
    assert {s.fontname for s in subs.styles.values()} == {"DejaVu Sans"}
    assert {s.fontsize for s in subs.styles.values()} == {54}
    with pytest.raises(OptionError, match="font size"):
        captionbridge.dumps(_two_speakers(), "ass", ass_font_size="-3")


def test_style_file(tmp_path: Path) -> None:
    source = pysubs2.SSAFile()
    source.info.update({"PlayResX": "1280", "PlayResY": "720"})
    source.styles["Default"] = pysubs2.SSAStyle(fontname="Gentium", fontsize=40, marginv=33)
    style_file = tmp_path / "house.ass"
    source.save(str(style_file))
    out = captionbridge.dumps(_two_speakers(), "ass", ass_style_file=str(style_file))
    subs = pysubs2.SSAFile.from_string(str(out))
    assert (subs.info["PlayResX"], subs.info["PlayResY"]) == ("1280", "720")
    assert subs.styles["Default"].fontname == "Gentium"
    assert subs.styles["Bob"].marginv == 33 and subs.styles["Bob"].fontsize == 40

    del source.styles["Default"]
    source.styles["Main"] = pysubs2.SSAStyle()
    source.save(str(style_file))
    with pytest.raises(CaptionbridgeError, match="no 'Default' style"):
        captionbridge.dumps(_two_speakers(), "ass", ass_style_file=str(style_file))
    with pytest.raises(CaptionbridgeError, match="cannot read the ASS style file"):
        captionbridge.dumps(_two_speakers(), "ass", ass_style_file=str(tmp_path / "none.ass"))


def test_speaker_style_label_puts_names_in_the_text() -> None:
    subs = pysubs2.SSAFile.from_string(
        str(captionbridge.dumps(_two_speakers(), "ass", speaker_style="label"))
    )
    assert subs.events[0].text.startswith("Ada, Countess: Hello")
    assert subs.events[0].name == "Ada Countess"


def test_times_past_ten_hours_are_refused() -> None:
    late = Transcript([Cue(36_000_000, 36_001_000, (Turn("late"),))])
    with pytest.raises(CaptionbridgeError, match=r"9:59:59\.99"):
        captionbridge.dumps(late, "ass")


def test_ssa_is_v4() -> None:
    out = str(captionbridge.dumps(_two_speakers(), "ssa"))
    assert "ScriptType: v4.00\n" in out and "[V4 Styles]" in out
    subs = pysubs2.SSAFile.from_string(out)
    assert subs.format == "ssa" and [e.name for e in subs.events][:2] == ["Ada Countess"] * 2


# -- the reader ------------------------------------------------------------------------------


def test_reader_round_trip_keeps_speakers_turns_and_text() -> None:
    original = _two_speakers()
    for fmt in ("ass", "ssa"):
        back = captionbridge.loads(captionbridge.dumps(original, fmt), format=fmt)
        assert [c.start for c in back.cues] == [c.start for c in original.cues]
        assert [c.text for c in back.cues] == [c.text for c in original.cues]
        assert [[t.speaker for t in c.turns] for c in back.cues] == [
            ["Ada Countess"],
            ["Ada Countess", "Bob"],
            ["S3"],
            [None],
            [None],
        ]
        assert back.speakers["Bob"].color == "#ff8000"
        assert back.cues[4].turns[0].change


def test_reader_on_a_hand_written_file() -> None:
    text = (
        "[Script Info]\nScriptType: v4.00+\n\n[V4+ Styles]\n"
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour,"
        " BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle,"
        " BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n"
        "Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,"
        "0,0,1,2,2,2,10,10,10,1\n\n[Events]\n"
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
        "Comment: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,a note\n"
        "Dialogue: 0,0:00:01.00,0:00:02.50,Default,Kim,0,0,0,,{\\i1}Hi{\\i0} there\\Nfriend\n"
        "Dialogue: 0,0:00:02.50,0:00:04.00,Default,,0,0,0,,- One.\\N- Two.\n"
    )
    t = captionbridge.loads(text)
    assert [(c.start, c.end) for c in t.cues] == [(1000, 2500), (2500, 4000)]
    assert t.cues[0].turns == (Turn("Hi there\nfriend", "Kim"),)
    assert t.cues[1].turns == (Turn("One.", None, True), Turn("Two.", None, True))
    assert t.speakers["Kim"].name == "Kim"


def test_reader_rejects_garbage() -> None:
    with pytest.raises(CaptionbridgeError):
        captionbridge.loads("[Script Info]\n[Events]\nFormat: Nonsense\nDialogue: x", format="ass")


def test_vtt_voices_survive_ass_and_back() -> None:
    vtt = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ada Lovelace>Hello, Bob.</v>\n\n"
        "00:00:02.000 --> 00:00:04.000\n<v Bob>Hi & welcome.</v>\n\n"
        "00:00:04.000 --> 00:00:05.000\n<v Ada Lovelace>Yes.</v>\n<v Bob>No.</v>\n"
    )
    ass = str(captionbridge.dumps(captionbridge.loads(vtt, format="vtt"), "ass"))
    subs = pysubs2.SSAFile.from_string(ass)
    assert [e.name for e in subs.events] == ["Ada Lovelace", "Bob", "Ada Lovelace"]
    back = str(captionbridge.dumps(captionbridge.loads(ass), "vtt"))
    assert "<v Ada Lovelace>Hello, Bob.</v>" in back
    assert "<v Bob>Hi &amp; welcome.</v>" in back
    # the two-voice cue comes back with the dual-speaker dashes browsers need to see the change
    assert "<v Ada Lovelace>- Yes.</v>\n<v Bob>- No.</v>" in back


# -- acceptance: the seed and the hostile transcript, read by independent readers ------------


def _check_against(transcript: Transcript, starts: list[int], ends: list[int], texts: list[str]):
    assert len(texts) == len(transcript)
    for cue, start, end, text in zip(transcript.cues, starts, ends, texts, strict=True):
        assert abs(start - cue.start) <= 10 and abs(end - cue.end) <= 10
        assert words(text) == words(cue.text), (cue, text)


@pytest.mark.parametrize("name", ["seed", "hostile"])
@pytest.mark.parametrize("fmt", ["ass", "ssa"])
def test_pysubs2_reads_what_the_cli_wrote(converted: dict[str, Any], name: str, fmt: str) -> None:
    transcript, paths = converted[name]
    subs = pysubs2.load(str(paths[fmt]))
    assert subs.format == fmt
    events = [e for e in subs.events if not e.is_comment]
    texts = [libass_text(e.text) for e in events]
    _check_against(transcript, [e.start for e in events], [e.end for e in events], texts)
    named = [c.turns[0].speaker for c in transcript.cues]
    assert [e.name or None for e in events] == named
    if name == "hostile":
        shown = texts[1].replace("\u2060", "")  # WORD JOINER: invisible
        assert "{\\an8} and \\N literal" in shown and "🎉👍🏽" in texts[2]
        assert "שלום עולם مرحبا" in texts[2] and "\x07" not in texts[5]


@pytest.mark.parametrize("name", ["seed", "hostile"])
@pytest.mark.parametrize("fmt", ["ass", "ssa"])
def test_ffmpeg_reads_what_the_cli_wrote(converted: dict[str, Any], name: str, fmt: str) -> None:
    ffmpeg = require_tool("ffmpeg")
    transcript, paths = converted[name]
    run = subprocess.run(
        [ffmpeg, "-v", "error", "-i", str(paths[fmt]), "-f", "srt", "-"],
        capture_output=True,
        check=True,
    )
    assert run.stderr == b""
    cues = list(srt.parse(run.stdout.decode("utf-8")))
    _check_against(
        transcript,
        [round(c.start.total_seconds() * 1000) for c in cues],
        [round(c.end.total_seconds() * 1000) for c in cues],
        [FFMPEG_TAG.sub("", c.content) for c in cues],
    )


def _ffmpeg_has_libass(ffmpeg: str) -> bool:
    filters = subprocess.run([ffmpeg, "-hide_banner", "-filters"], capture_output=True, text=True)
    return re.search(r"^\s*\S+\s+subtitles\s", filters.stdout, re.M) is not None


@pytest.mark.parametrize("fmt", ["ass", "ssa"])
def test_libass_renders_the_hostile_file(converted: dict[str, Any], fmt: str) -> None:
    ffmpeg = require_tool("ffmpeg")
    if not _ffmpeg_has_libass(ffmpeg):
        if os.environ.get("CI"):
            pytest.fail("ffmpeg has no libass 'subtitles' filter")
        pytest.skip("ffmpeg has no libass 'subtitles' filter")
    _, paths = converted["hostile"]
    path = str(paths[fmt]).replace("\\", "/").replace(":", "\\:").replace("'", "\\'")
    run = subprocess.run(
        [
            *(ffmpeg, "-v", "error", "-f", "lavfi", "-i", "color=black:s=1920x1080:d=1"),
            *("-vf", f"subtitles='{path}'", "-frames:v", "1", "-f", "null", "-"),
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0 and run.stderr == "", run.stderr


def test_python_api_matches_the_cli(converted: dict[str, Any]) -> None:
    transcript, paths = converted["hostile"]
    for fmt in ("ass", "ssa"):
        assert captionbridge.dumps(transcript, fmt) == paths[fmt].read_text(encoding="utf-8")
    expected = ["Arrow", "inside", "an8", "and", "N", "literal"]
    assert cue_words(captionbridge.loads(HOSTILE))[1] == expected


def test_formats_command_lists_the_text_formats() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "captionbridge", "formats"], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    listed = {
        (line.split()[1], line.split()[2])
        for line in run.stdout.splitlines()
        if line.startswith("write ")
    }
    for fmt in FORMATS:
        assert (fmt, f".{fmt}") in listed
    assert re.search(r"^read\s+ass\s+\.ass", run.stdout, re.M)


def test_core_knows_no_text_format_by_name() -> None:
    core = Path(captionbridge.__file__).parent
    for module in core.glob("*.py"):
        source = module.read_text(encoding="utf-8")
        for fmt in FORMATS:
            assert f'"{fmt}"' not in source, (module.name, fmt)


def _forty_cues() -> str:
    starts = [i * 1000 for i in range(40)]
    transcript = Transcript.from_columns(
        starts, [s + 900 for s in starts], [f"cue {i}" for i in range(40)]
    )
    text = captionbridge.dumps(transcript, "ass")
    assert isinstance(text, str)
    return text


def test_cr_only_line_ends_read_every_cue(tmp_path: Path) -> None:
    # issue 19: a 40-cue ASS file with CR-only line ends gave a 0-byte output
    source = tmp_path / "cr.ass"
    source.write_bytes(_forty_cues().replace("\n", "\r").encode())
    out = tmp_path / "cr.srt"
    command = [sys.executable, "-m", "captionbridge", "convert", str(source), "-o", str(out)]
    subprocess.run(command, check=True, capture_output=True)
    assert len(list(srt.parse(out.read_text()))) == 40


def test_pysubs2_warnings_become_located_notes(tmp_path: Path) -> None:
    text = _forty_cues()
    lines = text.split("\n")
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("Dialogue: 0,"))
    lines[number - 1] = lines[number - 1].replace("Dialogue: 0,", "Dialogue: x,", 1)
    broken = "\n".join(lines)
    transcript = captionbridge.loads(broken, format="ass")  # filterwarnings=error: none escapes
    assert len(transcript.cues) == 40
    (note,) = transcript.notes
    assert (note.line, note.message) == (number, "Failed to parse layer, using default (pysubs2)")
    # through the CLI: a warning line with file:line, no raw RuntimeWarning
    source = tmp_path / "layer.ass"
    source.write_text(broken)
    command = [sys.executable, "-m", "captionbridge", "convert", str(source), "-o", "-"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "RuntimeWarning" not in result.stderr
    assert f"{source}:{number}: warning: Failed to parse layer" in result.stderr
