"""Files per second for a 2,000-file batch: captionbridge --jobs 1 and --jobs 2 against
pysubs2 (an in-process loop, and its command line) over the same files, as ratios.

    python benchmarks/bench_batch.py [FILES]

The tree comes from treegen.py (slices of the seed transcript, 20-300 segments each) in a
temporary folder. Every run writes WebVTT into a fresh folder. pysubs2 does not know the
bracket format (it takes it for SRT with empty texts), so its loop measures its read+write
speed, not correct output.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
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
    work = Path(tempfile.mkdtemp(prefix="cb-bench-"))
    try:
        tree = make_tree(work / "in", count)
        good = [tree.root / relative for relative in tree.good]
        print(f"{len(good)} readable transcripts of {count} files under {tree.root}")

        def captionbridge_run(jobs: int) -> None:
            out = work / f"cb{jobs}"
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

            out = work / "pysubs2-loop"
            out.mkdir()
            failed = 0
            for path in good:
                try:
                    pysubs2.load(str(path)).save(str(out / (path.stem + ".vtt")))
                except (UnicodeDecodeError, pysubs2.Pysubs2Error):
                    failed += 1  # cp1252 files: pysubs2 reads UTF-8 only
            print(f"  (pysubs2 could not read {failed} files)")

        def pysubs2_cli() -> None:
            out = work / "pysubs2-cli"
            subprocess.run(
                [sys.executable, "-m", "pysubs2", "--to", "vtt", "-o", str(out), *map(str, good)],
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )

        loop = _timed("pysubs2 in-process loop", len(good), pysubs2_loop)
        cli = _timed("python -m pysubs2 --to vtt", len(good), pysubs2_cli)
        one = _timed("captionbridge convert --jobs 1", len(good), lambda: captionbridge_run(1))
        two = _timed("captionbridge convert --jobs 2", len(good), lambda: captionbridge_run(2))
        print(f"--jobs 1: {one / loop:.1f}x the pysubs2 loop, {one / cli:.1f}x the pysubs2 CLI")
        print(f"--jobs 2: {two / loop:.1f}x the pysubs2 loop, {two / cli:.1f}x the pysubs2 CLI")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
