"""Give each turn the speaker of the diarization segments it overlaps; split shared cues.

A turn with word timings is given speakers word by word and cut where they change, at a real
word boundary (:mod:`~captionbridge.speakers.bywords`). Without them, a turn's time inside its
cue is estimated in proportion to characters. Within that time the speaker at each instant is
the segment the instant lies deepest in (the furthest from its edges); outside every segment,
the nearest one. This settles overlapping speech at the middle of the overlap and a gap at its
middle.

A turn over which the speaker changes is divided at the change, its text in proportion to
characters at the nearest word boundary:

- a stretch shorter than :data:`MIN_TURN_MS` is diarization jitter and joins its neighbour;
- when both sides of the change cover at least :data:`SPLIT_SHARE` of the cue and at least
  :data:`SPLIT_MS`, the cue itself is split in time at the change (two cues);
- otherwise the cue keeps its time and becomes a dual-speaker cue (one turn per speaker).

Each resulting piece gets the speaker with the largest summed overlap over its time (the
WhisperX rule), or the nearest segment's when none overlaps.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, pairwise

from captionbridge.model import (
    Columns,
    Content,
    Speaker,
    Transcript,
    Turn,
    Word,
    turns_of,
    words_agree,
)

from .bywords import word_runs
from .rttm import Segment

__all__ = ["MIN_TURN_MS", "SPLIT_MS", "SPLIT_SHARE", "assign_speakers"]

#: Both sides of a speaker change must cover this share of a cue for the cue to be split.
SPLIT_SHARE = 0.3
#: ... and last at least this long (milliseconds).
SPLIT_MS = 500
#: A speaker stretch shorter than this (milliseconds) is treated as diarization jitter.
MIN_TURN_MS = 100

_SPACE = re.compile(r"\s+")


class _Index:
    """Segments sorted by start, for finding the ones near a stretch of time quickly."""

    def __init__(self, segments: Sequence[Segment]) -> None:
        self.segments = sorted(segments, key=lambda s: (s.start, s.end))
        self.starts = [s.start for s in self.segments]
        self.longest = max((s.end - s.start for s in self.segments), default=0)
        # index of the segment with the latest end among the first i + 1
        best = 0
        self.latest: list[int] = []
        for i, s in enumerate(self.segments):
            if s.end > self.segments[best].end:
                best = i
            self.latest.append(best)

    def near(self, start: int, end: int) -> list[Segment]:
        """Segments overlapping ``[start, end]``, plus the nearest before and after it."""
        segments = self.segments
        low = bisect.bisect_left(self.starts, start - self.longest)
        high = bisect.bisect_right(self.starts, end)
        found = [s for s in segments[low:high] if s.end > start and s.start < end]
        before = bisect.bisect_right(self.starts, start) - 1
        if before >= 0:
            found.append(segments[self.latest[before]])
        if high < len(segments):
            found.append(segments[high])
        return list(dict.fromkeys(found))


def _depth(segment: Segment, t: float) -> float:
    return min(t - segment.start, segment.end - t)


def _runs(near: list[Segment], start: int, end: int) -> list[tuple[float, float, str]]:
    """The speaker of every instant of ``[start, end]`` as maximal runs ``(from, to, speaker)``."""
    if end <= start:
        return [(start, end, _deepest(near, start))]
    edges = [p for s in near for p in (s.start, s.end)]
    points: set[float] = {start, end}
    points.update(p for p in edges if start < p < end)
    points.update(
        m
        for s in near
        for m in [(s.start + s.end) / 2, *((p + q) / 2 for q in (s.start, s.end) for p in edges)]
        if start < m < end
    )
    ordered = sorted(points)
    runs: list[tuple[float, float, str]] = []
    for a, b in pairwise(ordered):
        speaker = _deepest(near, (a + b) / 2)
        if runs and runs[-1][2] == speaker:
            runs[-1] = (runs[-1][0], b, speaker)
        else:
            runs.append((a, b, speaker))
    return runs


def _deepest(near: list[Segment], t: float) -> str:
    return max(near, key=lambda s: _depth(s, t)).speaker


def _absorb_jitter(runs: list[tuple[float, float, str]]) -> list[tuple[float, float, str]]:
    """Merge stretches shorter than :data:`MIN_TURN_MS` into their longer neighbour."""
    runs = list(runs)
    while len(runs) > 1:
        i = min(range(len(runs)), key=lambda k: runs[k][1] - runs[k][0])
        a, b, _ = runs[i]
        if b - a >= MIN_TURN_MS:
            break
        left = runs[i - 1] if i > 0 else None
        right = runs[i + 1] if i + 1 < len(runs) else None
        if right is None or (left is not None and left[1] - left[0] >= right[1] - right[0]):
            assert left is not None
            runs[i - 1 : i + 1] = [(left[0], b, left[2])]
        else:
            runs[i : i + 2] = [(a, right[1], right[2])]
        merged: list[tuple[float, float, str]] = []
        for run in runs:
            if merged and merged[-1][2] == run[2]:
                merged[-1] = (merged[-1][0], run[1], run[2])
            else:
                merged.append(run)
        runs = merged
    return runs


def _best_speaker(near: list[Segment], start: float, end: float) -> str:
    totals: dict[str, float] = {}
    for s in near:
        overlap = min(end, s.end) - max(start, s.start)
        if overlap > 0:
            totals[s.speaker] = totals.get(s.speaker, 0) + overlap
    if totals:
        return max(totals, key=lambda k: totals[k])
    return _deepest(near, (start + end) / 2)


def _word_cut(text: str, target: float) -> int:
    """The word boundary nearest to character ``target``: a space between words, or either
    end of the text (a change less than half a word from an end moves no word)."""
    cuts = [0, *(m.start() for m in _SPACE.finditer(text)), len(text)]
    return min(cuts, key=lambda g: abs(g - target))


@dataclass(frozen=True, slots=True)
class _Piece:
    text: str
    speaker: str
    start: float
    end: float
    cut_before: bool  # a time split of the cue may happen before this piece
    words: tuple[Word, ...] = ()


class _SpeechClock:
    """Maps time inside a cue to the share of its text spoken by then.

    The text of a cue is what its segments say, one after another in the order they start:
    pauses between segments hold no text, each segment counts at its speaker's pace
    (characters per millisecond, measured on the cues only they speak in), and where two
    segments overlap (crosstalk) the words of the one that started first come first. Without
    any speech in the cue, time maps linearly.
    """

    def __init__(self, near: list[Segment], start: int, end: int, pace: dict[str, float]) -> None:
        clipped = sorted(
            (max(s.start, start), min(s.end, end), s.speaker, pace.get(s.speaker, 1.0))
            for s in near
            if min(s.end, end) > max(s.start, start)
        )
        self.stretches = clipped or [(start, max(end, start + 1), "", 1.0)]
        self.total = sum((b - a) * r for a, b, _, r in self.stretches)

    def share(self, t: float) -> float:
        """The share of the text spoken before ``t``."""
        return sum((min(b, t) - a) * r for a, b, _, r in self.stretches if a < t) / self.total

    def change_share(self, t: float, before: str) -> float:
        """The share of the text before a change from speaker ``before`` at time ``t``: what
        ended by then, plus all of ``before``'s stretch that runs on past ``t``."""
        said = 0.0
        for a, b, speaker, r in self.stretches:
            if b <= t or (a < t and speaker == before):
                said += (b - a) * r
        return said / self.total

    def time(self, share: float) -> float:
        """The time by which ``share`` of the text has been spoken."""
        low: float = self.stretches[0][0]
        high: float = max(b for _, b, _, _ in self.stretches)
        for _ in range(32):
            middle = (low + high) / 2
            low, high = (middle, high) if self.share(middle) < share else (low, middle)
        return high


def _paces(index: _Index, transcript: Transcript) -> dict[str, float]:
    """Each speaker's characters per millisecond, from the cues where only they speak."""
    chars: dict[str, int] = {}
    times: dict[str, int] = {}
    starts, ends, contents = transcript.columns()
    for start, end, content in zip(starts, ends, contents, strict=True):
        start, end = int(start), int(end)
        near = index.near(start, end)
        runs = _runs(near, start, end)
        if len(runs) != 1 or end <= start:
            continue
        speaker = runs[0][2]
        spoken = sum(max(0, min(s.end, end) - max(s.start, start)) for s in near)
        if spoken:
            chars[speaker] = chars.get(speaker, 0) + sum(len(t.text) for t in turns_of(content))
            times[speaker] = times.get(speaker, 0) + spoken
    return {speaker: chars[speaker] / times[speaker] for speaker in chars if chars[speaker]}


def _split_turn(
    text: str, near: list[Segment], clock: _SpeechClock, start: float, end: float
) -> list[_Piece]:
    """One turn over ``[start, end]`` as pieces of text, one per speaker stretch."""
    text = text.strip()
    runs = _absorb_jitter(_runs(near, round(start), round(end)))
    if len(runs) == 1 or end <= start:
        return [_Piece(text, _best_speaker(near, start, end), start, end, False)]
    pieces: list[_Piece] = []
    rest, rest_start = text, start
    for _, run_end, speaker in runs[:-1]:
        said = clock.share(rest_start)
        spoken = clock.share(end) - said
        share = (clock.change_share(run_end, speaker) - said) / spoken if spoken else 0.0
        cut = _word_cut(rest, share * len(rest))
        head = rest[:cut].strip()
        if not head or cut >= len(rest):
            continue  # less than half a word: the neighbouring stretch keeps it
        pieces.append(
            _Piece(
                head, _best_speaker(near, rest_start, run_end), rest_start, run_end, bool(pieces)
            )
        )
        rest, rest_start = rest[cut:].strip(), run_end
    pieces.append(_Piece(rest, _best_speaker(near, rest_start, end), rest_start, end, True))
    if len(pieces) == 1:
        return [_Piece(text, _best_speaker(near, start, end), start, end, False)]
    return pieces


def _word_pieces(words: tuple[Word, ...], near: list[Segment]) -> list[_Piece]:
    """A word-timed turn as pieces, one per run of words with one speaker."""
    return [
        _Piece(" ".join(w.text for w in run), speaker, run[0].start, run[-1].end, k > 0, run)
        for k, (run, speaker) in enumerate(word_runs(words, near, MIN_TURN_MS))
    ]


def _turn_spans(turns: tuple[Turn, ...], clock: _SpeechClock) -> list[tuple[float, float]]:
    """Each turn's time inside its cue, in proportion to its characters."""
    weights = [len(t.text) + 1 for t in turns]
    total = sum(weights)
    edges = [clock.time(w / total) for w in accumulate(weights, initial=0)]
    return list(pairwise(edges))


def _big(piece: _Piece, cue_length: int) -> bool:
    length = piece.end - piece.start
    return length >= SPLIT_MS and length >= SPLIT_SHARE * cue_length


def _group(pieces: list[_Piece], cue_length: int) -> list[list[_Piece]]:
    """Pieces into the cues they will form: split in time where both sides are big enough."""
    groups: list[list[_Piece]] = [[pieces[0]]]
    for previous, piece in pairwise(pieces):
        if piece.cut_before and _big(previous, cue_length) and _big(piece, cue_length):
            groups.append([piece])
        else:
            groups[-1].append(piece)
    out: list[list[_Piece]] = []
    for group in groups:
        merged: list[_Piece] = []
        for piece in group:
            if merged and merged[-1].speaker == piece.speaker:
                last = merged[-1]
                words = last.words + piece.words if last.words and piece.words else ()
                merged[-1] = _Piece(
                    f"{last.text} {piece.text}", last.speaker, last.start, piece.end, False, words
                )
            else:
                merged.append(piece)
        # more than two speakers in one cue cannot be shown: one cue per turn
        out.extend([[p] for p in merged] if len(merged) > 2 else [merged])
    return out


def assign_speakers(transcript: Transcript, segments: Sequence[Segment]) -> Transcript:
    """Give every turn the speaker of the segments it overlaps, splitting shared cues.

    Speaker ids are the segments' names; the registry lists the speakers that occur (entries
    already there keep their names and colours). A turn's ``change`` becomes true exactly where
    the speaker differs from the previous turn's.
    """
    if not segments or not len(transcript):
        return transcript
    index = _Index(segments)
    pace = _paces(index, transcript)
    starts, ends, contents = transcript.columns()
    new_starts: list[int] = []
    new_ends: list[int] = []
    new_contents: list[Content] = []
    previous: str | None = None
    used: dict[str, None] = {}
    for start, end, content in zip(starts, ends, contents, strict=True):
        start, end = int(start), int(end)
        turns = turns_of(content)
        timed = [t.words for t in turns if t.words]
        near = index.near(
            min([start, *(w[0].start for w in timed)]), max([end, *(w[-1].end for w in timed)])
        )
        clock = _SpeechClock(near, start, end, pace)
        spans = _turn_spans(turns, clock)
        spans[0] = (start, spans[0][1])
        spans[-1] = (spans[-1][0], end)
        pieces = [
            piece
            for turn, (a, b) in zip(turns, spans, strict=True)
            for piece in (
                _word_pieces(turn.words, near)
                if turn.words and words_agree(turn)
                else _split_turn(turn.text, near, clock, a, b)
            )
        ]
        groups = _group(pieces, end - start)
        for number, group in enumerate(groups):
            first = start if number == 0 else round(group[0].start)
            last = end if number == len(groups) - 1 else round(group[-1].end)
            built = []
            for piece in group:
                change = previous is not None and piece.speaker != previous
                built.append(Turn(piece.text, piece.speaker, change, piece.words))
                previous = piece.speaker
                used.setdefault(piece.speaker, None)
            new_starts.append(first)
            new_ends.append(max(first, last))
            new_contents.append(tuple(built))
    known = transcript.speakers
    speakers = {speaker: known.get(speaker) or Speaker(speaker) for speaker in used}
    columns = Columns(new_starts, new_ends, new_contents)
    return transcript.with_columns(columns).replace(speakers=speakers)
