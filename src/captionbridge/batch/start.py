"""Starting a batch: discover the files, settle the settings, choose where the chunks run.

The CLI's batch and :func:`captionbridge.convert_many` both start here, so discovery, the
writers, the existing-file policy and the worker count are decided once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

from ..errors import CaptionbridgeError
from ..files.fsio import filesystem, is_url
from ..flow.plan import Existing, check_request
from ..host.registry import PluginHost
from ..specs import Options
from .discover import discover
from .run import BatchRun, FileResult, Settings, cpu_count, rejected_results

__all__ = ["SERIAL_BELOW", "start_batch"]

#: Below this many files a batch runs in this process unless the number of jobs is given:
#: starting worker processes would cost more than it saves.
SERIAL_BELOW = 32


def start_batch(
    host: PluginHost,
    inputs: Sequence[str],
    options: Options,
    *,
    formats: Sequence[str] = (),
    out_dir: str | None = None,
    from_format: str | None = None,
    existing: Existing = "fail",
    recursive: bool = False,
    follow_symlinks: bool = False,
    fail_fast: bool = False,
    storage_options: Mapping[str, Any] | None = None,
    executor: Executor | None = None,
    jobs: int | None = None,
) -> tuple[BatchRun, list[FileResult]]:
    """The run of a batch (not started: pass it to :func:`~captionbridge.batch.run.collect`)
    and the results of the files refused while discovering them.

    ``jobs`` ``None`` picks one process for a small batch and every CPU for a big one."""
    writers = check_request(host, formats, from_format)
    in_memory = _check_memory_urls([*inputs, out_dir or ""], executor, jobs)
    if out_dir is not None and is_url(out_dir):
        filesystem(out_dir, storage_options)  # a store that cannot be opened: once, not per file
    plan = discover(
        inputs,
        extensions=[e for spec in host.readers.values() for e in spec.extensions],
        out_dir=out_dir,
        recursive=recursive,
        follow_symlinks=follow_symlinks,
        storage_options=storage_options,
    )
    settings = Settings(
        host=host,
        formats=tuple(w.name for w in writers),
        options=options,
        from_format=from_format,
        existing=existing,
        fail_fast=fail_fast,
        storage_options=dict(storage_options or {}),
    )
    # memory:// is private to this process: a pool of its own would write into its copies
    big = len(plan.jobs) >= SERIAL_BELOW and not in_memory
    workers = jobs or (cpu_count() if big else 1)
    run = BatchRun(plan.jobs, settings, executor=executor, workers=workers)
    return run, rejected_results(plan.rejected)


def _check_memory_urls(paths: Sequence[str], executor: Executor | None, jobs: int | None) -> bool:
    """Whether a ``memory://`` URL is among ``paths``; an error when the batch was asked to run
    in other processes, which cannot see this one's memory."""
    in_memory = any(p.startswith("memory://") for p in paths)
    in_processes = isinstance(executor, ProcessPoolExecutor) or (
        executor is None and (jobs or 1) > 1
    )
    if in_processes and in_memory:
        raise CaptionbridgeError(
            "memory:// files live in one process and worker processes cannot see them;"
            " use a thread executor or jobs=1"
        )
    return in_memory
