"""Peak memory of converting a huge bracket transcript (default 1 GB) to SRT and VTT.

    python benchmarks/bench_huge.py [--size-mb 1024] [--data /tmp/cb-huge]
    python benchmarks/bench_huge.py --seed --size-mb 256 -- --preset netflix --speakers A,B

Generates the transcript (not committed; under ``--data``), runs the CLI under
``/usr/bin/time -v`` and prints the wall time and the peak resident set size. The streaming
path (captionbridge/flow/streaming.py) keeps the peak bounded whatever the size. ``--seed``
repeats ``seeds/fireside-chat.txt`` (speaker-turn dashes, sound tags, mojibake) instead of the
synthetic text, each copy 3,185 s after the one before; options after ``--`` go to the CLI.
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


SEED = Path(__file__).resolve().parents[1] / "seeds" / "fireside-chat.txt"
#: each copy of the seed starts this long after the one before (the seed lasts 3,180 s)
SEED_PERIOD_MS = 3_185_000
_TIMES = re.compile(r"\[(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})\]")


def repeat_seed(path: Path, size: int) -> int:
    """Write the seed transcript again and again, shifted in time, up to about ``size``
    bytes; return its cue count."""
    seed = SEED.read_text(encoding="utf-8")
    parts = _TIMES.split(seed)  # text, then 8 clock fields per cue, then text...
    cues = (len(parts) - 1) // 9
    written = copy = 0
    with path.open("w", encoding="utf-8") as out:
        while written < size:
            offset = copy * SEED_PERIOD_MS
            pieces = [parts[0]]
            for k in range(cues):
                f = [int(x) for x in parts[1 + 9 * k : 9 + 9 * k]]
                start = ((f[0] * 60 + f[1]) * 60 + f[2]) * 1000 + f[3] + offset
                end = ((f[4] * 60 + f[5]) * 60 + f[6]) * 1000 + f[7] + offset
                pieces.append(f"[{_stamp(start)} --> {_stamp(end)}]")
                pieces.append(parts[9 + 9 * k])
            block = "".join(pieces)
            out.write(block)
            written += len(block.encode("utf-8"))
            copy += 1
    return cues * copy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--data", type=Path, default=Path("/tmp/cb-huge"))
    parser.add_argument("--seed", action="store_true", help="repeat the seed transcript")
    parser.add_argument("cli", nargs="*", help="options for the CLI (after --)")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    kind = "seed" if args.seed else "huge"
    source = args.data / f"{kind}-{args.size_mb}mb.txt"
    if not source.exists() or source.stat().st_size < args.size_mb * 1_000_000:
        make = repeat_seed if args.seed else generate
        cues = make(source, args.size_mb * 1024 * 1024)
        print(f"generated {source} ({source.stat().st_size / 1e6:.0f} MB, {cues} cues)")
    out_dir = args.data / f"out-{kind}-{args.size_mb}"
    shutil.rmtree(out_dir, ignore_errors=True)
    command = ["/usr/bin/time", "-v", sys.executable, "-m", "captionbridge", "convert"]
    command += [str(source), "--to", "srt,vtt", "-d", str(out_dir), "-q", *args.cli]
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    took = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-2000:])
    peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1))
    sizes = ", ".join(
        f"{p.name} {p.stat().st_size / 1e6:.0f} MB" for p in sorted(out_dir.iterdir())
    )
    print(f"input {source.stat().st_size / 1e6:.0f} MB {' '.join(args.cli)} -> {sizes}")
    print(f"wall {took:.1f} s, peak RSS {peak_kb / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
