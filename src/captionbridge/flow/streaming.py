"""Converting a huge input in bounded memory: read, transform and write in chunks.

Used for a file of at least :data:`DEFAULT_THRESHOLD` bytes (the environment variable
``CAPTIONBRIDGE_STREAM_THRESHOLD`` changes it) whose reader declares how its input can be cut
(:attr:`ReaderSpec.record_start`), when every output's writer can write chunks
(:attr:`WriterSpec.stream`) and no option needs the whole file (reflow, speaker labelling,
presets and targets do: see :data:`STREAM_SAFE`). The file is cut every few megabytes before a
line that starts a record; each chunk goes through the ordinary reader, transforms and writers,
and the outputs are appended to a temporary file beside each target, moved into place at the
end. The output is byte for byte what the whole-file path writes. When a chunk shows something
only the whole file can get right (speaker markers, cues out of order across chunks, text that
is not UTF-8), or a writer refuses a chunk (then only the whole-file path can write the other
outputs and report that one), the attempt is dropped and the caller falls back to the
whole-file path.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import CaptionbridgeError
from ..files.output import check_writable, commit_temp, open_temp, stale_notes
from ..host.registry import PluginHost
from ..model import Columns, Content, Note, Speaker, Transcript
from ..specs import ReaderSpec
from .decode import refuse_nul
from .pipeline import read_text, render, transform
from .plan import Output
from .stop import checkpoint

__all__ = ["DEFAULT_THRESHOLD", "STREAM_SAFE", "THRESHOLD_ENV", "big_enough", "stream_convert"]

THRESHOLD_ENV = "CAPTIONBRIDGE_STREAM_THRESHOLD"
DEFAULT_THRESHOLD = 64 * 1024 * 1024
CHUNK_BYTES = 4 * 1024 * 1024
TRANSFORM_CHUNK_BYTES = 1024 * 1024
#: options whose values still let a file be converted chunk by chunk
STREAM_SAFE = frozenset(
    {"encoding", "fix_text", "lenient", "keep_empty", "overlaps", "language", "fps", "force"}
)


class _GiveUp(Exception):
    """Only the whole-file path can convert this input."""


def threshold() -> int:
    """The input size from which streaming is tried."""
    value = os.environ.get(THRESHOLD_ENV, "")
    return int(value) if value.isdigit() else DEFAULT_THRESHOLD


def big_enough(source: str) -> bool:
    """Whether a local file is big enough to try streaming: one ``stat`` that spares small
    files the streaming setup."""
    try:
        return os.stat(source).st_size >= threshold()
    except OSError:
        return False  # reading it will say why


def _stream_reader(
    path: Path,
    outputs: Sequence[Output],
    host: PluginHost,
    options: Mapping[str, Any],
    fmt: str | None,
) -> ReaderSpec | None:
    """The reader to read ``path`` in chunks with, or ``None`` when it must be read whole."""
    if not outputs or any(out.path is None or not out.writer.stream for out in outputs):
        return None
    for name, value in options.items():
        spec = host.options.get(name)
        if name in STREAM_SAFE or spec is None or spec.chunked:
            continue
        if value != spec.default:
            return None
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8", "replace")
        reader = host.reader(fmt) if fmt else host.guess_reader(text, str(path))
    except CaptionbridgeError:
        return None  # the whole-file path says why
    return reader if reader.record_start and not reader.binary else None


def _chunks(handle: BinaryIO, record_start: bytes, size: int) -> Iterator[bytes]:
    """The file in pieces of about :data:`CHUNK_BYTES`, each cut before a line that starts
    with ``record_start`` (other lines stay with the record above)."""
    marker = b"\n" + record_start
    rest = b""
    while True:
        block = handle.read(size)
        if not block:
            if rest:
                yield rest
            return
        data = rest + block
        cut = data.rfind(marker)
        if cut <= 0:
            rest = data
            continue
        yield data[: cut + 1]
        rest = data[cut + 1 :]


def stream_convert(
    source: str,
    outputs: Sequence[Output],
    host: PluginHost,
    options: Mapping[str, Any],
    fmt: str | None = None,
    *,
    force: bool = False,
    report: Callable[[Note], None] | None = None,
) -> tuple[list[Path], int] | None:
    """Convert the local file ``source`` chunk by chunk; the paths written and the number of
    cues, or ``None`` when streaming does not apply (a reader, writer or option that needs the
    whole file; the caller checked :func:`big_enough`) or had to give up."""
    path = Path(source)
    reader = _stream_reader(path, outputs, host, options, fmt)
    if reader is None:
        return None
    targets = [Path(out.path) for out in outputs if out.path is not None]
    removed = check_writable(targets, force=force, source=source)
    if report is not None:
        for note in stale_notes(removed):
            report(note)
    temps: list[tuple[BinaryIO, Path, Path]] = []
    try:
        for target in targets:
            fd, temp = open_temp(target)
            temps.append((os.fdopen(fd, "wb"), temp, target))
        handles = [h for h, _, _ in temps]
        cues = _stream(source, reader, outputs, handles, host, options, report)
        for handle, temp, target in temps:
            try:
                handle.close()
                commit_temp(temp, target, force=force)
            except OSError as exc:
                raise CaptionbridgeError(
                    f"cannot write: {exc.strerror or exc}", source=str(target)
                ) from None
        return targets, cues
    except _GiveUp:
        return None
    finally:
        for handle, temp, _ in temps:
            with contextlib.suppress(OSError):
                handle.close()
            with contextlib.suppress(OSError):
                temp.unlink()  # already moved into place when all went well


def _stream(
    source: str,
    reader: ReaderSpec,
    outputs: Sequence[Output],
    handles: Sequence[BinaryIO],
    host: PluginHost,
    options: Mapping[str, Any],
    report: Callable[[Note], None] | None,
) -> int:
    written = 0
    carried = _EMPTY  # cues read after the last cut: they go on with the next chunk
    state = _State()
    try:
        handle = open(source, "rb")  # noqa: SIM115 (closed by the with below)
    except OSError as exc:
        raise CaptionbridgeError(f"cannot read: {exc.strerror or exc}", source=source) from None
    with handle:
        assert reader.record_start is not None
        pending = _chunks(handle, reader.record_start, _chunk_bytes(options, host))
        chunk = next(pending, None)
        stalled = 0
        while chunk is not None:
            checkpoint()  # a requested stop drops the temporary files (stream_convert)
            following = next(pending, None)
            final = following is None
            read = _read_chunk(chunk, source, reader, host, options)
            del chunk
            window = _joined(carried, read, state)
            del read  # only one copy of the chunk's cues may stay alive (memory)
            # a chunk never ends with its last cue: the next chunk may overlap or follow it
            cut = host.stream_cut(window, len(window) - 1, options)
            if cut < 0:
                raise _GiveUp  # a transform needs the whole file
            if final:
                cut = len(window)
            elif cut == 0:
                stalled += 1
                if stalled > MAX_STALLED:
                    raise _GiveUp  # no place to cut in a long stretch: memory would grow
                carried, chunk = window, following
                continue
            stalled = 0
            part, carried = _split(window, cut)
            del window
            written += _convert_part(
                part, state, outputs, handles, host, options, report, written, final
            )
            chunk = following
    return written


#: how many chunks in a row may pass without a place to cut before the stream gives up
MAX_STALLED = 4

_EMPTY = Transcript()


class _State:
    """What goes on from chunk to chunk: the speakers registered so far by the reader and
    by the transforms, and the last part converted (for ``captionbridge_stream_resume``)."""

    def __init__(self) -> None:
        self.read_speakers: dict[str, Speaker] = {}
        self.speakers: dict[str, Speaker] | None = None  # as written with the first part
        self.done: Transcript | None = None  # the end of the last part converted
        self.last: Content | None = None  # the last cue written that has turns


def _chunk_bytes(options: Mapping[str, Any], host: PluginHost) -> int:
    """Smaller chunks when a transform does more than copy (reflow holds several columns
    per word)."""
    for name, value in options.items():
        spec = host.options.get(name)
        if name not in STREAM_SAFE and spec is not None and value != spec.default:
            return TRANSFORM_CHUNK_BYTES
    return CHUNK_BYTES


def _joined(carried: Transcript, read: Transcript, state: _State) -> Transcript:
    """The carried cues followed by the chunk just read, with every speaker read so far."""
    for key, speaker in read.speakers.items():
        state.read_speakers.setdefault(key, speaker)
    starts, ends, contents = read.columns()
    if len(carried):
        if len(starts) and min(starts) < carried.columns().starts[0]:
            raise _GiveUp  # out of order across chunks: only a whole-file sort is right
        c_starts, c_ends, c_contents = carried.columns()
        starts = [*c_starts, *starts]
        ends = [*c_ends, *ends]
        contents = [*c_contents, *contents]
    return Transcript.from_columns(
        starts, ends, contents, language=read.language, speakers=dict(state.read_speakers),
        source=read.source, notes=(*carried.notes, *read.notes),
    )  # fmt: skip


def _split(window: Transcript, cut: int) -> tuple[Transcript, Transcript]:
    starts, ends, contents = window.columns()
    head = window.with_columns(Columns(starts[:cut], ends[:cut], contents[:cut]))
    rest = Transcript.from_columns(
        starts[cut:], ends[cut:], contents[cut:], language=window.language,
        speakers=window.speakers, source=window.source,
    )  # fmt: skip
    return head, rest


def _convert_part(
    part: Transcript,
    state: _State,
    outputs: Sequence[Output],
    handles: Sequence[BinaryIO],
    host: PluginHost,
    options: Mapping[str, Any],
    report: Callable[[Note], None] | None,
    written: int,
    final: bool,
) -> int:
    """Transform one part and append it to every output; the number of cues written."""
    if state.done is not None and len(part):
        resumed = host.stream_resume(state.done, part, options)
        if resumed:
            options = {**options, **resumed}
    transcript = transform(part, host, options)
    previous = state.last
    if len(transcript):
        state.done = _tail(transcript)
    turned = transcript.turned_indexes()
    if turned:  # plain cues change no writer's idea of the last speaker
        state.last = transcript.columns().contents[turned[-1]]
    out_part = transcript.replace(speakers=_registry(state, transcript))
    notes: list[Note] = []
    for out, out_handle in zip(outputs, handles, strict=True):
        try:
            files = render(
                out_part, out.writer, host, options, out.stem, notes, first_cue=written,
                final=final, previous=previous,
            )  # fmt: skip
        except CaptionbridgeError:
            raise _GiveUp from None  # the whole-file path writes the other outputs
        try:
            out_handle.write(files[""])
        except OSError as exc:
            raise CaptionbridgeError(
                f"cannot write: {exc.strerror or exc}", source=str(out.path)
            ) from None
    if report is not None:
        for note in (*transcript.notes, *notes):
            report(note)
    return len(transcript)


#: how many of the last cues written ``captionbridge_stream_resume`` sees as ``done``
RESUME_CUES = 64


def _tail(transcript: Transcript) -> Transcript:
    """The last :data:`RESUME_CUES` cues: keeping the whole part alive while the next chunk
    is read would hold a second chunk's cues in memory."""
    starts, ends, contents = transcript.columns()
    if len(starts) <= RESUME_CUES:
        return transcript
    cut = len(starts) - RESUME_CUES
    return transcript.with_columns(Columns(starts[cut:], ends[cut:], contents[cut:]))


def _registry(state: _State, transcript: Transcript) -> dict[str, Speaker]:
    """The speaker registry of the whole output so far, in order of first appearance. It may
    not change once written: a writer may have printed it in its header (ASS styles...)."""
    if state.speakers is None:
        state.speakers = dict(transcript.speakers)
        return state.speakers
    for key, speaker in transcript.speakers.items():
        if state.speakers.get(key) != speaker:
            raise _GiveUp  # the list grew or changed after the first part was written
    return state.speakers


def _read_chunk(
    chunk: bytes, source: str, reader: ReaderSpec, host: PluginHost, options: Mapping[str, Any]
) -> Transcript:
    """The chunk, decoded once, read as :func:`.pipeline.read_bytes` reads UTF-8: a NUL is
    refused unless the reader takes it."""
    try:
        text = chunk.decode("utf-8")
    except UnicodeDecodeError:
        raise _GiveUp from None  # the whole file decides its encoding
    if not reader.nul_ok:
        refuse_nul(text, source)
    return read_text(text, source, host, {**options, "encoding": "utf-8"}, reader.name)
