"""Time seed → SCC with captionbridge next to pycaption's and ttconv's SCC writers.

All three get the same cues (the seed read and transformed by captionbridge). Prints the best
of a few runs for each and the ratios to captionbridge. Not a test: run it by hand,
``python benchmarks/bench_scc.py [runs]``.
"""

from __future__ import annotations

import contextlib
import io
import logging
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

from captionbridge.pipeline import read_text, resolve_options, transform
from captionbridge.plugins import scc
from captionbridge.registry import make_host
from captionbridge.specs import WriteContext

SEED = Path(__file__).resolve().parent.parent / "seeds" / "fireside-chat.txt"


def best(fn: Callable[[], object], runs: int) -> float:
    times = []
    logging.disable(logging.CRITICAL)  # ttconv logs every long line
    for _ in range(runs):
        with contextlib.redirect_stdout(io.StringIO()):  # pycaption prints its warnings
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    host = make_host(entry_points=False)
    values = resolve_options(host, {})
    transcript = transform(
        read_text(SEED.read_text("utf-8"), str(SEED), host, values), host, values
    )

    from pycaption import Caption, CaptionNode, CaptionSet, SCCWriter

    captions = [
        Caption(
            cue.start * 1000,
            cue.end * 1000,
            [CaptionNode.create_text(cue.text.replace("\n", " "))],
        )
        for cue in transcript.cues
    ]
    caption_set = CaptionSet({"en": captions})

    from ttconv import model
    from ttconv.scc import writer as ttconv_writer

    def ttconv_doc() -> model.ContentDocument:
        doc = model.ContentDocument()
        body = model.Body(doc)
        doc.set_body(body)
        div = model.Div(doc)
        body.push_child(div)
        for cue in transcript.cues:
            p = model.P(doc)
            # ttconv's writer fails when loading would start before 0: shift every cue by 10 s
            p.set_begin(Fraction(cue.start + 10_000, 1000))
            p.set_end(Fraction(cue.end + 10_000, 1000))
            span = model.Span(doc)
            text = model.Text(doc, cue.text.replace("\n", " "))
            span.push_child(text)
            p.push_child(span)
            div.push_child(p)
        return doc

    doc = ttconv_doc()
    ours = best(lambda: scc.write_scc(transcript, WriteContext(values)), runs)
    results = {"captionbridge": ours}
    results["pycaption"] = best(lambda: SCCWriter().write(caption_set), runs)
    try:
        results["ttconv"] = best(lambda: ttconv_writer.from_model(doc), runs)
    except Exception as exc:  # ttconv's writer has known crashes; report, do not hide
        print(f"ttconv failed: {type(exc).__name__}: {exc}")
    print(f"seed: {len(transcript)} cues, best of {runs}")
    for name, seconds in results.items():
        print(f"{name:14s} {seconds * 1000:9.1f} ms   x{seconds / ours:5.2f}")


if __name__ == "__main__":
    main()
