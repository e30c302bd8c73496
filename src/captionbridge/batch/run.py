"""Converting many files: chunks of jobs run in-process or on any ``concurrent.futures``
executor (a process pool, a thread pool, a Dask cluster's executor).

Workers receive a chunk of jobs plus picklable :class:`Settings`; the plugin host travels as
its recipe and is built once per worker process, not per file. Each file's outcome is a
:class:`FileResult`; a failed file never stops the others (unless ``fail_fast``).
"""

from __future__ import annotations

import collections
import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Generator, Mapping, Sequence
from concurrent import futures
from dataclasses import dataclass, field
from typing import Any

from ..errors import CaptionbridgeError
from ..flow import convert as flow
from ..flow.convert import Converted
from ..flow.plan import Existing, outputs_at
from ..flow.stop import deferred_ctrl_c, request_on_signal
from ..flow.stop import requested as _stop
from ..host.registry import PluginHost
from ..model import Note
from .discover import Job, Rejected

__all__ = [
    "INTERRUPTED",
    "NOT_STARTED",
    "BatchRun",
    "Existing",
    "FileResult",
    "Settings",
    "collect",
    "cpu_count",
    "rejected_results",
    "run_chunk",
]

NOT_STARTED = "not started (stopped early)"
INTERRUPTED = "interrupted (Ctrl-C while it was converted; nothing written)"


@dataclass(frozen=True)
class FileResult:
    """What happened to one input file.

    ``outputs`` are the files written; ``cues`` the number of cues written; ``notes`` the
    warnings and repairs; ``error`` the one-line reason it failed (``path:line:col: message``);
    ``skipped`` the reason nothing was done without it being a failure.
    """

    input: str
    outputs: tuple[str, ...] = ()
    cues: int = 0
    notes: tuple[Note, ...] = ()
    error: str | None = None
    skipped: str | None = None

    @property
    def ok(self) -> bool:
        """True unless the file failed."""
        return self.error is None


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs besides its jobs; picklable (the host goes as its recipe)."""

    host: PluginHost
    formats: tuple[str, ...]
    options: Mapping[str, Any]
    from_format: str | None = None
    existing: Existing = "fail"
    fail_fast: bool = False
    durable: bool = False
    storage_options: Mapping[str, Any] = field(default_factory=dict)


def cpu_count() -> int:
    """The CPUs this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


# -- the worker side ------------------------------------------------------------------------


def _init_worker() -> None:
    """In pool workers, Ctrl-C asks to stop after the current file (never mid-write)."""
    _stop.clear()
    signal.signal(signal.SIGINT, request_on_signal)


def _convert_one(job: Job, settings: Settings, host: PluginHost) -> FileResult | Converted:
    """Convert one file; a result when it is done already (skipped, streamed, failed in every
    output), else what is left to write."""
    outputs = outputs_at([host.writer(name) for name in settings.formats], job.dest)
    # "fail" needs no look-ahead: writing refuses existing files before it writes any
    converted = flow.convert_source(
        job.source, outputs, host, settings.options, from_format=settings.from_format,
        existing=settings.existing, storage_options=settings.storage_options,
    )  # fmt: skip
    return converted if converted.files else _result(converted)


def _write_one(job: Job, converted: Converted, settings: Settings) -> FileResult:
    try:
        done = flow.write_converted(
            converted,
            existing=settings.existing,
            durable=settings.durable,
            storage_options=settings.storage_options,
        )
    except Exception as exc:
        return _failure(job, exc)
    return _result(done)


def _result(done: Converted) -> FileResult:
    return FileResult(
        done.source,
        outputs=done.written,
        cues=done.cues,
        notes=done.notes,
        error="\n".join(done.failed) or None,
        skipped=done.skipped,
    )


def rejected_results(rejected: Sequence[Rejected]) -> list[FileResult]:
    """The results of files refused while planning (failures unless merely skipped)."""
    return [
        FileResult(r.source, skipped=r.reason)
        if r.skipped
        else FileResult(r.source, error=f"{r.source}: {r.reason}")
        for r in rejected
    ]


def _failure(job: Job, exc: Exception) -> FileResult:
    if isinstance(exc, CaptionbridgeError):
        if exc.source is None:
            exc.source = job.source
        return FileResult(job.source, error=str(exc))
    reason = f"internal error: {type(exc).__name__}: {exc}"
    return FileResult(job.source, error=f"{job.source}: {reason}")


class _Pipeline:
    """Converts files one after the other and writes each, in-line while writing is fast, in a
    helper thread once it is slow, so that the next file converts meanwhile.

    Creating a file is cheap on most local disks (tens of microseconds) and slow elsewhere: a
    network share, a virus scanner, ext4 without a journal just after many deletions (up to a
    millisecond of kernel time). The thread pays only there: it costs a GIL hand-over per
    system call, about a tenth of the conversion time. So each pipeline times its first
    ``PROBE`` writes in-line and hands the rest to the thread when their median is over
    ``SLOW`` seconds.

    Up to ``DEPTH`` converted files wait for the thread. The thread needs the GIL back after
    every system call; the interpreter's switch interval is the caller's to set (a library
    call never changes it): the command line shortens it for its own process, since the
    default 5 ms lets the thread make one call per 5 ms while this side converts.

    :meth:`feed` returns the results that are final (written files, in order); a write in
    flight always ends, so stopping never leaves half a file."""

    PROBE = 3
    SLOW = 0.000_2
    DEPTH = 16

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._writing: futures.ThreadPoolExecutor | None = None
        self._pending: collections.deque[futures.Future[FileResult] | FileResult] = (
            collections.deque()
        )
        self._probe: list[float] = []
        self._slow = False

    def feed(self, job: Job) -> list[FileResult]:
        try:
            converted = _convert_one(job, self.settings, self.settings.host)
        except Exception as exc:
            converted = _failure(job, exc)
        if isinstance(converted, FileResult):
            self._pending.append(converted)
        elif self._slow:
            self._pending.append(self._writer().submit(_write_one, job, converted, self.settings))
        else:
            started = time.perf_counter()
            self._pending.append(_write_one(job, converted, self.settings))
            if len(self._probe) < self.PROBE:
                self._probe.append(time.perf_counter() - started)
                if len(self._probe) == self.PROBE:
                    # the median: the write that also made a folder is slow on any disk
                    self._slow = sorted(self._probe)[self.PROBE // 2] > self.SLOW
        if self.settings.fail_fast:
            return self.drain()  # the outcome decides whether to go on: no overlap
        return self._ready(len(self._pending) > self.DEPTH)

    def drain(self) -> list[FileResult]:
        """Every result still pending, once its write has ended."""
        return self._ready(wait=True, everything=True)

    def _ready(self, wait: bool, everything: bool = False) -> list[FileResult]:
        done: list[FileResult] = []
        pending = self._pending
        try:
            while pending:
                head = pending[0]
                if isinstance(head, futures.Future):
                    if not (wait or head.done()):
                        break
                    head = head.result()
                pending.popleft()
                done.append(head)
                wait = everything
        except BaseException:
            pending.extendleft(reversed(done))  # interrupted while waiting: nothing is lost
            raise
        return done

    def _writer(self) -> futures.ThreadPoolExecutor:
        if self._writing is None:
            self._writing = futures.ThreadPoolExecutor(max_workers=1)
        return self._writing

    def __enter__(self) -> _Pipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._writing is not None:
            self._writing.shutdown(wait=True)  # writes in flight end, whatever happened


def run_chunk(jobs: Sequence[Job], settings: Settings) -> list[FileResult]:
    """Convert a chunk of jobs (in a worker or in-process); one result per job, in order.
    A Ctrl-C in the main thread stops it after the file being written and is raised then."""
    results, interrupted = _convert_chunk(jobs, settings)
    if interrupted:
        raise KeyboardInterrupt  # every file written is whole; the caller asked to stop
    return results


def _convert_chunk(jobs: Sequence[Job], settings: Settings) -> tuple[list[FileResult], bool]:
    """One result per job, in order (``INTERRUPTED`` for the files started but stopped,
    ``NOT_STARTED`` after them), and whether Ctrl-C stopped the chunk."""
    results: list[FileResult] = []
    interrupted = False
    started = 0  # jobs handed to the pipeline, the one in progress included
    # the first Ctrl-C stops after the file being converted, or between a streamed file's chunks
    with deferred_ctrl_c(stop_streams=True) as ctrl_c, _Pipeline(settings) as pipeline:
        try:
            for job in jobs:
                if _stop.is_set() or ctrl_c.is_set():
                    break
                if settings.fail_fast and results and not results[-1].ok:
                    break
                started += 1
                results += pipeline.feed(job)
            results += pipeline.drain()
        except KeyboardInterrupt:  # a second Ctrl-C, a stop between chunks, a bare thread
            # a worker's stop is no Ctrl-C of this thread: its results return normally
            interrupted = not _stop.is_set() or ctrl_c.is_set()
            with contextlib.suppress(KeyboardInterrupt):
                results += pipeline.drain()  # writes in the thread end whole
    results += [FileResult(job.source, skipped=INTERRUPTED) for job in jobs[len(results) : started]]
    results += [FileResult(job.source, skipped=NOT_STARTED) for job in jobs[len(results) :]]
    return results, interrupted or ctrl_c.is_set()


# -- the coordinating side ------------------------------------------------------------------


def _mp_context() -> Any:
    # fork is the cheapest start (workers inherit the built host) but unsafe with threads
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def chunk_size(total: int, workers: int) -> int:
    """Enough chunks to balance the load and report progress, few enough to keep the
    per-chunk cost small."""
    return max(1, min(64, total // max(1, workers * 8)))


@dataclass
class BatchRun:
    """A batch in progress: submit it with :meth:`run`; results arrive chunk by chunk.

    ``executor`` runs the chunks; ``None`` with ``jobs`` > 1 makes a process pool owned by
    the run, ``None`` with ``jobs`` = 1 runs in this process.
    """

    jobs: Sequence[Job]
    settings: Settings
    executor: futures.Executor | None = None
    workers: int = 1
    interrupted: bool = False
    stopped: bool = False

    def chunks(self) -> list[Sequence[Job]]:
        """The jobs cut into chunks."""
        workers = self.workers if self.executor is None else max(self.workers, 2)
        size = chunk_size(len(self.jobs), workers)
        return [self.jobs[i : i + size] for i in range(0, len(self.jobs), size)]

    def run(self) -> Generator[tuple[int, list[FileResult]], None, None]:
        """Yield ``(chunk index, results)`` as chunks complete. Ctrl-C stops the run after
        the files being written (no partial file) and sets :attr:`interrupted`."""
        chunks = self.chunks()
        if self.executor is None and (self.workers <= 1 or len(chunks) <= 1):
            yield from self._run_here(chunks)
            return
        if self.executor is not None:
            yield from self._run_on(self.executor, chunks)
            return
        pool = futures.ProcessPoolExecutor(
            max_workers=min(self.workers, len(chunks)),
            mp_context=_mp_context(),
            initializer=_init_worker,
        )
        try:
            yield from self._run_on(pool, chunks)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _run_here(
        self, chunks: list[Sequence[Job]]
    ) -> Generator[tuple[int, list[FileResult]], None, None]:
        for index, chunk in enumerate(chunks):
            if self.stopped or self.interrupted:
                yield index, [FileResult(job.source, skipped=NOT_STARTED) for job in chunk]
                continue
            results, interrupted = _convert_chunk(chunk, self.settings)
            self.interrupted = interrupted
            if self.settings.fail_fast and any(not r.ok for r in results):
                self.stopped = True
            yield index, results

    def _run_on(
        self, executor: futures.Executor, chunks: list[Sequence[Job]]
    ) -> Generator[tuple[int, list[FileResult]], None, None]:
        pending: dict[futures.Future[list[FileResult]], int] = {}
        finished: set[int] = set()
        try:
            # a thread pool starts each thread on submit: the first chunks may be converting
            # already when Ctrl-C comes, so it is handled below like one that comes later; it is
            # deferred meanwhile, so that no chunk is submitted without being in ``pending``
            with deferred_ctrl_c() as ctrl_c:
                for index, chunk in enumerate(chunks):
                    if ctrl_c.is_set():
                        break
                    pending[executor.submit(run_chunk, chunk, self.settings)] = index
            if ctrl_c.is_set():
                raise KeyboardInterrupt
            while pending:
                done, _ = futures.wait(pending, return_when=futures.FIRST_COMPLETED)
                for future in done:
                    index = pending.pop(future)
                    finished.add(index)
                    results = self._outcome(future, chunks[index])
                    if self.settings.fail_fast and any(not r.ok for r in results):
                        self.stopped = True
                    yield index, results
                if self.stopped:
                    self._cancel(pending)
        except KeyboardInterrupt:
            self.interrupted = True
            # let the chunks that already run finish: each file is written whole or not at all;
            # chunks in threads of this process stop after their file (or between the chunks of
            # a streamed one), worker processes have their own SIGINT handler
            _stop.set()
            try:
                with contextlib.suppress(KeyboardInterrupt):
                    self._cancel(pending)
                    futures.wait(pending)
            finally:
                _stop.clear()
            for future, index in sorted(pending.items(), key=lambda item: item[1]):
                if index not in finished:
                    yield index, self._outcome(future, chunks[index])
            pending.clear()

    @staticmethod
    def _cancel(pending: dict[futures.Future[list[FileResult]], int]) -> None:
        for future in pending:
            future.cancel()

    @staticmethod
    def _outcome(
        future: futures.Future[list[FileResult]], chunk: Sequence[Job]
    ) -> list[FileResult]:
        if future.cancelled():
            return [FileResult(job.source, skipped=NOT_STARTED) for job in chunk]
        exc = future.exception()
        if exc is None:
            return future.result()
        reason = f"worker failed: {type(exc).__name__}: {exc}"
        return [FileResult(job.source, error=f"{job.source}: {reason}") for job in chunk]


def collect(
    run: BatchRun, on_chunk: Callable[[int, list[FileResult]], None] | None = None
) -> list[FileResult]:
    """Run a batch to the end and return the results in job order. Ctrl-C, even while
    ``on_chunk`` runs, stops the run cleanly; the files not done are reported as not started.
    Every chunk reaches ``on_chunk`` once, even when Ctrl-C lands between receiving it and
    handing it on, or stops the run before it ran."""
    by_index: dict[int, list[FileResult]] = {}
    delivered: set[int] = set()
    stream = run.run()
    throw = False
    while True:
        try:
            index, results = stream.throw(KeyboardInterrupt()) if throw else next(stream)
        except StopIteration:
            break
        except KeyboardInterrupt:
            run.interrupted = True
            break
        try:
            throw = False
            by_index[index] = results
            if on_chunk is not None:
                delivered.add(index)
                on_chunk(index, results)
        except KeyboardInterrupt:
            run.interrupted = throw = True
    for index, chunk in enumerate(run.chunks()):
        if index not in by_index:
            by_index[index] = [FileResult(job.source, skipped=NOT_STARTED) for job in chunk]
        if on_chunk is not None and index not in delivered:
            with contextlib.suppress(KeyboardInterrupt):  # the run is stopping already
                on_chunk(index, by_index[index])
    return [r for index in sorted(by_index) for r in by_index[index]]
