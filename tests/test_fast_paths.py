"""The shortcuts of bracket -> SRT/WebVTT give what their general paths give, on tricky cues.

Each shortcut (one test over all the texts instead of one per text, a state machine skipped,
stamps kept as strings) has a general path beside it: these tests feed both the same cues
(turn markers, tags, ``-->`` in the text, carriage returns, clock times, long lines) and
compare the outputs.
"""

from __future__ import annotations

import operator

import pytest
from hypothesis import given
from hypothesis import strategies as st

import captionbridge
from captionbridge.errors import ParseError
from captionbridge.flow.options import resolve_options
from captionbridge.flow.pipeline import produce, read_bytes
from captionbridge.helpers import pieces
from captionbridge.helpers.render import protect_markers, protected
from captionbridge.host.registry import PluginHost, make_host
from captionbridge.model import Content, Speaker, Transcript, Turn
from captionbridge.plugins import bracket
from captionbridge.plugins.transforms.timing import fix_overlaps
from captionbridge.plugins.vtt import writer as vtt_writer

# segment texts as whisper prints them: none names a speaker
TRICKY = [
    "- Hello there. - Hi.",
    ">> Who is it? >> Me.",
    "-Dashed without a space",
    "- - a doubled dash",
    "minus -5 degrees, GPT-4 and an interruption --",
    "ends with a dash -",
    '"Quoted." - Next speaker',
    "- ->arrow",
    "plain text with <i>tags</i> & <b>bold</b>",
    "an arrow --> in the text, 00:01:02.500 and 1:02:03,400",
    "braces {\\an8} and \\N a backslash {x} }{",
    "- <v Bob> a voice & <b>tag</b> --> - 0:10:00.00",
    "a long line " * 20,
    "3.14 and dots... everywhere.",
    "12345",
]


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return make_host(entry_points=False)


def _stamp(ms: int) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _bracket(texts: list[str]) -> str:
    return "".join(
        f"[{_stamp(i * 1500)} --> {_stamp(i * 1500 + 1400)}]   {text}\n"
        for i, text in enumerate(texts)
    )


def test_marked_texts_read_alike_whether_or_not_a_speaker_is_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    marker_calls = 0
    content = bracket._Markers.content

    def counted(self: bracket._Markers, text: str) -> Content:
        nonlocal marker_calls
        marker_calls += 1
        return content(self, text)

    monkeypatch.setattr(bracket._Markers, "content", counted)
    plain = captionbridge.loads(_bracket(TRICKY), format="bracket")
    assert marker_calls == 0  # no name anywhere: the texts are split without the state machine
    # "(speaker ?)" names nobody, but sends every marked text through the state machine
    named = captionbridge.loads(_bracket(["(speaker ?) unknown", *TRICKY]), format="bracket")
    assert marker_calls > len(TRICKY) // 2
    assert named.columns().contents[1:] == plain.columns().contents
    assert [i - 1 for i in named.turned_indexes()] == plain.turned_indexes()
    assert named.speakers == plain.speakers == {}
    assert len(plain.turned_indexes()) == 7  # the dashes and chevrons that mark turns


def _tricky_transcript() -> Transcript:
    """Plain cues and cues with turns, speakers, line breaks and carriage returns."""
    contents: list[Content] = [*TRICKY]
    contents += [
        (Turn("first line\r\nsecond - line", "a", True),),
        (Turn("- a dash that is text\n-and a line that starts with one", None, True),),
        (Turn("Who?", "a"), Turn(">> Me & <b>you</b>\r--> then", "b", True)),
        (Turn("said Al", "a"), Turn("and again Al", "a")),
        "a line\n\n- after a blank line\n>> and chevrons",
        (Turn("no speaker, a change", None, True), Turn("12:00:01.250 o'clock", "b")),
        (Turn("3.5 \\h {braces}", None, False),),
        "99",
    ]
    starts = [i * 1500 for i in range(len(contents))]
    speakers = {"a": Speaker("a", "Al & <Co>"), "b": Speaker("b", "Bo")}
    return Transcript.from_columns(starts, [s + 1400 for s in starts], contents, speakers=speakers)


def _one_cue_at_a_time(transcript: Transcript, fmt: str, host: PluginHost, style: str) -> str:
    """The file written in chunks of one cue, as streaming writes it: every list-wide test of
    the writer then sees a single text."""
    starts, ends, contents = transcript.columns()
    options = resolve_options(host, {"speaker_style": style})
    out = []
    previous: Content | None = None
    for i in range(len(contents)):
        cue = Transcript.from_columns(
            starts[i : i + 1], ends[i : i + 1], contents[i : i + 1], speakers=transcript.speakers
        )
        final = i == len(contents) - 1
        written = produce(cue, host.writer(fmt), host, options, "x", first_cue=i, final=final,
                          previous=previous)  # fmt: skip
        assert isinstance(written, str)
        out.append(written)
        if not isinstance(contents[i], str):
            previous = contents[i]
    return "".join(out)


@pytest.mark.parametrize("fmt", ["srt", "vtt"])
@pytest.mark.parametrize("style", ["auto", "dash", "label", "none"])
def test_a_whole_file_is_the_file_written_one_cue_at_a_time(
    fmt: str, style: str, host: PluginHost
) -> None:
    transcript = _tricky_transcript()
    options = resolve_options(host, {"speaker_style": style})
    whole = produce(transcript, host.writer(fmt), host, options, "x")
    assert whole == _one_cue_at_a_time(transcript, fmt, host, style)
    assert "-- >" in whole or "&gt;" in whole  # the escapes were needed, and made


@pytest.mark.parametrize("fmt", ["srt", "vtt"])
def test_stamps_kept_as_strings_write_what_integer_times_write(
    monkeypatch: pytest.MonkeyPatch, fmt: str, host: PluginHost
) -> None:
    monkeypatch.setattr(pieces, "PIECE", 4)  # several pieces, numbers running on across them
    read = captionbridge.loads(_bracket(TRICKY * 3), format="bracket")
    starts, ends, contents = read.columns()
    assert isinstance(starts, pieces.StampList)
    as_ints = Transcript.from_columns(list(starts), list(ends), contents)
    options = resolve_options(host, {})
    written = produce(read, host.writer(fmt), host, options, "x")
    assert written == produce(as_ints, host.writer(fmt), host, options, "x")
    assert isinstance(written, str)
    if fmt == "srt":
        assert "\n45\n00:01:06,000 --> 00:01:07,400\n12345\u2060\n" in written
        assert "3.14 and dots..." in written  # the comma went into the stamps only


_MARKUP = st.text(alphabet="-> <&\n\r\\:.0123a", max_size=14)


@given(st.lists(_MARKUP, max_size=8))
def test_list_wide_marker_protection_and_escapes_are_the_per_text_ones(texts: list[str]) -> None:
    assert protected(list(texts)) == [protect_markers(text) for text in texts]
    escape = vtt_writer.escape_text
    assert vtt_writer._escaped(list(texts)) == [escape(text) for text in texts]


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), min_size=1, max_size=8))
def test_fix_overlaps_leaves_alone_exactly_the_sorted_separate_lasting_cues(
    times: list[tuple[int, int]],
) -> None:
    starts = [start for start, _ in times]
    ends = [end for _, end in times]
    transcript = Transcript.from_columns(starts, ends, ["x"] * len(times))
    fine = (
        starts == sorted(starts)
        and all(map(operator.lt, starts, ends))
        and all(map(operator.le, ends[:-1], starts[1:]))
    )
    assert (fix_overlaps(transcript, {"overlaps": "fix"}) is transcript) == fine


@pytest.mark.parametrize(
    ("data", "options"),
    [
        ("\ufeff1\n00:00:00,000 --> 00:00:01,000\na\x00b\n".encode("utf-16-le"), {}),
        (b"1\n00:00:00,000 --> 00:00:01,000\na+AAA-b\n", {"encoding": "utf-7"}),
    ],
    ids=["utf-16", "utf-7"],
)
def test_nul_in_text_not_decoded_from_utf8_is_still_refused(
    data: bytes, options: dict[str, str], host: PluginHost
) -> None:
    with pytest.raises(ParseError, match="NUL characters") as caught:
        read_bytes(data, "in.srt", host, resolve_options(host, options), "srt")
    assert caught.value.line == 3
