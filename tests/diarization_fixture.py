"""A synthetic conversation with known truth: who says every word, and when.

Words are timed in proportion to their length (plus a little noise), speakers take turns of
varying length with pauses (or overlapping speech) between them, and the transcript's segments
are cut without regard to speakers, the way a speech recogniser cuts them, so many segments
straddle a speaker change.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from captionbridge.model import Transcript, turns_of

_SENTENCE = (
    "we trained the network on every image we could find and it learned to see edges first"
    " then shapes then whole objects which surprised everyone in the lab that winter because"
    " nobody believed a model so large could be trained at all on two graphics cards"
)
WORDS = _SENTENCE.split(" ")


@dataclass(frozen=True)
class Word:
    text: str
    start: int
    end: int
    speaker: str


@dataclass(frozen=True)
class Conversation:
    words: list[Word]
    turns: list[tuple[int, int, str]]  # true speaker turns (start, end, speaker), ms
    segments: list[tuple[int, int, list[Word]]]  # transcript segments

    def bracket_text(self) -> str:
        return "".join(
            f"[{_clock(start)} --> {_clock(end)}]   {' '.join(w.text for w in words)}\n"
            for start, end, words in self.segments
        )


def _clock(ms: int) -> str:
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def conversation(
    seed: int = 1,
    turns: int = 60,
    speakers: tuple[str, ...] = ("SPEAKER_00", "SPEAKER_01"),
    crosstalk: bool = False,
) -> Conversation:
    """Build a conversation; ``seed`` makes it reproducible. With ``crosstalk`` every speaker
    starts talking 150-600 ms (at most a third of
    the previous turn) before the previous one has finished."""
    rng = random.Random(seed)
    words: list[Word] = []
    spans: list[tuple[int, int, str]] = []
    t = 500
    who = 0
    pace = {speaker: rng.uniform(55, 80) for speaker in speakers}  # ms per character
    for number in range(turns):
        speaker = speakers[who]
        rate = pace[speaker] * rng.uniform(0.9, 1.1)
        count = rng.choice([1, 2, 4, 8, 12, 20, 30, 45, 60])
        start = t
        for _ in range(count):
            text = rng.choice(WORDS)
            length = round((len(text) + 1) * rate * rng.uniform(0.85, 1.15))
            words.append(Word(text, t, t + length, speaker))
            t += length
        spans.append((start, t, speaker))
        if crosstalk:  # into the tail of the turn, not over all of a one-word answer
            t -= min(rng.randint(150, 600), (t - start) // 3)
        elif number % 5 == 4:
            t += rng.randint(800, 2500)  # a long pause
        else:
            t += rng.randint(-300, 400)  # quick exchange, sometimes overlapping
        t = max(t, words[-1].start + 50)
        who = (who + rng.choice([1, 1, 1, 2])) % len(speakers) if len(speakers) > 2 else 1 - who
    segments: list[tuple[int, int, list[Word]]] = []
    index = 0
    while index < len(words):
        take = rng.randint(3, 14)
        chunk = words[index : index + take]
        # a recogniser cuts at long pauses too
        for k in range(1, len(chunk)):
            if chunk[k].start - chunk[k - 1].end > 700:
                chunk = chunk[:k]
                break
        segments.append((chunk[0].start, max(chunk[-1].end, chunk[0].start + 1), chunk))
        index += len(chunk)
    # keep transcript segments in order and not overlapping
    fixed = []
    last_end = 0
    for start, end, chunk in segments:
        start = max(start, last_end)
        end = max(end, start + 1)
        fixed.append((start, end, chunk))
        last_end = end
    return Conversation(words, spans, fixed)


def rttm(turns: list[tuple[int, int, str]], uri: str = "talk") -> str:
    """RTTM lines for the given turns, as pyannote writes them."""
    return "".join(
        f"SPEAKER {uri} 1 {start / 1000:.3f} {(end - start) / 1000:.3f} <NA> <NA> {who} <NA> <NA>\n"
        for start, end, who in turns
    )


def word_accuracy(labelled: Transcript, conv: Conversation) -> float:
    """The share of the conversation's words that ``labelled`` gives their true speaker
    (after checking that every word is there, in order)."""
    got = [
        (word, turn.speaker)
        for content in labelled.columns().contents
        for turn in turns_of(content)
        for word in turn.text.split()
    ]
    assert [w for w, _ in got] == [w.text for w in conv.words], "words lost or reordered"
    return sum(s == w.speaker for (_, s), w in zip(got, conv.words, strict=True)) / len(got)
