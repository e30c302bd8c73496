"""The Python API: load, loads, transform, dumps, save and convert.

Every function takes the conversion options as keywords (``fps="29.97"``, ``preset="netflix"``,
``speaker_style="label"``...); ``captionbridge formats`` and ``captionbridge convert --help`` list
them. ``host`` selects a plugin host other than the default one (tests build their own).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import CaptionbridgeError
from .files import fsio
from .flow.pipeline import (
    plan_outputs,
    produce,
    read_bytes,
    read_text,
    resolve_options,
    target_formats,
    write_outputs,
)
from .flow.pipeline import transform as run_transforms
from .host.registry import PluginHost, default_host
from .model import Transcript

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from .batch.run import FileResult
    from .specs import Options

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
    transcript: Transcript, format: str = "srt", *, host: PluginHost | None = None, **options: Any
) -> str | bytes:
    """Render a transcript in a format: text for text formats, bytes for binary ones.

    The transcript is written as it is; call :func:`transform` first to reflow or relabel it.
    """
    plugins = _host(host)
    writer = plugins.writer(format)
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
    return write_outputs(transcript, outputs, plugins, values, force=force)


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
    """
    plugins = _host(host)
    values = resolve_options(plugins, options)
    formats = _formats(to, plugins, values)
    source = os.fspath(input)
    outputs = plan_outputs(
        plugins,
        source,
        to=formats,
        output=None if output is None else os.fspath(output),
        out_dir=None if out_dir is None else os.fspath(out_dir),
    )
    from .flow.streaming import stream_convert

    streamed = stream_convert(source, outputs, plugins, values, format, force=force)
    if streamed is not None:
        return streamed[0]
    transcript = read_bytes(fsio.read_bytes(source), source, plugins, values, format)
    transcript = run_transforms(transcript, plugins, values)
    return write_outputs(transcript, outputs, plugins, values, force=force, source=source)


def _formats(to: str | Sequence[str] | None, host: PluginHost, values: Options) -> list[str]:
    if to is None:
        target = values.get("target")
        return target_formats(host, target) if target else []
    if isinstance(to, str):
        return [part.strip() for part in to.split(",") if part.strip()]
    return list(to)


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
    ``get_executor()``); without one, ``jobs`` > 1 uses a process pool and 1 runs here. A
    failed file does not stop the others: look at each result's ``error``.
    """
    from .batch.discover import discover
    from .batch.run import BatchRun, Settings, collect, rejected_results

    plugins = _host(host)
    values = resolve_options(plugins, options)
    formats = _formats(to, plugins, values) or ["srt"]
    for name in formats:
        plugins.writer(name)
    if format:
        plugins.reader(format)
    arguments = [os.fspath(paths)] if isinstance(paths, (str, os.PathLike)) else paths
    sources = [os.fspath(p) for p in arguments]
    target_dir = None if out_dir is None else os.fspath(out_dir)
    _check_memory_urls([*sources, target_dir or ""], executor, jobs)
    extensions = [e for spec in plugins.readers.values() for e in spec.extensions]
    plan = discover(
        sources,
        extensions=extensions,
        out_dir=target_dir,
        recursive=recursive,
        follow_symlinks=follow_symlinks,
        storage_options=storage_options,
    )
    settings = Settings(
        host=plugins,
        formats=tuple(formats),
        options=values,
        from_format=format,
        existing="overwrite" if force else "skip" if skip_existing else "fail",
        fail_fast=fail_fast,
        storage_options=dict(storage_options or {}),
    )
    run = BatchRun(plan.jobs, settings, executor=executor, workers=max(1, jobs))
    results = collect(run)
    if run.interrupted:
        raise KeyboardInterrupt
    return results + rejected_results(plan.rejected)


def _check_memory_urls(paths: Sequence[str], executor: Executor | None, jobs: int) -> None:
    from concurrent.futures import ProcessPoolExecutor

    in_processes = isinstance(executor, ProcessPoolExecutor) or (executor is None and jobs > 1)
    if in_processes and any(p.startswith("memory://") for p in paths):
        raise CaptionbridgeError(
            "memory:// files live in one process and worker processes cannot see them;"
            " use a thread executor or jobs=1"
        )
