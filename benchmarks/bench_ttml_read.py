"""TTML reading against document size: the seed written as TTML, repeated up to 10 MB.

    python benchmarks/bench_ttml_read.py                 # 1, 2, 5 and 10 MB, best of 3
    python benchmarks/bench_ttml_read.py --ttconv        # ttconv's model reading too (slow)

Each document is the seed transcript (1,106 cues) written by captionbridge's TTML writer,
repeated with shifted times. Reported: seconds, MB/s and seconds per MB, which stays flat when
reading is linear. ``--ttconv`` also times ``ttconv.imsc.reader.to_model`` (the model only; its
ISD generation, which cue extraction needs, grows much faster: 11 s on the 95 KB seed on a
loaded machine). Times are printed, never asserted.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

import captionbridge  # noqa: E402
from captionbridge.model import Transcript  # noqa: E402

SEED = HERE.parent / "seeds" / "fireside-chat.txt"


def document(megabytes: float) -> str:
    """The seed as TTML, repeated to about ``megabytes`` MB."""
    seed = captionbridge.transform(captionbridge.load(SEED))
    one = len(captionbridge.dumps(seed, "ttml"))
    copies = max(1, round(megabytes * 1_000_000 / one))
    period = seed.cues[-1].end + 1000
    starts, ends, texts = [], [], []
    for k in range(copies):
        for cue in seed.cues:
            starts.append(cue.start + k * period)
            ends.append(cue.end + k * period)
            texts.append(cue.text)
    return captionbridge.dumps(Transcript.from_columns(starts, ends, texts), "ttml")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 2, 5, 10])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ttconv", action="store_true")
    args = parser.parse_args()
    print("| reader | MB | cues | seconds | MB/s | s per MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        text = document(size)
        mb = len(text.encode()) / 1e6
        best, cues = float("inf"), 0
        for _ in range(args.runs):
            started = time.perf_counter()
            cues = len(captionbridge.loads(text, format="ttml"))
            best = min(best, time.perf_counter() - started)
        print(
            f"| captionbridge | {mb:.1f} | {cues:,} | {best:.2f} | {mb / best:.2f} |"
            f" {best / mb:.2f} |",
            flush=True,
        )
        if args.ttconv:
            import ttconv.imsc.reader as imsc_reader

            logging.disable(logging.CRITICAL)
            started = time.perf_counter()
            imsc_reader.to_model(ET.ElementTree(ET.fromstring(text)))
            took = time.perf_counter() - started
            print(
                f"| ttconv to_model | {mb:.1f} | | {took:.2f} | {mb / took:.2f} |"
                f" {took / mb:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
