"""A well-formed word-level document read in whole columns, or ``None`` for the careful path.

The per-segment loop (:func:`.common.read_segments` with :func:`.words.fast_words`) costs a
few microseconds of Python per word; here every check and conversion runs over all the words
of the file at once, in ``map``/``set``/``min`` calls that loop in C, and only the turns are
built per segment. It takes a document only when the careful path would change nothing: every
value of the expected type and range, every word at least :data:`MIN_WORD_MS` long, the
words in order over the whole file and inside their segments, one speaker per segment. Any
other document gives ``None`` and is read segment by segment, which finds and reports (or
repairs) what is wrong, so the result is the same either way.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from itertools import accumulate, chain, islice, repeat
from operator import le, mul, sub
from typing import Any

from ...helpers.wordrepair import MIN_WORD_MS
from ...model import Content, Speaker, Transcript, Turn, Word
from ...specs import ReadContext
from .common import MAX_SECONDS

_get = dict.get  # map(_get, items, keys) raises TypeError for an item that is no object
_NUMBERS = frozenset((int, float))  # type() in it: bool is no number here
_STRING_OR_NONE = frozenset((str, type(None)))
_FLOAT_OR_NONE = frozenset((float, type(None)))
_new_word = Word.__new__
_SETTERS = tuple(Word.__dict__[name].__set__ for name in ("text", "start", "end", "confidence"))
# the slots' descriptors: see helpers.wordrepair.make_words

#: What :func:`whole_file` gives: starts, ends, contents and speakers, for Transcript.from_columns
Columns = tuple[list[int], list[int], list[Content], dict[str, Speaker]]


def _column(items: list[Any], key: str | None) -> list[Any]:
    return list(map(_get, items, repeat(key, len(items)))) if key else [None] * len(items)


def _types(*columns: list[Any]) -> set[type]:
    return set(chain.from_iterable(map(type, column) for column in columns))


def _milliseconds(values: list[Any]) -> list[int]:
    return list(map(round, map(mul, values, repeat(1000, len(values)))))


def _in_order(before: Iterable[Any], after: Iterable[Any]) -> bool:
    return all(map(le, before, after))


def _within(values: list[Any], low: float, high: float) -> bool:
    """Every value in ``[low, high]``; false for NaN (which ``min`` and ``max`` pass over)."""
    count = len(values)
    return _in_order(repeat(low, count), values) and _in_order(values, repeat(high, count))


def _words(items: list[Any], keys: tuple[str, str | None], spaced: bool) -> list[Any] | None:
    """The words' columns (texts, starts, ends in ms, confidences), checked, or ``None``."""
    text_key, confidence_key = keys
    texts = _column(items, text_key)
    starts = _column(items, "start")
    ends = _column(items, "end")
    confidences = _column(items, confidence_key)
    if _types(texts) != {str} or not _types(starts, ends) <= _NUMBERS:
        return None
    kinds = _types(confidences)
    if not kinds <= _FLOAT_OR_NONE:
        return None
    if float in kinds:
        known = [c for c in confidences if c is not None] if type(None) in kinds else confidences
        if not _within(known, 0, 1):
            return None
    if spaced:  # OpenAI whisper: each word starts with one space, which is taken off
        if not all(map(str.startswith, texts, repeat(" ", len(texts)))):
            return None
        texts = [text[1:] for text in texts]
    if not all(texts) or list(map(str.strip, texts)) != texts:
        return None
    if not (_within(starts, 0, MAX_SECONDS) and _within(ends, 0, MAX_SECONDS)):
        return None
    starts, ends = _milliseconds(starts), _milliseconds(ends)
    if min(map(sub, ends, starts)) < MIN_WORD_MS or not _in_order(ends, islice(starts, 1, None)):
        return None
    return [texts, starts, ends, confidences]


def _make_words(columns: list[Any]) -> list[Word]:
    """``Word`` objects from the checked columns, their slots set in C loops."""
    words = list(map(_new_word, repeat(Word, len(columns[0]))))
    for setter, column in zip(_SETTERS, columns, strict=True):
        deque(map(setter, words, column), maxlen=0)
    return words


def whole_file(
    segments: Any, keys: tuple[str, str | None, str | None], spaced: bool
) -> Columns | None:
    """The cues of ``segments`` (whisper's or WhisperX's), one turn each, or ``None`` when the
    careful path must read them. ``keys`` name the words' text, confidence and speaker fields;
    ``spaced``: each word's text starts with a space (OpenAI whisper)."""
    if type(segments) is not list or not segments:
        return None
    try:
        seg_starts = _column(segments, "start")
        seg_ends = _column(segments, "end")
        seg_speakers = _column(segments, "speaker")
        lists = _column(segments, "words")
        if _types(lists) != {list} or _types(_column(segments, "text")) - _STRING_OR_NONE:
            return None
        counts = list(map(len, lists))
        if min(counts) == 0:
            return None
        items = list(chain.from_iterable(lists))
        who = _column(items, keys[2])
        columns = _words(items, keys[:2], spaced)
    except TypeError:  # a segment or word that is no object
        return None
    if columns is None or not _types(seg_starts, seg_ends) <= _NUMBERS:
        return None
    if not _types(seg_speakers, who) <= _STRING_OR_NONE:
        return None
    if not (_within(seg_starts, 0, MAX_SECONDS) and _within(seg_ends, 0, MAX_SECONDS)):
        return None
    starts, ends = _milliseconds(seg_starts), _milliseconds(seg_ends)
    offsets = list(accumulate(counts, initial=0))
    word_starts, word_ends = columns[1], columns[2]
    if not _in_order(starts, map(word_starts.__getitem__, offsets[:-1])):
        return None
    if not _in_order(map(word_ends.__getitem__, map(sub, offsets[1:], repeat(1))), ends):
        return None
    return _cues(starts, ends, _make_words(columns), columns[0], offsets, (seg_speakers, who))


def _cues(
    starts: list[int],
    ends: list[int],
    words: list[Word],
    texts: list[str],
    offsets: list[int],
    speakers: tuple[list[str | None], list[str | None]],
) -> Columns | None:
    """One turn per segment; ``None`` when a segment's words name more than one speaker."""
    seg_speakers, who = speakers
    named = who.count(None) != len(who)  # "" is a speaker too
    registry: dict[str, Speaker] = {}
    contents: list[Content] = []
    for index, first in enumerate(offsets[:-1]):
        last = offsets[index + 1]
        speaker = seg_speakers[index]
        if named:
            own = set(who[first:last])
            if len(own) > 1:
                return None
            (word_speaker,) = own
            if word_speaker is not None:
                speaker = word_speaker
        if speaker is not None and speaker not in registry:
            registry[speaker] = Speaker(speaker)
        text = " ".join(texts[first:last])
        contents.append((Turn(text, speaker, speaker is not None, tuple(words[first:last])),))
    return starts, ends, contents, registry


def read_whole(
    segments: Any,
    keys: tuple[str, str | None, str | None],
    spaced: bool,
    language: str | None,
    context: ReadContext,
) -> Transcript | None:
    """The transcript of :func:`whole_file`'s cues, or ``None`` for the careful path."""
    whole = whole_file(segments, keys, spaced)
    if whole is None:
        return None
    starts, ends, contents, speakers = whole
    return Transcript.from_columns(
        starts, ends, contents, language=language, speakers=speakers, source=context.source
    )
