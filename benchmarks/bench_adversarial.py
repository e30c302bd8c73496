"""Seconds each reader takes on adversarial inputs of 100 KB and 1 MB, and their ratio.

    python benchmarks/bench_adversarial.py            # every installed reader
    python benchmarks/bench_adversarial.py srt vtt    # some of them

Linear work gives a ratio near 10; a regular expression that backtracks, or a loop that
rescans, gives 100 and more. tests/test_fuzz_readers.py holds the same inputs to linear growth
in function calls (captionbridge.testing.fuzzcheck.nonlinear_shapes: a count, so it cannot fail
on a busy machine, but it cannot see work inside one regular-expression call either): this
script is the timed half, run by hand.

A second table grows format-specific shapes (``GROWTH``: one row per shape a bug or a fuzzer
found, with the reader or writer it goes through) from 10 KB to 1 MB and reports the slope of
log(time) over log(size) from 100 KB up: 1.0 is linear, 2.0 quadratic, the target at most 1.2
(issue 19). ``--growth-only`` runs just that table; times are printed, never asserted.
"""

from __future__ import annotations

import math
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import captionbridge
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


_TT = '<tt xmlns="http://www.w3.org/ns/ttml"><body><div>{}</div></body></tt>'


@dataclass(frozen=True)
class Shape:
    """One adversarial input family."""

    name: str
    kind: str  # "read" or "write"
    fmt: str
    build: Callable[[int], str]


def _ttml(inner: Callable[[int], str]) -> Callable[[int], str]:
    return lambda n: _TT.format(inner(n))


GROWTH = [
    # issue 19: expat 2.5 re-scans an unfinished token on every 16 KB feed
    Shape(
        "ttml one text token",
        "read",
        "ttml",
        _ttml(lambda n: f'<p begin="0s" end="1s">{"a" * n}</p>'),
    ),
    Shape(
        "ttml one attribute",
        "read",
        "ttml",
        _ttml(lambda n: f'<p begin="0s" end="1s" x="{"a" * n}">x</p>'),
    ),
    Shape(
        "ttml one comment",
        "read",
        "ttml",
        _ttml(lambda n: f'<!--{"a" * n}--><p begin="0s" end="1s">x</p>'),
    ),
    Shape(
        "ttml many paragraphs",
        "read",
        "ttml",
        _ttml(lambda n: f'<p begin="{0}s" end="1s">x</p>' * (n // 30)),
    ),
    Shape(
        "ttml timed spans in one p",
        "read",
        "ttml",
        _ttml(
            lambda n: (
                "<p>"
                + "".join(f'<span begin="{i}ms" end="{i + 1}ms">w</span>' for i in range(n // 40))
                + "</p>"
            )
        ),
    ),
    Shape(
        "ttml nested seq divs",
        "read",
        "ttml",
        _ttml(
            lambda n: (
                '<div timeContainer="seq">' + '<div><p dur="1s">x</p></div>' * (n // 30) + "</div>"
            )
        ),
    ),
]


def _run(shape: Shape, size: int) -> float:
    text = shape.build(size)
    started = time.perf_counter()
    if shape.kind == "read":
        captionbridge.loads(text, format=shape.fmt, source=f"x.{shape.fmt}")
    else:
        captionbridge.dumps(captionbridge.loads(text, format="srt"), shape.fmt)
    return time.perf_counter() - started


def exponent(sizes: list[int], seconds: list[float]) -> float:
    """Least-squares slope of log(seconds) over log(size), on sizes from 100 KB up."""
    points = [
        (math.log(s), math.log(t))
        for s, t in zip(sizes, seconds, strict=True)
        if s >= 100_000 and t > 0
    ] or [(math.log(s), math.log(t)) for s, t in zip(sizes, seconds, strict=True) if t > 0]
    if len(points) < 2:
        return float("nan")
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    spread = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / spread


def growth(sizes: list[int], runs: int = 3) -> None:
    """The GROWTH table: each shape at each size, best of ``runs``, and its exponent."""
    captionbridge.loads(_TT.format('<p begin="0s" end="1s">warm</p>'), format="ttml")
    header = " | ".join(f"{s // 1000} KB" for s in sizes)
    print(f"\n| shape | {header} | exponent |")
    print("|---|" + "---:|" * (len(sizes) + 1))
    for shape in GROWTH:
        times = [min(_run(shape, size) for _ in range(runs)) for size in sizes]
        cells = " | ".join(f"{t:.3f}" for t in times)
        print(f"| {shape.name} | {cells} | {exponent(sizes, times):.2f} |", flush=True)


def main() -> int:
    growth_only = "--growth-only" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--growth-only"]
    if growth_only:
        growth([10_000, 30_000, 100_000, 300_000, 1_000_000])
        return 0
    host = make_host()
    readers = args or sorted(host.readers)
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
    growth([10_000, 30_000, 100_000, 300_000, 1_000_000])
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
