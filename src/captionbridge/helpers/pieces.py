"""Whole-file work on many cue texts, done a piece of :data:`PIECE` cues at a time.

A 16 MB transcript has 220,000 cues, and once a single character of it is past Latin-1 a text
that joins them all takes 2 bytes a character: 34 MB for one test of what the texts hold, and
again for the file's whole text beside its encoded bytes. :func:`joined_pieces` gives the
joins a piece at a time (a test true of the whole join is true of some piece's when the
separator cannot take part in a match), and :func:`timed_file` builds the timed blocks of
the line-oriented formats (SRT, WebVTT) a piece at a time: stamps, blocks, join and, when the
writer was given an encoding (:attr:`~captionbridge.specs.WriteContext.encoding`), encoding,
so that the file's whole text is never built and its bytes are held once.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterable, Iterator, Sequence

from .timecode import StampList, stamps

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
            return _encoded(pieces)
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
        numbers = None if first_number is None else range(first_number + at, first_number + end)
        yield _blocks(starts[at:end], ends[at:end], texts[at:end], sep, numbers)


def _blocks(
    starts: Sequence[int],
    ends: Sequence[int],
    texts: Sequence[str],
    sep: str,
    numbers: range | None,
) -> str:
    """The ``"[n\\n]start --> end\\ntext\\n"`` blocks of one piece joined with ``"\\n"``,
    built by one join of their columns laid side by side instead of a format per block."""
    count = len(texts)
    columns: list[Iterable[str]] = []
    if numbers is not None:
        columns += [map(str, numbers[:count]), ["\n"] * count]
    if sep != "." and isinstance(starts, StampList) and isinstance(ends, StampList):
        # a reader's stamps say "00:00:01.500": one replace over the piece's heads (numbers
        # and times) gives them their separator, rather than one replace per column
        columns += [starts.stamps, [" --> "] * count, ends.stamps, ["\n\x00"] * count]
        heads = "".join(_side_by_side(columns, count)).replace(".", sep).split("\x00")
        columns = [heads[:count]]
    else:
        columns += [stamps(starts, sep), [" --> "] * count, stamps(ends, sep), ["\n"] * count]
    # a blank line between blocks
    parts = _side_by_side([*columns, texts, ["\n\n"] * count], count)
    parts[-1] = "\n"  # the last block ends with its line: the next piece starts with the blank
    return "".join(parts)


def _side_by_side(columns: list[Iterable[str]], rows: int) -> list[str]:
    """The items of ``columns``, each ``rows`` long, row after row."""
    width = len(columns)
    parts = [""] * (width * rows)
    for offset, column in enumerate(columns):
        parts[offset::width] = column
    return parts


def _encoded(pieces: Iterator[str]) -> bytes:
    """The pieces encoded as UTF-8 and joined with ``"\\n"``, held once.

    ``b"\\n".join`` of the encoded pieces would hold all of them beside the result: twice the
    file. A :class:`io.BytesIO` takes each piece as it is encoded and hands its own buffer
    back from :meth:`~io.BytesIO.getvalue`, without a copy."""
    out = io.BytesIO()
    for number, piece in enumerate(pieces):
        if number:
            out.write(b"\n")
        out.write(piece.encode("utf-8"))
    return out.getvalue()
