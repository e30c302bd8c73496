"""What plugins register: readers, writers, options, transforms, presets and targets.

Each registration hook in :mod:`captionbridge.hookspecs` receives a ``register`` callback that
takes one of these specs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from .errors import CaptionbridgeError, OptionError, brief

if TYPE_CHECKING:
    from fractions import Fraction

    from .model import Content, Note, Transcript

__all__ = [
    "OptionSpec",
    "Options",
    "Preset",
    "ReadContext",
    "ReaderSpec",
    "ResolvedOptions",
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
    options: Options = field(default_factory=lambda: ResolvedOptions())


@dataclass(frozen=True)
class WriteContext:
    """What a writer is told besides the transcript.

    ``stem`` is the output file's name without extension (used by multi-file writers to name
    their files); ``options`` holds every option's resolved, typed value
    (:class:`ResolvedOptions`; read one with :meth:`OptionSpec.value`). A writer that has to
    change what it was given (map a character its format lacks, move a time) says so with
    :meth:`note`; the notes end up in ``notes`` and the CLI prints them as warnings.
    """

    options: Options = field(default_factory=lambda: ResolvedOptions())
    stem: str = "captions"
    notes: list[Note] = field(default_factory=list)
    #: when a big input is written in chunks (only to writers with ``WriterSpec.stream``): the
    #: number of cues already written, and whether this is the last chunk
    first_cue: int = 0
    final: bool = True
    #: set when the output goes to a file in this encoding: a writer may then return the
    #: encoded bytes itself (built in pieces, the whole text is never held); ``None``: text
    encoding: str | None = None
    #: the content of the last cue with turns before this chunk (``None`` for none): what
    #: a writer that shows a speaker only when it changes needs to know
    previous: Content | None = None

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
    #: The format defines what a NUL character means (WebVTT turns it into U+FFFD), so decoded
    #: text holding NUL reaches this reader; for every other reader NUL marks a binary file.
    nul_ok: bool = False


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


_TRUE_WORDS = frozenset({"true", "yes", "1", "on"})
_FALSE_WORDS = frozenset({"false", "no", "0", "off"})


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if not isinstance(exc, (ValueError, CaptionbridgeError)):
        text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


@dataclass(frozen=True)
class OptionSpec:
    """An option of the conversion pipeline, shown by the CLI and accepted by the Python API.

    ``name`` is the Python keyword (``max_chars``); ``flag`` the command-line spelling
    (defaults to ``--max-chars``). ``type`` turns a given value into the option's value: it
    receives the string from the command line, or the value from a configuration file or the
    Python API (an ``int`` from TOML, say), and raises ``ValueError`` for a value it refuses.
    ``choices`` limits the values. ``type=bool`` (or ``is_bool``) makes a boolean option:
    ``true``/``yes``/``1``/``on`` and ``false``/``no``/``0``/``off`` are understood, anything
    else is refused; with ``is_bool`` the command line shows a ``--flag/--no-flag`` pair.
    ``default`` is the value when the option is not given; it is used as it is (not parsed).

    A value that is not a string (from the Python API) also goes through ``type``; with
    ``strict`` a refused one is an error, without it (the default, for parsers written to take
    strings only) it reaches the plugin as it was given.
    """

    name: str
    help: str
    type: Callable[[str], Any] = str
    default: Any = None
    flag: str | None = None
    choices: Sequence[str] | None = None
    is_bool: bool = False
    metavar: str | None = None
    strict: bool = False
    #: a non-default value still lets a huge input be converted chunk by chunk: the transforms
    #: that read the option say where a chunk may end (``captionbridge_stream_cut``)
    chunked: bool = False

    @property
    def cli_flag(self) -> str:
        """The command-line spelling of the option."""
        return self.flag or "--" + self.name.replace("_", "-")

    @property
    def boolean(self) -> bool:
        """True for an on/off option (``type=bool`` or ``is_bool``)."""
        return self.is_bool or self.type is bool

    def convert(self, value: Any) -> Any:
        """The option's value for ``value``; raises ``ValueError`` with the reason (without the
        option's name) when it is refused. ``None`` stays ``None`` (not given)."""
        if value is None:
            return None
        if self.boolean:
            value = _to_bool(value)
        elif self.type is str:
            value = _to_text(value, self.strict)
        else:
            try:
                value = self.type(value)
            except RecursionError:
                raise ValueError(f"cannot take {brief(value)}") from None
            except Exception as exc:  # a plugin's parser: any failure is a refused value
                raise ValueError(_one_line(exc)) from None
        if self.choices is not None and value not in self.choices:
            raise ValueError(f"{brief(value)} (choose from {', '.join(self.choices)})")
        return value

    def parse(self, value: Any) -> Any:
        """Like :meth:`convert`, but a refused value raises :class:`OptionError` naming the
        option (``invalid value for --max-chars: ...``); see ``strict`` for values that are not
        strings."""
        try:
            return self.convert(value)
        except ValueError as exc:
            if not (self.strict or self.boolean or self.type is str or isinstance(value, str)):
                return value  # the plugin's parser takes strings only: its consumer decides
            raise OptionError(f"invalid value for {self.cli_flag}: {exc}") from None

    def value(self, options: Mapping[str, Any]) -> Any:
        """This option's value in ``options``: as resolved when ``options`` are
        :class:`ResolvedOptions`; parsed from a plain mapping (a plugin called directly, as in
        tests); the default when it is missing or ``None``."""
        found = options.get(self.name)
        if found is None:
            return self.default
        return found if isinstance(options, ResolvedOptions) else self.parse(found)


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    raise ValueError(f"{brief(value)} is not on or off (use true/false, yes/no, 1/0, on/off)")


def _to_text(value: Any, strict: bool) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, bool):
        raise ValueError(f"{brief(value)} is not text")
    if isinstance(value, (int, float)):
        return str(value)
    if strict:
        raise ValueError(f"{brief(value)} is not text")
    return value  # a sequence or object from the Python API: the option's consumer decides


class ResolvedOptions(Mapping[str, Any]):
    """The resolved options of one conversion: every registered option, with its typed value
    (its default when not given), immutable.

    It is a mapping from :attr:`OptionSpec.name` to the value, so plugins written for a plain
    ``dict`` keep working; read a value with ``settings["max_chars"]`` or
    :meth:`OptionSpec.value`. It pickles, so it crosses to worker processes.
    """

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, Any] | None = None) -> None:
        self._values: dict[str, Any] = dict(values or {})

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"ResolvedOptions({self._values!r})"

    def __getstate__(self) -> dict[str, Any]:
        return self._values

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._values = state

    def replace(self, **changes: Any) -> ResolvedOptions:
        """A copy with some values changed (already typed: they are not parsed)."""
        return ResolvedOptions({**self._values, **changes})


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
