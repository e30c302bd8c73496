"""Where each timed word stands in a turn's text, for writers that show word timings (ASS
karaoke, WebVTT cue timestamps).

A turn's words spell its text up to whitespace (:func:`~captionbridge.model.words_agree`), so
the n-th whitespace-separated token of the text belongs to the word that covers it. Cutting the
text before each word's first token keeps the text exactly as it is, line breaks included.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Turn, Word, words_agree

__all__ = ["cut_at_words", "timed_pieces"]

_TOKEN = re.compile(r"\S+")


def cut_at_words(text: str, words: Sequence[Word]) -> list[tuple[str, Word | None]] | None:
    """``text`` cut before each word: ``(piece, word)`` pairs whose pieces join to ``text``.

    A leading piece before the first word (whitespace, or a prefix the caller added) comes with
    ``None``; a word with no text gets no piece. ``text`` may be an escaped form of the words'
    text as long as escaping kept its tokens (it added or removed whitespace only). Returns
    ``None`` when the tokens of ``text`` are not the words' tokens in number."""
    starts = [match.start() for match in _TOKEN.finditer(text)]
    counts = [len(word.text.split()) for word in words]
    if sum(counts) != len(starts) or not starts:
        return None
    cuts: list[tuple[int, Word]] = []
    token = 0
    for word, count in zip(words, counts, strict=True):
        if count:
            cuts.append((starts[token], word))
            token += count
    pieces: list[tuple[str, Word | None]] = []
    if cuts[0][0] > 0:
        pieces.append((text[: cuts[0][0]], None))
    bounds = [at for at, _ in cuts[1:]] + [len(text)]
    for (at, word), stop in zip(cuts, bounds, strict=True):
        pieces.append((text[at:stop], word))
    return pieces


def timed_pieces(turn: Turn) -> list[tuple[str, Word | None]] | None:
    """The turn's own text cut at its words (see :func:`cut_at_words`); ``None`` when the turn
    has no words or they do not spell its text."""
    if not turn.words or not words_agree(turn):
        return None
    return cut_at_words(turn.text, turn.words)
