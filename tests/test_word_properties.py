"""Hypothesis: random word-timed transcripts through the built-in transforms keep every word, in
order, with its times, and every turn's words keep spelling its text.

Resegmenting presets (``--preset netflix``...) regroup words into new cues: that they keep the
words themselves is reflow's business (its own tests); here they must at least never leave a
turn whose words disagree with its text, and lose no word of the text.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import captionbridge
from captionbridge.host.registry import make_host
from captionbridge.model import Cue, Speaker, Transcript, Turn, Word, words_agree
from captionbridge.speakers.align import assign_speakers
from captionbridge.speakers.rttm import Segment

HOST = make_host(entry_points=False)
_TEXT = st.from_regex(r"[A-Za-z][a-z']{0,7}[.,?!]?", fullmatch=True)


@st.composite
def _turn(draw: st.DrawFn, start: int) -> tuple[Turn, int]:
    texts = draw(st.lists(_TEXT, min_size=1, max_size=8))
    words = []
    time = start
    for text in texts:
        time += draw(st.integers(0, 700))  # pauses, some over 0.5 s
        length = draw(st.integers(0, 900))
        words.append(Word(text, time, time + length))
        time += length
    layout = " ".join(texts) if len(texts) < 4 else " ".join(texts[:3]) + "\n" + " ".join(texts[3:])
    speaker = draw(st.sampled_from([None, "a", "b"]))
    return Turn(layout, speaker, draw(st.booleans()), tuple(words)), time


@st.composite
def word_timed(draw: st.DrawFn) -> Transcript:
    cues = []
    time = draw(st.integers(0, 10**6))
    for _ in range(draw(st.integers(1, 8))):
        time = max(0, time - draw(st.integers(0, 1500)))  # sometimes an overlap
        start = time
        turns = []
        for _ in range(draw(st.integers(1, 2))):
            turn, time = draw(_turn(time))
            turns.append(turn)
        cues.append(Cue(start, max(time, start + 1), tuple(turns)))
    cues.sort(key=lambda c: c.start)
    return Transcript(cues, speakers={"a": Speaker("a"), "b": Speaker("b")})


def spoken(t: Transcript) -> list[Word]:
    return [w for c in t.cues for w in c.words]


def check(before: Transcript, after: Transcript, words_kept: bool = True) -> None:
    assert all(words_agree(turn) for c in after.cues for turn in c.turns)
    assert not any("word timings were dropped" in n.message for n in after.notes)
    assert (
        " ".join(c.text for c in after.cues).split()
        == " ".join(c.text for c in before.cues).split()
    )
    if words_kept:
        assert spoken(after) == spoken(before)


OPTIONS: list[dict[str, Any]] = [
    {},  # the timing fix every conversion gets
    {"overlaps": "keep"},
    {"max_chars": 16},  # reflow breaks lines only
    {"speakers": "Ann,Bo"},
    {"speakers": "Ann,Bo", "max_chars": 24},
]


@given(word_timed(), st.sampled_from(OPTIONS))
def test_transforms_keep_every_word_with_its_times(t: Transcript, options: dict[str, Any]) -> None:
    check(t, captionbridge.transform(t, host=HOST, **options))


@given(word_timed(), st.lists(st.integers(0, 20_000), min_size=1, max_size=6))
def test_rttm_alignment_keeps_every_word_with_its_times(t: Transcript, cuts: list[int]) -> None:
    origin = t.cues[0].start
    edges = sorted({origin + cut for cut in cuts} | {origin - 1000, origin + 30_000})
    segments = [Segment(a, b, "AB"[i % 2]) for i, (a, b) in enumerate(pairwise(edges))]
    check(t, assign_speakers(t, segments))


@given(word_timed(), st.sampled_from(["netflix", "bbc", "youtube", "vertical"]))
def test_presets_never_leave_disagreeing_words(t: Transcript, preset: str) -> None:
    check(t, captionbridge.transform(t, host=HOST, preset=preset), words_kept=False)
