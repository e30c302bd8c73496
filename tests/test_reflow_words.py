"""Reflow on real word times: cuts at real pauses, cues timed by their words, words carried."""

from __future__ import annotations

import math
import sys
from fractions import Fraction
from pathlib import Path

import pysubs2
import pytest
from hypothesis import given
from hypothesis import strategies as st

import captionbridge
from captionbridge import Cue, Transcript, Turn, Word
from captionbridge.host.registry import make_host
from captionbridge.model import words_agree
from captionbridge.reflow.cuetiming import READ_SLACK_MS, apply_timing
from captionbridge.reflow.limits import Limits
from captionbridge.reflow.wordtimes import retime_pieces

HOST = make_host(entry_points=False)
ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "fireside-chat.txt"
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_reflow import add_word_times  # noqa: E402  (the benchmark's word-timed seed)

PRESETS = ("netflix", "bbc", "cea608", "youtube", "vertical")
#: the preset numbers the checks below hold the output to
NETFLIX_GAP = 84  # 2 frames at 23.976 fps, rounded up
NETFLIX_MIN = 833
NETFLIX_CHAIN = 500


def timed(text: str, start: int, pauses: dict[int, int] | None = None) -> list[Word]:
    """Words for the words of ``text``: 60 ms a character plus 120 ms, 40 ms apart, a longer
    silence after the word indexes in ``pauses``."""
    words = []
    t = start
    for k, token in enumerate(text.split()):
        length = 120 + 60 * len(token)
        words.append(Word(token, t, t + length))
        t += length + (pauses or {}).get(k, 40)
    return words


def one_cue(text: str, words: list[Word], speaker: str | None = None) -> Cue:
    return Cue(words[0].start, words[-1].end, (Turn(text, speaker, words=tuple(words)),))


def run(transcript: Transcript, **options: object) -> Transcript:
    return captionbridge.transform(transcript, host=HOST, **options)


def all_words(transcript: Transcript) -> list[Word]:
    return [word for cue in transcript.cues for word in cue.words]


def test_a_cue_boundary_falls_on_a_real_pause_not_on_a_character_guess() -> None:
    # one segment that fits one subtitle, a silence of 0.6 s after "hills" inside it
    text = "we took the long road over the hills and down into the valley"
    tokens = text.split()
    words = timed(text, 1000, {tokens.index("hills"): 600})
    out = run(Transcript([one_cue(text, words)]), preset="youtube")
    assert [c.text.replace("\n", " ") for c in out.cues] == [
        "we took the long road over the hills",
        "and down into the valley",
    ]
    assert out.cues[1].start == words[tokens.index("and")].start
    assert all_words(out) == words
    # without the word times the pause is unknown: one subtitle
    plain = run(Transcript([Cue.make(words[0].start, words[-1].end, text)]), preset="youtube")
    assert len(plain) == 1


def test_float_word_times_cut_where_int_times_do() -> None:
    # times from an API caller may be floats (or numpy integers): the search must compare them
    # as numbers, not through int's own methods, which answer NotImplemented (a true value)
    text = "so the thing is we went to the store then we came back home and it was very late"
    tokens = text.split()
    words = timed(text, 0, {tokens.index("store"): 800})
    as_float = [Word(w.text, float(w.start), float(w.end)) for w in words]
    cut = run(Transcript([one_cue(text, words)]), preset="youtube")
    cut_float = run(Transcript([one_cue(text, as_float)]), preset="youtube")
    texts = [c.text.replace("\n", " ") for c in cut.cues]
    assert texts[0].endswith("store")
    assert [c.text.replace("\n", " ") for c in cut_float.cues] == texts


@pytest.mark.parametrize(
    ("segmenter", "even_cut", "pause_at"),
    [("rules", "building", "model"), ("search", "model", "building")],
)
def test_a_breath_between_words_draws_the_cut_to_it(
    segmenter: str, even_cut: str, pause_at: str
) -> None:
    text = (
        "the team spent most of the winter building a small model that could read"
        " handwriting from old letters kept in the archive"
    )
    options = {"preset": "netflix", "segmenter": segmenter}
    even = run(Transcript([one_cue(text, timed(text, 1000))]), **options)
    assert even.cues[0].text.split()[-1] == even_cut
    # a 300 ms silence after another word (too short to forbid bridging it): the cut moves there
    at = text.split().index(pause_at)
    paused = timed(text, 1000, {at: 300})
    out = run(Transcript([one_cue(text, paused)]), **options)
    assert out.cues[0].text.split()[-1] == pause_at
    assert out.cues[0].words[-1] == paused[at]


def test_cues_start_on_their_first_word_and_carry_their_words() -> None:
    first = (
        "Hello there. This is a test of word timings that we want to see in cues,"
        " and it goes on for longer than one subtitle can hold on two lines."
    )
    second = "And here is another sentence."
    w1 = timed(first, 500)
    w2 = timed(second, w1[-1].end + 1500)
    out = run(Transcript([one_cue(first, w1), one_cue(second, w2)]), preset="youtube")
    assert len(out) >= 3
    for cue in out.cues:
        assert cue.words, cue
        assert all(words_agree(turn) for turn in cue.turns)
        assert cue.start == cue.words[0].start
        # extended for reading speed at most READ_SLACK_MS, or to the 1 s minimum
        assert cue.end <= max(cue.words[-1].end + READ_SLACK_MS, cue.start + 1000)
    assert all_words(out) == w1 + w2


def test_a_cue_is_not_extended_into_the_next_cues_speech() -> None:
    # "Yes." lasts 300 ms and the next speech starts 200 ms later: without word times the
    # timing rules borrow from the neighbours; with them a cue only grows into silence
    netflix = Limits(max_cps=20, min_duration=833, max_duration=7000, min_gap=84, chain_gap=500)
    args = ([1000, 1500], [1300, 3000], ["Yes.", "I think we should go now"], netflix)
    s, e, _ = apply_timing(*args)
    assert s[0] < 1000 or s[1] > 1500  # a start moved off its speech
    s, e, report = apply_timing(*args, word_times=True)
    assert s == [1000, 1500]
    assert e == [1500 - 84, 3000]
    assert report.short == [0]
    # with room after it, it grows to its minimum duration, no more
    s, e, report = apply_timing([1000, 4000], [1300, 5000], args[2], netflix, word_times=True)
    assert (s, e) == ([1000, 4000], [1833, 5200]) and not report.short  # 24 chars at 20 cps


def test_starts_snap_to_the_first_frame_not_before_the_first_word() -> None:
    words = timed("one two three four", 1010)
    out = run(Transcript([one_cue("one two three four", words)]), preset="netflix")
    fps = Fraction(24000, 1001)
    start = out.cues[0].start
    assert start >= 1010
    assert start - 1010 < 1000 / fps  # the nearest frame (1001 ms) is before the word
    assert math.isclose(start * fps / 1000, round(start * fps / 1000), abs_tol=0.02)


def test_rebreaking_only_keeps_words_and_times_cues_by_them() -> None:
    text = "a line far too wide to stay on one line in any subtitle at all"
    words = timed(text, 2000)
    cue = Cue(1800, words[-1].end + 300, (Turn(text, words=tuple(words)),))  # loose segment
    out = run(Transcript([cue]), max_chars=30)
    assert len(out) == 1 and "\n" in out.cues[0].text
    assert out.cues[0].words == tuple(words)
    assert (out.cues[0].start, out.cues[0].end) == (2000, words[-1].end)


def test_turns_without_words_keep_their_guessed_times() -> None:
    words = timed("first part is timed.", 0)
    timed_cue = one_cue("first part is timed.", words)
    plain = Cue.make(5000, 7000, "This one has no word times at all.")
    out = run(Transcript([timed_cue, plain]), preset="youtube")
    assert [c.words != () for c in out.cues] == [True, False]
    assert out.cues[1].start == 5000  # a start never moves earlier in word-time mode


def test_atoms_are_cut_at_silences_between_words_and_timed_by_them() -> None:
    words = [Word("a", 0, 100), Word("b", 150, 300), Word("c", 700, 900), Word("d", 910, 1000)]
    pieces = retime_pieces([("a b c d", 0, 9999)], words, 250)
    assert pieces == [("a b", 0, 300), ("c d", 700, 1000)]
    # a word with a space in it is never cut inside
    spaced = [Word("New York", 0, 500), Word("now", 900, 1000)]
    assert retime_pieces([("New", 0, 1), ("York now", 1, 2)], spaced, 250) == [
        ("New York", 0, 500),
        ("now", 900, 1000),
    ]
    # words that do not spell the pieces leave them alone
    assert retime_pieces([("x y", 5, 9)], words, 250) == [("x y", 5, 9)]


def seed_with_words() -> Transcript:
    """The seed transcript with word times spread over each segment in proportion to
    characters, 30 ms apart: a word-timed transcript of real text and real pauses."""
    return add_word_times(captionbridge.loads(SEED.read_text(encoding="utf-8"), host=HOST))


def test_netflix_on_a_word_timed_transcript_keeps_cues_on_their_words() -> None:
    source = seed_with_words()
    out = run(source, preset="netflix")
    assert all_words(out) == all_words(source)
    frame = 1000 / Fraction(24000, 1001)
    cues = list(out.cues)
    for i, cue in enumerate(cues):
        assert cue.words and all(words_agree(t) for t in cue.turns)
        first = min(t.words[0].start for t in cue.turns)
        last = max(t.words[-1].end for t in cue.turns)
        assert cue.start >= first  # never before its first word is spoken
        assert cue.start - first < 2 * frame or cues[i - 1].end + NETFLIX_GAP >= cue.start
        # what the preset allows after the last word: 0.5 s of reading time (or the 5/6 s
        # minimum from the start), then a gap under 0.5 s closed to 2 frames, a frame of snap
        allowed = max(last + READ_SLACK_MS, cue.start + NETFLIX_MIN) + NETFLIX_CHAIN + frame
        assert cue.end <= allowed, (i, cue)
        if i + 1 < len(cues):
            following = min(t.words[0].start for t in cues[i + 1].turns)
            assert cue.end < following  # into silence only
            assert cues[i + 1].start - cue.end >= NETFLIX_GAP - 1  # 2 frames, in ms
    # and the file says the same to an independent parser
    srt = captionbridge.dumps(out, "srt", host=HOST)
    assert isinstance(srt, str)
    events = pysubs2.SSAFile.from_string(srt).events
    assert [e.start for e in events] == [c.start for c in cues]


_VOCAB = ["we", "go", "there", "now", "the", "house,", "is", "big.", "Really?", "and", "so"]


@st.composite
def word_transcripts(draw: st.DrawFn) -> Transcript:
    """Random word-timed transcripts: 1-12 segments of 1-20 words (at least 100 ms each,
    never overlapping), silences from 0 to 1.5 s, a speaker change now and then."""
    t = draw(st.integers(0, 5000))
    cues = []
    for _ in range(draw(st.integers(1, 12))):
        turns = []
        for _ in range(draw(st.sampled_from([1, 1, 1, 2]))):
            words = []
            for _ in range(draw(st.integers(1, 20))):
                length = draw(st.integers(100, 900))
                words.append(Word(draw(st.sampled_from(_VOCAB)), t, t + length))
                t += length + draw(st.sampled_from([0, 10, 40, 120, 300, 600, 1500]))
            text = " ".join(w.text for w in words)
            turns.append(Turn(text, change=bool(turns), words=tuple(words)))
        cues.append(Cue(turns[0].words[0].start, turns[-1].words[-1].end, tuple(turns)))
    return Transcript(cues)


@given(word_transcripts(), st.sampled_from(PRESETS))
def test_every_preset_keeps_words_in_order_and_cues_on_word_times(
    transcript: Transcript, preset: str
) -> None:
    out = run(transcript, preset=preset)
    assert all_words(out) == all_words(transcript)
    assert [t for c in out.cues for t in c.text.split()] == [
        t for c in transcript.cues for t in c.text.split()
    ]
    fps = {"netflix": Fraction(24000, 1001), "cea608": Fraction(30000, 1001)}.get(preset)
    frame = 1000 / fps if fps else 0
    cues = list(out.cues)
    for i, cue in enumerate(cues):
        assert cue.words and all(words_agree(t) for t in cue.turns)
        first = min(t.words[0].start for t in cue.turns)
        last = max(t.words[-1].end for t in cue.turns)
        assert first <= cue.start <= first + 2 * frame  # a word boundary (on the frame grid)
        if not fps:
            assert cue.start == first
        assert cue.end > cue.start
        if cue.end > last + frame and i + 1 < len(cues):
            # extended past its last word: only into the silence before the next cue's words
            assert cue.end <= min(t.words[0].start for t in cues[i + 1].turns)
