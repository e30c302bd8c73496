"""Files per second for a 2,000-file batch: captionbridge --jobs 1 and --jobs 2 against
pysubs2 (an in-process loop, and its command line) over the same files, as ratios.

    python benchmarks/bench_batch.py [FILES [ROUNDS]]

The tree comes from treegen.py (slices of the seed transcript, 20-300 segments each) in a
temporary folder. Every run writes WebVTT into a fresh folder, and the outputs are deleted only
at the end: ext4 without a journal (this machine's disk) will not reuse an inode freed in the
last 60 s (300 s while its table block is unwritten) and checks each such inode on every file
it creates, so deleting one run's 2,000 outputs made the next run's file creations about 20x
slower - charging one run's clean-up to the next. Run it when nothing has deleted thousands of
files in the last five minutes; the cost of creating a file is printed before and after.
pysubs2 does not know the bracket format (it takes it for SRT with empty texts), so its loop
measures its read+write speed, not correct output. Two rows run with ``--force`` over the
outputs of an earlier run: "over" where they hold the bytes about to be written (left in place,
docs/batch.md), "replace" where they hold other bytes (each replaced in one rename).
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from treegen import make_tree


def _timed(label: str, files: int, action: Callable[[Path], None], out: Path) -> float:
    _sync()  # the previous run's writes are flushed before the clock starts, not during
    start = time.perf_counter()
    action(out)
    elapsed = time.perf_counter() - start
    rate = files / elapsed
    print(f"{label:<34} {elapsed:7.2f} s  {rate:8.0f} files/s", flush=True)
    return rate


def _sync() -> None:
    if hasattr(os, "sync"):  # not on Windows
        os.sync()


def _creation_cost(folder: Path, files: int = 500) -> float:
    """Microseconds to create an empty file here now: the disk's state, shown beside the
    rates (it can swing from 20 us to over 500 us on ext4 without a journal)."""
    folder.mkdir(parents=True)
    start = time.perf_counter()
    for number in range(files):
        (folder / f"{number}.probe").touch()
    return (time.perf_counter() - start) / files * 1e6


def _make_stale(out: Path) -> None:
    """Give every output under ``out`` other bytes, as an older version of it would have."""
    for path in out.rglob("*.vtt"):
        path.write_bytes(b"WEBVTT\n\n00:00.000 --> 00:01.000\nan older version\n")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    work = Path(tempfile.mkdtemp(prefix="cb-bench-"))
    try:
        tree = make_tree(work / "in", count)
        good = [tree.root / relative for relative in tree.good]
        print(f"{len(good)} readable transcripts of {count} files under {tree.root}")
        _sync()
        print(f"creating a file here takes {_creation_cost(work / 'probe' / '0'):.0f} us")

        def captionbridge_run(jobs: int, out: Path, *extra: str) -> None:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "captionbridge",
                    "convert",
                    *map(str, good),
                    "-t",
                    "vtt",
                    "-d",
                    str(out),
                    "-j",
                    str(jobs),
                    "-q",
                    *extra,
                ],
                check=True,
            )

        def captionbridge_over(out: Path) -> None:
            # every output already there, holding the same bytes: --force leaves each in place
            captionbridge_run(1, out, "--force")

        def captionbridge_replace(out: Path) -> None:
            # every output already there, holding other bytes: --force replaces each (atomically)
            captionbridge_run(1, out, "--force")

        def pysubs2_loop(out: Path) -> None:
            import pysubs2

            out.mkdir(parents=True)
            failed = 0
            for path in good:
                try:
                    pysubs2.load(str(path)).save(str(out / (path.stem + ".vtt")))
                except (UnicodeDecodeError, pysubs2.Pysubs2Error):
                    failed += 1  # cp1252 files: pysubs2 reads UTF-8 only
            print(f"  (pysubs2 could not read {failed} files)")

        def pysubs2_cli(out: Path) -> None:
            subprocess.run(
                [sys.executable, "-m", "pysubs2", "--to", "vtt", "-o", str(out), *map(str, good)],
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )

        runs: dict[str, Callable[[Path], None]] = {
            "pysubs2 in-process loop": pysubs2_loop,
            "python -m pysubs2 --to vtt": pysubs2_cli,
            "captionbridge convert --jobs 1": lambda out: captionbridge_run(1, out),
            "captionbridge convert --jobs 2": lambda out: captionbridge_run(2, out),
            "captionbridge --jobs 1 --force (over)": captionbridge_over,
            "captionbridge --jobs 1 --force (replace)": captionbridge_replace,
        }
        # rounds of every run, so that a slow spell of a shared machine falls on all of them
        rates: dict[str, list[float]] = {name: [] for name in runs}
        for round_number in range(1, rounds + 1):
            print(f"round {round_number}:")
            for number, (name, action) in enumerate(runs.items()):
                out = work / "out" / f"{round_number}-{number}"
                if action in (captionbridge_over, captionbridge_replace):
                    captionbridge_run(1, out)  # untimed: the outputs to be replaced
                if action is captionbridge_replace:
                    _make_stale(out)  # untimed: outputs that differ from the new ones
                rates[name].append(_timed(name, len(good), action, out))
        print(f"creating a file here takes {_creation_cost(work / 'probe' / '1'):.0f} us")
        print(f"\nmedians of {rounds} rounds (ratios: median of the per-round ratios)")
        for name in runs:
            print(f"{name:<42} {statistics.median(rates[name]):8.0f} files/s")
        loop, cli = rates["pysubs2 in-process loop"], rates["python -m pysubs2 --to vtt"]
        labels = ("--jobs 1", "--jobs 2", "--jobs 1 --force (over)", "--jobs 1 --force (replace)")
        for label in labels:
            name = (
                f"captionbridge {label}" if "force" in label else f"captionbridge convert {label}"
            )
            ours = rates[name]
            against_loop = statistics.median(o / p for o, p in zip(ours, loop, strict=True))
            against_cli = statistics.median(o / p for o, p in zip(ours, cli, strict=True))
            print(
                f"{label}: {against_loop:.1f}x the pysubs2 loop, {against_cli:.1f}x the pysubs2 CLI"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
