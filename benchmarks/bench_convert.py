"""Bracket transcript to SRT/VTT: captionbridge against its peers, as ratios in one run.

    python benchmarks/bench_convert.py            # x1 and x100 inputs, 3 runs each
    python benchmarks/bench_convert.py --x1000    # also the 80 MB input (slow peers skipped)

Every job runs in its own process so that peak RSS is its own; the time printed is the work
only (reading the file to writing the output), except for the "CLI" rows, which time the whole
process the way a batch script sees it. Peers convert the same cues from SRT, since none of
them reads bracket transcripts.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = HERE.parent / "seeds" / "fireside-chat.txt"
DATA = HERE / "data"

sys.path.insert(0, str(HERE))
from make_inputs import make_inputs  # noqa: E402

TIMED = textwrap.dedent(
    """
    import json, sys, time
    t0 = time.perf_counter()
    {body}
    print(json.dumps({{"seconds": time.perf_counter() - t0}}))
    """
)

# the fastest a Python converter could be: one compiled regex and one join, no model at all
FLOOR = r"""
import re
text = open(IN_TXT, encoding="utf-8").read()
pattern = r"^\[(\d\d:\d\d:\d\d)\.(\d{3}) --> (\d\d:\d\d:\d\d)\.(\d{3})\] *([^\n]*)"
rows = re.findall(pattern, text, re.M)
out = "\n".join(
    f"{i}\n{a},{b} --> {c},{d}\n{t}\n" for i, (a, b, c, d, t) in enumerate(rows, 1)
)
open(OUT + ".srt", "w", encoding="utf-8").write(out)
"""

JOBS: dict[str, str] = {
    "captionbridge bracket->srt": """
import captionbridge
t = captionbridge.load(IN_TXT, fix_text=True)
open(OUT + ".srt", "w", encoding="utf-8").write(captionbridge.dumps(t, "srt"))
""",
    "captionbridge bracket->vtt": """
import captionbridge
t = captionbridge.load(IN_TXT)
open(OUT + ".vtt", "w", encoding="utf-8").write(captionbridge.dumps(t, "vtt"))
""",
    "pysubs2 srt->vtt": """
import pysubs2
pysubs2.load(IN_SRT).save(OUT + ".vtt")
""",
    "pysubs2 srt->srt": """
import pysubs2
pysubs2.load(IN_SRT).save(OUT + ".srt")
""",
    "webvtt-py srt->vtt": """
import webvtt
webvtt.from_srt(IN_SRT).save(OUT + ".vtt")
""",
    "srt srt->srt": """
import srt
subs = list(srt.parse(open(IN_SRT, encoding="utf-8").read()))
open(OUT + ".srt", "w", encoding="utf-8").write(srt.compose(subs, reindex=False))
""",
    "pysrt srt->srt": """
import pysrt
pysrt.open(IN_SRT, encoding="utf-8").save(OUT + ".srt", encoding="utf-8")
""",
    "floor (regex + join)": FLOOR,
}


# what an installed package has: compiled bytecode (some shells set PYTHONDONTWRITEBYTECODE)
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_job(code: str, env: dict[str, str]) -> tuple[float, int, float]:
    """Run one job in a fresh interpreter: (seconds of work, peak RSS in KiB, CPU seconds of
    the whole process)."""
    script = TIMED.format(body=textwrap.indent(code.strip(), "").replace("\n", "\n"))
    prelude = "".join(f"{key} = {value!r}\n" for key, value in env.items())
    process = subprocess.Popen(
        [sys.executable, "-c", prelude + script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=CHILD_ENV,
    )
    _, status, usage = os.wait4(process.pid, 0)
    out = process.stdout.read() if process.stdout else b""
    err = process.stderr.read() if process.stderr else b""
    if status != 0:
        raise RuntimeError(err.decode())
    return json.loads(out)["seconds"], usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def run_command(argv: list[str]) -> tuple[float, int, float]:
    """Run a whole process: (wall seconds, peak RSS in KiB, CPU seconds)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=CHILD_ENV
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise RuntimeError((process.stderr.read() if process.stderr else b"").decode())
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def median_of(runs: int, measure) -> tuple[float, int, float]:  # type: ignore[no-untyped-def]
    return medians([measure() for _ in range(runs)])


def medians(results: list[tuple[float, int, float]]) -> tuple[float, int, float]:
    """Median time, highest peak RSS, median CPU time."""
    return (
        statistics.median(r[0] for r in results),
        max(r[1] for r in results),
        statistics.median(r[2] for r in results),
    )


def run_rounds(
    measures: dict[str, Callable[[], tuple[float, int, float]]], rounds: int
) -> dict[str, list[tuple[float, int, float]]]:
    """Run every job once per round, rounds after rounds, so that a slow spell of a shared
    machine falls on all jobs alike instead of on the few that happen to run during it."""
    results: dict[str, list[tuple[float, int, float]]] = {name: [] for name in measures}
    for _ in range(rounds):
        for name, measure in measures.items():
            results[name].append(measure())
    return results


def paired_ratio(
    peer: list[tuple[float, int, float]], ours: list[tuple[float, int, float]], field: int
) -> float:
    """The median over rounds of peer / ours, each round's two runs taken close together."""
    return statistics.median(p[field] / o[field] for p, o in zip(peer, ours, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--x1000", action="store_true", help="also run the x1000 input")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    sizes = [1, 100] + ([1000] if args.x1000 else [])
    import compileall

    import captionbridge

    compileall.compile_dir(Path(captionbridge.__file__).parent, quiet=1)
    inputs = make_inputs(SEED, DATA, sizes)
    out_dir = DATA / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    ffmpeg = shutil.which("ffmpeg")
    exe = shutil.which("captionbridge") or f"{sys.executable} -m captionbridge"

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    for size in sizes:
        txt, srt, cues = inputs[size]
        megabytes = txt.stat().st_size / 1e6
        print(
            f"\n## x{size}: {megabytes:.1f} MB, {cues:,} cues"
            f" (median of {args.runs} rounds, jobs interleaved)\n"
        )
        print(
            "| job | seconds | MB/s | cues/s | peak RSS MB | process CPU s"
            " | vs pysubs2 srt->vtt (CPU) |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|")
        env = {"IN_TXT": str(txt), "IN_SRT": str(srt), "OUT": str(out_dir / f"x{size}")}
        measures: dict[str, Callable[[], tuple[float, int, float]]] = {}
        for name, code in JOBS.items():
            if size >= 1000 and name.split()[0] in ("pysubs2", "webvtt-py", "pysrt"):
                continue  # minutes each; the x100 ratios say the same
            measures[name] = lambda code=code, env=env: run_job(code, env)
        if ffmpeg:
            for target in ("vtt", "srt"):
                argv = [
                    ffmpeg,
                    "-v",
                    "error",
                    "-y",
                    "-i",
                    str(srt),
                    str(out_dir / f"ff{size}.{target}"),
                ]
                measures[f"ffmpeg srt->{target} (process)"] = lambda argv=argv: run_command(argv)
        cli = [
            *exe.split(),
            "convert",
            str(txt),
            "-o",
            str(out_dir / f"cli{size}.srt"),
            "--force",
            "-q",
        ]
        measures["captionbridge CLI bracket->srt (process)"] = lambda cli=cli: run_command(cli)
        rounds = run_rounds(measures, args.runs)
        results = {name: medians(runs) for name, runs in rounds.items()}
        # ratios use each process's CPU time: on a shared machine it moves far less than the
        # wall clock, and every row pays its own interpreter start the same way
        reference = results["pysubs2 srt->vtt"][2] if "pysubs2 srt->vtt" in results else None
        for name, (seconds, rss, cpu) in results.items():
            ratio = f"{reference / cpu:.1f}x" if reference else ""
            print(
                f"| {name} | {seconds:.3f} | {megabytes / seconds:.1f} | {cues / seconds:,.0f}"
                f" | {rss / 1024:.0f} | {cpu:.3f} | {ratio} |"
            )
        floor = results["floor (regex + join)"][2]
        ours = results["captionbridge bracket->srt"][2]
        print(f"\ncaptionbridge bracket->srt uses {ours / floor:.1f}x the floor's CPU time")
        fastest_peer = min(
            (cpu, n)
            for n, (_, _, cpu) in results.items()
            if not n.startswith(("captionbridge", "floor"))
        )
        print(
            f"fastest peer: {fastest_peer[1]} ({fastest_peer[0]:.3f} s CPU);"
            f" captionbridge is {fastest_peer[0] / ours:.1f}x faster"
        )
        if "pysubs2 srt->vtt" in results:
            for job in ("captionbridge bracket->srt", "captionbridge bracket->vtt"):
                wall = paired_ratio(rounds["pysubs2 srt->vtt"], rounds[job], 0)
                cpu = paired_ratio(rounds["pysubs2 srt->vtt"], rounds[job], 2)
                print(
                    f"{job} against pysubs2 srt->vtt, median of the per-round ratios:"
                    f" {wall:.1f}x by time, {cpu:.1f}x by process CPU"
                )
            rss_ratio = results["captionbridge bracket->srt"][1] / results["pysubs2 srt->vtt"][1]
            print(f"peak RSS: {rss_ratio:.2f}x pysubs2's")

    print("\n## start-up (whole process, median)\n")
    version = median_of(max(args.runs, 5), lambda: run_command([*exe.split(), "--version"]))
    seed_cli = [
        *exe.split(),
        "convert",
        str(SEED),
        "-o",
        str(out_dir / "seed.srt"),
        "--force",
        "-q",
    ]
    seed = median_of(max(args.runs, 5), lambda: run_command(seed_cli))
    print(
        f"- `captionbridge --version`: {version[0] * 1000:.0f} ms ({version[2] * 1000:.0f} ms CPU)"
    )
    wall, cpu = seed[0] * 1000, seed[2] * 1000
    print(f"- `captionbridge convert` seed to SRT: {wall:.0f} ms ({cpu:.0f} ms CPU)")


if __name__ == "__main__":
    main()
