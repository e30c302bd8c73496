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

import re
from collections import deque
from collections.abc import Callable, Iterable
from itertools import accumulate, chain, compress, count, islice, repeat
from operator import is_not, le, lt, mul, ne, sub
from typing import Any

from ...helpers.wordrepair import MIN_WORD_MS
from ...helpers.wordrepair import make_words as rows_to_words
from ...model import Content, Speaker, Transcript, Turn, Word
from ...specs import ReadContext
from .common import MAX_SECONDS, Path, Segment, array, language_of, read_segments

_get = dict.get  # map(_get, items, keys) raises TypeError for an item that is no object
_NUMBERS = frozenset((int, float))  # type() in it: bool is no number here
_STRING_OR_NONE = frozenset((str, type(None)))
_FLOAT_OR_NONE = frozenset((float, type(None)))
_new_turn = Turn.__new__
_TURN_SETTERS = tuple(
    Turn.__dict__[name].__set__ for name in ("text", "speaker", "change", "words")
)
# the slots' descriptors: Turn's __init__ sets each field through object.__setattr__

#: What :func:`whole_file` gives: starts, ends, contents and speakers, for Transcript.from_columns
Columns = tuple[list[int], list[int], list[Content], dict[str, Speaker]]


def _column(items: list[Any], key: str | None) -> list[Any]:
    return list(map(_get, items, repeat(key, len(items)))) if key else [None] * len(items)


def _types(*columns: list[Any]) -> set[type]:
    return set(chain.from_iterable(map(type, column) for column in columns))


def _typed_milliseconds(values: list[Any]) -> list[int] | None:
    """:func:`milliseconds` for a column that is not all floats: checked by type first."""
    kinds = _types(values)
    if not kinds <= _NUMBERS:
        return None
    try:
        ms = list(map(round, map(mul, values, repeat(1000, len(values)))))
    except (ValueError, OverflowError):  # NaN, infinity
        return None
    return ms


def milliseconds(values: list[Any]) -> list[int] | None:
    """Times in seconds as whole milliseconds, or ``None`` when one is no number (``bool``
    included), NaN or infinite; the range is the caller's to check. ``sum`` fails on anything
    but numbers, so multiplying is safe (a string times 1000 is no error, only a long string);
    ``float.__round__`` (round() without the look-up of ``__round__``) takes nothing but a
    float, so a column of floats, the common case, needs no pass over its types."""
    try:
        total = sum(values)
    except (TypeError, OverflowError):  # no number, or an int too large for a float
        return None
    if total != total:  # NaN (float.__round__ would say so too, but not of an int column)
        return None
    try:
        return list(map(float.__round__, map(mul, values, repeat(1000, len(values)))))
    except TypeError:  # an int (or bool) among the floats
        return _typed_milliseconds(values)
    except (ValueError, OverflowError):  # NaN, infinity
        return None


def _in_order(before: Iterable[Any], after: Iterable[Any]) -> bool:
    return all(map(le, before, after))


def _within(values: list[Any], low: float, high: float) -> bool:
    """Every value in ``[low, high]``; false for NaN, which ``min`` and ``max`` may pass over
    but which makes the sum NaN (the values are at most ``MAX_SECONDS``: the sum is finite)."""
    total = sum(values)
    return bool(total == total and min(values) >= low and max(values) <= high)


_OTHER_SPACE = re.compile(r"[^\S ]")  # whitespace but " ": what str.split() splits at too


def _bare_texts(texts: list[str], spaced: bool) -> list[str] | None:
    """The texts when each is a word without whitespace (after the one leading space of
    each when ``spaced``, which is taken off), else ``None``; checked on all the texts joined,
    in C (a text with a space inside, which the careful path takes, gives ``None``). A text
    that is no string raises ``TypeError``."""
    joined = ("" if spaced else " ").join(texts)
    if joined.count(" ") != len(texts) - (not spaced):
        return None
    # isprintable(): no separator (whitespace) but " ", nor control character; a text with
    # some other unprintable character (U+200B) is searched
    if not joined.isprintable() and _OTHER_SPACE.search(joined):
        return None
    if not spaced:  # n - 1 spaces in n texts joined by spaces: none inside a text
        return None if "" in texts else texts
    # min/max: every text starts with a space (" " <= text < "!"); count: no other space
    if min(texts) < " " or max(texts) >= "!":
        return None
    words = joined.split(" ")
    del words[0]  # before the first space
    return None if "" in words else words


def word_columns(items: list[Any], keys: tuple[str, str | None], spaced: bool) -> list[Any] | None:
    """The words' columns (texts, starts and ends in ms, confidences), checked, or ``None``;
    ``keys`` name the text and confidence fields. The words must be in order over the whole
    list and each at least :data:`MIN_WORD_MS` long."""
    text_key, confidence_key = keys
    try:
        texts = _column(items, text_key)
        starts = _column(items, "start")
        ends = _column(items, "end")
        confidences = _column(items, confidence_key)
    except TypeError:  # a word that is no object
        return None
    if confidence_key is not None:
        kinds = _types(confidences)
        if not kinds <= _FLOAT_OR_NONE:
            return None
        known = [c for c in confidences if c is not None] if type(None) in kinds else confidences
        if known and not _within(known, 0, 1):
            return None
    try:
        bare = _bare_texts(texts, spaced)
    except TypeError:  # a text that is no string
        return None
    starts_ms, ends_ms = milliseconds(starts), milliseconds(ends)
    if bare is None or starts_ms is None or ends_ms is None:
        return None
    if min(map(sub, ends_ms, starts_ms)) < MIN_WORD_MS:
        return None
    if not _in_order(ends_ms, islice(starts_ms, 1, None)):
        return None
    # the times in ms now rise word by word (start < end <= next start), so the first start
    # and the last end bound them all; a value in seconds below 0 or past MAX_SECONDS has a
    # rounded time below 1 or past MAX_SECONDS * 1000 - 1, and only the first start may be 0
    if starts_ms[0] < 0 or (starts_ms[0] == 0 and starts[0] < 0):
        return None
    if ends_ms[-1] >= MAX_SECONDS * 1000:
        return None
    return [bare, starts_ms, ends_ms, confidences]


def make_words(columns: list[Any]) -> tuple[Word, ...]:
    """``Word`` objects from the checked columns (texts, starts, ends, confidences)."""
    return rows_to_words(zip(*columns, strict=True))


def _in_range(values: list[Any]) -> bool:
    return bool(min(values) >= 0 and max(values) <= MAX_SECONDS)


def segment_columns(segments: list[Any]) -> list[Any] | None:
    """The segments' starts and ends in ms, speakers and texts, checked, or ``None``."""
    try:
        starts = _column(segments, "start")
        ends = _column(segments, "end")
        speakers = _column(segments, "speaker")
        texts = _column(segments, "text")
    except TypeError:  # a segment that is no object
        return None
    if not _types(speakers, texts) <= _STRING_OR_NONE:
        return None
    starts_ms, ends_ms = milliseconds(starts), milliseconds(ends)
    if starts_ms is None or ends_ms is None or not (_in_range(starts) and _in_range(ends)):
        return None
    return [starts_ms, ends_ms, speakers, texts]


def inside(offsets: list[int], words: list[Any], starts: list[int], ends: list[int]) -> bool:
    """Each segment's words (``offsets[i]`` to ``offsets[i + 1]``: at least one) inside it."""
    word_starts, word_ends = words[1], words[2]
    if not all(map(lt, offsets, islice(offsets, 1, None))):
        return False
    firsts = map(word_starts.__getitem__, islice(offsets, len(offsets) - 1))
    lasts = map(word_ends.__getitem__, map(sub, islice(offsets, 1, None), repeat(1)))
    return _in_order(starts, firsts) and _in_order(lasts, ends)


def whole_file(
    segments: Any, keys: tuple[str, str | None, str | None], spaced: bool
) -> Columns | None:
    """The cues of ``segments`` (whisper's or WhisperX's), one turn each, or ``None`` when the
    careful path must read them. ``keys`` name the words' text, confidence and speaker fields;
    ``spaced``: each word's text starts with a space (OpenAI whisper)."""
    if type(segments) is not list or not segments:
        return None
    segs = segment_columns(segments)
    if segs is None:
        return None
    lists = _column(segments, "words")
    if _types(lists) != {list} or min(map(len, lists)) == 0:
        return None
    items = list(chain.from_iterable(lists))
    try:
        who = _column(items, keys[2]) if keys[2] else []
    except TypeError:  # a word that is no object
        return None
    columns = word_columns(items, keys[:2], spaced)
    kinds = _types(who)
    if columns is None or not kinds <= _STRING_OR_NONE:
        return None
    if str not in kinds:  # no word names a speaker
        who = []
    starts, ends, speakers, _ = segs
    offsets = list(accumulate(map(len, lists), initial=0))
    if not inside(offsets, columns, starts, ends):
        return None
    return cues(starts, ends, make_words(columns), columns[0], offsets, (speakers, who))


def _turns(
    texts: list[str], speakers: list[str | None], words: list[tuple[Word, ...]]
) -> list[Turn]:
    """``Turn(text, speaker, speaker is not None, words)`` for each, the slots set in C loops."""
    turns = list(map(_new_turn, repeat(Turn, len(texts))))
    changes = list(map(is_not, speakers, repeat(None, len(speakers))))
    columns: tuple[list[Any], ...] = (texts, speakers, changes, words)
    for setter, column in zip(_TURN_SETTERS, columns, strict=True):
        deque(map(setter, turns, column), maxlen=0)
    return turns


def cues(
    starts: list[int],
    ends: list[int],
    words: tuple[Word, ...],
    texts: list[str],
    offsets: list[int],
    speakers: tuple[list[str | None], list[str | None]],
) -> Columns | None:
    """One turn per segment; ``None`` when a segment's words name more than one speaker.
    ``speakers``: the segments' and the words' (empty when no word names one)."""
    seg_speakers, who = speakers
    spans = list(map(slice, offsets, islice(offsets, 1, None)))
    if who:  # words with speakers ("" is a speaker too)
        # one speaker per segment: the speaker changes only where a segment starts
        changes = compress(count(1), map(ne, who, islice(who, 1, None)))
        if not set(changes) <= set(offsets):
            return None
        firsts = map(who.__getitem__, islice(offsets, len(offsets) - 1))
        seg_speakers = [
            own if own is not None else given
            for own, given in zip(firsts, seg_speakers, strict=True)
        ]
    registry = {name: Speaker(name) for name in dict.fromkeys(seg_speakers) if name is not None}
    turn_texts = list(map(" ".join, map(texts.__getitem__, spans)))
    turn_words = list(map(words.__getitem__, spans))  # slices of a tuple are tuples
    contents: list[Content] = list(zip(_turns(turn_texts, seg_speakers, turn_words)))
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


def read_segmented(
    text: str,
    document: dict[str, Any],
    context: ReadContext,
    keys: tuple[str, str | None, str | None],
    spaced: bool,
    parse: Callable[[Any, Path], Segment],
) -> Transcript:
    """A ``segments[].words[]`` document (OpenAI whisper, WhisperX): the whole-file path when
    it applies, else one careful ``parse`` per segment."""
    language = language_of(document.get("language"))
    whole = read_whole(document.get("segments"), keys, spaced, language, context)
    if whole is not None:
        return whole
    segments = array(document, "segments")
    return read_segments(text, segments, ("segments",), parse, context, language)
