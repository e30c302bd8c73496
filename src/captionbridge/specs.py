"""What plugins register: readers, writers, options, transforms, presets and targets.

Each registration hook in :mod:`captionbridge.hookspecs` receives a ``register`` callback that
takes one of these specs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from fractions import Fraction

    from .model import Note, Transcript

__all__ = [
    "OptionSpec",
    "Options",
    "Preset",
    "ReadContext",
    "ReaderSpec",
    "Stage",
    "Target",
    "TransformSpec",
    "WriteContext",
    "WriterOutput",
    "WriterSpec",
]

#: Option values after defaults, presets and the user's choices are merged; keys are
#: :attr:`OptionSpec.name`.
Options = Mapping[str, Any]

#: What a writer returns: the text or bytes of one file, or a mapping from relative file names
#: to contents for a writer that produces a set of files (a playlist with segments, say).
WriterOutput = str | bytes | Mapping[str, str | bytes]

#: The transform stages, in the order the pipeline runs them.
Stage = Literal["clean", "speakers", "reflow", "timing"]
STAGES: tuple[Stage, ...] = ("clean", "speakers", "reflow", "timing")


@dataclass(frozen=True)
class ReadContext:
    """What a reader is told besides the text: where it came from and the options."""

    source: str
    options: Options = field(default_factory=dict)


@dataclass(frozen=True)
class WriteContext:
    """What a writer is told besides the transcript.

    ``stem`` is the output file's name without extension (used by multi-file writers to name
    their files); ``options`` holds every option value. A writer that has to change what it was
    given (map a character its format lacks, move a time) says so with :meth:`note`; the notes
    end up in ``notes`` and the CLI prints them as warnings.
    """

    options: Options = field(default_factory=dict)
    stem: str = "captions"
    notes: list[Note] = field(default_factory=list)
    #: when a big input is written in chunks (only to writers with ``WriterSpec.stream``): the
    #: number of cues already written, and whether this is the last chunk
    first_cue: int = 0
    final: bool = True

    def note(self, message: str, source: str | None = None) -> None:
        """Record a warning about this output."""
        from .model import Note

        self.notes.append(Note(message, source))


@dataclass(frozen=True)
class ReaderSpec:
    """A reader: turns decoded text into a :class:`~captionbridge.model.Transcript`.

    ``guess(text, filename)`` answers whether the text is in this format; it should look at the
    first lines only. ``extensions`` (with the dot) are the file endings it usually has.
    """

    name: str
    read: Callable[[str, ReadContext], Transcript]
    extensions: tuple[str, ...] = ()
    guess: Callable[[str, str], bool] | None = None
    description: str = ""
    #: Byte-oriented formats (binary files) are not decoded: ``read`` and ``guess`` receive the
    #: raw bytes as latin-1 text (one character per byte; ``text.encode("latin-1")`` gives
    #: the bytes back), and a binary reader is asked before any text reader.
    binary: bool = False
    #: The bytes that begin a record at the start of a line, when the input can be cut before
    #: any such line and each piece read alone gives the cues the whole would give (the order
    #: of cues, the text and the times); a huge input is then converted piece by piece. ``None``:
    #: the reader needs the whole text.
    record_start: bytes | None = None


@dataclass(frozen=True)
class WriterSpec:
    """A writer: turns a transcript into the bytes of one file or a set of files.

    ``extension`` (with the dot) is what output files get; ``claims`` are the endings that select
    this writer when the format is guessed from an output path (defaults to ``extension``; an
    empty tuple claims none, so the writer never takes an ending from another one). An output
    path also selects the writer whose own ``extension`` is the longest ending that matches
    (``talk.avid.txt``), so ``-o`` with the name ``--to`` gives always means the same format; a
    claim wins over an unclaimed extension of the same length. ``encoding`` is used when
    ``write`` returns text.
    """

    name: str
    write: Callable[[Transcript, WriteContext], WriterOutput]
    extension: str
    claims: tuple[str, ...] | None = None
    aliases: tuple[str, ...] = ()
    description: str = ""
    frame_based: bool = False
    #: the frame rates the format's specification allows, the usual one first (SCC: 29.97;
    #: EBU-STL: 25, 29.97, 30); empty when a frame-based format takes any rate. Without
    #: ``--fps`` the run takes the first as the project rate; the writer converts or refuses a
    #: project rate its format cannot carry (see docs/frame-rates.md).
    frame_rates: tuple[Fraction, ...] = ()
    multi_file: bool = False
    encoding: str = "utf-8"
    #: the writer can write a transcript in chunks whose outputs, concatenated, are the output
    #: of the whole (it honours ``WriteContext.first_cue`` and ``final``)
    stream: bool = False
    #: the format written when none is asked for (one writer of a host declares it)
    default: bool = False

    @property
    def claimed_extensions(self) -> tuple[str, ...]:
        """The file endings that select this writer when guessing from a path."""
        return (self.extension,) if self.claims is None else self.claims


@dataclass(frozen=True)
class OptionSpec:
    """An option of the conversion pipeline, shown by the CLI and accepted by the Python API.

    ``name`` is the Python keyword (``max_chars``); ``flag`` the command-line spelling
    (defaults to ``--max-chars``). ``type`` converts a value given as a string, and is also
    applied to values from Python that are strings. ``choices`` limits the values. A ``bool``
    option becomes a ``--flag/--no-flag`` pair.
    """

    name: str
    help: str
    type: Callable[[str], Any] = str
    default: Any = None
    flag: str | None = None
    choices: Sequence[str] | None = None
    is_bool: bool = False
    metavar: str | None = None

    @property
    def cli_flag(self) -> str:
        """The command-line spelling of the option."""
        return self.flag or "--" + self.name.replace("_", "-")


@dataclass(frozen=True)
class TransformSpec:
    """A transform that the pipeline runs in one stage.

    ``apply(transcript, options)`` returns a new transcript (or the same one when it has nothing
    to do). Transforms of one stage run by ascending ``order``; built-ins use 0.
    """

    name: str
    stage: Stage
    apply: Callable[[Transcript, Options], Transcript]
    order: int = 0
    description: str = ""


@dataclass(frozen=True)
class Preset:
    """A named bundle of option values (a house style such as ``netflix``)."""

    name: str
    values: Mapping[str, Any]
    description: str = ""


@dataclass(frozen=True)
class Target:
    """An editor target (``--for resolve``): default formats plus option values."""

    name: str
    formats: tuple[str, ...]
    values: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""
