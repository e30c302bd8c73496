"""Files per second on a Dask cluster of 1 and 2 workers against the local run, in one run:
in-process (``convert_many`` with the client's executor, a process pool, this process) and
the whole command as a user runs it (``--scheduler``, ``--jobs``) under ``/usr/bin/time``.

    python benchmarks/bench_cluster.py [FILES [ROUNDS]]

The tree comes from treegen.py (slices of the seed transcript, 20-300 segments each); every
run reads it and writes WebVTT through ``file://`` URLs, as a cluster reads an object store, into
a fresh folder (outputs are deleted at the end: see bench_batch.py on ext4). In-process
figures follow one untimed warm-up run (imports; each worker builds its plugin host on its first
chunk); the commands are timed whole, start-up and connecting included. The cluster is
local (``captionbridge.testing.cluster``: a scheduler and one-thread workers on 127.0.0.1), so
the workers share this machine's CPUs with the client: the figures show the cost of the
cluster path, not the speed of a real cluster. ``/usr/bin/time`` measures the client process
only; the workers' CPU is not in its user/sys columns.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from treegen import make_tree

import captionbridge
from captionbridge.testing.cluster import local_cluster


def _in_process(label: str, rounds: int, run: Callable[[Path], int], work: Path) -> None:
    run(work / "out" / f"{label.replace(' ', '-')}-warm-up")  # imports, worker hosts: not timed
    rates = []
    for number in range(rounds):
        out = work / "out" / f"{label.replace(' ', '-')}-{number}"
        start = time.perf_counter()
        files = run(out)
        rates.append(files / (time.perf_counter() - start))
    print(f"in-process  {label:<22} {statistics.median(rates):8.0f} files/s (median of {rounds})")


def _command(label: str, files: int, args: list[str], work: Path, number: int) -> None:
    out = (work / "out" / f"cmd-{label.replace(' ', '-')}-{number}").as_uri()
    timing = work / "time.txt"
    subprocess.run(
        ["/usr/bin/time", "-o", str(timing), "-f", "%e %U %S %M", sys.executable, "-m",
         "captionbridge", "convert", *args, "-d", out],
        check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wall, user, system, rss = timing.read_text().splitlines()[-1].split()  # after any exit line
    print(
        f"command     {label:<22} {files / float(wall):8.0f} files/s  wall {float(wall):5.2f} s"
        f"  client CPU {float(user) + float(system):5.2f} s  client RSS {int(rss) // 1024} MB"
    )


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    work = Path(tempfile.mkdtemp(prefix="cb-bench-cluster-"))
    os.environ.pop("CAPTIONBRIDGE_SCHEDULER", None)
    try:
        tree = make_tree(work / "in", count)
        source = tree.root.as_uri()
        files = len(tree.good)
        print(f"{files} readable transcripts of {count} files, {os.cpu_count()} CPUs")

        def batch(executor: Executor | None, jobs: int = 1) -> Callable[[Path], int]:
            def run(out: Path) -> int:
                results = captionbridge.convert_many(
                    [source], to="vtt", out_dir=out.as_uri(), recursive=True,
                    executor=executor, jobs=jobs,
                )  # fmt: skip
                return sum(1 for r in results if r.ok)

            return run

        args = [source, "-r", "-t", "vtt", "-q"]
        _in_process("local, this process", rounds, batch(None), work)
        _in_process("local, 2 processes", rounds, batch(None, jobs=2), work)
        for number in range(rounds):
            _command("local --jobs 1", files, [*args, "--jobs", "1"], work, number)
            _command("local --jobs 2", files, [*args, "--jobs", "2"], work, number)
        for workers in (1, 2):
            with local_cluster(workers, work / f"cluster{workers}") as address:
                import distributed

                label = f"cluster, {workers} worker{'s' if workers > 1 else ''}"
                with distributed.Client(address, set_as_default=False) as client:
                    _in_process(
                        label, rounds, batch(client.get_executor(pure=False), workers), work
                    )
                for number in range(rounds):
                    _command(label, files, [*args, "--scheduler", address], work, number)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
