"""Speakers per word: when a turn carries word timings, each word is given a speaker of its own.

A word belongs to the speaker whose diarization segments it overlaps most (summed over that
speaker's segments); a word that overlaps none goes to the nearest segment. A turn is then cut
where consecutive words change speaker, so the change falls on a real word boundary: the one
nearest the diarization boundary, because the word across that boundary goes to the side it
overlaps more. A run of words shorter than :data:`~captionbridge.speakers.align.MIN_TURN_MS`
between two stretches of one other speaker is diarization jitter and joins them.
"""

from __future__ import annotations

from collections.abc import Sequence

from captionbridge.model import Word

from .rttm import Segment

__all__ = ["word_runs", "word_speaker"]


def word_speaker(word: Word, near: Sequence[Segment]) -> str:
    """The speaker ``word`` overlaps most, or the nearest segment's speaker (``near`` holds at
    least one segment)."""
    totals: dict[str, int] = {}
    for segment in near:
        overlap = min(word.end, segment.end) - max(word.start, segment.start)
        if overlap > 0:
            totals[segment.speaker] = totals.get(segment.speaker, 0) + overlap
    if totals:
        return max(totals, key=lambda speaker: totals[speaker])
    middle = (word.start + word.end) / 2
    return min(near, key=lambda s: max(s.start - middle, middle - s.end)).speaker


def word_runs(
    words: Sequence[Word], near: Sequence[Segment], jitter_ms: int
) -> list[tuple[tuple[Word, ...], str]]:
    """``words`` as maximal runs of one speaker, in order; a run shorter than ``jitter_ms``
    with the same speaker on both sides joins them."""
    runs: list[tuple[list[Word], str]] = []
    for word in words:
        speaker = word_speaker(word, near)
        if runs and runs[-1][1] == speaker:
            runs[-1][0].append(word)
        else:
            runs.append(([word], speaker))
    k = 1
    while k + 1 < len(runs):
        middle, speaker = runs[k]
        if runs[k - 1][1] == runs[k + 1][1] != speaker and middle[-1].end - middle[0].start < (
            jitter_ms
        ):
            runs[k - 1 : k + 2] = [(runs[k - 1][0] + middle + runs[k + 1][0], runs[k - 1][1])]
        else:
            k += 1
    return [(tuple(run), speaker) for run, speaker in runs]
