"""Word-level line dialects: one timed word (or sub-word token) per line, read into segments
whose turns carry word timings.

whisper.cpp ``-ml 1`` prints every token as a segment of its own, ``[t0 --> t1]`` then two
spaces and the token's text; a token that starts a word starts with its own space, a sub-word
piece or punctuation (``ing``, ``,``) does not and continues the word before it. With ``-sow``
it splits on words only, so every line is a whole word. Each of whisper's own segments starts
with an empty line (its ``[_BEG_]`` token). :func:`looks_word_level` tells such a transcript from
an ordinary one; :func:`word_segments` joins the tokens into words and groups the words into
segments at sentence ends, pauses and a length (:func:`group_words`), so that writers that know
nothing of words still get sensible cues.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise

from ..model import Content, Speaker, Turn, Word
from .wordrepair import WordRepairs, repair_words

__all__ = [
    "MAX_CHARS",
    "PAUSE_MS",
    "WordSegments",
    "group_words",
    "looks_word_level",
    "word_segments",
]

#: A pause longer than this (milliseconds) between two words ends a segment.
PAUSE_MS = 500
#: A segment holds about this many characters at most (two lines of 42).
MAX_CHARS = 84
_MIN_LINES = 8
_SENTENCE_END = (".", "?", "!", "…", '."', '?"', '!"', ".”", "?”", "!”")
_CLAUSE_END = (",", ";", ":", "—")
_TURN_WORDS = frozenset(("-", ">>"))
_DI_SPEAKER = re.compile(r"\(speaker (\d+|\?)\)")
_SPEAKER_TURN = " [SPEAKER_TURN]"


@cache
def _spaceless() -> re.Pattern[str]:
    """Scripts written without spaces between words: their tokens are never joined with spaces.

    Compiled on first use: its character ranges take longer to compile than the rest of the
    start-up's patterns together, and only word-level lines need it."""
    return re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u9fff\uf900-\ufaff]")


def _bare(text: str) -> str:
    if text.startswith("(speaker"):
        match = _DI_SPEAKER.match(text)
        if match:
            return text[match.end() :].strip()
    return text


def looks_word_level(
    starts: Sequence[object], ends: Sequence[object], texts: Sequence[str]
) -> bool:
    """True when the (stripped) segment texts are one word or token each, in time order, and
    each segment starts where the one before ends (ignoring empty ones), as whisper.cpp ``-ml 1``
    prints them.

    The first test looks at the first 32 texts only, so ordinary transcripts (a sentence per
    line) are told apart at no cost whatever their length."""
    count = len(texts)
    if count < _MIN_LINES:
        return False
    head = [text for text in texts[:32] if text]
    if sum(" " in _bare(text) for text in head) > len(head) // 10:
        return False
    # stereo diarization (-di) puts "(speaker N)" before every word
    per_line = 24 if any(text.startswith("(speaker") for text in texts[:3]) else 12
    if sum(map(len, texts)) > per_line * count:
        return False
    kept = [i for i, text in enumerate(texts) if text]
    if len(kept) < _MIN_LINES:
        return False
    single = sum(" " not in _bare(texts[i]) for i in kept)
    if single < 0.9 * len(kept):
        return False
    if sum(_spaceless().search(texts[i]) is not None for i in kept) > len(kept) // 2:
        return False
    pairs = list(pairwise(kept))
    if any(starts[b] < starts[a] for a, b in pairs):  # type: ignore[operator]
        return False  # out of order: not one recogniser's run, read line by line
    contiguous = sum(starts[b] == ends[a] for a, b in pairs)
    return contiguous >= 0.8 * len(pairs)


@dataclass
class _Spoken:
    """A word being built from tokens, with the speaker marks met on its lines."""

    text: str
    start: int
    end: int
    speaker: str | None
    change: bool  # a new speaker starts at this word


@dataclass
class WordSegments:
    """Segments read from word lines: parallel columns, the speakers met, and counts for the
    reader's note."""

    starts: list[int]
    ends: list[int]
    contents: list[Content]
    speakers: dict[str, Speaker]
    lines: int
    joined: int  # tokens that continued the word before them
    markers: int  # turn dashes dropped as words
    repairs: WordRepairs = field(default_factory=WordRepairs)


def _leads(raws: Sequence[str]) -> tuple[int, bool]:
    """The fewest leading spaces of the non-empty lines, and whether some have more (then a
    line with the fewest continues the word before it)."""
    leads = [len(raw) - len(raw.lstrip(" \t")) for raw in raws if raw.strip()]
    if not leads:
        return 0, False
    return min(leads), max(leads) > min(leads)


def _words_of_lines(
    starts: Sequence[int], ends: Sequence[int], raws: Sequence[str]
) -> tuple[list[_Spoken], dict[str, Speaker], int]:
    base, distinct = _leads(raws)
    speakers: dict[str, Speaker] = {}
    words: list[_Spoken] = []
    joined = 0
    speaker: str | None = None
    change_next = False
    for start, end, raw in zip(starts, ends, raws, strict=True):
        body = raw.rstrip()
        turn_next = body.endswith(_SPEAKER_TURN)
        if turn_next:
            body = body[: -len(_SPEAKER_TURN)]
        lead = len(body) - len(body.lstrip(" \t"))
        text = body.strip()
        match = _DI_SPEAKER.match(text) if text.startswith("(speaker") else None
        if match:
            text = text[match.end() :]
            new_word = text.startswith(" ") or not distinct
            text = text.strip()
            raw_id = match.group(1)
            if raw_id != "?":
                name = f"speaker {raw_id}"
                speakers.setdefault(name, Speaker(name))
                if speaker is not None and name != speaker:
                    change_next = True
                speaker = name
        else:
            new_word = lead > base or not distinct
        if text:
            if new_word or not words or change_next:
                words.append(_Spoken(text, start, end, speaker, change_next))
                change_next = False
            else:
                words[-1].text += text
                words[-1].end = max(words[-1].end, end)
                joined += 1
        change_next = change_next or turn_next
    return words, speakers, joined


def _ends_segment(word: str) -> bool:
    return word.endswith(_SENTENCE_END)


def group_words(words: Sequence[Word], max_chars: int = MAX_CHARS) -> list[list[Word]]:
    """Words into segments: a segment ends after a sentence end, before a pause longer than
    :data:`PAUSE_MS`, and before the word that would take it past ``max_chars`` characters
    (then after its last clause end, a comma or the like, when that falls in its second half)."""
    groups: list[list[Word]] = []
    current: list[Word] = []
    length = 0
    for word in words:
        if current:
            gap = word.start - current[-1].end
            if gap > PAUSE_MS:
                groups.append(current)
                current, length = [], 0
            elif length + 1 + len(word.text) > max_chars:
                cut = _clause_cut(current, length)
                groups.append(current[:cut])
                current = current[cut:]
                length = len(" ".join(w.text for w in current))
        current.append(word)
        length += len(word.text) + (1 if length else 0)
        if _ends_segment(word.text):
            groups.append(current)
            current, length = [], 0
    if current:
        groups.append(current)
    return groups


def _clause_cut(words: list[Word], length: int) -> int:
    """Where to end a full segment: after its last clause end in its second half, else all."""
    position = length
    for index in range(len(words) - 1, 0, -1):
        position -= len(words[index].text) + 1
        if position < length // 2:
            break
        if words[index - 1].text.endswith(_CLAUSE_END):
            return index
    return len(words)


def word_segments(
    starts: Sequence[int], ends: Sequence[int], raws: Sequence[str], max_chars: int = MAX_CHARS
) -> WordSegments:
    """Read word lines (``raws``: each line's text after its timestamp, leading spaces kept)
    into segments with word timings; see the module's docstring."""
    spoken, speakers, joined = _words_of_lines(starts, ends, raws)
    markers = 0
    runs: list[tuple[str | None, bool, list[Word]]] = []  # one per speaker turn
    pending_change = False
    for item in spoken:
        if item.text in _TURN_WORDS:  # a turn dash as a token of its own: a marker, no word
            pending_change = True
            markers += 1
            continue
        change = item.change or pending_change
        pending_change = False
        word = Word(item.text, item.start, item.end)
        if not runs or change or item.speaker != runs[-1][0]:
            runs.append((item.speaker, change, [word]))
        else:
            runs[-1][2].append(word)
    out = WordSegments([], [], [], speakers, len(raws), joined, markers)
    for speaker, change, run in runs:
        for number, group in enumerate(group_words(run, max_chars)):
            text = " ".join(word.text for word in group)
            start = min(word.start for word in group)
            end = max(word.end for word in group)
            raw = [(word.text, word.start, word.end, None) for word in group]
            words = repair_words(raw, start, end, out.repairs)  # zero-length tokens, overlaps
            out.starts.append(start)
            out.ends.append(end)
            out.contents.append((Turn(text, speaker, change and number == 0, words),))
    return out
