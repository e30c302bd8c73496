"""What the TTML reader tests share: ttconv's reading of a document as a timeline of what is
on screen, and ours, so that the two can be compared on times (ms) and texts.

ttconv is the reference: its intermediate synchronic documents (ISDs) say what each region
shows between two significant times; every ``p`` in an ISD is one piece of text on screen.
Both sides become a *timeline*: the intervals between consecutive times with the sorted lines
on screen, neighbours with the same lines merged, empty ones left out. That way "one cue per
paragraph" and "one cue per ISD step" compare equal when they show the same thing.
"""

from __future__ import annotations

import logging
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import captionbridge

Cue = tuple[int, int, tuple[str, ...]]
#: the end ttconv's writers give the last ISD, which has none (seconds after its start)
OPEN_END = 10


def lines(text: str) -> tuple[str, ...]:
    """Non-empty lines with their white space collapsed (the comparison ignores spacing)."""
    return tuple(line for line in (" ".join(part.split()) for part in text.split("\n")) if line)


def _paragraphs(element: object) -> Iterator[object]:
    from ttconv import model

    for child in element:  # type: ignore[attr-defined]
        if isinstance(child, model.P):
            yield child
        elif isinstance(child, (model.Body, model.Div)):
            yield from _paragraphs(child)


def _text(element: object, out: list[str]) -> None:
    from ttconv import model

    for child in element:  # type: ignore[attr-defined]
        if isinstance(child, model.Text):
            out.append(child.get_text())
        elif isinstance(child, model.Br):
            out.append("\n")
        elif not isinstance(child, (model.Rt, model.Rp, model.Rtc)):
            _text(child, out)


def ttconv_cues(path: Path) -> list[Cue]:
    """What ttconv shows, one cue per paragraph per ISD (raises whatever ttconv raises)."""
    import ttconv.imsc.reader as imsc_reader
    from ttconv.isd import ISD

    logging.getLogger("ttconv").setLevel(logging.CRITICAL)
    document = imsc_reader.to_model(ET.parse(path))
    isds = ISD.generate_isd_sequence(document)
    cues: list[Cue] = []
    for i, (begin, isd) in enumerate(isds):
        end = isds[i + 1][0] if i + 1 < len(isds) else begin + OPEN_END
        for region in isd.iter_regions():
            for body in region:
                for p in _paragraphs(body):
                    out: list[str] = []
                    _text(p, out)
                    if lines("".join(out)):
                        cues.append((ms(begin), ms(end), lines("".join(out))))
    return cues


def ms(seconds: Fraction) -> int:
    """Seconds as integer milliseconds, rounded the way captionbridge's reader rounds (halves
    up)."""
    return math.floor(seconds * 1000 + Fraction(1, 2))


def our_cues(path: Path) -> list[Cue]:
    """What captionbridge reads (raises its ParseError when it refuses the document)."""
    transcript = captionbridge.load(path, format="ttml")
    return [(c.start, c.end, lines("\n".join(t.text for t in c.turns))) for c in transcript.cues]


def timeline(cues: list[Cue]) -> list[Cue]:
    """The intervals between consecutive cue times with the sorted lines on screen."""
    times = sorted({t for start, end, _ in cues for t in (start, end)})
    steps: list[Cue] = []
    for start, end in pairwise(times):
        if end - start <= 1:
            continue  # a rounding sliver
        shown = tuple(
            sorted(line for s, e, text in cues if s <= start and e >= end for line in text)
        )
        if not shown:
            continue
        if steps and steps[-1][2] == shown and abs(steps[-1][1] - start) <= 1:
            steps[-1] = (steps[-1][0], end, shown)
        else:
            steps.append((start, end, shown))
    return steps


def agree(ours: list[Cue], theirs: list[Cue], tolerance: int = 1) -> bool:
    """Same timeline: same texts, every time within ``tolerance`` ms."""
    a, b = timeline(ours), timeline(theirs)
    return len(a) == len(b) and all(
        x[2] == y[2] and abs(x[0] - y[0]) <= tolerance and abs(x[1] - y[1]) <= tolerance
        for x, y in zip(a, b, strict=True)
    )
