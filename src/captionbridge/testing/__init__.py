"""The conformance kit for plugin authors: sample transcripts and ready-made tests (a pytest
plugin).

Enable it in a test module (or in your root ``conftest.py``) and subclass a kit class::

    pytest_plugins = ["captionbridge.testing"]

    from captionbridge.testing import WriterConformance

    class TestMyFormat(WriterConformance):
        format_name = "myformat"

The subclass inherits tests that build a plugin host the way users get it (installed entry
points), write every sample transcript (hostile text, dual-speaker cues, an empty transcript, a
cue past 24 hours), decode the output, read it back and compare words and times. Override
:meth:`WriterConformance.read_back` to read the output with an independent parser, or set
``plugins = {"name": module}`` and ``entry_points = False`` to test a plugin that is not
installed. :class:`ReaderConformance` does the same for readers, from inputs that your own
:meth:`ReaderConformance.make_input` produces.

A format that cannot keep something declares it: ``lossy = frozenset({"case", "end_times"})``
(any of :data:`LOSSINESS`: ``case``, ``end_times``, ``speakers``, ``line_breaks``), and the
comparisons skip exactly that. A test that takes a ``sample`` argument is parametrised by the
class (``kit_samples``, else every name of :data:`SAMPLE_NAMES`), so you can override a kit test,
call ``super()`` and keep its samples, or add your own ``def test_x(self, conformance_host,
sample)``. ``pip install 'captionbridge[testing]'`` installs what the kit needs.

Fixtures: ``sample_transcripts`` (all samples by name), ``hostile_transcript``,
``injection_transcript``, ``dual_speaker_transcript``, ``empty_transcript`` and
``day_long_transcript``.

PYTEST_DONT_REWRITE: the kit's assertions carry their own messages, so the module works
whether or not pytest imported it first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from typing import Any, ClassVar

import pytest

from ..errors import CaptionbridgeError, ParseError, PluginError
from ..flow.pipeline import read_bytes, render, resolve_options
from ..host.registry import PluginHost, make_host
from ..model import Cue, Speaker, Transcript, Turn
from ..specs import ResolvedOptions
from .fuzzcheck import (
    check_reader_input,
    count_calls,
    nonlinear_shapes,
    nonlinear_writer_shapes,
)

__all__ = [
    "LOSSINESS",
    "ROUND_TRIP_SAMPLES",
    "SAMPLE_NAMES",
    "PluginHost",
    "ReadCue",
    "ReaderConformance",
    "WriterConformance",
    "check_reader_input",
    "compare_cues",
    "count_calls",
    "nonlinear_shapes",
    "nonlinear_writer_shapes",
    "plugin_host",
    "sample_transcripts",
]

#: ``(start_ms, end_ms, text)`` as read back from a writer's output.
ReadCue = tuple[int, int, str]

#: One day in milliseconds: the day-long sample has a cue after it.
DAY_MS = 24 * 3600 * 1000

HOSTILE_TEXTS: tuple[str, ...] = (
    "5 < 6 & 7 > 3 and &amp; left as typed, <3",
    "an arrow --> in the middle",
    "{\\an8}an override block? \"double\" and 'single' quotes",
    "emoji 🎉👍🏽 and right-to-left שלום עולם مرحبا بالعالم",
    " ".join(["long"] * 40) + "!",  # 200 characters
    "control\x07characters\x1b[0m and a\ttab",
    "",
    "line one\n\nline two after a blank line",
)

#: Cue texts that break a text format that does not escape them: each must stay one cue.
INJECTION_TEXTS: tuple[str, ...] = (
    "an arrow --> inside",
    "00:00:05.000 --> 00:00:06.000",
    "2\n00:00:09,000 --> 00:00:10,000\na cue of its own?",
    "before a blank line\n\nafter it",
    "WEBVTT\n\nNOTE not a comment",
)


def _timed(texts: Sequence[str], step: int = 1500) -> list[Cue]:
    return [Cue.make(1000 + i * step, 2000 + i * step, text) for i, text in enumerate(texts)]


def sample_transcripts() -> dict[str, Transcript]:
    """The kit's sample transcripts by name (new objects on every call)."""
    speakers = {"S1": Speaker("S1", "Ada"), "S2": Speaker("S2", "Grace <&> Hopper")}
    dual = Transcript(
        [
            Cue(1000, 3000, (Turn("Are you ready?", "S1", True), Turn("Yes.", "S2", True))),
            Cue(3500, 5000, (Turn("Let's go then.", "S1", True),)),
            Cue(5500, 7000, (Turn("Who's there?", None, True), Turn("Nobody.", None, True))),
        ],
        speakers=speakers,
        language="en",
    )
    return {
        "simple": Transcript(
            [
                Cue.make(1000, 3500, "Hello there."),
                Cue.make(4000, 6000, "A second cue\non two lines."),
                Cue.make(6000, 8250, "Touching the one before."),
            ],
            language="en",
        ),
        "hostile": Transcript(_timed(HOSTILE_TEXTS)),
        "injection": Transcript(_timed(INJECTION_TEXTS)),
        "dual_speaker": dual,
        "empty": Transcript([]),
        "day_long": Transcript(
            [
                Cue.make(0, 1500, "At the very start."),
                Cue.make(DAY_MS + 1500, DAY_MS + 4250, "A day and a second later."),
            ]
        ),
    }


#: The names of the kit's sample transcripts (the ``sample`` parameter of the kit's tests).
SAMPLE_NAMES: tuple[str, ...] = tuple(sample_transcripts())
#: The samples :meth:`WriterConformance.test_round_trip` reads back.
ROUND_TRIP_SAMPLES: tuple[str, ...] = ("simple", "hostile", "dual_speaker")


# -- comparing ---------------------------------------------------------------------------------

_INVISIBLE = {"Cc", "Cf"}


_OVERRIDE = re.compile(r"\{\\[^{}]*\}")


def _normal(text: str, labels: Sequence[str]) -> str:
    """Text reduced to what every format keeps: no speaker labels or turn dashes, no
    whitespace, control or format characters, no ``{\\an8}``-style blocks (SRT players and
    readers take those for positioning tags; an ASS writer must test them itself)."""
    text = _OVERRIDE.sub(" ", text.replace("\uff5b", "{").replace("\uff5d", "}"))
    for label in labels:
        text = text.replace(f"{label}:", " ")
    words = [w for w in text.split() if w not in ("-", ">>")]
    joined = "".join(w[1:] if w.startswith("-") and len(w) > 1 else w for w in words)
    joined = "".join(c for c in joined if unicodedata.category(c) not in _INVISIBLE)
    return unicodedata.normalize("NFC", joined)


#: What a writer may declare it loses (``WriterConformance.lossy``): the letter case of the
#: text, the end times (a start-times-only format), which speaker said a turn, and where the
#: lines of a cue break.
LOSSINESS: frozenset[str] = frozenset({"case", "end_times", "speakers", "line_breaks"})


def _check_lossy(lossy: Collection[str]) -> frozenset[str]:
    unknown = sorted(set(lossy) - LOSSINESS)
    if unknown:
        raise AssertionError(f"unknown lossiness {unknown}: choose from {sorted(LOSSINESS)}")
    return frozenset(lossy)


_Row = tuple[int, int, str, list[str], list[str] | None]


def _rows(read: Transcript | Sequence[ReadCue], labels: Sequence[str], case: bool) -> list[_Row]:
    """Non-empty cues as (start, end, words, words per line, speaker labels or None)."""

    def norm(text: str) -> str:
        text = _normal(text, labels)
        return text.casefold() if case else text

    rows: list[_Row] = []
    cues: list[tuple[int, int, str, list[str] | None]]
    if isinstance(read, Transcript):
        named = {key: s.label for key, s in read.speakers.items()}
        cues = [
            (
                c.start,
                c.end,
                c.text,
                [named.get(t.speaker, t.speaker) for t in c.turns if t.speaker is not None],
            )
            for c in read.cues
        ]
    else:
        cues = [(int(s), int(e), str(t), None) for s, e, t in read]
    for start, end, text, speakers in cues:
        words = norm(text)
        if words:
            lines = [n for n in map(norm, text.split("\n")) if n]
            rows.append((start, end, words, lines, speakers))
    return rows


def compare_cues(
    expected: Transcript,
    read: Transcript | Sequence[ReadCue],
    *,
    tolerance_ms: int = 1,
    what: str = "output",
    lossy: Collection[str] = ("speakers", "line_breaks"),
) -> None:
    """Assert that ``read`` has the cues of ``expected``: same count of non-empty cues, same
    words in order (ignoring speaker labels, turn dashes, whitespace and control characters),
    times within ``tolerance_ms``, the same lines per cue and, when ``read`` is a transcript,
    the same speakers per cue.

    ``lossy`` (a subset of :data:`LOSSINESS`) relaxes what the format cannot keep: ``case``
    compares text case-insensitively, ``end_times`` compares start times only, ``speakers``
    and ``line_breaks`` skip those checks. The default skips speakers and line breaks (words
    and times only); pass ``lossy=()`` to check everything."""
    lossy = _check_lossy(lossy)
    labels = [s.label for s in expected.speakers.values()] + list(expected.speakers)
    case = "case" in lossy
    want, got = _rows(expected, labels, case), _rows(read, labels, case)
    if len(got) != len(want):
        raise AssertionError(
            f"{what}: read back {len(got)} non-empty cue(s), expected {len(want)}:"
            f" got {[g[2] for g in got]!r}, expected {[w[2] for w in want]!r}"
        )
    for index, (w, g) in enumerate(zip(want, got, strict=True), 1):
        (ws, we, wt, wl, wsp), (gs, ge, gt, gl, gsp) = w, g
        if wt != gt:
            hint = "" if case or wt.casefold() != gt.casefold() else " (declare lossy 'case')"
            raise AssertionError(f"{what}: cue {index} reads back as {gt!r}, expected {wt!r}{hint}")
        late = abs(we - ge) > tolerance_ms and "end_times" not in lossy
        if abs(ws - gs) > tolerance_ms or late:
            raise AssertionError(
                f"{what}: cue {index} reads back at {gs}-{ge} ms, expected {ws}-{we} ms"
                f" (tolerance {tolerance_ms} ms; declare lossy 'end_times' for a format"
                " without end times)"
            )
        if "line_breaks" not in lossy and wl != gl:
            raise AssertionError(
                f"{what}: cue {index} reads back on lines {gl!r}, expected {wl!r}"
                " (declare lossy 'line_breaks' if the format cannot keep them)"
            )
        if "speakers" not in lossy and gsp is not None and wsp != gsp:
            raise AssertionError(
                f"{what}: cue {index} reads back with speakers {gsp!r}, expected {wsp!r}"
                " (declare lossy 'speakers' if the format cannot keep them)"
            )


# -- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(name="sample_transcripts")
def _sample_transcripts_fixture() -> dict[str, Transcript]:
    """Every sample transcript of the conformance kit, by name."""
    return sample_transcripts()


def _sample(name: str) -> Any:
    def fixture() -> Transcript:
        return sample_transcripts()[name]

    fixture.__name__ = f"{name}_transcript"
    fixture.__doc__ = f"The {name!r} sample transcript of the conformance kit."
    return pytest.fixture(name=f"{name}_transcript")(fixture)


hostile_transcript = _sample("hostile")
injection_transcript = _sample("injection")
dual_speaker_transcript = _sample("dual_speaker")
empty_transcript = _sample("empty")
day_long_transcript = _sample("day_long")


# -- the kits --------------------------------------------------------------------------------


class _Conformance:
    #: The format name the plugin registers.
    format_name: ClassVar[str] = ""
    #: Load installed plugins through their entry points (as users get them).
    entry_points: ClassVar[bool] = True
    #: Extra plugins to register, ``{name: module}`` (for a plugin that is not installed).
    plugins: ClassVar[Mapping[str, object] | None] = None
    #: Option values for every conversion (``{"fps": "25"}``).
    options: ClassVar[Mapping[str, Any]] = {}
    #: How far read-back times may be from the sample's (a frame for frame-based formats).
    tolerance_ms: ClassVar[int] = 1
    #: If set, the distribution (package) name that must provide the format.
    distribution: ClassVar[str | None] = None
    #: What the format cannot keep, a subset of :data:`LOSSINESS` (``{"case", "end_times"}``);
    #: the comparisons skip it. Writers are checked for everything unless they declare it;
    #: readers (:class:`ReaderConformance`) default to ``{"speakers", "line_breaks"}``.
    lossy: ClassVar[Collection[str]] = frozenset()
    #: The samples a test with a ``sample`` argument runs with, by test name; any other such
    #: test (your own, or an override of a kit test) runs with every sample.
    kit_samples: ClassVar[Mapping[str, Sequence[str]]] = {"test_round_trip": ROUND_TRIP_SAMPLES}
    _kind: ClassVar[str] = ""

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        """Parametrise ``sample`` by test name, so an overriding test keeps its samples."""
        if "sample" not in metafunc.fixturenames:
            return
        for mark in metafunc.definition.iter_markers("parametrize"):
            names = mark.args[0]
            listed = names.split(",") if isinstance(names, str) else list(names)
            if "sample" in (n.strip() for n in listed):
                return  # the test chose its own samples
        samples = self.kit_samples.get(metafunc.function.__name__, SAMPLE_NAMES)
        metafunc.parametrize("sample", list(samples))

    @pytest.fixture(scope="class")
    @classmethod
    def conformance_host(cls) -> PluginHost:
        """The plugin host the kit's tests use (built once per test class)."""
        if not cls.format_name:
            raise AssertionError(f"{cls.__name__} must set format_name")
        _check_lossy(cls.lossy)
        return make_host(entry_points=cls.entry_points, plugins=cls.plugins)

    def resolved_options(self, host: PluginHost) -> ResolvedOptions:
        """The class's ``options`` merged with every option's default."""
        return resolve_options(host, dict(self.options))

    def test_registers_without_error(self, conformance_host: PluginHost) -> None:
        """The plugin loads, registers the format and is not listed as broken."""
        host = conformance_host
        table = host.writers if self._kind == "writer" else host.readers
        provider = host.provider_of(self._kind, self.format_name)
        broken = [b for b in host.broken if b.name == provider or provider == "?"]
        assert not broken, f"plugins failed to load or register: {broken}"
        assert self.format_name in table, (
            f"no {self._kind} named {self.format_name!r}; registered: {sorted(table)}"
        )
        info = {i.name: i for i in host.plugin_infos()}[provider]
        hook = f"captionbridge_register_{self._kind}s"
        assert hook in info.hooks, f"plugin {provider!r} does not implement {hook}"
        if self.distribution is not None:
            assert info.distribution == self.distribution, (
                f"{self.format_name!r} comes from {info.distribution!r}, not {self.distribution!r}"
            )


class WriterConformance(_Conformance):
    """Tests every writer plugin should pass; subclass it and set :attr:`format_name`.

    Reading back uses the reader registered under :attr:`reader_name` (default: a reader with
    the writer's own name, if there is one). Override :meth:`read_back` to use an independent
    parser instead, which is required for multi-file writers.
    """

    #: The registered reader used by :meth:`read_back` (default: the format's own name).
    reader_name: ClassVar[str | None] = None
    _kind = "writer"

    def write(self, host: PluginHost, transcript: Transcript) -> dict[str, bytes]:
        """Render a transcript through the pipeline: ``{relative name: bytes}``."""
        writer = host.writer(self.format_name)
        return render(transcript, writer, host, self.resolved_options(host), "captions")

    def read_back(
        self, host: PluginHost, files: dict[str, bytes]
    ) -> Transcript | Sequence[ReadCue]:
        """Read the written files back into cues; skips when nothing can read them."""
        name = self.reader_name or self.format_name
        if name not in host.readers or set(files) != {""}:
            pytest.skip(f"no reader for {self.format_name!r}: override read_back()")
        return read_bytes(files[""], "captions", host, self.resolved_options(host), format=name)

    def _write_sample(self, host: PluginHost, sample: str) -> dict[str, bytes] | None:
        try:
            return self.write(host, sample_transcripts()[sample])
        except CaptionbridgeError:
            if sample == "day_long":
                return None  # refusing a time the format cannot hold, with a clear error, is fine
            raise

    def _round_trip(self, host: PluginHost, sample: str) -> None:
        transcript = sample_transcripts()[sample]
        files = self.write(host, transcript)
        read = self.read_back(host, files)
        compare_cues(
            transcript,
            read,
            tolerance_ms=self.tolerance_ms,
            what=f"{self.format_name} output of the {sample!r} sample",
            lossy=self.lossy,
        )

    def test_writes_every_sample(self, conformance_host: PluginHost, sample: str) -> None:
        """Every sample renders to at least one file; single-file writers to exactly one."""
        writer = conformance_host.writer(self.format_name)
        files = self._write_sample(conformance_host, sample)
        if files is None:
            return
        assert files, f"{self.format_name} wrote no file for the {sample!r} sample"
        if not writer.multi_file:
            assert set(files) == {""}, (
                f"{self.format_name} returned several files but multi_file is False"
            )

    def test_output_decodes(self, conformance_host: PluginHost, sample: str) -> None:
        """Text output decodes with the writer's declared encoding."""
        writer = conformance_host.writer(self.format_name)
        files = self._write_sample(conformance_host, sample)
        for name, data in (files or {}).items():
            try:
                data.decode(writer.encoding)
            except UnicodeDecodeError as exc:
                raise AssertionError(
                    f"{self.format_name} file {name or '<main>'!r} of the {sample!r} sample"
                    f" is not valid {writer.encoding}: {exc}"
                ) from None

    def test_round_trip(self, conformance_host: PluginHost, sample: str) -> None:
        """The output reads back to the same words in order and the same times."""
        self._round_trip(conformance_host, sample)

    def test_escapes_hostile_text(self, conformance_host: PluginHost) -> None:
        """Cue text that looks like format syntax (``-->``, a timing line, a blank line) stays
        inside its cue: reading back gives exactly as many cues, with the same words."""
        try:
            self._round_trip(conformance_host, "injection")
        except AssertionError as exc:
            raise AssertionError(
                f"{exc}\n(cue text that imitates the format's syntax must stay inside its cue:"
                " escape '-->', timing lines and blank lines)"
            ) from None

    def test_empty_transcript(self, conformance_host: PluginHost) -> None:
        """An empty transcript writes a file that reads back to no cues, or that reading
        refuses as empty input (captionbridge treats an empty file as a mistake)."""
        try:
            self._round_trip(conformance_host, "empty")
        except ParseError as exc:
            assert "empty input" in str(exc), exc

    def test_day_long_timestamp(self, conformance_host: PluginHost) -> None:
        """A cue past 24 hours keeps its time (or the writer refuses with a clear error)."""
        try:
            self.write(conformance_host, sample_transcripts()["day_long"])
        except CaptionbridgeError as exc:
            assert str(exc).strip(), "the refusal must say why"
            return
        self._round_trip(conformance_host, "day_long")


class ReaderConformance(_Conformance):
    """Tests every reader plugin should pass; subclass it, set :attr:`format_name` and
    implement :meth:`make_input` (unless a writer of the same name exists)."""

    #: Inputs that are not in the format: reading them must fail with a CaptionbridgeError
    #: (or return a transcript), never with another exception.
    bad_inputs: ClassVar[Sequence[str | bytes]] = (
        "",
        "\x00\x01\x02",
        "{",
        "[]",
        "null",
        '{"segments": 5}',
        "WEBVTT\n\n00:00:01.000 --> garbage",
        b"\xff\xfe\x00garbage",
    )
    lossy: ClassVar[Collection[str]] = frozenset({"speakers", "line_breaks"})
    _kind = "reader"

    def make_input(self, host: PluginHost, transcript: Transcript) -> str | bytes:
        """The transcript in this reader's format, made independently of the reader."""
        if self.format_name in host.writers:
            files = render(
                transcript,
                host.writer(self.format_name),
                host,
                self.resolved_options(host),
                "captions",
            )
            return files[""]
        pytest.skip(f"no writer for {self.format_name!r}: override make_input()")

    def read(self, host: PluginHost, data: str | bytes) -> Transcript:
        """Read input through the pipeline with this reader."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        options = self.resolved_options(host)
        return read_bytes(raw, "input", host, options, format=self.format_name)

    def test_reads_every_sample(self, conformance_host: PluginHost, sample: str) -> None:
        """Every sample, in the format, reads back to the same words and times."""
        transcript = sample_transcripts()[sample]
        read = self.read(conformance_host, self.make_input(conformance_host, transcript))
        compare_cues(
            transcript,
            read,
            tolerance_ms=self.tolerance_ms,
            what=f"{self.format_name} reading of the {sample!r} sample",
            lossy=self.lossy,
        )

    def test_bad_input_fails_cleanly(self, conformance_host: PluginHost) -> None:
        """Input that is not in the format raises a CaptionbridgeError, never a traceback."""
        for data in self.bad_inputs:
            try:
                self.read(conformance_host, data)
            except PluginError as exc:  # the pipeline's wrapping of an unexpected exception
                raise AssertionError(
                    f"reading {data!r} crashed the reader: {exc};"
                    " raise captionbridge.ParseError for input that is not in the format"
                ) from exc
            except CaptionbridgeError:
                pass

    def test_guess_recognises_its_format(self, conformance_host: PluginHost) -> None:
        """``guess`` (if the reader has one) says yes to the format's own non-empty input."""
        spec = conformance_host.reader(self.format_name)
        if spec.guess is None:
            return
        for name, transcript in sample_transcripts().items():
            if len(transcript):
                data = self.make_input(conformance_host, transcript)
                text = data.decode("utf-8") if isinstance(data, bytes) else data
                assert spec.guess(text, "input"), f"guess rejects the {name!r} sample"

    def test_guess_leaves_other_formats_alone(self, conformance_host: PluginHost) -> None:
        """``guess`` says no to other formats' files, so it never steals them."""
        spec = conformance_host.reader(self.format_name)
        if spec.guess is None:
            return
        others = {
            "bracket": "[00:00:01.000 --> 00:00:02.000]   Hello.\n",
            "srt": "1\n00:00:01,000 --> 00:00:02,000\nHello.\n",
            "vtt": "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello.\n",
            "json": '{"format": "captionbridge", "version": 1, "cues": []}',
        }
        for name, text in others.items():
            if name != self.format_name:
                assert not spec.guess(text, "input"), f"guess claims a {name} file"


def plugin_host(
    *, plugins: Mapping[str, object] | None = None, entry_points: bool = True
) -> PluginHost:
    """A plugin host for tests: the built-ins, the installed plugins (unless
    ``entry_points=False``) and ``plugins`` given as ``{name: plugin object}``. Pass it as
    ``host=`` to the API functions (``captionbridge.convert(..., host=host)``)."""
    return make_host(entry_points=entry_points, plugins=plugins)
