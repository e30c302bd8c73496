"""The SubRip reader and writer: SRT as real tools write it, escaping as players show it.

The reader is compared with the ``srt`` library, the strictest of the good peers (pysrt,
pysubs2 and ffmpeg accept more and lose or invent cues on the shapes below); what the writer
escapes is checked through ffmpeg's SRT decoder (the one mpv and ffmpeg's burn-in use), whose
ASS output is read the way libass shows it.
"""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
from pathlib import Path

import hypothesis.strategies as st
import pysubs2
import pytest
import srt
from conftest import require_tool
from hypothesis import given

import captionbridge
from captionbridge.errors import ParseError
from captionbridge.flow.pipeline import render, resolve_options
from captionbridge.host.registry import make_host
from captionbridge.model import Note, Transcript

HOST = make_host(entry_points=False)

#: the shape of pysrt's tests/static/no-indexes.srt (text of our own): no cue numbers at all
NO_INDEXES = (
    "00:00:06,500 --> 00:00:09,000\nTwo months ago I found myself\nin the comments\n\n"
    "00:00:11,000 --> 00:00:17,000\nAnd I was commenting,\nunfortunately\n\n"
    "00:00:19,000 --> 00:00:24,000\nagainst what is essentially\nthe human race.\n"
)

#: shapes real tools write, each with what it must read as
WILD = {
    "no-indexes": (NO_INDEXES, [(6500, 9000), (11000, 17000), (19000, 24000)]),
    "no-milliseconds": ("1\n00:00:01 --> 00:00:10\nno fraction\n", [(1000, 10000)]),
    # 1-3 digits count milliseconds (the srt library and ffmpeg; pysubs2 reads ".5" as 500)
    "dot-and-short-fractions": (
        "1\n00:00:01.5 --> 00:00:02.25\na\n\n2\n00:00:03,007 --> 00:00:04.100\nb\n",
        [(1005, 2025), (3007, 4100)],
    ),
    "wrong-numbers": (
        "7\n00:00:01,000 --> 00:00:02,000\na\n\n7\n00:00:03,000 --> 00:00:04,000\nb\n\n"
        "1\n00:00:05,000 --> 00:00:06,000\nc\n",
        [(1000, 2000), (3000, 4000), (5000, 6000)],
    ),
    "extra-blank-lines": (
        "\n\n\n1\n00:00:01,000 --> 00:00:02,000\na\n\n\n\n\n2\n00:00:03,000 --> 00:00:04,000\nb\n\n\n",
        [(1000, 2000), (3000, 4000)],
    ),
    "no-blank-line-between": (
        "1\n00:00:01,000 --> 00:00:02,000\na\n2\n00:00:03,000 --> 00:00:04,000\nb\n",
        [(1000, 2000), (3000, 4000)],
    ),
    "position-after-times": (
        "1\n00:00:01,000 --> 00:00:02,000  X1:100 X2:200 Y1:10 Y2:20\nplaced\n",
        [(1000, 2000)],
    ),
}


def srt_lib(text: str) -> list[tuple[int, int, str]]:
    def ms(delta: datetime.timedelta) -> int:
        return delta // datetime.timedelta(milliseconds=1)

    return [(ms(s.start), ms(s.end), s.content.strip()) for s in srt.parse(text)]


def ours(text: str, **options: object) -> list[tuple[int, int, str]]:
    transcript = captionbridge.loads(text, format="srt", host=HOST, **options)
    return [(c.start, c.end, c.text) for c in transcript.cues]


@pytest.mark.parametrize("name", sorted(WILD))
def test_reads_what_real_tools_write_as_the_srt_library_does(name: str) -> None:
    text, times = WILD[name]
    got = ours(text)
    assert [(s, e) for s, e, _ in got] == times
    assert got == srt_lib(text)


@pytest.mark.parametrize("line_end", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr-only"])
def test_line_ends_and_bom(line_end: str) -> None:
    text = "\ufeff" + NO_INDEXES.replace("\n", line_end)
    assert ours(text) == srt_lib(NO_INDEXES)


def test_blank_line_inside_text_is_kept_with_its_cue() -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\nfirst line\n\nsecond line\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\nnext\n"
    )
    transcript = captionbridge.loads(text, format="srt", host=HOST)
    assert [c.text for c in transcript.cues] == ["first line\nsecond line", "next"]
    assert any("blank line" in n.message for n in transcript.notes)
    assert [s[2] for s in srt_lib(text)] == ["first line\n\nsecond line", "next"]


def test_markup_looking_text_is_text_and_player_tags_are_markup() -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\n<LAUGHING & WHOOPS!>\n\n"
        '2\n00:00:03,000 --> 00:00:04,000\n<i>it</i> <b>is</b> <font color="red">red</font>'
        " {\\an8}top <all> <3\n"
    )
    assert [c[2] for c in ours(text)] == ["<LAUGHING & WHOOPS!>", "it is red top <all> <3"]
    # pysubs2 loses the first cue whole: the reason this reader exists
    assert "LAUGHING" not in pysubs2.SSAFile.from_string(text).events[0].plaintext


def test_clock_times_in_text_stay_text() -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\nmeeting moved from 0:10:00.00 to 0:20:00.00 today\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\nnext\n\n"
        "3\n00:00:05,000 --> 00:00:06,000\n00:00:07,000 --> 00:00:08,000 is text here\n"
    )
    assert ours(text) == srt_lib(text)
    assert ours(text)[0][2] == "meeting moved from 0:10:00.00 to 0:20:00.00 today"


@pytest.mark.parametrize(
    ("hours", "column"), [("1000000000000", 1), ("9" * 5000, 1)], ids=["10^12", "5000-digits"]
)
def test_absurd_hours_are_a_located_error_or_a_counted_warning(hours: str, column: int) -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\nkept\n\n"
        f"2\n{hours}:00:01,000 --> 00:00:02,000\nbad\n\n"
        "3\n00:00:05,000 --> 00:00:06,000\nkept too\n"
    )
    with pytest.raises(ParseError) as caught:
        ours(text)
    assert (caught.value.line, caught.value.column) == (6, column)
    assert "hours out of range" in str(caught.value)
    transcript = captionbridge.loads(text, format="srt", host=HOST, lenient=True)
    assert [c.text for c in transcript.cues] == ["kept", "kept too"]
    (note,) = [n for n in transcript.notes if "skipped" in n.message]
    assert note.line == 6 and "skipped 1 " in note.message


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("1\n00:61:00,000 --> 00:62:00,000\nx\n", (2, 4), "minutes over 59"),
        ("1\n00:00:01,0000 --> 00:00:02,000\nx\n", (2, 10), "more than 3 digits"),
        ("1\n00:00:01,000 -> 00:00:0x\nx\n", (2, 1), "malformed timing line"),
        ("hello\n\n1\n00:00:01,000 --> 00:00:02,000\nx\n", (1, 1), "expected a cue number"),
        ("1\nnot a timing\nx\n", (2, 1), "expected a timing line after the cue number"),
    ],
)
def test_errors_name_line_and_column(text: str, where: tuple[int, int], message: str) -> None:
    with pytest.raises(ParseError) as caught:
        ours(text)
    assert (caught.value.line, caught.value.column) == where
    assert message in caught.value.message


def test_cli_error_is_one_line_and_nothing_is_written(tmp_path: Path) -> None:
    source = tmp_path / "bad.srt"
    source.write_text("1\n" + "9" * 5000 + ":00:01,000 --> 00:00:02,000\nx\n")
    out = tmp_path / "bad.vtt"
    command = [sys.executable, "-m", "captionbridge", "convert", str(source), "-o", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{source}:2:1: hours out of range")
    assert not out.exists()


def test_guesser_takes_an_srt_without_numbers() -> None:
    # the .srt extension, or the "," decimal mark only SubRip uses
    assert HOST.guess_reader(NO_INDEXES, "talk.srt").name == "srt"
    assert HOST.guess_reader(NO_INDEXES, "talk.txt").name == "srt"
    no_ms = "00:00:01 --> 00:00:02\nhi\n"
    assert HOST.guess_reader(no_ms, "talk.srt").name == "srt"
    with pytest.raises(captionbridge.FormatError):
        HOST.guess_reader(no_ms, "talk.log")


_PIECES = [*"ab 1:.,<>{}\\/-&\né", "i>", "<i", "-->", "{\\an8}", "<font color=red>"]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=12).map("".join)


@given(st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 10**6), _TEXT), max_size=8))
def test_reads_whatever_the_srt_library_composes(cues: list[tuple[int, int, str]]) -> None:
    subs = [
        srt.Subtitle(
            i + 1,
            datetime.timedelta(milliseconds=start),
            datetime.timedelta(milliseconds=start + length),
            text,
        )
        for i, (start, length, text) in enumerate(cues)
    ]
    composed = srt.compose(subs, reindex=False)
    tags = re.compile(r"</?[biusBIUS][ \t]*>|</?font(?:[ \t][^<>]*)?>|(?<!\\)\{\\[^{}]*\}")

    def shown(text: str) -> str:
        # what the srt library gives minus markup, as our reader gives it
        return tags.sub("", text).replace("\\{", "{").replace("\\}", "}")

    def bare(text: str) -> str:
        return re.sub(r"[-\s>]", "", text)  # turn dashes and line layout are ours to interpret

    expected = [(s, e, bare(shown(t))) for s, e, t in srt_lib(composed) if shown(t).strip()]
    got = [(s, e, bare(t)) for s, e, t in ours(composed, overlaps="keep")]
    assert got == expected


# -- the writer ----------------------------------------------------------------------------

#: texts that players misread when written raw, with ordinary text around the risky parts
SHOWN_AS_WRITTEN = [
    "after <all> these years? <LAUGHING & WHOOPS!>",
    "<i>not italic</i> <font color=red>not red</font> < i> a<b c>d 5 < 6 > 2 <été>",
    "{\\an8} top {\\i1}ital{\\i0} \\N newline \\h hard \\n soft",
    "it {isn't} so { lone } brace {Y:i} microdvd",
    "a \\{ b \\} c",
    "meeting moved from 0:10:00.00 to 0:20:00.00 today",
    "plain: 50% & AT&T, 'quotes' \"double\" \u00e9\u00e8 \u05e9\u05dc\u05d5\u05dd",
    "year\n2012",
]


def _ass_shown(text: str) -> str:
    """What libass shows of an ASS event text: ``{...}`` blocks hidden, its escapes applied."""
    text = re.sub(r"(?<!\\)\{[^}]*\}", "", text)
    text = text.replace("\\N", "\n").replace("\\n", " ").replace("\\h", "\xa0")
    return text.replace("\\{", "{").replace("\\}", "}").replace("\u2060", "")


def ffmpeg_shows(srt_text: str, tmp_path: Path) -> list[str]:
    """The texts ffmpeg's SRT decoder makes of a file, as libass shows them."""
    ffmpeg = require_tool("ffmpeg")
    path = tmp_path / "shown.srt"
    path.write_text(srt_text, encoding="utf-8")
    command = [ffmpeg, "-nostdin", "-v", "error", "-i", str(path), "-f", "ass", "-"]
    result = subprocess.run(command, capture_output=True, check=True, timeout=60)
    events = [
        line.split(",", 9)[9]
        for line in result.stdout.decode("utf-8").splitlines()
        if line.startswith("Dialogue:")
    ]
    return [_ass_shown(event) for event in events]


def _transcript(texts: list[str]) -> Transcript:
    starts = [i * 2000 for i in range(len(texts))]
    return Transcript.from_columns(starts, [s + 1500 for s in starts], texts)


def test_escapes_render_as_the_original_text_in_ffmpeg_and_read_back(tmp_path: Path) -> None:
    written = captionbridge.dumps(_transcript(SHOWN_AS_WRITTEN), "srt", host=HOST)
    assert ffmpeg_shows(written, tmp_path) == SHOWN_AS_WRITTEN
    assert [c[2] for c in ours(written)] == SHOWN_AS_WRITTEN
    assert "\uff5b" not in written and "\uff5d" not in written  # no fullwidth braces any more


def test_only_what_a_player_misreads_is_escaped(tmp_path: Path) -> None:
    plain = [
        "after < all these, 3 < 4 > 2, <été>, { no closing brace",
        "an \\ alone, C:\\path\\to, 10:00 or 1:02.5 and 12:30:45",
    ]
    written = captionbridge.dumps(_transcript(plain), "srt", host=HOST)
    assert [block.split("\n", 2)[2].strip() for block in written.split("\n\n")] == plain
    # and the escapes are needed: written raw, ffmpeg drops "<all>" and libass hides "{isn't}"
    raw = "1\n00:00:00,000 --> 00:00:01,000\nafter <all> these {isn't} so\n"
    assert ffmpeg_shows(raw, tmp_path) == ["after  these  so"]


def test_past_99_hours_is_written_with_more_hour_digits_and_a_warning() -> None:
    hour = 3_600_000
    times = [(hour, hour + 500), (100 * hour + 1500, 123 * hour)]
    transcript = Transcript.from_columns(*zip(*times, strict=True), ["a", "b"])
    notes: list[Note] = []
    options = resolve_options(HOST, {})
    text = render(transcript, HOST.writer("srt"), HOST, options, "x", notes)[""].decode()
    assert "2\n100:00:01,500 --> 123:00:00,000\nb\n" in text
    assert [(s, e) for s, e, _ in ours(text)] == times
    assert [(s, e) for s, e, _ in srt_lib(text)] == times
    # pysubs2 reads the 3-digit hours as 00 (1.5 s): why the writer warns
    assert pysubs2.SSAFile.from_string(text).events[1].start == 1500
    assert ["pysubs2 misreads" in n.message for n in notes] == [True]
