"""Carry word timings along when a text is edited or cut into pieces.

A transform that removes an annotation, cuts a turn at a speaker change or relabels it knows
the new texts, not the words. :class:`WordFeed` hands the words of one turn out to the texts
made from it, in order: each token of a new text takes the next word that spells it (a word
whose text it is, or that holds it, or that it holds: ``Hello,`` from ``Hello`` once a
``(laughs)`` before the comma went), words no text asks for are the removed ones and are
skipped (at most 256 in a row, so the work stays linear). A text that no word spells gets the
words that are left, which do not agree with it: the pipeline then drops them with a note
(:mod:`captionbridge.flow.wordcheck`) instead of letting wrong times through.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from itertools import chain
from operator import attrgetter

from ..model import Content, Turn, Word

__all__ = ["WordFeed", "carry_words", "has_words", "with_text"]


def has_words(contents: Sequence[Content], turned: Sequence[int]) -> bool:
    """True when any turn holds word timings (``turned``: the indexes of the contents that
    are turns, :meth:`~captionbridge.model.Transcript.turned_indexes`; a plain string never
    has words, so only those are looked at)."""
    turns = chain.from_iterable(
        content for content in map(contents.__getitem__, turned) if not isinstance(content, str)
    )
    return any(map(_WORDS_OF, turns))


_WORDS_OF = attrgetter("words")


# how far ahead a token looks for its word: removals are short, and the work stays linear
_LOOKAHEAD = 256


def _spelt(word: Word, text: str) -> Word:
    """``word`` spelt ``text`` (the same word when it already is)."""
    return word if word.text == text else Word(text, word.start, word.end, word.confidence)


class WordFeed:
    """The words of one turn, handed out in order to the texts cut from it."""

    __slots__ = ("_position", "_words")

    def __init__(self, words: Sequence[Word]) -> None:
        self._words = tuple(words)
        self._position = 0

    def take(self, text: str) -> tuple[Word, ...]:
        """The words that spell ``text``, the next ones in order (see the module's docstring)."""
        words, position = self._words, self._position
        if not words:
            return ()
        tokens = text.split()
        end = position + len(tokens)
        if [word.text for word in words[position:end]] == tokens:  # the common case: a cut
            self._position = end
            return words[position:end]
        if position == 0 and len(tokens) == len(words):  # the same words, edited one by one
            self._position = len(words)
            return tuple(map(_spelt, words, tokens))
        taken: list[Word] = []
        for token in tokens:
            found = self._find(token, position)
            if found is None:
                return words[self._position :]  # no word spells it: stale on purpose
            taken.append(_spelt(words[found], token))
            position = found + 1
        self._position = position
        return tuple(taken)

    def _find(self, token: str, position: int) -> int | None:
        words = self._words
        stop = min(len(words), position + _LOOKAHEAD)
        for index in range(position, stop):
            if words[index].text == token:
                return index
        for index in range(position, stop):
            text = words[index].text
            if (token in text or text in token) and any(c.isalnum() for c in text):
                return index
        return None


def carry_words(text: str, words: Sequence[Word]) -> tuple[Word, ...]:
    """The words of a turn for its edited ``text`` (see :class:`WordFeed`)."""
    return WordFeed(words).take(text)


def with_text(turn: Turn, text: str) -> Turn:
    """``turn`` with a new text and its words carried along."""
    if text == turn.text:
        return turn
    if not turn.words:
        return replace(turn, text=text)
    return replace(turn, text=text, words=carry_words(text, turn.words))
