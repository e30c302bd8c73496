"""A real Dask cluster on 127.0.0.1 for tests and benchmarks: a ``dask scheduler`` and
``dask worker`` processes (one thread each, no dashboard), stopped when the block ends, also
when it fails::

    with local_cluster(workers=2, folder=tmp_path) as address:
        subprocess.run(["captionbridge", "convert", ..., "--scheduler", address])

Each process runs in its own session and writes its log to ``folder``; the workers start in
``folder``, not in the caller's directory, as they would on another machine. The scheduler
picks its own free port and names it in ``folder/scheduler.json`` (no port chosen beforehand
that another program could take meanwhile).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any

__all__ = ["free_port", "local_cluster"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _dask() -> str:
    """The ``dask`` command of this interpreter's environment."""
    beside = Path(sys.executable).with_name("dask")
    return str(beside) if beside.exists() else "dask"


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _address(scheduler_file: Path, scheduler: subprocess.Popen[bytes], timeout: float) -> str:
    """The address the scheduler wrote into ``scheduler_file``, once it is there."""
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(OSError, ValueError, KeyError):  # not there, or half written
            return str(json.loads(scheduler_file.read_text(encoding="utf-8"))["address"])
        if scheduler.poll() is not None or time.monotonic() > deadline:
            log = (scheduler_file.parent / "scheduler.log").read_text("utf-8", "replace")
            raise RuntimeError(f"the dask scheduler did not start: {log[-2000:]}")
        time.sleep(0.05)


@contextlib.contextmanager
def local_cluster(
    workers: int, folder: Path, *, nthreads: int = 1, timeout: float = 60
) -> Generator[str, None, None]:
    """Start a scheduler and ``workers`` workers, wait until every worker has joined (at most
    ``timeout`` seconds) and yield the scheduler's address. Needs dask.distributed."""
    distributed: Any = importlib.import_module("distributed")  # optional, untyped
    scheduler_file = folder / "scheduler.json"
    started: list[subprocess.Popen[bytes]] = []

    def start(log: str, *command: str) -> None:
        with open(folder / log, "wb") as output:
            started.append(
                subprocess.Popen(
                    [_dask(), *command],
                    cwd=folder,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # stopped as a group: a worker's children too
                )
            )

    folder.mkdir(parents=True, exist_ok=True)
    scheduler_file.unlink(missing_ok=True)  # an earlier run's
    try:
        start(
            "scheduler.log", "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
            "--scheduler-file", str(scheduler_file),
        )  # fmt: skip
        address = _address(scheduler_file, started[0], timeout)
        for number in range(1, workers + 1):
            start(
                f"worker{number}.log", "worker", address, "--nthreads", str(nthreads),
                "--no-dashboard", "--no-nanny", "--local-directory", str(folder / f"w{number}"),
            )  # fmt: skip
        with distributed.Client(address, timeout=timeout, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=timeout)
        yield address
    finally:
        for process in reversed(started):
            _stop(process)
