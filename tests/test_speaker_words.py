"""Speakers per word: ``--rttm`` on word-timed turns cuts at the word nearest the change."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from diarization_fixture import Conversation, conversation, rttm, word_accuracy

import captionbridge
from captionbridge.host.registry import PluginHost
from captionbridge.model import Cue, Transcript, Turn, Word, turns_of, words_agree
from captionbridge.speakers.align import assign_speakers
from captionbridge.speakers.bywords import word_runs
from captionbridge.speakers.rttm import Segment, parse_rttm

#: six words with 50 ms silences between them, one segment of the transcript
SIX = (
    Word("one", 0, 400),
    Word("two", 450, 900),
    Word("three", 950, 1400),
    Word("four", 1450, 1900),
    Word("five", 1950, 2400),
    Word("six", 2450, 2900),
)


def six_words() -> Transcript:
    return Transcript(
        [Cue(0, 2900, (Turn("one two three four five six", words=SIX),))], source="talk.json"
    )


def rttm_file(tmp_path: Path, turns: list[tuple[int, int, str]]) -> Path:
    path = tmp_path / "talk.rttm"
    path.write_text(rttm(turns), encoding="utf-8")
    return path


def nearest_boundary(change: int) -> tuple[int, int]:
    """The word boundary (end of one word, start of the next) nearest to ``change``."""
    pairs = [(a.end, b.start) for a, b in pairwise(SIX)]
    return min(
        pairs, key=lambda p: 0 if p[0] <= change <= p[1] else min(abs(change - t) for t in p)
    )


@pytest.mark.parametrize("change", range(610, 2400, 70))  # never a word's middle: no tie
def test_the_change_falls_on_the_word_boundary_nearest_the_rttm_turn(
    host: PluginHost, tmp_path: Path, change: int
) -> None:
    path = rttm_file(tmp_path, [(0, change, "ALICE"), (change, 3000, "BOB")])
    out = captionbridge.transform(six_words(), host=host, rttm=str(path))
    turns = [turn for cue in out.cues for turn in cue.turns]
    assert [t.speaker for t in turns] == ["ALICE", "BOB"]
    assert all(words_agree(t) for t in turns)
    assert (turns[0].words[-1].end, turns[1].words[0].start) == nearest_boundary(change)
    assert turns[1].change
    # both sides long enough: the cue is split in time, on the words' own times
    if len(out) == 2:
        assert out.cues[0].end == turns[0].words[-1].end
        assert out.cues[1].start == turns[1].words[0].start


def test_diarization_jitter_inside_a_turn_does_not_cut_it() -> None:
    segments = [Segment(0, 1420, "A"), Segment(1420, 1470, "B"), Segment(1470, 3000, "A")]
    runs = word_runs(SIX, segments, 100)
    assert [(len(words), who) for words, who in runs] == [(6, "A")]
    # a word that no segment overlaps goes to the nearest one
    far = word_runs((Word("late", 5000, 5200),), segments, 100)
    assert far[0][1] == "A"


def timed_transcript(conv: Conversation) -> Transcript:
    """The fixture's segments with their true word times."""
    cues = []
    for start, end, words in conv.segments:
        text = " ".join(w.text for w in words)
        timed = tuple(Word(w.text, w.start, w.end) for w in words)
        cues.append(Cue(start, end, (Turn(text, words=timed),)))
    return Transcript(cues, source="talk.json")


def test_word_times_give_words_their_true_speakers(host: PluginHost) -> None:
    right = total = 0
    guessed = 0.0
    for seed in (1, 2, 3, 4, 5):
        conv = conversation(seed, turns=150)
        segments = parse_rttm(rttm(conv.turns))["talk"]
        labelled = assign_speakers(timed_transcript(conv), segments)
        right += round(word_accuracy(labelled, conv) * len(conv.words))
        total += len(conv.words)
        for content in labelled.columns().contents:
            assert len(turns_of(content)) <= 2
            assert all(t.words and words_agree(t) for t in turns_of(content))
        bracket = captionbridge.loads(conv.bracket_text(), host=host)
        guessed += word_accuracy(assign_speakers(bracket, segments), conv) / 5
    # overlapping speech leaves a few words to the side they overlap more
    assert right / total >= 0.995
    assert right / total > guessed  # better than timing words by their characters


def test_crosstalk_words_go_to_the_speaker_they_overlap_most() -> None:
    conv = conversation(7, turns=80, crosstalk=True)
    labelled = assign_speakers(timed_transcript(conv), parse_rttm(rttm(conv.turns))["talk"])
    words = [
        w for content in labelled.columns().contents for t in turns_of(content) for w in t.words
    ]
    assert words == [Word(w.text, w.start, w.end) for w in conv.words]
    assert word_accuracy(labelled, conv) >= 0.97


def test_speakers_by_word_then_netflix_keeps_words_and_speakers(
    host: PluginHost, tmp_path: Path
) -> None:
    conv = conversation(3, turns=60)
    path = rttm_file(tmp_path, conv.turns)
    out = captionbridge.transform(
        timed_transcript(conv), host=host, rttm=str(path), preset="netflix"
    )
    spoken = [(w, t.speaker) for cue in out.cues for t in cue.turns for w in t.words]
    assert [w.text for w, _ in spoken] == [w.text for w in conv.words]
    right = sum(s == truth.speaker for (_, s), truth in zip(spoken, conv.words, strict=True))
    assert right / len(spoken) >= 0.99
    for cue in out.cues:
        assert cue.start >= min(t.words[0].start for t in cue.turns)


def test_speaker_names_and_overlap_merging_keep_words(host: PluginHost) -> None:
    first = Turn("one two three", words=SIX[:3])
    second = Turn("four five six", change=True, words=SIX[3:])
    named = captionbridge.transform(
        Transcript([Cue(0, 1400, (first,)), Cue(1450, 2900, (second,))]), host=host, speakers="A,B"
    )
    assert [(t.speaker, t.words) for c in named.cues for t in c.turns] == [
        ("A", SIX[:3]),
        ("B", SIX[3:]),
    ]
    # two cues that overlap too much to be trimmed become one, each turn with its words
    overlapping = Transcript(
        [Cue(0, 1400, (first,)), Cue(100, 2900, (Turn("four five six", words=SIX[3:]),))]
    )
    merged = captionbridge.transform(overlapping, host=host)
    assert len(merged) == 1
    assert [t.words for t in merged.cues[0].turns] == [SIX[:3], SIX[3:]]
