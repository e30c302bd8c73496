"""The transcript as one stream of words: the positions the segmentation search works on.

Each word gets a time (its turn's own word timings when they spell its text, else the share
of its cue's time that its characters hold), the speaker turn it belongs to, and whether a
fragment (a whisper segment) ends after it. Turns are numbered as they come: a new number
starts at a turn marker or a new speaker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from ..model import Content, Turn, Word, words_agree

__all__ = ["WordStream", "word_stream"]


@dataclass
class WordStream:
    """Words as parallel columns (cheaper than one object per word on long inputs)."""

    texts: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    #: turn number of each word; consecutive words with one number belong to one turn
    turns: list[int] = field(default_factory=list)
    #: True when a fragment of the input ends after the word
    frag_end: list[bool] = field(default_factory=list)
    #: the recogniser's word, when the input had word timings (else ``None``)
    words: list[Word | None] = field(default_factory=list)
    #: speaker id and marker flag of each turn number
    speakers: list[str | None] = field(default_factory=list)
    changes: list[bool] = field(default_factory=list)


def word_stream(
    starts: Sequence[int], ends: Sequence[int], contents: Sequence[Content]
) -> WordStream:
    """Cut every cue of the columns into words."""
    out = WordStream()
    speaker: str | None = None
    for start, end, content in zip(starts, ends, contents, strict=True):
        end = max(end, start)
        if isinstance(content, str):
            if not out.speakers:
                out.speakers.append(None)
                out.changes.append(False)
            _add_text(out, content, start, end, len(out.speakers) - 1)
        else:
            parts = [t for t in content if t.text.strip()] or list(content[:1])
            total = sum(len(t.text) for t in parts) or 1
            offset = 0
            for turn in parts:
                if not out.speakers or turn.change or turn.speaker != speaker:
                    speaker = turn.speaker
                    out.speakers.append(turn.speaker)
                    out.changes.append(turn.change)
                t0 = start + (end - start) * offset // total
                offset += len(turn.text)
                t1 = start + (end - start) * offset // total
                if turn.words and words_agree(turn):
                    _add_words(out, turn, len(out.speakers) - 1)
                else:
                    _add_text(out, turn.text, t0, t1, len(out.speakers) - 1)
        if out.frag_end:
            out.frag_end[-1] = True
    return out


def _add_text(out: WordStream, text: str, start: int, end: int, turn: int) -> None:
    """The words of ``text``, each timed by the share of characters before and in it."""
    words = text.split()
    if not words:
        return
    count = len(words)
    # offsets[k]: the characters (spaces included) before word k; offsets[k + 1] - 1 its end
    offsets = list(accumulate([len(w) + 1 for w in words], initial=0))
    total = offsets[-1] - 1  # the characters of the words and the spaces between them
    span = end - start
    out.texts.extend(words)
    out.starts.extend([start + span * o // total for o in offsets[:-1]])
    out.ends.extend([start + span * (o - 1) // total for o in offsets[1:]])
    out.turns.extend([turn] * count)
    out.frag_end.extend([False] * count)
    out.words.extend([None] * count)


def _add_words(out: WordStream, turn: Turn, number: int) -> None:
    for word in turn.words:
        for piece in word.text.split():  # a recogniser's "word" may hold a space
            out.texts.append(piece)
            out.starts.append(word.start)
            out.ends.append(max(word.end, word.start))
            out.turns.append(number)
            out.frag_end.append(False)
            out.words.append(word if piece == word.text else None)
