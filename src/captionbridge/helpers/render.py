"""Helpers writers share to show speakers inside plain cue text.

Writers call :func:`cue_texts` to get one string per cue in which speaker turns are shown the
way ``speaker_style`` asks: ``label`` puts ``NAME: `` before a turn whose speaker differs from
the previous turn's, ``dash`` starts each turn of a dual-speaker cue (and a turn a marker says
is new) with ``- ``, ``none`` shows the text only. ``auto`` is ``label`` for turns with a known
speaker and ``dash`` for the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..model import Content, Cue, Transcript, Turn, turns_of
from .pieces import joined_pieces

__all__ = [
    "cue_texts",
    "last_turned",
    "protect_markers",
    "protected",
    "split_plain",
    "text_lines",
    "turn_prefixes",
    "turn_texts",
]

_LINE_START_MARKER = re.compile(r"^(?=-|>>)", re.M)


def text_lines(text: str) -> list[str]:
    """The lines of a cue text, stripped, without blank ones (a blank line ends a cue in the
    line-oriented formats)."""
    return [line for line in (part.strip() for part in text.split("\n")) if line]


def protect_markers(text: str) -> str:
    """Text whose lines may start with ``-`` or ``>>`` without being read as turn markers: a
    word joiner (U+2060, invisible) goes before them; our readers remove it again."""
    if text.startswith(("-", ">>")) or "\n-" in text or "\n>>" in text:
        return _LINE_START_MARKER.sub("\u2060", text)
    return text


def turn_prefixes(
    transcript: Transcript, style: str, previous: Content | None = None
) -> Callable[[tuple[Turn, ...]], list[str]]:
    """A function giving the prefix of each turn of a cue, remembering the last speaker
    (at first the last speaker of ``previous``, the cue before a chunk: ``WriteContext``)."""
    last: list[str | None] = [None]

    def prefixes(turns: tuple[Turn, ...]) -> list[str]:
        out = []
        dual = len(turns) > 1
        for turn in turns:
            prefix = ""
            speaker = turn.speaker
            if style != "none":
                if speaker is not None and style in ("auto", "label", "voice"):
                    if speaker != last[0] or turn.change:
                        prefix = f"{transcript.speaker_label(speaker)}: "
                elif dual or turn.change:
                    prefix = "- "
            if speaker is not None:
                last[0] = speaker
            elif turn.change:
                last[0] = None
            out.append(prefix)
        return out

    if previous is not None:
        prefixes(turns_of(previous))
    return prefixes


def last_turned(cues: Sequence[Cue], before: Content | None = None) -> Content | None:
    """The content of the last of ``cues`` with turns, or ``before`` when none has: the
    ``previous`` of the chunk that follows them (a plain cue changes no idea of the last
    speaker)."""
    for cue in reversed(cues):
        content = cue.content
        if not isinstance(content, str):
            return content
    return before


def _has_marker(plain: str) -> bool:
    return plain.startswith(("-", ">>")) or "\n-" in plain or "\n>>" in plain


def protected(texts: list[str]) -> list[str]:
    """:func:`protect_markers` of every text, with one C-speed test of all of them (joined a
    piece at a time) sparing the call per text when none needs it."""
    if any(map(_has_marker, joined_pieces(texts, "\n"))):
        return [protect_markers(text) for text in texts]
    return texts


def turn_texts(contents: Sequence[Content], turned: list[int]) -> list[str]:
    """The text of every turn of the cues at ``turned`` (indexes of cues with turns), in order,
    in one flat list: writers prepare them list-wide, then lay them out cue by cue."""
    return [turn.text for i in turned for turn in contents[i]]  # type: ignore[union-attr]


def split_plain(
    contents: Sequence[Content], turned: list[int] | None = None
) -> tuple[list[str], list[int]]:
    """The plain texts of ``contents`` (protected with :func:`protect_markers` where needed)
    and the indexes of the cues that have turns, whose place in the list is left empty.

    Most cues of a transcript are plain strings: this handles them with list-wide C-speed
    operations and leaves writers a loop over the few cues with turns. ``turned`` saves a
    scan when the indexes of the cues with turns are known
    (:meth:`~captionbridge.model.Transcript.turned_indexes`)."""
    out: list[str] = list(contents)  # type: ignore[arg-type]
    if turned is None:
        turned = [i for i, content in enumerate(contents) if not isinstance(content, str)]
    for i in turned:
        out[i] = ""
    return protected(out), turned


def cue_texts(
    transcript: Transcript, style: str = "auto", previous: Content | None = None
) -> list[str]:
    """One text per cue with speakers shown in ``style``; plain cues cost nothing.
    ``previous``: the cue before, when a chunk of a bigger transcript is written."""
    contents = transcript.columns().contents
    out, turned = split_plain(contents, transcript.turned_indexes())
    prefixes = turn_prefixes(transcript, style, previous)
    shown = iter(protected(turn_texts(contents, turned)))
    for i in turned:
        marks = prefixes(contents[i])  # type: ignore[arg-type]
        if len(marks) == 1:  # most cues with a turn have only the one
            out[i] = marks[0] + next(shown)
        else:
            out[i] = "\n".join([mark + next(shown) for mark in marks])
    return out
