"""Whole-file work on many cue texts, done a piece of :data:`PIECE` cues at a time.

A 16 MB transcript has 220,000 cues, and once a single character of it is past Latin-1 a text
that joins them all takes 2 bytes a character: 34 MB for one test of what the texts hold, and
again for the file's whole text beside its encoded bytes. :func:`joined_pieces` gives the
joins a piece at a time (a test true of the whole join is true of some piece's when the
separator cannot take part in a match), and :func:`timed_file` builds the timed blocks of
the line-oriented formats (SRT, WebVTT) a piece at a time: stamps, blocks, join and, when the
writer was given an encoding (:attr:`~captionbridge.specs.WriteContext.encoding`), encoding,
so that the file's whole text is never built.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator, Sequence

from .timecode import stamps

__all__ = ["PIECE", "joined_pieces", "timed_file"]

#: cues joined or formatted at a time
PIECE = 8192


def joined_pieces(texts: Sequence[str], sep: str) -> Iterator[str]:
    """``sep.join`` of :data:`PIECE` texts at a time (nothing for no texts)."""
    for at in range(0, len(texts), PIECE):
        yield sep.join(texts[at : at + PIECE])


def timed_file(
    starts: Sequence[int],
    ends: Sequence[int],
    texts: Sequence[str],
    *,
    sep: str = ".",
    first_number: int | None = None,
    head: str | None = None,
    encoding: str | None = None,
) -> str | bytes:
    """``head`` (unless ``None``) and the ``"[n\\n]start --> end\\ntext\\n"`` blocks, numbered
    from ``first_number`` when it is given (SRT), joined with ``"\\n"``; as bytes when
    ``encoding`` is a UTF-8 codec (byte for byte the text encoded), else as text."""
    utf8 = encoding is not None and codecs.lookup(encoding).name == "utf-8"
    pieces = _pieces(starts, ends, texts, sep, first_number, head)
    if utf8:
        try:  # each piece is encoded as soon as it is made: one piece's text at a time
            return b"\n".join([piece.encode("utf-8") for piece in pieces])
        except UnicodeEncodeError:  # a lone surrogate: the text goes back, and the
            pieces = _pieces(starts, ends, texts, sep, first_number, head)  # pipeline says
    return "\n".join(pieces)


def _pieces(
    starts: Sequence[int],
    ends: Sequence[int],
    texts: Sequence[str],
    sep: str,
    first_number: int | None,
    head: str | None,
) -> Iterator[str]:
    if head is not None:
        yield head
    for at in range(0, len(texts), PIECE):
        end = at + PIECE
        piece = texts[at:end]
        numbers = None if first_number is None else range(first_number + at, first_number + end)
        yield _blocks(stamps(starts[at:end], sep), stamps(ends[at:end], sep), piece, numbers)


def _blocks(starts: list[str], ends: list[str], texts: Sequence[str], numbers: range | None) -> str:
    """The ``"[n\\n]start --> end\\ntext\\n"`` blocks of one piece joined with ``"\\n"``: the
    columns and the fixed pieces between them are laid side by side in one list, so that one
    join builds the piece without a string per block."""
    count = len(texts)
    columns: list[Iterable[str]] = [starts, [" --> "] * count, ends, ["\n"] * count, texts]
    if numbers is not None:
        columns[:0] = [map(str, numbers[:count]), ["\n"] * count]
    columns.append(["\n\n"] * count)  # the blank line between two blocks
    width = len(columns)
    parts = [""] * (width * count)
    for offset, column in enumerate(columns):
        parts[offset::width] = column
    parts[-1] = "\n"  # the last block ends with its line: the next piece starts with the blank
    return "".join(parts)
