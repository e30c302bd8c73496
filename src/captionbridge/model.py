"""The cue model shared by every reader, transform and writer.

Times are integer milliseconds. A :class:`Cue` holds one or more :class:`Turn` objects; a cue
with two turns is a dual-speaker subtitle. A :class:`Transcript` is an immutable sequence of cues
plus document metadata.

For speed on batch jobs a transcript is stored as columns (start times, end times and the
content of each cue, where a plain string stands for a single turn without a speaker). Cue
objects are built only when somebody asks for them; writers on the hot path read
:meth:`Transcript.columns` instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import replace as _replace
from typing import NamedTuple, overload

__all__ = [
    "Columns",
    "Content",
    "Cue",
    "Note",
    "Speaker",
    "Transcript",
    "Turn",
    "Word",
    "turns_of",
    "words_agree",
]


class Word(NamedTuple):
    """One spoken word with its own times (milliseconds), as word-level recognisers give them.

    ``text`` is the word as written, without surrounding whitespace, punctuation attached
    (``"GPT-4."``). ``confidence`` is the recogniser's probability in ``[0, 1]`` when it gave one.

    Immutable; ``word._replace(text=...)`` gives a changed copy. A named tuple rather than a
    frozen dataclass because a one-hour file has ten thousand words: a tuple is built in one
    C call (``tuple.__new__(Word, row)``), where a frozen dataclass's ``__init__`` sets each
    field through ``object.__setattr__``.
    """

    text: str
    start: int
    end: int
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Turn:
    """What one speaker says inside a cue.

    ``text`` may hold line breaks (``\\n``) chosen by reflow. ``speaker`` is a key of
    :attr:`Transcript.speakers`, or ``None`` when unknown. ``change`` is true when a marker in
    the source (a turn dash, ``>>``, ``[SPEAKER_TURN]``...) said that a new speaker starts here,
    even if nobody knows who.

    ``words`` holds the turn's word timings when the source had them, else it is empty. Their
    texts, joined by spaces, are the turn's text up to whitespace (see :func:`words_agree`); a
    transform that changes the text keeps them in agreement or drops them, and the pipeline
    drops (and reports) words that no longer agree.
    """

    text: str
    speaker: str | None = None
    change: bool = False
    words: tuple[Word, ...] = ()


def words_agree(turn: Turn) -> bool:
    """True when ``turn`` has no words, or its words spell its text (whitespace aside)."""
    if not turn.words:
        return True
    return " ".join(word.text for word in turn.words).split() == turn.text.split()


#: The content of one cue: a plain string is shorthand for one turn without speaker or marker.
Content = str | tuple[Turn, ...]


def turns_of(content: Content) -> tuple[Turn, ...]:
    """Return the turns of a cue's content, expanding the plain-string shorthand."""
    if isinstance(content, str):
        return (Turn(content),)
    return content


def _compact(turns: tuple[Turn, ...]) -> Content:
    if len(turns) == 1:
        turn = turns[0]
        if turn.speaker is None and not turn.change and not turn.words:
            return turn.text
    return turns


@dataclass(frozen=True, slots=True)
class Cue:
    """One subtitle: shown from ``start`` to ``end`` (milliseconds), made of speaker turns."""

    start: int
    end: int
    turns: tuple[Turn, ...]

    @classmethod
    def make(cls, start: int, end: int, text: str, speaker: str | None = None) -> Cue:
        """Build a single-turn cue."""
        return cls(start, end, (Turn(text, speaker),))

    @property
    def words(self) -> tuple[Word, ...]:
        """The word timings of all turns, in order (empty when the source had none)."""
        if len(self.turns) == 1:
            return self.turns[0].words
        return tuple(word for turn in self.turns for word in turn.words)

    @property
    def text(self) -> str:
        """The text of all turns, one turn per line group."""
        return "\n".join(turn.text for turn in self.turns)

    @property
    def duration(self) -> int:
        """``end - start`` in milliseconds."""
        return self.end - self.start

    @property
    def content(self) -> Content:
        """The compact column form of this cue's turns."""
        return _compact(self.turns)


@dataclass(frozen=True, slots=True)
class Speaker:
    """An entry of the speaker registry: an id with an optional display name and colour."""

    id: str
    name: str | None = None
    color: str | None = None

    @property
    def label(self) -> str:
        """The name to show: the display name when known, else the id."""
        return self.name or self.id


@dataclass(frozen=True, slots=True)
class Note:
    """A warning or a report of a repair, collected on the way through the pipeline."""

    message: str
    source: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.source or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"


class Columns(NamedTuple):
    """The column view of a transcript: parallel sequences, one item per cue."""

    starts: Sequence[int]
    ends: Sequence[int]
    contents: Sequence[Content]


class _CueView(Sequence[Cue]):
    """A read-only sequence of cues built lazily from columns."""

    __slots__ = ("_built", "_columns")

    def __init__(self, columns: Columns) -> None:
        self._columns = columns
        self._built: list[Cue] | None = None

    def _all(self) -> list[Cue]:
        if self._built is None:
            starts, ends, contents = self._columns
            self._built = [
                Cue(s, e, turns_of(c)) for s, e, c in zip(starts, ends, contents, strict=True)
            ]
        return self._built

    def __len__(self) -> int:
        return len(self._columns.contents)

    @overload
    def __getitem__(self, index: int) -> Cue: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Cue]: ...
    def __getitem__(self, index: int | slice) -> Cue | Sequence[Cue]:
        if isinstance(index, slice) or self._built is not None:
            return self._all()[index]
        starts, ends, contents = self._columns
        return Cue(starts[index], ends[index], turns_of(contents[index]))

    def __iter__(self) -> Iterator[Cue]:
        return iter(self._all())

    def __repr__(self) -> str:
        return f"<{len(self)} cues>"


class Transcript:
    """An immutable list of cues with document metadata.

    Build one from cues (``Transcript(cues)``) or, on a hot path, from columns
    (:meth:`from_columns`). Change one with :meth:`replace`, which returns a new transcript.
    """

    __slots__ = ("_columns", "_turned", "_view", "language", "notes", "source", "speakers")

    def __init__(
        self,
        cues: Iterable[Cue] = (),
        *,
        language: str | None = None,
        speakers: Mapping[str, Speaker] | None = None,
        source: str | None = None,
        notes: Iterable[Note] = (),
    ) -> None:
        cue_list = list(cues)
        columns = Columns(
            [c.start for c in cue_list],
            [c.end for c in cue_list],
            [c.content for c in cue_list],
        )
        self._init(columns, language, speakers, source, notes)

    def _init(
        self,
        columns: Columns,
        language: str | None,
        speakers: Mapping[str, Speaker] | None,
        source: str | None,
        notes: Iterable[Note],
    ) -> None:
        if not (len(columns.starts) == len(columns.ends) == len(columns.contents)):
            raise ValueError("starts, ends and contents must have the same length")
        self._columns = columns
        self._turned: list[int] | None = None
        self._view = _CueView(columns)
        self.language = language
        self.speakers: Mapping[str, Speaker] = dict(speakers or {})
        self.source = source
        self.notes: tuple[Note, ...] = tuple(notes)

    @classmethod
    def from_columns(
        cls,
        starts: Sequence[int],
        ends: Sequence[int],
        contents: Sequence[Content],
        *,
        language: str | None = None,
        speakers: Mapping[str, Speaker] | None = None,
        source: str | None = None,
        notes: Iterable[Note] = (),
        turned: list[int] | None = None,
    ) -> Transcript:
        """Build a transcript from parallel columns without creating cue objects.

        ``turned`` may give the indexes of the cues with turns when the caller knows them (see
        :meth:`turned_indexes`); it must be exact."""
        self = cls.__new__(cls)
        self._init(Columns(starts, ends, contents), language, speakers, source, notes)
        self._turned = turned
        return self

    @property
    def cues(self) -> Sequence[Cue]:
        """The cues, in order."""
        return self._view

    def columns(self) -> Columns:
        """The column view: ``(starts, ends, contents)``, the fast path for writers."""
        return self._columns

    def turned_indexes(self) -> list[int]:
        """The indexes of the cues whose content is turns rather than a plain string, in
        order; computed once (writers and checks of one conversion share it)."""
        if self._turned is None:
            self._turned = [
                i
                for i, content in enumerate(self._columns.contents)
                if not isinstance(content, str)
            ]
        return self._turned

    def __len__(self) -> int:
        return len(self._columns.contents)

    def __iter__(self) -> Iterator[Cue]:
        return iter(self._view)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Transcript):
            return NotImplemented
        return (
            list(self._columns.starts) == list(other._columns.starts)
            and list(self._columns.ends) == list(other._columns.ends)
            and [turns_of(c) for c in self._columns.contents]
            == [turns_of(c) for c in other._columns.contents]
            and self.language == other.language
            and self.speakers == other.speakers
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Transcript {self.source or ''} {len(self)} cues>"

    def replace(
        self,
        *,
        cues: Iterable[Cue] | None = None,
        language: str | None = None,
        speakers: Mapping[str, Speaker] | None = None,
        source: str | None = None,
        notes: Iterable[Note] | None = None,
    ) -> Transcript:
        """Return a copy with the given fields changed (``None`` keeps a field)."""
        new = Transcript.__new__(Transcript)
        columns = self._columns
        if cues is not None:
            cue_list = list(cues)
            columns = Columns(
                [c.start for c in cue_list],
                [c.end for c in cue_list],
                [c.content for c in cue_list],
            )
        new._init(
            columns,
            self.language if language is None else language,
            self.speakers if speakers is None else speakers,
            self.source if source is None else source,
            self.notes if notes is None else notes,
        )
        if cues is None:
            new._turned = self._turned
        return new

    def with_columns(self, columns: Columns) -> Transcript:
        """Return a copy whose cues are the given columns."""
        new = Transcript.__new__(Transcript)
        new._init(columns, self.language, self.speakers, self.source, self.notes)
        return new

    def map_turns(self, fn: Callable[[Turn], Turn | Sequence[Turn] | None]) -> Transcript:
        """A copy with every turn passed through ``fn``, which returns the new turn, several
        turns (a split), or ``None`` / ``()`` to drop it. A cue left with no turns is dropped;
        times, language, speakers, source and notes are kept."""
        starts, ends, contents = self._columns
        new_starts: list[int] = []
        new_ends: list[int] = []
        new_contents: list[Content] = []
        for start, end, content in zip(starts, ends, contents, strict=True):
            turns: list[Turn] = []
            for turn in turns_of(content):
                result = fn(turn)
                if isinstance(result, Turn):
                    turns.append(result)
                elif result:
                    turns.extend(result)
            if turns:
                new_starts.append(start)
                new_ends.append(end)
                new_contents.append(_compact(tuple(turns)))
        return self.with_columns(Columns(new_starts, new_ends, new_contents))

    def map_texts(self, fn: Callable[[str], str]) -> Transcript:
        """A copy with every turn's text passed through ``fn`` (speakers and turn markers stay).
        A turn whose text ``fn`` makes blank is dropped, and so is a cue left with no turns;
        turns that were blank already are kept as they were."""

        def one(turn: Turn) -> Turn | None:
            text = fn(turn.text)
            if not text.strip() and turn.text.strip():
                return None
            return turn if text == turn.text else _replace(turn, text=text)

        return self.map_turns(one)

    def filter_cues(self, keep: Callable[[Cue], bool]) -> Transcript:
        """A copy with only the cues for which ``keep(cue)`` is true; metadata is kept."""
        starts, ends, contents = self._columns
        kept = [
            i
            for i, (start, end, content) in enumerate(zip(starts, ends, contents, strict=True))
            if keep(Cue(start, end, turns_of(content)))
        ]
        return self.with_columns(
            Columns([starts[i] for i in kept], [ends[i] for i in kept], [contents[i] for i in kept])
        )

    def with_notes(self, *notes: Note) -> Transcript:
        """Return a copy with more notes appended."""
        if not notes:
            return self
        return self.replace(notes=self.notes + notes)

    def speaker_label(self, speaker: str | None) -> str | None:
        """The display label of a speaker id (its name when registered), or ``None``."""
        if speaker is None:
            return None
        entry = self.speakers.get(speaker)
        return entry.label if entry else speaker
