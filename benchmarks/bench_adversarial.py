"""Adversarial shapes, grown 10 KB -> 1 MB: is every reader and writer linear in its input?

Each row of ``SHAPES`` names a format, whether the shape is read (``make`` returns the file's
text) or written (``make`` returns the text of one cue), and how to build it at about ``n``
characters. Every shape runs at each size (best CPU time of at least 3 rounds, more while under
1 s); the exponent is the slope of log(time) over log(size) from 100 KB to 1 MB: 1.0 is linear, 2.0
quadratic. Rows at or under 1.2 are linear for issue 19's purpose.

Add a shape by adding a row (keep the table sorted by format, then name).

    python benchmarks/bench_adversarial.py [--only vtt] [--sizes 10000,100000,1000000]
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable
from typing import NamedTuple

import captionbridge
from captionbridge.host.registry import make_host
from captionbridge.model import Cue, Transcript


class Shape(NamedTuple):
    fmt: str
    kind: str  # "read": make(n) is the input text; "write": make(n) is one cue's text
    name: str
    make: Callable[[int], str]


def _vtt_cue(body: str) -> str:
    return f"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n{body}\n"


def _vtt_blocks(block: str) -> Callable[[int], str]:
    return lambda n: "WEBVTT\n\n" + block * (n // len(block))


SHAPES: list[Shape] = [
    Shape("vtt", "read", "'<' * n", lambda n: _vtt_cue("<" * n)),
    Shape("vtt", "read", "'<v ' runs", lambda n: _vtt_cue("<v " * (n // 3))),
    Shape("vtt", "read", "'<v.' runs", lambda n: _vtt_cue("<v." * (n // 3))),
    Shape("vtt", "read", "closed voices", lambda n: _vtt_cue("<v a>x</v><v b>y</v>" * (n // 20))),
    Shape("vtt", "read", "nested spans", lambda n: _vtt_cue("<i><b>" * (n // 6))),
    Shape("vtt", "read", "'&' * n", lambda n: _vtt_cue("&" * n)),
    Shape("vtt", "read", "one long line", lambda n: _vtt_cue("word " * (n // 5))),
    Shape("vtt", "read", "many tiny cues", _vtt_blocks("00:00.000 --> 00:01.000\nx\n\n")),
    Shape("vtt", "read", "'-->' lines", _vtt_blocks("-->\n")),
    Shape("vtt", "read", "bad timings", _vtt_blocks("00:99:00.000 --> 1\nx\n\n")),
    Shape("vtt", "read", "digit run", lambda n: "WEBVTT\n\n" + "0" * n + " --> 1\n"),
    Shape("vtt", "read", "CR line ends", _vtt_blocks("00:00.000 --> 00:01.000\rx\r\r")),
    Shape("vtt", "write", "'<' * n", lambda n: "<" * n),
    Shape("vtt", "write", "clock times", lambda n: "at 00:10:00.00 " * (n // 15)),
    Shape("vtt", "write", "'\\N' runs", lambda n: "\\N" * (n // 2)),
]  # fmt: skip


def _run(shape: Shape, n: int, host: object) -> float:
    """CPU seconds for one read or write of the shape at size ``n`` (best of a few rounds)."""
    text = shape.make(n)
    if shape.kind == "read":

        def job() -> None:
            captionbridge.loads(text, format=shape.fmt, host=host, fix_text=False)  # type: ignore[arg-type]
    else:
        transcript = Transcript([Cue.make(0, 1000, text)])

        def job() -> None:
            captionbridge.dumps(transcript, shape.fmt, host=host)  # type: ignore[arg-type]

    best = math.inf
    spent = 0.0
    rounds = 0
    while rounds < 3 or (spent < 1.0 and rounds < 50):
        start = time.process_time()
        job()
        took = time.process_time() - start
        best = min(best, took)
        spent += took
        rounds += 1
    return max(best, 1e-6)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="formats to run, comma-separated")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    only = set(args.only.split(",")) if args.only else None
    host = make_host(entry_points=False)
    head = " | ".join(f"{s // 1000} KB s" for s in sizes)
    print(f"| format | kind | shape | {head} | exponent |")
    print("|---|---|---|" + "---:|" * (len(sizes) + 1))
    for shape in SHAPES:
        if only and shape.fmt not in only:
            continue
        times = [_run(shape, n, host) for n in sizes]
        low = sizes.index(100_000) if 100_000 in sizes else 0
        exponent = math.log(times[-1] / times[low]) / math.log(sizes[-1] / sizes[low])
        cells = " | ".join(f"{t:.4f}" for t in times)
        print(f"| {shape.fmt} | {shape.kind} | {shape.name} | {cells} | {exponent:.2f} |")


if __name__ == "__main__":
    main()
