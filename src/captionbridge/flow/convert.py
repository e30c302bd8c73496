"""The one conversion path: plan → read → transforms → render every output → write.

The CLI (one file or a batch), the Python API and batch workers all convert a file through
:func:`convert_source` and write it with :func:`write_converted`; the choice to stream a huge
input is made here and nowhere else. A writer that fails does not stop the others: its output
is reported in :attr:`Converted.failed` and every other output is still written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, BinaryIO

from ..errors import CaptionbridgeError
from ..files import fsio
from ..files.output import stale_notes
from ..host.registry import PluginHost
from ..model import Note, Transcript
from ..specs import Options
from . import streaming
from .pipeline import read_bytes, render, transform
from .plan import Existing, OptionError, Output, overwrite

__all__ = ["Converted", "convert_source", "render_outputs", "write_converted"]


@dataclass(frozen=True)
class Converted:
    """One input after conversion.

    ``files`` are the rendered ``(path, bytes)`` still to write (``None`` for standard output);
    ``written`` the paths written so far; ``failed`` one line ``path: reason`` per output that
    could not be rendered or written; ``skipped`` why nothing was done, when it was not a
    failure."""

    source: str
    files: tuple[tuple[str | None, bytes], ...] = ()
    written: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    cues: int = 0
    notes: tuple[Note, ...] = ()
    skipped: str | None = None
    errors: tuple[CaptionbridgeError, ...] = field(default=(), repr=False, compare=False)


def convert_source(
    source: str,
    outputs: Sequence[Output],
    host: PluginHost,
    options: Options,
    *,
    from_format: str | None = None,
    existing: Existing = "fail",
    data: bytes | None = None,
    storage_options: Mapping[str, Any] | None = None,
) -> Converted:
    """Convert one input to every output: read ``source`` (or take ``data``, its bytes),
    transform and render. A huge local input is streamed to its outputs instead (then they are
    written already). With ``existing="skip"``, an input with an existing output is skipped.

    A failing reader raises; a failing writer only fails its output (see
    :attr:`Converted.failed`)."""
    if existing == "skip" and any(
        out.path is not None and fsio.exists(out.path, storage_options) for out in outputs
    ):
        return Converted(source, skipped="outputs exist")
    if data is None and not fsio.is_url(source) and streaming.big_enough(source):
        notes: list[Note] = []
        streamed = streaming.stream_convert(
            source, outputs, host, options, from_format, force=overwrite(existing),
            report=notes.append,
        )  # fmt: skip
        if streamed is not None:
            paths, cues = streamed
            return Converted(source, written=tuple(map(str, paths)), cues=cues, notes=(*notes,))
    if data is None:  # read in the call, so that read_bytes holds the only reference
        transcript = read_bytes(
            fsio.read_bytes(source, storage_options), source, host, options, from_format
        )
    else:
        transcript = read_bytes(data, source, host, options, from_format)
        del data
    transcript = transform(transcript, host, options)
    return render_outputs(transcript, outputs, host, options, source)


def render_outputs(
    transcript: Transcript,
    outputs: Sequence[Output],
    host: PluginHost,
    options: Options,
    source: str | None = None,
) -> Converted:
    """Render every output of a transcript; one that fails is noted in ``failed``."""
    files: list[tuple[str | None, bytes]] = []
    failed: list[str] = []
    errors: list[CaptionbridgeError] = []
    notes: list[Note] = []
    for out in outputs:
        try:
            rendered = render(transcript, out.writer, host, options, out.stem, notes)
            files += _placed(out, rendered)
        except CaptionbridgeError as exc:
            failed.append(f"{out.path or '<stdout>'}: {exc.message}")
            errors.append(exc)
    return Converted(
        source or transcript.source or "<input>",
        files=tuple(files),
        failed=tuple(failed),
        cues=len(transcript),
        notes=(*transcript.notes, *notes),
        errors=tuple(errors),
    )


def _placed(out: Output, rendered: dict[str, bytes]) -> list[tuple[str | None, bytes]]:
    path = out.path
    if path is None:
        if set(rendered) != {""}:
            raise OptionError(f"{out.writer.name} writes several files; give --out-dir")
        return [(None, rendered[""])]
    return [(fsio.sibling(path, name) if name else path, b) for name, b in rendered.items()]


def write_converted(
    converted: Converted,
    *,
    existing: Existing = "fail",
    durable: bool = True,
    storage_options: Mapping[str, Any] | None = None,
    stdout: BinaryIO | None = None,
) -> Converted:
    """Write the rendered files (atomically; none when one exists and the policy is not to
    overwrite); the result lists them in ``written``. A failed write raises."""
    if not converted.files:
        return converted
    paths = [(path, data) for path, data in converted.files if path is not None]
    removed = fsio.write_bytes(
        paths, force=overwrite(existing), durable=durable, storage_options=storage_options,
        source=converted.source,
    )  # fmt: skip
    if removed:
        converted = replace(converted, notes=(*converted.notes, *stale_notes(removed)))
    for path, data in converted.files:
        if path is None and stdout is not None:
            stdout.write(data)
            stdout.flush()
    written = (*converted.written, *(path for path, _ in paths))
    return replace(converted, files=(), written=written)
