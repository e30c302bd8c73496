"""Reading WebVTT: time against size, 1 MB -> 10 MB, against webvtt-py on the same files.

The input is the seed written as VTT by captionbridge, repeated (times shifted) to about 1, 3
and 10 MB. Prints CPU seconds (best of 3), MB/s and cues, and the exponent of time over size
from 1 MB to 10 MB (1.0 is linear).

    python benchmarks/bench_vtt_read.py [--sizes 1,3,10]
"""

from __future__ import annotations

import argparse
import io
import math
import time
from collections.abc import Callable
from pathlib import Path

import captionbridge
from captionbridge.host.registry import make_host
from captionbridge.model import Transcript

SEED = Path(__file__).resolve().parent.parent / "seeds" / "fireside-chat.txt"


def vtt_of_size(megabytes: float, host: object) -> str:
    """The seed as VTT, repeated with shifted times until it is about ``megabytes`` long."""
    seed = captionbridge.load(SEED, host=host)  # type: ignore[arg-type]
    starts, ends, contents = seed.columns()
    length = max(ends) + 1000
    one = len(captionbridge.dumps(seed, "vtt", host=host))  # type: ignore[arg-type]
    copies = max(1, round(megabytes * 1e6 / one))
    shift = [k * length for k in range(copies)]
    big = Transcript.from_columns(
        [s + k for k in shift for s in starts],
        [e + k for k in shift for e in ends],
        [c for _ in shift for c in contents],
        speakers=seed.speakers,
    )
    return captionbridge.dumps(big, "vtt", host=host)  # type: ignore[return-value, arg-type]


def best(job: Callable[[], int]) -> tuple[float, int]:
    """The best CPU time of 3 runs and what the job returned."""
    return _best(job)


def _best(job: Callable[[], int]) -> tuple[float, int]:
    times, cues = [], 0
    for _ in range(3):
        start = time.process_time()
        cues = job()
        times.append(time.process_time() - start)
    return min(times), cues


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,3,10", help="megabytes, comma-separated")
    args = parser.parse_args()
    host = make_host(entry_points=False)
    import webvtt

    rows: list[tuple[float, float, float, int]] = []
    print("| MB | cues | captionbridge s | MB/s | webvtt-py s | MB/s |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size in (float(s) for s in args.sizes.split(",")):
        text = vtt_of_size(size, host)
        mb = len(text.encode("utf-8")) / 1e6
        ours, cues = best(lambda t=text: len(captionbridge.loads(t, format="vtt", host=host)))
        theirs, _ = best(lambda t=text: len(webvtt.from_buffer(io.StringIO(t)).captions))
        rows.append((mb, ours, theirs, cues))
        cells = f"{ours:.2f} | {mb / ours:.1f} | {theirs:.2f} | {mb / theirs:.1f}"
        print(f"| {mb:.1f} | {cues:,} | {cells} |")
    (m0, t0, w0, _), (m1, t1, w1, _) = rows[0], rows[-1]
    print(f"exponent (time over size), captionbridge: {math.log(t1 / t0) / math.log(m1 / m0):.2f}")
    print(f"exponent (time over size), webvtt-py: {math.log(w1 / w0) / math.log(m1 / m0):.2f}")


if __name__ == "__main__":
    main()
