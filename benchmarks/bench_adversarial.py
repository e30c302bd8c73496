"""Adversarial shapes: each grows from 10 KB to 1 MB and the time's growth exponent is reported.

    python benchmarks/bench_adversarial.py                  # every shape, 10 KB .. 1 MB
    python benchmarks/bench_adversarial.py --only ttml      # the shapes whose name has "ttml"
    python benchmarks/bench_adversarial.py --sizes 10000 100000 1000000 --runs 5

A shape is one row of SHAPES: a name, what it exercises (``read`` through a reader, ``write``
through a writer) with which format, and a function that builds an input of about n bytes.
The exponent is the slope of log(time) against log(size) from 100 KB to 1 MB: 1.0 is linear,
2.0 quadratic; the target is at most 1.2 (issue 19). The best of ``--runs`` is kept per size,
so load from other processes hits every size alike. Times are printed, never asserted; add a
row to SHAPES for each shape a bug or a fuzzer finds.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import captionbridge

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


SHAPES = [
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000, 300_000, 1_000_000]
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    captionbridge.loads(_TT.format('<p begin="0s" end="1s">warm</p>'), format="ttml")
    header = " | ".join(f"{s // 1000} KB" for s in args.sizes)
    print(f"| shape | {header} | exponent |")
    print("|---|" + "---:|" * (len(args.sizes) + 1))
    for shape in SHAPES:
        if args.only not in shape.name:
            continue
        times = [min(_run(shape, size) for _ in range(args.runs)) for size in args.sizes]
        cells = " | ".join(f"{t:.3f}" for t in times)
        print(f"| {shape.name} | {cells} | {exponent(args.sizes, times):.2f} |", flush=True)


if __name__ == "__main__":
    main()
