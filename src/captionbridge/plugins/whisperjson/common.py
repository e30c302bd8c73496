"""What the whisper JSON readers share: typed values, segments, and segments into cues.

A dialect module turns each of its segments into a :class:`Segment` (times in ms, text, speaker,
raw words) and raises :class:`Bad` with the JSON path of a value it cannot use;
:func:`read_segments` does the rest the same way for every dialect: lenient skipping, empty
segments, word repair (:mod:`captionbridge.helpers.wordrepair`), speaker turns, located errors.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...errors import ParseError
from ...helpers.jsonload import locate
from ...helpers.wordrepair import RawWord, WordRepairs, repair_words
from ...model import Content, Note, Speaker, Transcript, Turn, Word
from ...specs import ReadContext

Path = tuple[str | int, ...]

#: The largest time in seconds (about 285,000 years): past it a time is not a time.
MAX_SECONDS = 2**53 // 1000
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_NAMES = {dict: "object", list: "array", bool: "boolean", float: "number", int: "number"}


class Bad(Exception):
    """A value that cannot be used; ``path`` says where it is, from the top of the document
    (``key``, when given, is its last step: the callers' paths are built only for an error)."""

    def __init__(self, message: str, path: Path = (), key: str | None = None) -> None:
        super().__init__(message)
        self.path = path if key is None else (*path, key)


def json_type(value: Any) -> str:
    """The JSON name of a parsed value's type."""
    return "null" if value is None else _NAMES.get(type(value), type(value).__name__)


def seconds(value: Any, what: str, path: Path, key: str | None = None) -> int:
    """A time in seconds as integer milliseconds."""
    if (type(value) is float or type(value) is int) and 0 <= value <= MAX_SECONDS:
        return round(value * 1000)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Bad(f"{what} is {value!r}, not a number of seconds", path, key)
    if isinstance(value, int) and value > MAX_SECONDS:  # math.isfinite() would overflow
        raise Bad(
            f"{what} is a {len(str(value))}-digit number, too large a number of seconds", path, key
        )
    if not math.isfinite(value):
        raise Bad(f"{what} is {value!r}, not a number of seconds", path, key)
    if value < 0:
        raise Bad(f"{what} is negative ({value})", path, key)
    if value > MAX_SECONDS:
        raise Bad(f"{what} is {value:.6g}, too large a number of seconds", path, key)
    return round(value * 1000)


def optional_seconds(value: Any, what: str, path: Path, key: str | None = None) -> int | None:
    """Like :func:`seconds`, ``None`` when the value is absent."""
    return None if value is None else seconds(value, what, path, key)


def milliseconds(value: Any, what: str, path: Path, key: str | None = None) -> int:
    """A whole number of milliseconds."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 2**53:
        raise Bad(f"{what} is {value!r}, not a whole number of milliseconds", path, key)
    return value


def text_of(value: Any, what: str, path: Path, key: str | None = None) -> str:
    """A string; absent is empty."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Bad(f"{what} is a JSON {json_type(value)}, not a string", path, key)
    return value


def speaker_of(value: Any, what: str, path: Path, key: str | None = None) -> str | None:
    """A speaker label: strings as written, whole numbers as their digits."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise Bad(f"{what} is a JSON {json_type(value)}, not a speaker name", path, key)


def confidence_of(value: Any, what: str, path: Path, key: str | None = None) -> float | None:
    """A probability in [0, 1], or ``None`` when absent."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise Bad(f"{what} is {value!r}, not a probability between 0 and 1", path, key)
    return float(value)


def objects(value: Any, what: str, path: Path, key: str | None = None) -> list[dict[str, Any]]:
    """A list of JSON objects (absent is empty)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise Bad(f"{what} is a JSON {json_type(value)}, not an array", path, key)
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise Bad(
                f"{what} item {index + 1} is a JSON {json_type(item)}, not an object", path, key
            )
    return value


def language_of(value: Any) -> str | None:
    """A language code, or ``None`` for anything else (the OpenAI API writes ``"english"``)."""
    return value if isinstance(value, str) and _LANGUAGE_CODE.match(value) else None


@dataclass
class Segment:
    """One segment of any dialect, ready to become a cue."""

    start: int
    end: int
    text: str
    speaker: str | None = None
    words: list[RawWord] = field(default_factory=list)
    #: one speaker per word (WhisperX), else empty
    word_speakers: list[str | None] = field(default_factory=list)
    #: whisper.cpp -tdrz: the next segment is a new speaker
    turn_next: bool = False
    #: the finished words, text and speaker when the fast path took the segment (words.py)
    fast: tuple[tuple[Word, ...], str, str | None] | None = None


def _speaker_groups(words: tuple[Word, ...], who: list[str | None]) -> list[tuple[str, int, int]]:
    """Runs of words by speaker; a word without a speaker joins the run it is in."""
    groups: list[tuple[str, int, int]] = []
    current = next((w for w in who if w is not None), None)
    for index, speaker in enumerate(who):
        speaker = speaker or current
        assert speaker is not None
        if groups and groups[-1][0] == speaker:
            groups[-1] = (speaker, groups[-1][1], index + 1)
        else:
            groups.append((speaker, index, index + 1))
        current = speaker
    return groups


def _content(
    segment: Segment, repairs: WordRepairs, speakers: dict[str, Speaker], change: bool
) -> tuple[int, int, Content]:
    start, end = segment.start, segment.end
    if segment.fast is not None:
        words, text, speaker = segment.fast
        if speaker is None:
            speaker = segment.speaker
        if speaker is not None:
            speakers.setdefault(speaker, Speaker(speaker))
        return start, end, (Turn(text, speaker, speaker is not None or change, words),)
    if not segment.words:
        text = segment.text.strip()
        if segment.speaker is not None:
            speakers.setdefault(segment.speaker, Speaker(segment.speaker))
        if segment.speaker is not None or change:
            return start, end, (Turn(text, segment.speaker, True),)
        return start, end, text
    words = repair_words(segment.words, start, end, repairs)
    end = max(end, words[-1].end)
    named = {w for w in segment.word_speakers if w is not None}
    if len(named) > 1:
        turns = []
        for who, first, last in _speaker_groups(words, segment.word_speakers):
            speakers.setdefault(who, Speaker(who))
            chunk = words[first:last]
            turns.append(Turn(" ".join(w.text for w in chunk), who, True, chunk))
        return start, end, tuple(turns)
    speaker = segment.speaker if segment.speaker is not None else next(iter(named), None)
    if speaker is not None:
        speakers.setdefault(speaker, Speaker(speaker))
    text = " ".join(w.text for w in words)
    return start, end, (Turn(text, speaker, speaker is not None or change, words),)


def _blank(content: Content) -> bool:
    if isinstance(content, str):
        return not content
    return all(not turn.text for turn in content)


def read_segments(
    text: str,
    items: Sequence[Any],
    where: Path,
    parse: Callable[[Any, Path], Segment],
    context: ReadContext,
    language: str | None,
) -> Transcript:
    """A transcript of one cue per segment; ``parse`` reads the item at path ``where + (i,)``."""
    lenient = bool(context.options.get("lenient"))
    keep_empty = bool(context.options.get("keep_empty"))
    starts: list[int] = []
    ends: list[int] = []
    contents: list[Content] = []
    speakers: dict[str, Speaker] = {}
    notes: list[Note] = []
    repairs = WordRepairs()
    turn_next = False
    for index, item in enumerate(items):
        number = index + 1
        path = (*where, index)
        try:
            if not isinstance(item, dict):
                raise Bad(f"is a JSON {json_type(item)}, not an object", path)
            segment = parse(item, path)
            if segment.end < segment.start:
                if not lenient:
                    message = f"ends ({segment.end} ms) before it starts ({segment.start} ms)"
                    raise Bad(message, path)
                segment.start, segment.end = segment.end, segment.start
                notes.append(Note(f"segment {number}: end before start, swapped", context.source))
        except Bad as exc:
            line, column = locate(text, exc.path)
            if not lenient:
                message = f"segment {number}: {exc}"
                raise ParseError(message, source=context.source, line=line, column=column) from None
            notes.append(Note(f"segment {number} skipped: {exc}", context.source, line))
            continue
        start, end, content = _content(segment, repairs, speakers, turn_next)
        turn_next = segment.turn_next
        if not keep_empty and _blank(content):
            continue
        starts.append(start)
        ends.append(end)
        contents.append(content)
    notes.extend(repairs.notes(context.source))
    return Transcript.from_columns(
        starts,
        ends,
        contents,
        language=language,
        speakers=speakers,
        source=context.source,
        notes=notes,
    )


def array(document: dict[str, Any], key: str) -> list[Any]:
    """The list under ``key`` (its items are checked one by one, so one bad item can be
    skipped with ``--lenient``); absent is empty."""
    value = document.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise Bad(f'"{key}" is a JSON {json_type(value)}, not an array', (key,))
    return value
