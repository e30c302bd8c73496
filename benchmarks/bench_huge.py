"""Peak memory of converting a huge bracket transcript (default 1 GB) to SRT and VTT.

    python benchmarks/bench_huge.py [--size-mb 1024] [--data /tmp/cb-huge]

Generates the transcript (not committed; under ``--data``), runs the CLI under
``/usr/bin/time -v`` and prints the wall time and the peak resident set size. The streaming
path (captionbridge/streaming.py) keeps the peak bounded whatever the size.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path


def _stamp(ms: int) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def generate(path: Path, size: int) -> int:
    """Write a whisper.cpp-style transcript of about ``size`` bytes; return its cue count."""
    words = [
        "and",
        "so",
        "we",
        "went",
        "to",
        "the",
        "lab",
        "again",
        "to",
        "measure",
        "it",
        "one",
        "more",
        "time",
    ]
    written = 0
    cue = 0
    ms = 0
    with path.open("w", encoding="utf-8") as out:
        while written < size:
            lines = []
            for _ in range(10_000):
                text = " ".join(words[(cue + i) % len(words)] for i in range(8))
                lines.append(f"[{_stamp(ms)} --> {_stamp(ms + 2500)}]   {text} {cue}.\n")
                ms += 2600
                cue += 1
            block = "".join(lines)
            out.write(block)
            written += len(block)
    return cue


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--data", type=Path, default=Path("/tmp/cb-huge"))
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    source = args.data / f"huge-{args.size_mb}mb.txt"
    if not source.exists() or source.stat().st_size < args.size_mb * 1_000_000:
        cues = generate(source, args.size_mb * 1024 * 1024)
        print(f"generated {source} ({source.stat().st_size / 1e6:.0f} MB, {cues} cues)")
    out_dir = args.data / "out"
    shutil.rmtree(out_dir, ignore_errors=True)
    command = ["/usr/bin/time", "-v", sys.executable, "-m", "captionbridge", "convert"]
    command += [str(source), "--to", "srt,vtt", "-d", str(out_dir), "-q"]
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    took = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-2000:])
    peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1))
    sizes = ", ".join(
        f"{p.name} {p.stat().st_size / 1e6:.0f} MB" for p in sorted(out_dir.iterdir())
    )
    print(f"input {source.stat().st_size / 1e6:.0f} MB -> {sizes}")
    print(f"wall {took:.1f} s, peak RSS {peak_kb / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
