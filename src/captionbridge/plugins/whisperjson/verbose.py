"""The OpenAI API's ``verbose_json`` (``timestamp_granularities=["word"]``): ``{"task",
"language": "english", "duration", "text", "words": [{"word": "The", "start": 0.0, "end": 0.24}],
"segments": [{"start", "end", "text", ...}]}``.

Seconds; the words have no probability, no leading space and no punctuation: the punctuation
and case come back from the segment text (or the document text) when both spell the same
words. ``segments`` may be absent: cues are then cut after sentence ends, pauses of a second
or more, and every :data:`MAX_CUE_CHARS` characters. ``diarized_json`` puts ``speaker`` on
segments, which is kept.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import chain, compress, count, islice, pairwise, repeat
from operator import le, ne, sub
from typing import Any

from ...helpers.wordrepair import RawWord
from ...model import Transcript
from ...specs import ReadContext
from .common import (
    Bad,
    Path,
    Segment,
    array,
    language_of,
    read_segments,
    seconds,
    speaker_of,
    text_of,
)
from .dialects import VERBOSE
from .wholefile import cues, inside, make_words, segment_columns, word_columns
from .words import PUNCTUATION, bare, punctuate, word_rows

NAME = VERBOSE
#: without segments, a cue is cut at the first word past this many characters
MAX_CUE_CHARS = 84
#: without segments, a pause this long (ms) between words starts a new cue
PAUSE_MS = 1000


def _words(document: dict[str, Any]) -> list[RawWord]:
    rows = word_rows(document.get("words"), ("words",), "word", None)
    return [(t.strip(), s, e, c) for t, s, e, c in rows if t.strip()]


def _with_text(words: list[RawWord], reference: str) -> list[RawWord]:
    return punctuate(words, reference) or words


def _cut_points(
    texts: Sequence[str], starts: Sequence[int | None], ends: Sequence[int | None]
) -> list[int]:
    """Where cue-sized runs of words start, for a document without segments, and the end:
    a run ends after a sentence end, before a pause of :data:`PAUSE_MS` or more, or once it
    has :data:`MAX_CUE_CHARS` characters."""
    points = [0]
    length = 0
    for index in range(1, len(texts)):
        length += len(texts[index - 1]) + 1
        start, end = starts[index], ends[index - 1]
        pause = start - end if start is not None and end is not None else 0
        if texts[index - 1][-1] in ".?!" or pause >= PAUSE_MS or length >= MAX_CUE_CHARS:
            points.append(index)
            length = 0
    points.append(len(texts))
    return points


def _cut(words: list[RawWord]) -> list[list[RawWord]]:
    """Cue-sized runs of words, for a document without segments."""
    if not words:
        return []
    texts, starts, ends, _ = zip(*words, strict=True)
    points = _cut_points(texts, starts, ends)
    return [words[first:last] for first, last in pairwise(points)]


def _bounds(run: list[RawWord]) -> tuple[int, int]:
    times = [t for w in run for t in (w[1], w[2]) if t is not None]
    return (min(times), max(times)) if times else (0, 0)


def _start_ms(segment: Any) -> int:
    """A segment's start for sharing out the words; a bad one is reported by the segment."""
    try:
        return seconds(segment.get("start"), "start", ()) if isinstance(segment, dict) else 0
    except Bad:
        return 0


_LONE_SYMBOL = re.compile(r"(?<!\S)[^\w\s]+(?!\S)")  # joins the word before it in punctuate()


def _spelt(tokens: list[str], texts: list[str]) -> list[str] | None:
    """The segment's words as its text spells them, when that needs no :func:`punctuate`:
    the same words, or the same with punctuation around them (and no lone symbol, which
    punctuate() joins to the word before); else ``None``. A token is a lone symbol when it
    has no word character; stripping :data:`PUNCTUATION` (no word characters) keeps that, so
    the texts, a tenth of the reference's length, are searched instead of the reference."""
    if tokens == texts:
        return texts
    if (
        len(tokens) == len(texts)
        and list(map(str.strip, tokens, repeat(PUNCTUATION, len(tokens)))) == texts
        and not _LONE_SYMBOL.search(" ".join(texts).casefold())
    ):
        return tokens
    return None


def _segment_spelt(
    columns: list[list[Any]], reference: str, own: list[str], span: tuple[int, int]
) -> list[str]:
    """One segment's words punctuated from its text, as :func:`punctuate` makes them."""
    first, last = span
    mine = columns[0][first:last]
    done = _spelt(own, mine)
    if done is None:
        rows = list(zip(*(column[first:last] for column in columns), strict=True))
        punctuated = punctuate(rows, reference)
        done = mine if punctuated is None else [row[0] for row in punctuated]
    return done


def _punctuated(columns: list[list[Any]], references: list[str], offsets: list[int]) -> list[str]:
    """The words' texts with the punctuation and case of their segments' texts, as
    :func:`punctuate` makes them, checked for the whole file at once in the common case: every
    segment with as many tokens as words and no word a lone symbol (see :func:`_respelt`)."""
    texts = columns[0]
    tokens = list(map(str.split, references))
    if list(map(len, tokens)) == list(map(sub, islice(offsets, 1, None), offsets)):
        flat = list(chain.from_iterable(tokens))
        if flat == texts:
            return texts
        if not _LONE_SYMBOL.search(" ".join(texts).casefold()):
            return _respelt(flat, columns, references, offsets)
    spelt: list[str] = []
    for index, (reference, own) in enumerate(zip(references, tokens, strict=True)):
        spelt += _segment_spelt(columns, reference, own, (offsets[index], offsets[index + 1]))
    return spelt


def _respelt(
    flat: list[str], columns: list[list[Any]], references: list[str], offsets: list[int]
) -> list[str]:
    """The segments' tokens (``flat``, one per word) where :func:`punctuate` gives them: a word
    its token spells as written, stripped of :data:`PUNCTUATION`, or in the same word
    characters (:func:`bare`, not none) takes the token. No such token is a lone symbol (the
    caller found no word that is one), so punctuate() pairs tokens and words one to one and
    takes a segment's tokens when every word takes its own; a segment with a word that does
    not is punctuated by itself. Only the words whose token is not their text are looked at."""
    texts = columns[0]
    differ = compress(count(), map(ne, flat, texts))
    unlike = [i for i in differ if flat[i].strip(PUNCTUATION) != texts[i]]
    unspelt = [i for i in unlike if not bare(flat[i]) or bare(flat[i]) != bare(texts[i])]
    for segment in sorted({bisect_right(offsets, word) - 1 for word in unspelt}):
        span = offsets[segment], offsets[segment + 1]
        own = flat[span[0] : span[1]]
        flat[span[0] : span[1]] = _segment_spelt(columns, references[segment], own, span)
    return flat


def _whole(document: dict[str, Any], language: str | None, source: str | None) -> Transcript | None:
    """A well-formed document with segments read in whole columns (see :mod:`.wholefile`), or
    ``None`` for the careful path."""
    items, segments = document.get("words"), document.get("segments")
    if type(items) is not list or not items or type(segments) is not list or not segments:
        return None
    columns = word_columns(items, ("word", None), spaced=False)
    segs = segment_columns(segments)
    if columns is None or segs is None:
        return None
    starts, ends, speakers, references = segs
    texts, word_starts = columns[0], columns[1]
    if not all(map(le, starts, starts[1:])):
        return None
    offsets = [0, *(bisect_left(word_starts, start) for start in starts[1:]), len(texts)]
    if not inside(offsets, columns, starts, ends):
        return None
    if None in references:
        references = [reference or "" for reference in references]
    columns[0] = spelt = _punctuated(columns, references, offsets)
    words = make_words(columns)
    whole = cues(starts, ends, words, spelt, offsets, (speakers, []))
    assert whole is not None  # no word speakers, so one speaker per segment
    return Transcript.from_columns(
        starts, ends, whole[2], language=language, speakers=whole[3], source=source
    )


def _whole_unsegmented(
    document: dict[str, Any], language: str | None, source: str | None
) -> Transcript | None:
    """A well-formed document without segments read in whole columns: the words checked and
    punctuated from the document's text at once, cut into cues as :func:`_cut` cuts them;
    ``None`` for the careful path."""
    items, segments, reference = (
        document.get("words"),
        document.get("segments"),
        document.get("text"),
    )
    if type(items) is not list or not items or segments not in (None, []):
        return None
    if reference is not None and type(reference) is not str:
        return None
    columns = word_columns(items, ("word", None), spaced=False)
    if columns is None:
        return None
    columns[0] = spelt = _punctuated(columns, [reference or ""], [0, len(items)])
    points = _cut_points(spelt, columns[1], columns[2])
    firsts, lasts = islice(points, len(points) - 1), map(sub, islice(points, 1, None), repeat(1))
    starts = list(map(columns[1].__getitem__, firsts))
    ends = list(map(columns[2].__getitem__, lasts))
    words = make_words(columns)
    nobody: list[str | None] = [None] * len(starts)
    whole = cues(starts, ends, words, spelt, points, (nobody, []))
    assert whole is not None  # no speakers
    return Transcript.from_columns(
        starts, ends, whole[2], language=language, speakers=whole[3], source=source
    )


def read(text: str, document: dict[str, Any], context: ReadContext) -> Transcript:
    """A parsed ``verbose_json`` document as a transcript."""
    language = language_of(document.get("language"))
    whole = _whole(document, language, context.source)
    if whole is None:
        whole = _whole_unsegmented(document, language, context.source)
    if whole is not None:
        return whole
    words = _words(document)
    segments = array(document, "segments")
    if not segments:
        runs = _cut(_with_text(words, text_of(document.get("text"), "text", ("text",))))
        items = [{"run": run} for run in runs]

        def from_run(item: dict[str, Any], path: Path) -> Segment:
            run = item["run"]
            start, end = _bounds(run)
            return Segment(start, end, "", words=run)

        return read_segments(text, items, ("words",), from_run, context, language)
    starts = [_start_ms(segment) for segment in segments]
    owner: list[list[RawWord]] = [[] for _ in segments]
    at = 0
    for word in words:
        start = word[1] if word[1] is not None else 0
        while at + 1 < len(segments) and start >= starts[at + 1]:
            at += 1
        owner[at].append(word)

    def parse(item: dict[str, Any], path: Path) -> Segment:
        index = path[-1]
        assert isinstance(index, int)
        segment_text = text_of(item.get("text"), "text", path, "text")
        return Segment(
            seconds(item.get("start"), "start", path, "start"),
            seconds(item.get("end"), "end", path, "end"),
            segment_text,
            speaker_of(item.get("speaker"), "speaker", path, "speaker"),
            _with_text(owner[index], segment_text),
        )

    return read_segments(text, segments, ("segments",), parse, context, language)
