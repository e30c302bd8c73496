"""The one-way flow: bytes --decode--> text --read--> Transcript --transforms--> --write--> bytes.

The primitives of one conversion; :mod:`.convert` strings them together for every front end.
Nothing here knows a format by name.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Mapping

from ..errors import CaptionbridgeError, FormatError, OptionError, ParseError, PluginError
from ..helpers.options import ENCODING, FIX_TEXT, LANGUAGE
from ..helpers.words import has_words
from ..host.registry import PluginHost
from ..model import Content, Note, Transcript
from ..specs import (
    STAGES,
    Options,
    ReadContext,
    ReaderSpec,
    WriteContext,
    WriterOutput,
    WriterSpec,
)
from .decode import decode_keeping_nul, refuse_nul, repair_mojibake
from .options import resolve_options
from .textsafety import safe_for_writers
from .wordcheck import drop_stale_words

__all__ = [
    "OptionError",
    "produce",
    "read_bytes",
    "read_text",
    "render",
    "resolve_options",
    "target_formats",
    "transform",
]


def target_formats(host: PluginHost, name: str) -> list[str]:
    """The output formats of an editor target, checked against the installed writers.

    In :attr:`Target.formats` a name ending in ``?`` is optional (used when its writer is
    installed) and ``a|b`` takes the first installed of several; any other name is required.
    """
    if name not in host.targets:
        known = ", ".join(sorted(host.targets)) or "none installed"
        raise OptionError(f"unknown editor target {name!r} (known: {known})")
    chosen: list[str] = []
    for entry in host.targets[name].formats:
        optional = entry.endswith("?")
        choices = entry.rstrip("?").split("|")
        installed = [c for c in choices if _has_alias(host, c)]
        if installed:
            chosen.append(installed[0])
        elif not optional:
            wanted = " or ".join(repr(c) for c in choices)
            verb = "is" if len(choices) == 1 else "are"
            raise OptionError(
                f"target {name!r} needs the {wanted} writer, which {verb} not installed"
            )
    return chosen


def _has_alias(host: PluginHost, name: str) -> bool:
    try:
        host.writer(name)
    except CaptionbridgeError:
        return False
    return True


def _reader_failure(spec: ReaderSpec, host: PluginHost, source: str, exc: Exception) -> PluginError:
    plugin = host.provider_of("reader", spec.name)
    where = f"reader {spec.name!r}"
    return PluginError.failed(plugin, where, "captionbridge_register_readers", exc, source)


def _read(
    spec: ReaderSpec, host: PluginHost, text: str, source: str, options: Options
) -> Transcript:
    try:
        transcript = spec.read(text, ReadContext(source, options))
    except CaptionbridgeError:
        raise
    except RecursionError as exc:
        raise CaptionbridgeError(f"input nests too deeply to read: {exc}", source=source) from None
    except Exception as exc:
        raise _reader_failure(spec, host, source, exc) from exc
    if not isinstance(transcript, Transcript):
        raise _reader_failure(
            spec, host, source, TypeError(f"returned {type(transcript).__name__}, not a Transcript")
        )
    language = LANGUAGE.value(options)
    if language:
        transcript = transcript.replace(language=language)
    return transcript


def read_bytes(
    data: bytes, source: str, host: PluginHost, options: Options, format: str | None = None
) -> Transcript:
    """Decode and read input bytes with the named reader, or the one that recognises them.

    A binary reader (:attr:`ReaderSpec.binary`) gets the bytes undecoded, as latin-1 text."""
    binary = host.binary_reader(data, source, format)
    if binary is not None:
        return _read(binary, host, data.decode("latin-1"), source, options)
    # NUL is refused once the reader is known: one format (WebVTT) defines what it means
    text, notes, nul = decode_keeping_nul(
        data, source, encoding=ENCODING.value(options), fix_text=FIX_TEXT.value(options)
    )
    del data  # the caller passes its only reference: free the bytes before parsing
    return _read_decoded(text, notes, source, host, options, format, nul=nul)


def _read_decoded(
    text: str,
    notes: list[Note],
    source: str,
    host: PluginHost,
    options: Options,
    format: str | None,
    nul: bool = False,
) -> Transcript:
    if not format and (not text or text.isspace()):
        raise ParseError("empty input: nothing to convert", source=source, line=1)
    if format:
        spec = host.reader(format)
    else:
        try:
            spec = host.guess_reader(text, source)
        except FormatError:
            if nul:
                refuse_nul(text, source)  # binary data: say so rather than "cannot tell"
            raise
    if nul and not spec.nul_ok:
        refuse_nul(text, source)
    transcript = _read(spec, host, text, source, options)
    return transcript.replace(notes=(*notes, *transcript.notes)) if notes else transcript


def read_text(
    text: str, source: str, host: PluginHost, options: Options, format: str | None = None
) -> Transcript:
    """Read already-decoded text (mojibake is still repaired unless ``fix_text`` is off)."""
    notes: list[Note] = []
    if FIX_TEXT.value(options) and not text.isascii():
        text, notes = repair_mojibake(text, source)
    return _read_decoded(text, notes, source, host, options, format)


def transform(transcript: Transcript, host: PluginHost, options: Options) -> Transcript:
    """Run the stages in order: clean, speakers, reflow, timing. The speakers and reflow
    stages start with their firstresult hook; each stage then runs its registered transforms."""
    # Word timings come from readers; without any, no stage can leave them stale.
    timed = has_words(transcript.columns().contents, transcript.turned_indexes())
    check = drop_stale_words if timed else _unchanged
    for stage in STAGES:
        if stage == "speakers":
            transcript = host.call_first("captionbridge_label_speakers", transcript, options)
            transcript = check(transcript, "speaker labelling")
        elif stage == "reflow":
            transcript = host.call_first("captionbridge_reflow", transcript, options)
            transcript = check(transcript, "reflow")
        for spec in host.transforms:
            if spec.stage == stage:
                transcript = host.run_transform(spec, transcript, options)
                transcript = check(transcript, f"transform {spec.name!r}")
    return transcript


def _unchanged(transcript: Transcript, _step: str) -> Transcript:
    return transcript


def produce(
    transcript: Transcript,
    writer: WriterSpec,
    host: PluginHost,
    options: Options,
    stem: str,
    notes: list[Note] | None = None,
    *,
    first_cue: int = 0,
    final: bool = True,
    encoding: str | None = None,
    previous: Content | None = None,
) -> WriterOutput:
    """Run a writer and return what it returned; a crash names the writer's plugin.

    The writer's notes are appended to ``notes`` when it is given. Writers receive the text
    made safe by :func:`~captionbridge.flow.textsafety.safe_for_writers` (no control characters).
    With ``encoding`` the writer may return bytes in it (:attr:`WriteContext.encoding`)."""
    notes = [] if notes is None else notes
    transcript = safe_for_writers(transcript, notes)
    context = WriteContext(
        options, stem, notes, first_cue, final, encoding=encoding, previous=previous
    )
    try:
        produced = writer.write(transcript, context)
    except CaptionbridgeError:
        raise
    except Exception as exc:
        raise _writer_failure(writer, host, transcript, exc) from exc
    if not isinstance(produced, (str, bytes, Mapping)):
        wrong = TypeError(f"returned {type(produced).__name__}, not str, bytes or a mapping")
        raise _writer_failure(writer, host, transcript, wrong)
    return produced


def _writer_failure(
    writer: WriterSpec, host: PluginHost, transcript: Transcript, exc: Exception
) -> PluginError:
    plugin = host.provider_of("writer", writer.name)
    where = f"writer {writer.name!r}"
    return PluginError.failed(
        plugin, where, "captionbridge_register_writers", exc, transcript.source
    )


def render(
    transcript: Transcript,
    writer: WriterSpec,
    host: PluginHost,
    options: Options,
    stem: str,
    notes: list[Note] | None = None,
    *,
    first_cue: int = 0,
    final: bool = True,
    previous: Content | None = None,
) -> dict[str, bytes]:
    """Run a writer; return its files as ``{relative name: bytes}`` (``""`` for a single file).

    ``first_cue``, ``final`` and ``previous`` are for writing a big input in chunks (see
    :mod:`.streaming`)."""
    produced = produce(
        transcript, writer, host, options, stem, notes, first_cue=first_cue, final=final,
        encoding=writer.encoding, previous=previous,
    )  # fmt: skip
    if isinstance(produced, (str, bytes)):
        return {"": _encode(produced, writer, host)}
    if not writer.multi_file:
        wrong = TypeError(
            f"returned a mapping of {len(produced)} file(s) but is not declared multi_file"
            " (return str or bytes, or register it with WriterSpec(..., multi_file=True))"
        )
        raise _writer_failure(writer, host, transcript, wrong)
    files = {}
    for name, content in produced.items():
        if not isinstance(name, str) or not isinstance(content, (str, bytes)):
            wrong = TypeError(f"returned a mapping with {name!r}: {type(content).__name__}")
            raise _writer_failure(writer, host, transcript, wrong)
        normal = posixpath.normpath(name.replace("\\", "/"))
        if normal.startswith(("../", "/")) or normal in ("..", ".") or os.path.isabs(name):
            raise PluginError(
                f"writer {writer.name!r} tried to write outside its directory: {name!r}",
                plugin=host.provider_of("writer", writer.name),
                hook="captionbridge_register_writers",
            )
        files[normal] = _encode(content, writer, host)
    return files


def _encode(content: str | bytes, writer: WriterSpec, host: PluginHost) -> bytes:
    if isinstance(content, bytes):
        return content
    try:
        return content.encode(writer.encoding)
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start : exc.end]
        if any(0xD800 <= ord(c) <= 0xDFFF for c in bad):
            # writers get text without lone surrogates (textsafety), so the writer made it
            raise PluginError(
                f"plugin {host.provider_of('writer', writer.name)!r} failed in writer"
                f" {writer.name!r}: emitted a lone surrogate {bad!r} at character {exc.start},"
                " which is not valid Unicode and cannot be written (build text from str"
                " values; decode bytes with errors='replace')",
                plugin=host.provider_of("writer", writer.name),
                hook="captionbridge_register_writers",
            ) from None
        raise CaptionbridgeError(
            f"{writer.name}: text cannot be encoded as {writer.encoding}:"
            f" {exc.object[exc.start : exc.end]!r}"
        ) from None
