"""Every writer on the seed transcript repeated 20 times (22,120 cues), beside SRT's.

    python benchmarks/bench_writers.py [TIMES]

Prints the best of three runs per writer and its ratio to SRT. The XML writers (TTML, IMSC,
iTT, FCPXML) used to be held to "under 4x SRT" by a timed unit test; tests/test_ttml.py now
counts their calls for linear growth, and this script keeps the speed comparison.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import captionbridge
from captionbridge.host.registry import make_host
from captionbridge.model import Transcript

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_inputs import make_inputs  # noqa: E402

SEED = HERE.parent / "seeds" / "fireside-chat.txt"


def best_of(runs: int, transcript: Transcript, fmt: str, host: object) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        captionbridge.dumps(transcript, fmt, host=host)  # type: ignore[arg-type]
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    times = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    host = make_host(entry_points=False)
    source = make_inputs(SEED, HERE / "data", [times])[times][0]
    big = captionbridge.transform(captionbridge.load(source, host=host), host=host)
    best_of(1, big, "srt", host)  # the first run also fills the transcript's lazy caches
    baseline = best_of(3, big, "srt", host)
    print(f"{len(big):,} cues\n\n| writer | seconds | x SRT |\n|---|---:|---:|")
    for fmt in sorted(host.writers):
        try:
            took = best_of(3, big, fmt, host)
        except captionbridge.CaptionbridgeError as exc:  # a writer that needs more options
            print(f"| {fmt} | - | {exc} |")
            continue
        print(f"| {fmt} | {took:.3f} | {took / baseline:.1f} |")


if __name__ == "__main__":
    main()
