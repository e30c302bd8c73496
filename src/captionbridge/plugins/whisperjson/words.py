"""Word rows from the dialects' word and token arrays, on a fast path for well-formed input.

A one-hour file has ten thousand words, so the loops here check each value inline and build
plain ``(text, start, end, confidence)`` rows (:data:`~captionbridge.helpers.wordrepair.RawWord`);
a value that fails the inline check goes through the validating functions of :mod:`.common`,
which raise :class:`~.common.Bad` with the value's path.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import islice
from operator import le, sub
from typing import Any

from ...helpers.wordrepair import MIN_WORD_MS, RawWord
from ...model import Word
from .common import (
    MAX_SECONDS,
    Bad,
    Path,
    confidence_of,
    json_type,
    milliseconds,
    objects,
    optional_seconds,
    speaker_of,
    text_of,
)
from .wholefile import make_words

_NUMBERS = frozenset((int, float))  # type() in it: bool is no number here
_SPECIAL = re.compile(r"\[_[A-Z]+_?\d*\]")  # whisper.cpp's [_BEG_], [_TT_150], [_SOT_]...
_MS_LIMIT = 2**53


def _checked_word(word: Any, here: Path, keys: tuple[str, str | None]) -> RawWord:
    """The slow path of :func:`word_rows`: every value validated, errors with their path."""
    if not isinstance(word, dict):
        raise Bad(f"a word is a JSON {json_type(word)}, not an object", here)
    text_key, confidence_key = keys
    confidence = None
    if confidence_key is not None:
        what = f"a word's {confidence_key}"
        confidence = confidence_of(word.get(confidence_key), what, (*here, confidence_key))
    return (
        text_of(word.get(text_key), "a word's text", (*here, text_key)),
        optional_seconds(word.get("start"), "a word's start", here, "start"),
        optional_seconds(word.get("end"), "a word's end", here, "end"),
        confidence,
    )


def word_rows(items: Any, path: Path, text_key: str, confidence_key: str | None) -> list[RawWord]:
    """Rows from an array of word objects with times in seconds; texts as written."""
    if type(items) is not list:
        items = objects(items, "words", path)  # None is no words; anything else an error
    rows: list[RawWord] = []
    append = rows.append
    keys = (text_key, confidence_key)
    numbers = _NUMBERS
    for index, word in enumerate(items):
        if type(word) is dict:
            text = word.get(text_key)
            start: Any = word.get("start")
            end: Any = word.get("end")
            confidence = word.get(confidence_key) if confidence_key else None
            if (
                type(text) is str
                and type(start) in numbers
                and type(end) in numbers
                and 0 <= start <= MAX_SECONDS
                and 0 <= end <= MAX_SECONDS
                and (confidence is None or (type(confidence) is float and 0 <= confidence <= 1))
            ):
                append((text, round(start * 1000), round(end * 1000), confidence))
                continue
        append(_checked_word(word, (*path, index), keys))
    return rows


def word_speakers(items: Any, path: Path) -> list[str | None]:
    """The ``speaker`` of each word (WhisperX), checked; ``items`` are the word objects that
    :func:`word_rows` accepted."""
    who = [word.get("speaker") for word in items]
    for index, speaker in enumerate(who):
        if speaker is not None and type(speaker) is not str:
            who[index] = speaker_of(speaker, "a word's speaker", (*path, index, "speaker"))
    return who


def _checked_token(token: Any, here: Path) -> RawWord:
    if not isinstance(token, dict):
        raise Bad(f"a token is a JSON {json_type(token)}, not an object", here)
    text = text_of(token.get("text"), "a token's text", here, "text")
    confidence = confidence_of(token.get("p"), "a token's p", here, "p")
    span = token.get("offsets")
    if span is None:
        return text, None, None, confidence
    if not isinstance(span, dict):
        raise Bad(f"offsets is a JSON {json_type(span)}, not an object", here, "offsets")
    start = milliseconds(span.get("from"), "offsets.from", (*here, "offsets", "from"))
    end = milliseconds(span.get("to"), "offsets.to", (*here, "offsets", "to"))
    return text, start, end, confidence


def token_rows(items: Any, path: Path) -> list[RawWord]:
    """Rows from whisper.cpp's ``tokens`` (times in ms), special tokens left out."""
    if type(items) is not list:
        items = objects(items, "tokens", path)
    rows: list[RawWord] = []
    append = rows.append
    for index, token in enumerate(items):
        row: RawWord | None = None
        if type(token) is dict:
            text = token.get("text")
            span = token.get("offsets")
            p = token.get("p")
            if type(text) is str and (p is None or (type(p) is float and 0 <= p <= 1)):
                if span is None:
                    row = (text, None, None, p)
                elif type(span) is dict:
                    start = span.get("from")
                    end = span.get("to")
                    if (
                        type(start) is int
                        and type(end) is int
                        and 0 <= start <= _MS_LIMIT
                        and 0 <= end <= _MS_LIMIT
                    ):
                        row = (text, start, end, p)
        if row is None:
            row = _checked_token(token, (*path, index))
        if row[0][:2] == "[_" and _SPECIAL.fullmatch(row[0]):
            continue
        append(row)
    return rows


def merge_pieces(pieces: Sequence[RawWord]) -> list[RawWord]:
    """Words from tokens: a piece whose text does not start with a space continues the word
    before it (whisper's sub-word tokens and attached punctuation); confidences average.
    Texts come out stripped; pieces that are only spaces are left out."""
    if all(text[:1] == " " for text, _, _, _ in pieces[1:]):  # one piece per word: no merging
        return [(t.strip(), s, e, c) for t, s, e, c in pieces if not t.isspace() and t]
    words: list[RawWord] = []
    group: list[RawWord] = []

    def close() -> None:
        text = "".join(piece[0] for piece in group).strip()
        if text:
            known = [piece[3] for piece in group if piece[3] is not None]
            confidence = sum(known) / len(known) if known else None
            words.append((text, group[0][1], group[-1][2], confidence))

    for piece in pieces:
        if group and piece[0][:1].isspace():
            close()
            group = []
        group.append(piece)
    if group:
        close()
    return words


_ALNUM = re.compile(r"\w+")
#: what :func:`punctuate` takes off a reference word to compare it
PUNCTUATION = ".,;:!?\"'()[]¿¡«»“”‘’…-—"


def bare(text: str) -> str:
    """The word characters of ``text``, case folded: what :func:`punctuate` compares last."""
    return "".join(_ALNUM.findall(text.casefold()))


def punctuate(words: Sequence[RawWord], reference: str) -> list[RawWord] | None:
    """``words`` with the punctuation and case of ``reference`` (the OpenAI API's words have
    none); ``None`` when the two do not spell the same words."""
    tokens = reference.split()
    result: list[RawWord] = []
    at = 0
    for text, start, end, confidence in words:
        if at >= len(tokens):
            return None
        token = tokens[at]
        if token != text and token.strip(PUNCTUATION) != text and bare(token) != bare(text):
            return None
        at += 1
        while at < len(tokens) and not bare(tokens[at]):  # a lone dash or symbol
            token += " " + tokens[at]
            at += 1
        result.append((token, start, end, confidence))
    return result if at == len(tokens) else None


#: What :func:`fast_words` gives: the words, the turn text they spell, and their one speaker.
Fast = tuple[tuple[Word, ...], str, str | None]
_new_tuple = tuple.__new__  # tuple.__new__(Word, row): see helpers.wordrepair.make_words


def fast_words(
    items: Any, keys: tuple[str, str | None, str | None], bounds: tuple[int, int], spaced: bool
) -> Fast | None:
    """The words of a well-formed segment in one pass, or ``None`` when anything needs the
    careful path (:func:`word_rows`, merging, repair, speaker turns): a value of another type,
    a word not in order, shorter than the minimum or outside the segment, a second speaker.
    ``keys`` name the text, confidence and speaker fields; ``spaced``: each word's text starts
    with a space (OpenAI whisper), which is taken off."""
    if type(items) is not list or not items:
        return None
    seg_start, seg_end = bounds
    shortest = min(MIN_WORD_MS, (seg_end - seg_start) // len(items))
    text_key, confidence_key, speaker_key = keys
    speaker = items[0].get(speaker_key) if speaker_key and type(items[0]) is dict else None
    if speaker is not None and type(speaker) is not str:
        return None
    numbers, limit, new, round_ = _NUMBERS, MAX_SECONDS, _new_tuple, round
    cursor = seg_start
    words: list[Word] = []
    texts: list[str] = []
    add_word, add_text = words.append, texts.append
    for word in items:
        if type(word) is not dict:
            return None
        text = word.get(text_key)
        start: Any = word.get("start")
        end: Any = word.get("end")
        confidence = word.get(confidence_key) if confidence_key else None
        if type(text) is not str or type(start) not in numbers or type(end) not in numbers:
            return None
        if confidence is not None and not (type(confidence) is float and 0 <= confidence <= 1):
            return None
        if speaker_key and word.get(speaker_key) != speaker:
            return None
        if spaced:
            if text[:1] != " ":
                return None
            text = text[1:]
        if not text or text != text.strip() or not 0 <= start <= end <= limit:
            return None
        start = round_(start * 1000)
        end = round_(end * 1000)
        if start < cursor or end - start < shortest:
            return None
        cursor = end
        add_word(new(Word, (text, start, end, confidence)))
        add_text(text)
    if cursor > seg_end or shortest < 1:
        return None
    return tuple(words), " ".join(texts), speaker


def _confidence(known: list[float]) -> float | None:
    """The mean of a word's pieces' confidences, as :func:`merge_pieces` takes it."""
    return (float(known[0]) if len(known) == 1 else sum(known) / len(known)) if known else None


def _token_pieces(items: list[Any]) -> list[list[Any]] | None:
    """whisper.cpp's tokens merged into words as :func:`merge_pieces` merges them, when every
    value is of the expected type: the words' columns (texts as the pieces spell them after
    the one leading space, starts, ends, confidences); ``None`` for the careful path."""
    texts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    confidences: list[float | None] = []
    parts: list[str] = []
    known: list[float] = []
    last = 0
    for token in items:
        if type(token) is not dict:
            return None
        text = token.get("text")
        span = token.get("offsets")
        p = token.get("p")
        if type(text) is not str or type(span) is not dict:
            return None
        if p is not None and not (type(p) in _NUMBERS and 0 <= p <= 1):  # as confidence_of
            return None
        start: Any = span.get("from")
        end: Any = span.get("to")
        if type(start) is not int or type(end) is not int or not 0 <= start <= end <= _MS_LIMIT:
            return None
        if text[:2] == "[_" and _SPECIAL.fullmatch(text):
            continue
        if text[:1] == " " or not parts:  # a new word (the first piece always is one)
            if parts:
                texts.append("".join(parts))
                ends.append(last)
                confidences.append(_confidence(known))
            parts, known = [text[1:] if text[:1] == " " else text], []
            starts.append(start)
        else:
            parts.append(text)
        if p is not None:
            known.append(p)
        last = end
    if parts:
        texts.append("".join(parts))
        ends.append(last)
        confidences.append(_confidence(known))
    return [texts, starts, ends, confidences]


def fast_tokens(items: Any, bounds: tuple[int, int]) -> Fast | None:
    """The words of a well-formed whisper.cpp segment's tokens in one pass, or ``None`` when
    anything needs the careful path (:func:`token_rows`, :func:`merge_pieces`, repair): a
    value of another type, whitespace inside a word or around it other than one leading
    space, a word not in order, shorter than the minimum or outside the segment."""
    if type(items) is not list:
        return None
    columns = _token_pieces(items)
    if columns is None or not columns[0]:
        return None
    texts, starts, ends, _ = columns
    joined = " ".join(texts)
    if joined.split() != texts:  # each a word without whitespace
        return None
    seg_start, seg_end = bounds
    shortest = max(1, min(MIN_WORD_MS, (seg_end - seg_start) // len(texts)))
    # as repair_words finds nothing to repair: in order, long enough, inside the segment
    if starts[0] < seg_start or ends[-1] > seg_end or min(map(sub, ends, starts)) < shortest:
        return None
    if not all(map(le, ends, islice(starts, 1, None))):
        return None
    return make_words(columns), joined, None
