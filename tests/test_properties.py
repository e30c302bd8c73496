"""Hypothesis properties: write-then-read round trips and a reader that never crashes.

Profiles: ``ci`` (default, quick) and ``deep`` (by hand): ``HYPOTHESIS_PROFILE=deep pytest``.
"""

from __future__ import annotations

import contextlib

from hypothesis import given
from hypothesis import strategies as st

import captionbridge
from captionbridge.errors import CaptionbridgeError
from captionbridge.host.registry import make_host
from captionbridge.model import Cue, Speaker, Transcript, Turn

HOST = make_host(entry_points=False)

# words made of visible characters; subtitle formats normalise whitespace, not words
word = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp", "Cf", "Co", "Cn")),
    min_size=1,
    max_size=12,
)


def transcripts_of(words: st.SearchStrategy[str]) -> st.SearchStrategy[Transcript]:
    line = st.lists(words, min_size=1, max_size=8).map(" ".join)
    turn_text = st.lists(line, min_size=1, max_size=2).map("\n".join)
    return _transcripts(turn_text)


def transcripts() -> st.SearchStrategy[Transcript]:
    return transcripts_of(word)


@st.composite
def _transcripts(draw: st.DrawFn, turn_text: st.SearchStrategy[str]) -> Transcript:
    count = draw(st.integers(min_value=0, max_value=12))
    time = draw(st.integers(min_value=0, max_value=10**8))
    cues = []
    for _ in range(count):
        time += draw(st.integers(min_value=0, max_value=5000))
        duration = draw(st.integers(min_value=1, max_value=10_000))
        turns = draw(
            st.lists(
                st.builds(Turn, turn_text, st.sampled_from([None, "a", "b"]), st.booleans()),
                min_size=1,
                max_size=2,
            )
        )
        cues.append(Cue(time, time + duration, tuple(turns)))
        time += duration
    return Transcript(cues, speakers={"a": Speaker("a", "Ann"), "b": Speaker("b", "Bo Li")})


def words_of(transcript: Transcript) -> list[list[str]]:
    return [c.text.split() for c in transcript.cues]


@given(transcripts())
def test_json_round_trip(transcript: Transcript) -> None:
    text = captionbridge.dumps(transcript, "json", host=HOST)
    back = captionbridge.loads(text, host=HOST, fix_text=False)
    assert back == transcript


@given(transcripts())
def test_vtt_round_trip_keeps_times_words_and_speakers(transcript: Transcript) -> None:
    text = captionbridge.dumps(transcript, "vtt", host=HOST)
    if not len(transcript):
        assert text == "WEBVTT\n"
        return
    back = captionbridge.loads(text, format="vtt", host=HOST, fix_text=False)
    assert [(c.start, c.end) for c in back.cues] == [(c.start, c.end) for c in transcript.cues]
    assert words_of(back) == words_of(transcript)
    for ours, theirs in zip(transcript.cues, back.cues, strict=True):
        named = [transcript.speaker_label(t.speaker) for t in ours.turns if t.speaker]
        assert [t.speaker for t in theirs.turns if t.speaker] == named


# SRT has no escaping: markup characters (<tags>, {overrides}, a leading dash) mean something
# to its readers, so this property uses words without them
srt_word = st.text(
    alphabet=st.characters(
        whitelist_categories=("L", "N", "Po", "So"), blacklist_characters="-<>{}\\:"
    ),
    min_size=1,
    max_size=12,
)


@given(st.data())
def test_srt_round_trip_keeps_times_and_words(data: st.DataObject) -> None:
    transcript = data.draw(transcripts_of(srt_word))
    text = captionbridge.dumps(transcript, "srt", host=HOST, speaker_style="none")
    if not len(transcript):
        assert text == ""
        return
    back = captionbridge.loads(text, format="srt", host=HOST, fix_text=False)
    assert [(c.start, c.end) for c in back.cues] == [(c.start, c.end) for c in transcript.cues]
    assert words_of(back) == words_of(transcript)


@given(st.text(max_size=400))
def test_bracket_reader_raises_only_its_own_errors(text: str) -> None:
    with contextlib.suppress(CaptionbridgeError):
        captionbridge.loads(text, format="bracket", host=HOST)


@given(
    st.lists(
        st.sampled_from(
            [
                "[00:00:01.000 --> 00:00:02.000]",
                "[1:02.5 -> 1:03]",
                "[0.5s -> 1s]",
                " - ",
                ">>",
                "\n",
                "[SPEAKER_TURN]",
                "(speaker 1)",
                "SPEAKER_00: ",
                "[",
                "]",
                "-->",
                "x",
                "\r",
                "\x1b[0m",
                "99",
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_bracket_reader_on_near_miss_lines(text: str) -> None:
    try:
        transcript = captionbridge.loads(text, format="bracket", host=HOST)
    except CaptionbridgeError:
        return
    for cue in transcript.cues:
        assert 0 <= cue.start <= cue.end
        assert all(not t.text.startswith(("- ", ">>")) for t in cue.turns)
    # the reader hands over which cues have turns; it must be exactly what a scan finds
    contents = transcript.columns().contents
    assert transcript.turned_indexes() == [
        i for i, content in enumerate(contents) if not isinstance(content, str)
    ]


_STAMP = st.builds(
    "{:02d}:{:02d}:{:02d}.{:03d}".format,
    st.integers(0, 99),
    st.integers(0, 64),  # minutes and seconds over 59 now and then: neither path takes them
    st.integers(0, 64),
    st.integers(0, 999),
)
_CANONICAL_LINE = st.builds(
    "[{} --> {}]{}{}{}".format,
    _STAMP,
    _STAMP,
    st.sampled_from(["", " ", "   ", "\t", " \u00a0"]),
    st.text(st.characters(blacklist_characters="\n\r"), max_size=12),
    st.sampled_from(["", " ", " \t", "\u3000"]),
)


@given(
    st.lists(st.one_of(_CANONICAL_LINE, st.sampled_from(["", "  ", "x", "[0:01 -> 0:02] y"]))),
    st.sampled_from(["", "\n", "\n\n"]),
)
def test_bracket_fast_layout_check_agrees_with_the_regex(lines: list[str], end: str) -> None:
    from captionbridge.plugins import bracket

    text = "\n".join(lines) + end
    fast = bracket._canonical_columns(text)
    slow = bracket._canonical_rows(text)
    piece = bracket._PIECE
    bracket._PIECE = 7  # matched in many small pieces: the same columns
    try:
        assert bracket._canonical_rows(text) == slow
    finally:
        bracket._PIECE = piece
    if fast is not None:  # the fast check may refuse more, never accept more or differ
        assert fast == slow
    if slow is not None and "" not in lines[:-1] and "  " not in lines:
        assert fast == slow  # without blank lines inside, canonical text takes the fast path


def test_bracket_fast_layout_check_takes_the_seed() -> None:
    from pathlib import Path

    from captionbridge.plugins import bracket

    text = (Path(__file__).parent.parent / "seeds" / "fireside-chat.txt").read_text()
    fast = bracket._canonical_columns(text)
    assert fast is not None and len(fast[0]) == 1106
    assert fast == bracket._canonical_rows(text)
