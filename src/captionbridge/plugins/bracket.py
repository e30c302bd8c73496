"""Reader for bracketed timestamp transcripts (whisper.cpp, OpenAI whisper and their front ends).

    [00:00:03.000 --> 00:00:06.000]   Today is the day after GPT-4.

Variants read: with or without hours (hours may have any number of digits and may appear on
one timestamp of a line only), ``-->`` or ``->``, ``,`` or ``.`` before the milliseconds,
seconds with an ``s`` (``[0.00s -> 3.50s]``), ANSI colour escapes, CRLF, lines without a
timestamp (they continue the previous segment), and speaker markers: whisper.cpp's
``(speaker N)`` and `` [SPEAKER_TURN]``, ``[SPEAKER_00]:`` / ``SPEAKER_00:`` prefixes, and turn
dashes or ``>>`` inside the text.

The common whisper.cpp shape is read by one regular expression over the whole text and keeps
its timestamps as strings (:class:`~captionbridge.helpers.timecode.StampList`); anything else goes
through the line-by-line reader, which also produces the precise errors.

Console captures (``2>&1 | tee``) are read as they are: log, progress and timing lines are
skipped and reported in one note, special tokens are dropped from the texts, and a segment
that held only tokens is dropped (see :mod:`captionbridge.helpers.console` and docs/bracket.md).
"""

from __future__ import annotations

import operator
import re
from array import array
from collections.abc import Callable, Sequence
from itertools import repeat
from operator import itemgetter
from typing import Any, TypeVar

from captionbridge.errors import ParseError
from captionbridge.helpers import pieces
from captionbridge.helpers.console import ConsoleLines, has_tokens, strip_tokens
from captionbridge.helpers.options import KEEP_EMPTY, LENIENT
from captionbridge.helpers.timecode import StampList, stamps_to_ms
from captionbridge.helpers.turns import split_turns
from captionbridge.helpers.wordlines import looks_word_level, word_segments
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Content, Note, Speaker, Transcript
from captionbridge.specs import Options, ReadContext, ReaderSpec

NAME = "bracket"

# every line either canonical whisper.cpp or blank: then one findall reads the whole file
# (whisper.cpp prints %02d hours: past 99 hours they grow a digit)
_CANONICAL = re.compile(
    r"^\[(\d{2,6}:[0-5]\d:[0-5]\d\.\d\d\d) --> (\d{2,6}:[0-5]\d:[0-5]\d\.\d\d\d)\][ \t]*([^\n]*)$"
    r"|^[ \t]*$",
    re.M,
)
_STAMP = r"(?:\d+:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?|\d+(?:[.,]\d+)?s?"
_LINE = re.compile(rf"^[ \t]*\[[ \t]*({_STAMP})[ \t]*(?:-->|->|→)[ \t]*({_STAMP})[ \t]*\](.*)$")
# a line that means to be a timestamp line, to tell a broken one from a continuation
_LOOKS_TIMED = re.compile(r"^[ \t]*\[[^\]]*(?:-->|->|→)")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_DI_SPEAKER = re.compile(r"^\(speaker (\d+|\?)\)[ \t]*")
_ID_PREFIX = re.compile(r"^\[?(SPEAKER_\d+)\]?:[ \t]*")
_SPEAKER_PREFIXES = ("(speaker ", "SPEAKER_", "[SPEAKER_")
_SPEAKER_TURN = "[SPEAKER_TURN]"
_NAMING_HINTS = ("SPEAKER", "(speaker")  # [SPEAKER_TURN] too
_MARKER_HINTS = ("- ", ">>", *_NAMING_HINTS)


def _parse_stamp(text: str) -> int | None:
    """A timestamp in any supported shape to milliseconds, or ``None`` when out of range."""
    if len(text) > 32:  # no time is this long (int() of 5,000 digits would raise)
        return None
    if ":" not in text:
        seconds = text.rstrip("s").replace(",", ".")
        whole, _, fraction = seconds.partition(".")
        return int(whole) * 1000 + int((fraction or "0")[:3].ljust(3, "0"))
    parts = text.replace(",", ".").split(":")
    seconds_part = parts[-1]
    whole, _, fraction = seconds_part.partition(".")
    minutes = int(parts[-2])
    hours = int(parts[-3]) if len(parts) == 3 else 0
    if minutes > 59 or int(whole) > 59:
        return None
    return ((hours * 60 + minutes) * 60 + int(whole)) * 1000 + int(fraction.ljust(3, "0")[:3])


class _Markers:
    """Turns whisper's speaker markers in segment texts into turns and speaker ids."""

    def __init__(self) -> None:
        self.speakers: dict[str, Speaker] = {}
        self.previous_id: str | None = None
        self.next_change = False

    def content(self, text: str) -> Content:
        change = self.next_change
        self.next_change = False
        if text.endswith(_SPEAKER_TURN):
            text = text[: -len(_SPEAKER_TURN)].rstrip()
            self.next_change = True
        speaker: str | None = None
        match = None
        if text.startswith(_SPEAKER_PREFIXES):  # one C call for the many texts without one
            match = _DI_SPEAKER.match(text) or _ID_PREFIX.match(text)
        if match:
            raw = match.group(1)
            text = text[match.end() :]
            if "(speaker" in text:
                # with colours (-pc) whisper.cpp repeats the marker before every token
                text = text.replace(match.group(0).rstrip(), "").strip()
            if raw != "?":
                speaker = raw if raw.startswith("SPEAKER") else f"speaker {raw}"
                self.speakers.setdefault(speaker, Speaker(speaker))
                if self.previous_id is not None and speaker != self.previous_id:
                    change = True
                self.previous_id = speaker
        return split_turns(text, speaker, change)


def _marker_rows(texts: list[str]) -> tuple[list[int], bool]:
    """Indexes of the texts that may hold a speaker marker, found with C-speed substring
    searches over the joined texts (a piece at a time) instead of a test per text; and whether
    any text may name a speaker (``SPEAKER_00``, ``(speaker 1)``, ``[SPEAKER_TURN]``)."""
    rows = []
    named = False
    starts = range(0, len(texts), pieces.PIECE)
    for at, joined in zip(starts, pieces.joined_pieces(texts, "\n"), strict=True):
        piece_rows, piece_named = _rows_of(joined)
        rows += [at + row for row in piece_rows]
        named = named or piece_named
    return rows, named


def _rows_of(joined: str) -> tuple[list[int], bool]:
    """:func:`_marker_rows` of the texts joined with line breaks in ``joined``."""
    hints = [hint for hint in (*_MARKER_HINTS, "\n-") if hint in joined]
    named = any(hint in _NAMING_HINTS for hint in hints)
    if not hints and not joined.startswith("-"):
        return [], named
    positions = []
    for hint in hints:
        skip = 1 if hint == "\n-" else 0
        position = joined.find(hint)
        while position != -1:
            positions.append(position + skip)
            position = joined.find(hint, position + 1)
    positions.sort()
    rows = [0] if joined.startswith("-") else []
    row = 0
    counted = 0
    for position in positions:
        row += joined.count("\n", counted, position)
        counted = position
        if not rows or rows[-1] != row:
            rows.append(row)
    return rows, named


def _apply_markers(texts: list[str]) -> tuple[list[Content], dict[str, Speaker], list[int]]:
    """The contents, the speakers met and the indexes of the contents that are turns."""
    rows, named = _marker_rows(texts)
    if not rows:
        return list(texts), {}, []
    if not named:
        contents, turned = _split_marked(texts, rows)
        return contents, {}, turned
    contents = list[Content](texts)
    markers = _Markers()
    pending = list(reversed(rows))
    turned = []
    last = -1
    while pending:
        index = pending.pop()
        if index <= last or index >= len(texts):
            continue
        last = index  # indexes only grow: turned stays in order
        content = contents[index] = markers.content(texts[index])
        if not isinstance(content, str):
            turned.append(index)
        if markers.next_change and (not pending or pending[-1] != index + 1):
            pending.append(index + 1)  # [SPEAKER_TURN] marks the next segment
    return contents, markers.speakers, turned


def _split_marked(texts: list[str], rows: list[int]) -> tuple[list[Content], list[int]]:
    """:func:`_apply_markers` when no text names a speaker: then no marker carries over to
    the next segment, and each marked text is only split at its turn dashes and ``>>``."""
    contents: list[Content] = list(texts)
    turned: list[int] = []
    for index in rows:
        content = contents[index] = split_turns(texts[index])
        if not isinstance(content, str):
            turned.append(index)
    return contents, turned


def read_bracket(text: str, context: ReadContext) -> Transcript:
    """Read a bracketed transcript into a :class:`Transcript`."""
    source = context.source
    options = context.options
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    tokens = has_tokens(text)
    console = ConsoleLines()
    body = _peel_console(text, console)
    if body is None:
        return _read_lines(text, source, options)
    columns = _canonical_columns(body)
    if columns is None:
        columns = _canonical_rows(body)  # canonical lines with blank lines between them
    if columns is not None:
        transcript = _from_columns(*columns, source, options, tokens, console)
        if transcript is not None:
            return transcript
    return _read_lines(text, source, options)


def _peel_console(text: str, console: ConsoleLines) -> str | None:
    """``text`` without the console lines before its first and after its last segment line,
    for the fast paths; ``None`` when something else (or a whisper-stream block) is there."""
    head = _LEADING_BLANKS.match(text).end()  # type: ignore[union-attr]
    head = text.rfind("\n", 0, head) + 1  # blank lines skipped in C, then the line's start
    number = 1 + text.count("\n", 0, head)
    while True:  # forward to the first segment line
        end = text.find("\n", head)
        line = text[head:] if end == -1 else text[head:end]
        if line.strip():
            if _LINE.match(line) is not None:
                break
            if not console.take(line, number):
                return None  # not a console line: the line reader says what it is
        if end == -1:
            return None  # nothing but console lines
        head = end + 1
        number += 1
    content_end = tail = _content_end(text)
    while True:  # back to the end of the last one
        start = max(text.rfind("\n", head, tail) + 1, head)
        if _LINE.match(text[start:tail]) is not None:
            break  # the loop stops at the latest on the first segment line, at head
        tail = start - 1
    if tail < content_end:
        number += text.count("\n", head, tail)
        for line in text[tail + 1 : content_end].split("\n"):
            number += 1
            if line.strip() and not console.take(line, number):
                return None
    if console.blocks:
        return None  # block offsets move segment times: the line reader applies them
    return text[head:tail] if console.count else text


def _content_end(text: str) -> int:
    """Where the trailing blanks of ``text`` begin, without copying a long text to find it."""
    last = text[-4096:]
    kept = len(last.rstrip())
    return len(text) - len(last) + kept if kept else len(text.rstrip())


# whisper.cpp's own layout, digits shown as 0: "[00:00:03.000 --> 00:00:06.000]   text"
_HEAD = "[00:00:00.000 --> 00:00:00.000]"
_ZERO_DIGITS = str.maketrans("123456789", "000000000")
_HEAD_BYTES = _HEAD.encode("ascii")
_ZERO_BYTES = bytes.maketrans(b"123456789", b"000000000")
_TENS = (4, 7, 21, 24)  # where the tens of minutes and of seconds are: 0 to 5
_LEADING_BLANKS = re.compile(r"\s*")
_HEAD_OF = itemgetter(slice(0, len(_HEAD)))
_START_OF = itemgetter(slice(1, 13))
_END_OF = itemgetter(slice(18, 30))
_TEXT_OF = itemgetter(slice(len(_HEAD), None))


#: characters of text split or matched at a time by :func:`_canonical_columns` and
#: :func:`_canonical_rows`
_PIECE = 1 << 18

#: the time columns (stamps as strings, or milliseconds past 99 hours) and the texts
_Columns = tuple[Sequence[Any], Sequence[Any], list[str]]


def _canonical_columns(text: str) -> _Columns | None:
    """Starts, ends and texts when every line has whisper.cpp's exact layout, else ``None``.

    The layout is checked for all lines of a piece of about 256 kB at once (their heads
    joined, digits mapped to 0 and compared with the expected pattern) and the columns are cut
    by slicing: no regular expression runs per line, and every step is a loop in C. A piece at
    a time, the lines of the last piece are freed before the next is split: the memory of the
    whole text's lines is never taken (its pages would be touched once each, for nothing)."""
    first_line = _LEADING_BLANKS.match(text).end()  # type: ignore[union-attr]
    if text[first_line : first_line + len(_HEAD)].translate(_ZERO_DIGITS) != _HEAD:
        return None  # another layout: spare it the split of the whole text
    content_end = _content_end(text)
    last_line = text.rfind("\n", 0, content_end) + 1
    if text[last_line : last_line + len(_HEAD)].translate(_ZERO_DIGITS) != _HEAD:
        return None  # the last line too (hours past 99 end there): no split either
    # whisper.cpp prints a blank line before the first segment; lines of spaces and tabs
    # around the segments are blank, any other character there is not the layout
    head = text.rfind("\n", 0, first_line) + 1
    tail = text.find("\n", content_end)
    tail = len(text) if tail == -1 else tail
    if text[:head].strip(" \t\n") or text[tail:].strip(" \t\n"):
        return None
    starts: list[str] = []
    ends: list[str] = []
    texts: list[str] = []
    while head < tail:
        cut = text.find("\n", min(head + _PIECE, tail), tail)
        cut = tail if cut == -1 else cut
        lines = text[head:cut].split("\n")
        head = cut + 1
        heads = "".join(map(_HEAD_OF, lines))
        if len(heads) != len(_HEAD) * len(lines) or not heads.isascii():
            return None
        # as bytes: a translation through a table of 256 bytes, not a dict look-up a character
        shape = heads.encode("ascii")
        del heads
        if shape.translate(_ZERO_BYTES) != _HEAD_BYTES * len(lines):
            return None
        if b"".join([shape[offset :: len(_HEAD)] for offset in _TENS]).translate(None, b"012345"):
            return None  # a ten of minutes or seconds over 5
        del shape
        starts += map(_START_OF, lines)
        ends += map(_END_OF, lines)
        texts += map(str.rstrip, map(str.lstrip, map(_TEXT_OF, lines), repeat(" \t")))
    return starts, ends, texts


def _canonical_rows(text: str) -> _Columns | None:
    """The columns when every line is canonical or blank, else ``None``: matched a piece of
    about 256 kB at a time, so that the match tuples of one piece at most are alive.
    Past 99 hours the stamps no longer sort as strings: both time columns become integers
    (the pattern checked the ranges), each piece's as soon as it is matched, into arrays of
    8 bytes a time (a list takes 40: a pointer and an int object)."""
    stamps: tuple[list[str], list[str]] = ([], [])
    times: tuple[array[int], array[int]] | None = None
    if _ends_past_99_hours(text):  # then the first stamps need not be kept as strings either
        times = array("q"), array("q")
    texts: list[str] = []
    at = 0
    while at < len(text):
        cut = text.find("\n", at + _PIECE)
        cut = len(text) if cut == -1 else cut
        piece = text[at:cut]
        at = cut + 1
        rows = _CANONICAL.findall(piece)
        if len(rows) != piece.count("\n") + 1:
            return None
        kept = [row for row in rows if row[0]]
        del rows, piece
        if not kept:
            continue
        found = [row[0] for row in kept], [row[1] for row in kept]
        texts += [row[2].rstrip() for row in kept]
        del kept
        if times is None and max(map(len, (*found[0], *found[1]))) > _STAMP_WIDTH:
            times = array("q", stamps_to_ms(stamps[0])), array("q", stamps_to_ms(stamps[1]))
            stamps = [], []
        if times is None:
            stamps[0].extend(found[0])
            stamps[1].extend(found[1])
        else:
            times[0].extend(stamps_to_ms(found[0]))
            times[1].extend(stamps_to_ms(found[1]))
    if not texts:
        return None
    return (*stamps, texts) if times is None else (*times, texts)


def _ends_past_99_hours(text: str) -> bool:
    """Whether the last line's start has more than two hour digits: then a file of canonical
    lines is past 99 hours (its end is, at least)."""
    last_line = text.rfind("\n", 0, _content_end(text)) + 1
    return text.find(":", last_line, last_line + _STAMP_WIDTH) > last_line + 3


def _from_columns(
    starts: Sequence[Any],
    ends: Sequence[Any],
    texts: list[str],
    source: str,
    options: Options,
    tokens: bool,
    console: ConsoleLines,
) -> Transcript | None:
    if isinstance(starts[0], int):  # hours past 99, in arrays (see _canonical_rows)
        return _checked(starts, ends, texts, source, options, tokens, console, _as_is)
    return _checked(starts, ends, texts, source, options, tokens, console, StampList)


_STAMP_WIDTH = len("00:00:00.000")


def _as_is(times: Sequence[int]) -> Sequence[int]:
    return times


def _checked(
    starts: Sequence[_Time],
    ends: Sequence[_Time],
    texts: list[str],
    source: str,
    options: Options,
    tokens: bool,
    console: ConsoleLines,
    column: Callable[[Sequence[_Time]], Sequence[int]],
) -> Transcript | None:
    if any(map(operator.lt, ends, starts)):
        return None  # the line reader reports it with its line number
    if "" in texts and not KEEP_EMPTY.value(options):
        return None  # let the line reader drop them and count them
    if looks_word_level(starts, ends, texts):
        return None  # the line reader keeps the leading spaces that tell words from tokens
    skipped = console.note(source)
    notes = [] if skipped is None else [skipped]
    starts, ends, texts = _tidy(starts, ends, texts, source, tokens, notes)
    return _transcript(column(starts), column(ends), texts, source, console, notes)


def _transcript(
    starts: Sequence[int],
    ends: Sequence[int],
    texts: list[str],
    source: str,
    console: ConsoleLines,
    notes: list[Note],
) -> Transcript:
    contents, speakers, turned = _apply_markers(texts)
    return Transcript.from_columns(
        starts,
        ends,
        contents,
        language=console.language,
        speakers=speakers,
        source=source,
        notes=notes,
        turned=turned,
    )


_Time = TypeVar("_Time", int, str)


def _tidy(
    starts: Sequence[_Time],
    ends: Sequence[_Time],
    texts: list[str],
    source: str,
    tokens: bool,
    notes: list[Note],
) -> tuple[Sequence[_Time], Sequence[_Time], list[str]]:
    """The columns without special tokens, with lone punctuation joined to its word; a note
    for each kind of change is added to ``notes``."""
    if tokens:
        starts, ends, texts = _drop_tokens(starts, ends, texts, source, notes)
    if texts and min(map(len, texts)) <= _PUNCTUATION_MAX:  # else none can be punctuation only
        starts, ends, texts = _join_punctuation(starts, ends, texts, source, notes)
    return starts, ends, texts


def _drop_tokens(
    starts: Sequence[_Time], ends: Sequence[_Time], texts: list[str], source: str, notes: list[Note]
) -> tuple[Sequence[_Time], Sequence[_Time], list[str]]:
    cleaned = [strip_tokens(text) if has_tokens(text) else text for text in texts]
    emptied = {i for i, text in enumerate(cleaned) if not text and texts[i]}
    if not emptied:
        return starts, ends, cleaned
    kept = [i for i in range(len(texts)) if i not in emptied]
    notes.append(
        Note(
            f"dropped {len(emptied)} segment(s) holding only whisper's special tokens or"
            f" [BLANK_AUDIO], the first: {texts[min(emptied)][:80]!r}",
            source,
        )
    )
    return [starts[i] for i in kept], [ends[i] for i in kept], [cleaned[i] for i in kept]


_PUNCTUATION_MAX = 3
_PUNCTUATION = re.compile(r"[.,!?;:…)\]»”’\"'%]+")


def _join_punctuation(
    starts: Sequence[_Time], ends: Sequence[_Time], texts: list[str], source: str, notes: list[Note]
) -> tuple[Sequence[_Time], Sequence[_Time], list[str]]:
    """whisper.cpp ``-ml 1`` prints ``,`` and ``.`` as segments of their own: each such segment
    that starts where the one before ends is joined to it (``Americans,`` and not ``Americans
    ,`` once a reflow merges them), the earlier segment's end moved to the punctuation's."""
    joined = [
        i
        for i in range(1, len(texts))
        if len(texts[i]) <= _PUNCTUATION_MAX
        and starts[i] == ends[i - 1]
        and _PUNCTUATION.fullmatch(texts[i])
        and texts[i - 1]
        and not texts[i - 1].endswith(_SPEAKER_TURN)
    ]
    if not joined:
        return starts, ends, texts
    starts, ends, texts = list(starts), list(ends), list(texts)
    for i in reversed(joined):  # from the end, so that ",." after a word joins in one go
        texts[i - 1] += texts[i]
        ends[i - 1] = ends[i]
        texts[i] = ""
    gone = set(joined)
    kept = [i for i in range(len(texts)) if i not in gone]
    notes.append(
        Note(
            f"joined {len(joined)} segment(s) of punctuation only to the word before them"
            f" (the first: {texts[joined[0] - 1][:40]!r})",
            source,
        )
    )
    return [starts[i] for i in kept], [ends[i] for i in kept], [texts[i] for i in kept]


def _read_lines(text: str, source: str, options: Options) -> Transcript:
    lenient = LENIENT.value(options)
    keep_empty = KEEP_EMPTY.value(options)
    starts: list[int] = []
    ends: list[int] = []
    texts: list[str] = []
    raws: list[str] = []  # the texts with their leading spaces, for word-level lines
    notes: list[Note] = []
    console = ConsoleLines()
    lines = text.split("\n")
    empty = 0
    seen_timed = False
    for number, line in enumerate(lines, 1):
        match = _LINE.match(line)
        if match is None:
            stripped = line.strip()
            if not stripped:
                continue
            if console.take(line, number):
                continue
            if _LOOKS_TIMED.match(line):
                problem = ParseError(
                    "malformed timestamp line",
                    source=source,
                    line=number,
                    column=line.index("[") + 2,
                    text=line,
                )
                if lenient:
                    notes.append(
                        Note(f"skipped malformed timestamp line {line.strip()!r}", source, number)
                    )
                    continue
                raise problem
            if not seen_timed:
                if lenient:
                    notes.append(
                        Note(
                            f"skipped text before the first timestamp: {stripped!r}", source, number
                        )
                    )
                    continue
                raise ParseError(
                    "expected a '[start --> end]' timestamp line",
                    source=source,
                    line=number,
                    column=1 + len(line) - len(line.lstrip()),
                    text=line,
                )
            texts[-1] = f"{texts[-1]} {stripped}" if texts[-1] else stripped
            raws[-1] = f"{raws[-1]} {stripped}"
            continue
        raw_start, raw_end, body = match.groups()
        start = _parse_stamp(raw_start)
        end = _parse_stamp(raw_end)
        if start is None or end is None:
            bad = raw_start if start is None else raw_end
            problem = ParseError(
                "timestamp too long to be a time"
                if len(bad) > 32
                else "minutes or seconds over 59 in timestamp",
                source=source,
                line=number,
                column=line.index(bad) + 1,
                text=line,
            )
            if lenient:
                notes.append(
                    Note(f"skipped line with impossible timestamp {bad!r}", source, number)
                )
                continue
            raise problem
        if end < start:
            if not lenient:
                raise ParseError(
                    f"end {raw_end} is before start {raw_start}",
                    source=source,
                    line=number,
                    column=line.index(raw_end, line.index(raw_start) + len(raw_start)) + 1,
                    text=line,
                )
            notes.append(Note(f"swapped start and end ({raw_start} > {raw_end})", source, number))
            start, end = end, start
        seen_timed = True
        starts.append(start + console.offset)
        ends.append(end + console.offset)
        texts.append(body.strip())
        raws.append(body)
    if not seen_timed:
        blank = not text or text.isspace()
        message = "empty input: nothing to convert" if blank else "no '[start --> end]' lines found"
        if console.count:
            message += f" (only console output, such as {console.first_text[:80]!r})"
        raise ParseError(message, source=source, line=1)
    skipped = console.note(source)
    if skipped is not None:
        notes.insert(0, skipped)
    if looks_word_level(starts, ends, texts):
        return _word_transcript(starts, ends, raws, source, console, notes)
    tidy_starts, tidy_ends, texts = _tidy(starts, ends, texts, source, has_tokens(text), notes)
    if not keep_empty and "" in texts:
        kept = [i for i, t in enumerate(texts) if t]
        empty = len(texts) - len(kept)
        tidy_starts = [tidy_starts[i] for i in kept]
        tidy_ends = [tidy_ends[i] for i in kept]
        texts = [texts[i] for i in kept]
        notes.append(
            Note(f"dropped {empty} empty segment(s) (keep them with --keep-empty)", source)
        )
    return _transcript(tidy_starts, tidy_ends, texts, source, console, notes)


def _word_transcript(
    starts: list[int],
    ends: list[int],
    raws: list[str],
    source: str,
    console: ConsoleLines,
    notes: list[Note],
) -> Transcript:
    """One word (or token) a line, whisper.cpp ``-ml 1``: segments whose turns carry the word
    timings (see :mod:`captionbridge.helpers.wordlines`); special tokens go, empty lines (each of
    whisper's segments starts with one) are no segments."""
    raws = [_without_tokens(raw) if has_tokens(raw) else raw for raw in raws]
    read = word_segments(starts, ends, raws)
    message = (
        f"read {read.lines} word-level line(s) (whisper.cpp -ml 1) into"
        f" {len(read.contents)} segment(s) with word timings"
    )
    if read.joined:
        message += f"; joined {read.joined} sub-word or punctuation token(s) to their words"
    notes.append(Note(message, source))
    notes.extend(read.repairs.notes(source))
    return Transcript.from_columns(
        read.starts,
        read.ends,
        read.contents,
        language=console.language,
        speakers=read.speakers,
        source=source,
        notes=notes,
        turned=list(range(len(read.contents))),
    )


def _without_tokens(raw: str) -> str:
    """``raw`` without special tokens, its leading spaces (which tell a word from a sub-word
    token) kept."""
    cleaned = strip_tokens(raw)
    return raw[: len(raw) - len(raw.lstrip(" \t"))] + cleaned if cleaned else ""


_GUESS_CHARS = 65536  # whisper.cpp's log before the first segment is 3-8 kB


def guess_bracket(text: str, filename: str) -> bool:
    """True when the first line that is neither blank nor console output (whisper's logs,
    progress bars: see :class:`ConsoleLines`) is a timestamp line, or means to be one."""
    console = ConsoleLines()
    for number, line in enumerate(text[:_GUESS_CHARS].lstrip("\ufeff").splitlines(), 1):
        if "\x1b" in line:
            line = _ANSI.sub("", line)
        if line.strip():
            if _LOOKS_TIMED.match(line) is not None:
                return True  # a broken one too: reading it gives the located error
            if not console.take(line, number):
                return False
    return False


@hookimpl
def captionbridge_register_readers(register: Callable[[ReaderSpec], None]) -> None:
    register(
        ReaderSpec(
            name=NAME,
            read=read_bracket,
            extensions=(".txt", ".log"),
            guess=guess_bracket,
            description=(
                "bracketed timestamp transcript (whisper.cpp, OpenAI whisper; -ml 1 word lines)"
            ),
            # each segment starts a line with "[": lines without one continue the segment above
            record_start=b"[",
        )
    )
