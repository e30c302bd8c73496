"""Running a batch on a Dask cluster: connect to its scheduler and lend its executor to the
one batch path (:class:`~captionbridge.batch.run.BatchRun`), nothing else.

``distributed`` is optional (``pip install 'captionbridge[cluster]'``) and imported only here,
when a scheduler is named.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Generator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

from ..errors import SetupError
from ..files.fsio import is_url

__all__ = ["SCHEDULER_ENV", "Cluster", "connect", "worker_paths"]

#: The environment variable naming the scheduler when ``--scheduler`` is not given.
SCHEDULER_ENV = "CAPTIONBRIDGE_SCHEDULER"


@dataclass(frozen=True)
class Cluster:
    """A connected cluster: the executor chunks run on and how many run at once."""

    address: str
    executor: Executor
    threads: int


def worker_paths(paths: Sequence[str]) -> list[str]:
    """The paths as workers must be given them: a local path made absolute (a worker resolves
    a relative one from its own working directory); ``memory://`` is refused, since it lives in
    this process only."""
    for path in paths:
        if path.startswith("memory://"):
            raise SetupError(
                "memory:// files live in this process and a cluster's workers cannot see them;"
                " use file://, s3://, gs://... or local paths on a disk the workers share",
                source=path,
            )
    return [path if is_url(path) else os.path.abspath(path) for path in paths]


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise SetupError(
            "a Dask scheduler needs dask.distributed: pip install 'captionbridge[cluster]'"
        ) from None
    return distributed


def _check_address(address: str) -> None:
    """Refuse what is not a scheduler address before connecting: a Client made from one
    fails late and prints a traceback when it is collected."""
    from distributed.comm.addressing import parse_address
    from distributed.comm.registry import get_backend

    try:
        scheme, location = parse_address(address)
        get_backend(scheme)
    except ValueError as exc:
        raise SetupError(f"not a Dask scheduler address: {address!r} ({exc})") from None
    if not location:
        raise SetupError(f"not a Dask scheduler address: {address!r} (no host)")


@contextlib.contextmanager
def connect(address: str) -> Generator[Cluster, None, None]:
    """Connect to the scheduler at ``address`` (``tcp://HOST:PORT``) for the duration of the
    block. The connect timeout is dask's own (``distributed.comm.timeouts.connect``, 30 s by
    default, e.g. ``DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=5s``); the same time is given to
    a cluster without workers to get its first one."""
    distributed = _distributed()
    _check_address(address)
    try:
        client = distributed.Client(address, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise SetupError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        threads = _threads(client, address)
        # not pure: a chunk writes files, so two equal chunks are two runs, never one cached
        yield Cluster(address, client.get_executor(pure=False), threads)
    finally:
        client.close()


def _threads(client: Any, address: str) -> int:
    """The worker threads of the cluster, once it has a worker (chunks wait forever on a
    cluster without one)."""
    threads = sum(client.nthreads().values())
    if threads:
        return int(threads)
    import dask.config
    from dask.utils import parse_timedelta

    timeout = parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"))
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (OSError, TimeoutError):
        raise SetupError(f"the Dask scheduler at {address} has no worker") from None
    return max(1, int(sum(client.nthreads().values())))
