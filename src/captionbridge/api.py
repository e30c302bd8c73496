"""The Python API: load, loads, transform, dumps, save and convert.

Every function takes the conversion options as keywords (``fps="29.97"``, ``preset="netflix"``,
``speaker_style="label"``...); ``captionbridge formats`` and ``captionbridge convert --help`` list
them. ``host`` selects a plugin host other than the default one (tests build their own).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import CaptionbridgeError, OutputsFailed
from .files import fsio
from .flow import convert as flow
from .flow.framerate import settle_fps
from .flow.pipeline import produce, read_bytes, read_text, resolve_options
from .flow.pipeline import transform as run_transforms
from .flow.plan import existing_policy, plan_outputs, requested_formats
from .host.registry import PluginHost, default_host
from .model import Note, Transcript

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from .batch.run import FileResult

__all__ = ["convert", "convert_many", "dumps", "load", "loads", "save", "transform"]

PathLike = str | os.PathLike[str]


def _host(host: PluginHost | None) -> PluginHost:
    return host if host is not None else default_host()


def load(
    path: PathLike, *, format: str | None = None, host: PluginHost | None = None, **options: Any
) -> Transcript:
    """Read a file into a :class:`Transcript` (format guessed from the content unless given)."""
    plugins = _host(host)
    values = resolve_options(plugins, options)
    source = os.fspath(path)
    return read_bytes(fsio.read_bytes(source), source, plugins, values, format)


def loads(
    data: str | bytes,
    *,
    format: str | None = None,
    source: str = "<string>",
    host: PluginHost | None = None,
    **options: Any,
) -> Transcript:
    """Read a transcript from a string or bytes."""
    plugins = _host(host)
    values = resolve_options(plugins, options)
    if isinstance(data, bytes):
        return read_bytes(data, source, plugins, values, format)
    return read_text(data, source, plugins, values, format)


def transform(
    transcript: Transcript, *, host: PluginHost | None = None, **options: Any
) -> Transcript:
    """Run the transform stages (clean, speakers, reflow, timing) with the given options."""
    plugins = _host(host)
    return run_transforms(transcript, plugins, resolve_options(plugins, options))


def dumps(
    transcript: Transcript,
    format: str | None = None,
    *,
    host: PluginHost | None = None,
    **options: Any,
) -> str | bytes:
    """Render a transcript in a format (the default one, SubRip, unless given): text for text
    formats, bytes for binary ones.

    The transcript is written as it is; call :func:`transform` first to reflow or relabel it.
    """
    plugins = _host(host)
    writer = plugins.writer(format) if format else plugins.default_writer()
    produced = produce(transcript, writer, plugins, resolve_options(plugins, options), "captions")
    if not isinstance(produced, (str, bytes)):
        raise CaptionbridgeError(f"{writer.name} writes several files; use save()")
    return produced


def save(
    transcript: Transcript,
    path: PathLike,
    *,
    format: str | None = None,
    force: bool = False,
    host: PluginHost | None = None,
    **options: Any,
) -> list[Path]:
    """Write a transcript to ``path`` (format from the extension unless given), atomically.

    Refuses to replace an existing file unless ``force``. Returns the paths written.
    """
    plugins = _host(host)
    values = resolve_options(plugins, options)
    outputs = plan_outputs(
        plugins, "captions", to=[format] if format else [], output=os.fspath(path)
    )
    existing = existing_policy(force=force)
    rendered = flow.render_outputs(transcript, outputs, plugins, values)
    return _written(flow.write_converted(rendered, existing=existing))


def convert(
    input: PathLike,
    output: PathLike | None = None,
    *,
    to: str | Sequence[str] | None = None,
    out_dir: PathLike | None = None,
    format: str | None = None,
    force: bool = False,
    host: PluginHost | None = None,
    **options: Any,
) -> list[Path]:
    """Read, transform and write in one call; returns the paths written.

    ``to`` names one format or several (``"srt,vtt"`` or a list); ``output`` is one file,
    ``out_dir`` a folder for ``<stem>.<ext>`` per format; with neither, files go beside the input.

    When a writer fails (ASS past 10 hours, say), every other output is still written and then
    :class:`~captionbridge.errors.OutputsFailed` is raised: its ``written`` are the paths
    written, its ``failed`` one ``path: reason`` line per output that failed. When no output
    could be written, the writer's own error is raised instead.
    """
    plugins = _host(host)
    values = resolve_options(plugins, options)
    source = os.fspath(input)
    outputs = plan_outputs(
        plugins,
        source,
        to=requested_formats(plugins, to, values),
        output=None if output is None else os.fspath(output),
        out_dir=None if out_dir is None else os.fspath(out_dir),
    )
    values = settle_fps(plugins, values, [o.writer for o in outputs])[0]
    existing = existing_policy(force=force)
    converted = flow.convert_source(source, outputs, plugins, values, from_format=format)
    return _written(flow.write_converted(converted, existing=existing))


def _written(done: flow.Converted) -> list[Path]:
    """The paths written, or the error of the outputs that failed (after the others)."""
    if done.failed:
        if not done.written and len(done.errors) == 1:
            raise done.errors[0]
        raise OutputsFailed(done.failed, done.written)
    return [Path(p) for p in done.written]


def convert_many(
    paths: PathLike | Iterable[PathLike],
    *,
    to: str | Sequence[str] | None = None,
    out_dir: PathLike | None = None,
    executor: Executor | None = None,
    jobs: int = 1,
    recursive: bool = False,
    follow_symlinks: bool = False,
    force: bool = False,
    skip_existing: bool = False,
    fail_fast: bool = False,
    format: str | None = None,
    storage_options: Mapping[str, Any] | None = None,
    host: PluginHost | None = None,
    **options: Any,
) -> list[FileResult]:
    """Convert files, folders and glob patterns (local paths or fsspec URLs such as
    ``s3://bucket/talks/``); returns one :class:`~captionbridge.batch.run.FileResult` per file.

    Folders yield the files a reader knows by extension (``recursive`` for sub-folders); the
    tree is mirrored under ``out_dir`` (beside the inputs without it). ``executor`` is any
    :class:`concurrent.futures.Executor` (a process pool, a thread pool, a Dask client's
    ``get_executor()``); without one, ``jobs`` > 1 uses a process pool and 1 runs here.
    ``force`` and ``skip_existing`` together are refused (they contradict each other). A
    failed file does not stop the others: look at each result's ``error``. A file whose writer
    failed for one format still has its other formats written: they are in ``outputs``, and
    ``error`` has one ``path: reason`` line per failed output.
    """
    from .batch.run import collect
    from .batch.start import start_batch

    plugins = _host(host)
    values = resolve_options(plugins, options)
    formats = requested_formats(plugins, to, values)
    writers = [plugins.writer(name) for name in formats] or [plugins.default_writer()]
    values, assumed = settle_fps(plugins, values, writers)
    arguments = [os.fspath(paths)] if isinstance(paths, (str, os.PathLike)) else paths
    run, refused = start_batch(
        plugins,
        [os.fspath(p) for p in arguments],
        values,
        formats=formats,
        out_dir=None if out_dir is None else os.fspath(out_dir),
        from_format=format,
        existing=existing_policy(force=force, skip_existing=skip_existing),
        recursive=recursive,
        follow_symlinks=follow_symlinks,
        fail_fast=fail_fast,
        storage_options=storage_options,
        executor=executor,
        jobs=max(1, jobs),
    )
    results = collect(run)
    if run.interrupted:
        raise KeyboardInterrupt
    if assumed:  # the assumed frame rate, in the notes of every file converted
        results = [
            replace(r, notes=(Note(assumed, r.input), *r.notes)) if r.ok and r.outputs else r
            for r in results
        ]
    return results + refused
