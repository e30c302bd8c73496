"""Speaker assignment from diarization segments, checked word by word against known truth."""

from __future__ import annotations

import random
from collections.abc import Callable

from diarization_fixture import Conversation, conversation, rttm, word_accuracy

from captionbridge.flow.pipeline import read_text
from captionbridge.host.registry import PluginHost
from captionbridge.model import Cue, Transcript, Turn, turns_of
from captionbridge.speakers.align import SPLIT_MS, assign_speakers
from captionbridge.speakers.rttm import Segment, parse_rttm


def _accuracy(host: PluginHost, conv: Conversation, rttm_text: str) -> tuple[float, Transcript]:
    transcript = read_text(conv.bracket_text(), "talk.txt", host, {})
    labelled = assign_speakers(transcript, parse_rttm(rttm_text)["talk"])
    return word_accuracy(labelled, conv), labelled


SEEDS = (1, 2, 3, 4, 5)


def _overall(host: PluginHost, build: Callable[[int], tuple[Conversation, str]]) -> float:
    """Word accuracy over several conversations (so no single lucky one decides)."""
    right = total = 0
    for seed in SEEDS:
        conv, rttm_text = build(seed)
        accuracy, labelled = _accuracy(host, conv, rttm_text)
        right += round(accuracy * len(conv.words))
        total += len(conv.words)
        assert all(len(turns_of(c)) <= 2 for c in labelled.columns().contents)
    return right / total


def test_rttm_gives_words_their_speakers(host: PluginHost) -> None:
    conv = conversation(1, turns=150)
    accuracy, labelled = _accuracy(host, conv, rttm(conv.turns))
    assert accuracy >= 0.99
    assert len(labelled) > len(conv.segments), "shared cues were split"
    assert set(labelled.speakers) == {"SPEAKER_00", "SPEAKER_01"}

    def plain(seed: int) -> tuple[Conversation, str]:
        conv = conversation(seed, turns=150)
        return conv, rttm(conv.turns)

    assert _overall(host, plain) >= 0.99


def test_shuffled_rttm(host: PluginHost) -> None:
    def shuffled(seed: int) -> tuple[Conversation, str]:
        conv = conversation(seed, turns=150)
        lines = rttm(conv.turns).splitlines(keepends=True)
        random.Random(seed).shuffle(lines)
        return conv, "".join(lines)

    assert _overall(host, shuffled) >= 0.99


def test_rttm_with_gaps(host: PluginHost) -> None:
    """Diarization misses speech: holes inside turns and wider silences between them."""

    def holed(seed: int) -> tuple[Conversation, str]:
        conv = conversation(seed, turns=150)
        rng = random.Random(seed)
        turns: list[tuple[int, int, str]] = []
        for start, end, who in conv.turns:
            if end - start > 6000 and rng.random() < 0.7:
                middle = (start + end) // 2
                turns += [(start, middle - 1200, who), (middle + 1200, end, who)]
            else:
                turns.append((start + 60, max(start + 61, end - 60), who))
        return conv, rttm(turns)

    assert _overall(host, holed) >= 0.99


def test_rttm_with_overlapping_speech(host: PluginHost) -> None:
    """Every speaker starts before the previous one has finished (crosstalk)."""

    def crosstalk(seed: int) -> tuple[Conversation, str]:
        conv = conversation(seed, turns=150, crosstalk=True)
        assert all(a[1] > b[0] for a, b in zip(conv.turns, conv.turns[1:], strict=False))
        return conv, rttm(conv.turns)

    assert _overall(host, crosstalk) >= 0.99


def _one(text: str, start: int = 0, end: int = 6000) -> Transcript:
    return Transcript([Cue.make(start, end, text)])


def test_cue_shared_by_a_margin_is_split_in_time() -> None:
    text = "one two three four five six seven eight nine ten eleven twelve"
    # A speaks the first 3.5 s, B the last 2.5 s: both over 30 % and 500 ms
    out = assign_speakers(_one(text), [Segment(0, 3500, "A"), Segment(3500, 6000, "B")])
    assert len(out) == 2
    first, second = out.cues
    assert (first.start, first.end, second.start, second.end) == (0, 3500, 3500, 6000)
    assert first.turns[0].speaker == "A" and second.turns[0].speaker == "B"
    assert second.turns[0].change and not first.turns[0].change
    assert f"{first.text} {second.text}" == text
    assert first.text.endswith("eight")  # 58 % of the time, 63 % of the text


def test_small_share_becomes_a_dual_speaker_cue() -> None:
    text = "Yes. So the network learned to see edges first, then shapes."
    # B answers "Yes." in the first 400 ms: under the split threshold
    out = assign_speakers(_one(text), [Segment(0, 400, "B"), Segment(400, 6000, "A")])
    assert len(out) == 1
    assert out.cues[0].turns == (
        Turn("Yes.", "B"),
        Turn("So the network learned to see edges first, then shapes.", "A", True),
    )


def test_jitter_does_not_move_words() -> None:
    """A speaker change a few milliseconds inside the cue moves no word."""
    text = "the network learned to see edges"
    out = assign_speakers(_one(text, 0, 3000), [Segment(0, 2950, "A"), Segment(2950, 9000, "B")])
    assert out.cues[0].turns == (Turn(text, "A"),)


def test_no_overlap_takes_the_nearest_segment() -> None:
    out = assign_speakers(
        _one("far away", 10000, 11000), [Segment(0, 2000, "A"), Segment(12000, 13000, "B")]
    )
    assert out.cues[0].turns[0].speaker == "B"


def test_existing_turns_are_units() -> None:
    content = (Turn("Now, the year AlexNet was 2012.", None, True), Turn("Yes.", None, True))
    transcript = Transcript([Cue(0, 3000, content)])
    out = assign_speakers(transcript, [Segment(0, 2600, "J"), Segment(2600, 3000, "I")])
    assert [(t.text, t.speaker) for t in out.cues[0].turns] == [
        ("Now, the year AlexNet was 2012.", "J"),
        ("Yes.", "I"),
    ]
    assert SPLIT_MS == 500


def test_empty_and_single_word_cues() -> None:
    transcript = Transcript([Cue.make(0, 1000, ""), Cue.make(1000, 4000, "Supercalifragilistic")])
    out = assign_speakers(transcript, [Segment(0, 2000, "A"), Segment(2000, 4000, "B")])
    assert [c.text for c in out.cues] == ["", "Supercalifragilistic"]
    assert out.cues[1].turns[0].speaker in {"A", "B"}


def test_no_segments_changes_nothing() -> None:
    transcript = _one("hello")
    assert assign_speakers(transcript, []) is transcript
