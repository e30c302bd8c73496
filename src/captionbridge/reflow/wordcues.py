"""Word-by-word captions: one to N words per cue, on the words' own times.

This is not subtitle reflow (which cuts full two-line subtitles at the best places): it groups
the spoken words in order, a few at a time, for vertical video and burned-in captions. A group
ends after ``words`` words, at a speaker change, after a word that ends a sentence, before a
pause of ``pause`` ms or more, and before a word that would make it longer than ``max_chars``.
A cue runs from its first word's start to its last word's end, extended into the silence after
it up to ``min_duration`` but never past the next word's start.

Turns without word timings get estimated ones rather than an error: the cue's time shared
among its words in proportion to their characters (the estimate reflow has always made), and a
note says how many cues were estimated (a cue of one word, as whisper.cpp ``-ml 1`` writes
them, is exact). Word captions from a plain whisper transcript are still useful that way, and
the note keeps anyone from taking the times for measured ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Columns, Content, Note, Transcript, Turn, Word, turns_of, words_agree

__all__ = ["WordRules", "estimate_words", "word_cues"]

_SENTENCE_END = (".", "?", "!", "\u2026", "\u3002", "\uff1f", "\uff01")
_CLOSERS = "\"'\u201d\u2019)]\u00bb"


@dataclass(frozen=True)
class WordRules:
    """How words are grouped into cues (see the module's docstring)."""

    words: int
    min_duration: int = 0
    max_chars: int | None = None
    pause: int = 500


@dataclass(frozen=True)
class _Spoken:
    word: Word
    speaker: str | None
    change: bool  # the first word of a turn a marker says is new


def estimate_words(turns: tuple[Turn, ...], start: int, end: int) -> list[tuple[Turn, list[Word]]]:
    """Each turn with words covering ``start..end`` back to back, in proportion to their
    characters (with the space after each), for turns that have no word timings of their own."""
    tokens = [(index, token) for index, turn in enumerate(turns) for token in turn.text.split()]
    total = sum(len(token) + 1 for _, token in tokens) or 1
    span = max(0, end - start)
    out: list[tuple[Turn, list[Word]]] = [(turn, []) for turn in turns]
    done = 0
    for index, token in tokens:
        begin = start + span * done // total
        done += len(token) + 1
        out[index][1].append(Word(token, begin, start + span * done // total))
    return out


def _spoken(transcript: Transcript) -> tuple[list[_Spoken], int]:
    """Every word in order with its turn's speaker, and how many cues had estimated words."""
    spoken: list[_Spoken] = []
    estimated = 0
    starts, ends, contents = transcript.columns()
    for start, end, content in zip(starts, ends, contents, strict=True):
        turns = turns_of(content)
        if all(turn.words and words_agree(turn) for turn in turns):
            timed = [(turn, list(turn.words)) for turn in turns]
        else:
            timed = estimate_words(turns, start, end)
            # a cue of one word (whisper.cpp -ml 1) is timed exactly: nothing was guessed
            estimated += sum(len(words) for _, words in timed) > 1
        for turn, words in timed:
            words = [word for word in words if word.text.strip()]
            for i, word in enumerate(words):
                spoken.append(_Spoken(word, turn.speaker, i == 0 and turn.change))
    return spoken, estimated


def _ends_sentence(text: str) -> bool:
    return text.rstrip(_CLOSERS).endswith(_SENTENCE_END)


def _groups(spoken: list[_Spoken], rules: WordRules) -> list[list[_Spoken]]:
    groups: list[list[_Spoken]] = []
    current: list[_Spoken] = []
    chars = 0
    for item in spoken:
        if current:
            last = current[-1]
            new_speaker = item.change or item.speaker != last.speaker
            wider = (
                rules.max_chars is not None and chars + 1 + len(item.word.text) > rules.max_chars
            )
            if (
                len(current) >= rules.words
                or new_speaker
                or _ends_sentence(last.word.text)
                or item.word.start - last.word.end >= rules.pause
                or wider
            ):
                groups.append(current)
                current, chars = [], -1
        current.append(item)
        chars += len(item.word.text) + (1 if len(current) > 1 else 0)
    if current:
        groups.append(current)
    return groups


def word_cues(transcript: Transcript, rules: WordRules) -> Transcript:
    """The transcript's words regrouped into cues of one to ``rules.words`` words."""
    spoken, estimated = _spoken(transcript)
    groups = _groups(spoken, rules)
    starts: list[int] = []
    ends: list[int] = []
    contents: list[Content] = []
    for index, group in enumerate(groups):
        words = tuple(item.word for item in group)
        start = words[0].start
        end = spoken_end = max(start, *(word.end for word in words))
        if spoken_end - start < rules.min_duration:
            end = start + rules.min_duration
            if index + 1 < len(groups):  # into the silence only, up to the next word
                end = max(spoken_end, min(end, groups[index + 1][0].word.start))
        first = group[0]
        text = " ".join(word.text for word in words)
        starts.append(start)
        ends.append(end)
        contents.append((Turn(text, first.speaker, first.change, words),))
    result = transcript.with_columns(Columns(starts, ends, contents))
    if estimated:
        note = Note(
            f"{estimated} cue(s) had no word timings: their word times are estimated from"
            " character positions",
            transcript.source,
        )
        result = result.with_notes(note)
    return result
