"""SCC (CEA-608) writing: captionbridge against pycaption's and ttconv's SCC writers, in one run.

    python benchmarks/bench_scc.py                 # seed (x1) and x10, 7 runs each
    python benchmarks/bench_scc.py --runs 15 --sizes 1 10 100
    python benchmarks/bench_scc.py --ttconv-all    # ttconv on every size too (minutes)

Two tables:

- writing only: every writer gets the same cues already in memory (captionbridge's transcript
  with its times already parsed; a pycaption CaptionSet; a ttconv document) and is timed
  turning them into the SCC text;
- whole conversion: file on disk to SCC text in memory, imports excluded. captionbridge reads
  the bracket transcript (its own input) and, for the same input as the peers, the SRT copy;
  the peers read the SRT (neither reads bracket transcripts).

Runs are interleaved (one of each writer in turn) and the best is kept, so that load from other
processes hits every writer alike. ttconv's writer refuses a stream that would start before
00:00:00:00, so its document is shifted by 10 s; it takes seconds per run and runs only on the
seed unless asked. Times are printed, never asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SEED = HERE.parent / "seeds" / "fireside-chat.txt"
DATA = HERE / "data"

sys.path.insert(0, str(HERE))
from make_inputs import make_inputs  # noqa: E402

Job = Callable[[], object]


def _quiet(fn: Job) -> float:
    with contextlib.redirect_stdout(io.StringIO()):  # pycaption prints its warnings
        t = time.perf_counter()
        fn()
        return time.perf_counter() - t


def interleaved(jobs: dict[str, Job], runs: int, once: set[str]) -> dict[str, float]:
    """Best time of each job over ``runs`` rounds (jobs in ``once``: a single run)."""
    best: dict[str, float] = {}
    for round_ in range(runs):
        for name, fn in jobs.items():
            if name in once and round_ > 0:
                continue
            seconds = _quiet(fn)
            best[name] = min(best.get(name, seconds), seconds)
    return best


def _ttconv_doc(cues: list[tuple[int, int, str]]) -> Any:
    from ttconv import model

    doc = model.ContentDocument()
    body = model.Body(doc)
    doc.set_body(body)
    div = model.Div(doc)
    body.push_child(div)
    for start, end, text in cues:
        p = model.P(doc)
        p.set_begin(Fraction(start + 10_000, 1000))
        p.set_end(Fraction(end + 10_000, 1000))
        span = model.Span(doc)
        span.push_child(model.Text(doc, text))
        p.push_child(span)
        div.push_child(p)
    return doc


def writing_jobs(txt: Path, with_ttconv: bool) -> tuple[dict[str, Job], int]:
    """The writers, each with the same cues already in memory; also the number of cues."""
    from pycaption import Caption, CaptionNode, CaptionSet, SCCWriter
    from ttconv.scc import writer as ttconv_writer

    from captionbridge.flow.pipeline import read_text, resolve_options, transform
    from captionbridge.host.registry import make_host
    from captionbridge.plugins.broadcast import cea608, scc
    from captionbridge.specs import WriteContext

    host = make_host(entry_points=False)
    values = resolve_options(host, {})
    transcript = transform(read_text(txt.read_text("utf-8"), str(txt), host, values), host, values)
    cues = [(c.start, c.end, c.text.replace("\n", " ")) for c in transcript.cues]
    starts, ends, _ = transcript.columns()
    list(starts), list(ends)  # parse the times the reader kept as text, as the peers' are

    def ours() -> object:
        cea608.encode_row.cache_clear()  # no help from earlier runs
        return scc.write_scc(transcript, WriteContext(values))

    caption_set = CaptionSet(
        {"en": [Caption(s * 1000, e * 1000, [CaptionNode.create_text(t)]) for s, e, t in cues]}
    )
    jobs: dict[str, Job] = {
        "captionbridge": ours,
        "pycaption": lambda: SCCWriter().write(caption_set),
    }
    if with_ttconv:
        doc = _ttconv_doc(cues)
        jobs["ttconv"] = lambda: ttconv_writer.from_model(doc)
    return jobs, len(cues)


def conversion_jobs(txt: Path, srt: Path, with_ttconv: bool) -> dict[str, Job]:
    """File to SCC text for each tool (imports done beforehand)."""
    import ttconv.srt.reader as ttconv_srt
    from pycaption import SCCWriter, SRTReader
    from ttconv.scc import writer as ttconv_writer

    import captionbridge
    from captionbridge.plugins.broadcast import cea608

    def ours(path: Path) -> Job:
        def run() -> object:
            cea608.encode_row.cache_clear()
            return captionbridge.dumps(captionbridge.load(path), "scc")

        return run

    def ttconv_run() -> object:
        with srt.open(encoding="utf-8") as f:
            doc = ttconv_srt.to_model(f)
        doc.get_body().set_begin(Fraction(10))  # see the module docstring
        return ttconv_writer.from_model(doc)

    jobs: dict[str, Job] = {
        "captionbridge (bracket)": ours(txt),
        "captionbridge (srt)": ours(srt),
        "pycaption (srt)": lambda: SCCWriter().write(SRTReader().read(srt.read_text("utf-8"))),
    }
    if with_ttconv:
        jobs["ttconv (srt)"] = ttconv_run
    return jobs


def table(title: str, best: dict[str, float], ours: str) -> None:
    print(f"\n{title}")
    print(f"{'':26s} {'ms':>10s} {'vs ' + ours:>22s}")
    base = best[ours]
    for name, seconds in best.items():
        ratio = (
            "1"
            if name == ours
            else f"{seconds / base:.1f}x slower"
            if seconds >= base
            else f"{base / seconds:.1f}x faster"
        )
        print(f"{name:26s} {seconds * 1000:10.1f} {ratio:>22s}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--ttconv-all", action="store_true", help="ttconv beyond the seed too")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # ttconv logs every long line
    inputs = make_inputs(SEED, DATA, args.sizes)
    for size in args.sizes:
        txt, srt, _ = inputs[size]
        with_ttconv = size == 1 or args.ttconv_all
        jobs, count = writing_jobs(txt, with_ttconv)
        print(f"\n== x{size}: {count} cues, best of {args.runs} (ttconv: one run) ==")
        best = interleaved(jobs, args.runs, {"ttconv"})
        table("writing only (cues in memory -> SCC text)", best, "captionbridge")
        best = interleaved(conversion_jobs(txt, srt, with_ttconv), args.runs, {"ttconv (srt)"})
        table("whole conversion (file -> SCC text)", best, "captionbridge (bracket)")


if __name__ == "__main__":
    main()
