"""Rich Transcription Time Marked (RTTM) files, as pyannote and the NIST tools write them.

    SPEAKER <uri> <channel> <onset> <duration> <NA> <NA> <name> <NA> <NA>

Only ``SPEAKER`` lines carry turns; the other NIST record types (``SPKR-INFO``, ``LEXEME``...)
and ``;;`` comments are skipped. Times are seconds; they become integer milliseconds.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import PurePath

from captionbridge.errors import CaptionbridgeError, ParseError

__all__ = ["Segment", "choose_uri", "parse_rttm"]

_RECORD_TYPE = re.compile(r"^[A-Z][A-Z/_-]*$")


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of time in which one speaker talks: ``[start, end)`` in milliseconds."""

    start: int
    end: int
    speaker: str


def _seconds(field: str, what: str, source: str, number: int, line: str) -> int:
    try:
        value = float(field)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise ParseError(
            f"{what} must be a non-negative number of seconds, not {field!r}",
            source=source,
            line=number,
            column=line.find(field) + 1,
            text=line,
        )
    return round(value * 1000)


def parse_rttm(text: str, source: str = "<rttm>") -> dict[str, list[Segment]]:
    """Read the ``SPEAKER`` lines of an RTTM file, grouped by file (``uri``) in file order.

    Raises :class:`ParseError` with the line number for a line that is not RTTM.
    """
    by_uri: dict[str, list[Segment]] = {}
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), 1):
        fields = line.split()
        if not fields or fields[0].startswith(";;"):
            continue
        kind = fields[0]
        if kind != "SPEAKER":
            if _RECORD_TYPE.match(kind) and len(fields) >= 5:
                continue  # another NIST record type: not about speaker turns
            raise ParseError(
                "not an RTTM line (expected 'SPEAKER <uri> <channel> <onset> <duration>"
                " <NA> <NA> <name> ...')",
                source=source,
                line=number,
                column=1 + len(line) - len(line.lstrip()),
                text=line,
            )
        if len(fields) < 8:
            raise ParseError(
                f"SPEAKER line has {len(fields)} fields, expected 10"
                " (uri, channel, onset, duration, <NA>, <NA>, name, <NA>, <NA>)",
                source=source,
                line=number,
                text=line,
            )
        onset = _seconds(fields[3], "onset", source, number, line)
        duration = _seconds(fields[4], "duration", source, number, line)
        by_uri.setdefault(fields[1], []).append(Segment(onset, onset + duration, fields[7]))
    return by_uri


def _match_score(uri: str, stem: str) -> int:
    if uri == stem:
        return 3
    if uri.casefold() == stem.casefold():
        return 2
    if uri.casefold() in stem.casefold() or stem.casefold() in uri.casefold():
        return 1
    return 0


def choose_uri(
    by_uri: dict[str, list[Segment]],
    wanted: str | None,
    input_source: str | None,
    rttm_source: str = "<rttm>",
) -> list[Segment]:
    """The segments of one file: ``wanted`` when given, else the only one, else the uri that
    best matches the input's file name (exact, then ignoring case, then containing it)."""
    if not by_uri:
        raise CaptionbridgeError("no SPEAKER lines in the RTTM file", source=rttm_source)
    known = ", ".join(sorted(by_uri))
    if wanted is not None:
        if wanted not in by_uri:
            raise CaptionbridgeError(
                f"no SPEAKER lines for --rttm-uri {wanted!r} (the file has: {known})",
                source=rttm_source,
            )
        return by_uri[wanted]
    if len(by_uri) == 1:
        return next(iter(by_uri.values()))
    stem = PurePath(input_source or "").name.split(".", 1)[0]
    scores = sorted(((_match_score(uri, stem), uri) for uri in by_uri), reverse=True)
    if stem and scores[0][0] > 0 and scores[0][0] > scores[1][0]:
        return by_uri[scores[0][1]]
    raise CaptionbridgeError(
        f"the RTTM file describes several recordings ({known}) and none matches"
        f" {stem or 'the input'!r}; choose one with --rttm-uri",
        source=rttm_source,
    )
