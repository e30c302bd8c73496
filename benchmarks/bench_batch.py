"""Files per second for a 2,000-file batch: captionbridge --jobs 1 and --jobs 2 against
pysubs2 (an in-process loop, and its command line) over the same files, as ratios.

    python benchmarks/bench_batch.py [FILES [ROUNDS]]

The tree comes from treegen.py (slices of the seed transcript, 20-300 segments each) in a
temporary folder. Every run writes WebVTT into a fresh folder. pysubs2 does not know the
bracket format (it takes it for SRT with empty texts), so its loop measures its read+write
speed, not correct output.
"""

from __future__ import annotations

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


def _timed(label: str, files: int, action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    elapsed = time.perf_counter() - start
    rate = files / elapsed
    print(f"{label:<34} {elapsed:7.2f} s  {rate:8.0f} files/s", flush=True)
    return rate


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    work = Path(tempfile.mkdtemp(prefix="cb-bench-"))
    try:
        tree = make_tree(work / "in", count)
        good = [tree.root / relative for relative in tree.good]
        print(f"{len(good)} readable transcripts of {count} files under {tree.root}")

        def captionbridge_run(jobs: int) -> None:
            out = work / "out" / f"cb{jobs}"
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
                ],
                check=True,
            )

        def pysubs2_loop() -> None:
            import pysubs2

            out = work / "out" / "pysubs2-loop"
            out.mkdir(parents=True)
            failed = 0
            for path in good:
                try:
                    pysubs2.load(str(path)).save(str(out / (path.stem + ".vtt")))
                except (UnicodeDecodeError, pysubs2.Pysubs2Error):
                    failed += 1  # cp1252 files: pysubs2 reads UTF-8 only
            print(f"  (pysubs2 could not read {failed} files)")

        def pysubs2_cli() -> None:
            out = work / "out" / "pysubs2-cli"
            subprocess.run(
                [sys.executable, "-m", "pysubs2", "--to", "vtt", "-o", str(out), *map(str, good)],
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )

        runs: dict[str, Callable[[], None]] = {
            "pysubs2 in-process loop": pysubs2_loop,
            "python -m pysubs2 --to vtt": pysubs2_cli,
            "captionbridge convert --jobs 1": lambda: captionbridge_run(1),
            "captionbridge convert --jobs 2": lambda: captionbridge_run(2),
        }
        # rounds of every run, so that a slow spell of a shared machine falls on all of them
        rates: dict[str, list[float]] = {name: [] for name in runs}
        for round_number in range(1, rounds + 1):
            print(f"round {round_number}:")
            for name, action in runs.items():
                rates[name].append(_timed(name, len(good), action))
                shutil.rmtree(work / "out", ignore_errors=True)
        print(f"\nmedians of {rounds} rounds (ratios: median of the per-round ratios)")
        for name in runs:
            print(f"{name:<34} {statistics.median(rates[name]):8.0f} files/s")
        loop, cli = rates["pysubs2 in-process loop"], rates["python -m pysubs2 --to vtt"]
        for jobs in (1, 2):
            ours = rates[f"captionbridge convert --jobs {jobs}"]
            against_loop = statistics.median(o / p for o, p in zip(ours, loop, strict=True))
            against_cli = statistics.median(o / p for o, p in zip(ours, cli, strict=True))
            print(
                f"--jobs {jobs}: {against_loop:.1f}x the pysubs2 loop,"
                f" {against_cli:.1f}x the pysubs2 CLI"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
