"""Seconds each reader takes on adversarial inputs of 100 KB and 1 MB, and their ratio.

    python benchmarks/bench_adversarial.py            # every installed reader
    python benchmarks/bench_adversarial.py srt vtt    # some of them

Linear work gives a ratio near 10; a regular expression that backtracks, or a loop that
rescans, gives 100 and more. tests/test_fuzz_readers.py holds the same inputs to linear growth
in function calls (captionbridge.testing.fuzzcheck.nonlinear_shapes: a count, so it cannot fail
on a busy machine, but it cannot see work inside one regular-expression call either): this
script is the timed half, run by hand.
"""

from __future__ import annotations

import sys
import time
import warnings

from captionbridge.host.registry import make_host
from captionbridge.testing.fuzzcheck import ADVERSARIAL_SHAPES, check_reader_input

LIMIT = 20  # a ratio above this is reported as not linear


def seconds(host: object, reader: str, data: bytes, repeat: int) -> float:
    """The best of ``repeat`` runs."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            check_reader_input(host, reader, data)  # type: ignore[arg-type]  # or its error
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    host = make_host()
    readers = sys.argv[1:] or sorted(host.readers)
    print("| reader | shape | 100 KB s | 1 MB s | ratio |\n|---|---|---:|---:|---:|")
    slow = 0
    for reader in readers:
        for name, unit in ADVERSARIAL_SHAPES.items():
            small = unit * (100_000 // len(unit))
            big = unit * (1_000_000 // len(unit))
            base = max(seconds(host, reader, small, 3), 0.001)
            took = seconds(host, reader, big, 2)
            ratio = took / base
            slow += ratio > LIMIT
            flag = " (not linear?)" if ratio > LIMIT else ""
            print(f"| {reader} | {name} | {base:.4f} | {took:.4f} | {ratio:.1f}{flag} |")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
