"""Start-up of the command line: whole commands from two source trees, as ratios in one run.

    python benchmarks/bench_startup.py OTHER_SRC [--rounds 10] [--x100] [--only tiny formats]

Runs each command (see :func:`commands`) with this tree's ``src`` and with ``OTHER_SRC`` (for
example a worktree of main) on ``PYTHONPATH``, one of each per round, rounds after rounds, and
prints the median CPU time (user + sys of the whole process) per tree and the median of the
per-round ratios. The tiny input is a three-line bracket transcript, so its conversion is
start-up and exit nearly alone. Bytecode is compiled first in both trees, as an installed
package has it; the commands run in a temporary folder (no configuration file).
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = HERE.parent / "seeds" / "fireside-chat.txt"
DATA = HERE / "data"

sys.path.insert(0, str(HERE))
from make_inputs import make_inputs  # noqa: E402


def cpu_seconds(argv: list[str], src: Path) -> float:
    """User + sys seconds of one whole process run with ``src`` first on the import path."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(src)
    process = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=tempfile.gettempdir()
    )
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise RuntimeError((process.stderr.read() if process.stderr else b"").decode())
    return usage.ru_utime + usage.ru_stime


def commands(work: Path, x100: bool) -> dict[str, list[str]]:
    """The commands measured, by the name printed: ``version`` (``--version``), ``help``
    (``convert --help``), ``formats``, ``tiny`` (three lines to SRT), ``seed-srt``, ``seed-vtt``
    and ``x100`` (the 8 MB transcript to SRT)."""
    tiny = work / "tiny.txt"
    tiny.write_text("".join(SEED.read_text(encoding="utf-8").splitlines(keepends=True)[:3]))
    cli = [sys.executable, "-m", "captionbridge"]

    def convert(source: Path, output: str) -> list[str]:
        return [*cli, "convert", str(source), "-o", str(work / output), "--force", "-q"]

    found = {
        "version": [*cli, "--version"],
        "help": [*cli, "convert", "--help"],
        "formats": [*cli, "formats"],
        "tiny": convert(tiny, "t.srt"),
        "seed-srt": convert(SEED, "s.srt"),
        "seed-vtt": convert(SEED, "s.vtt"),
    }
    if x100:
        found["x100"] = convert(make_inputs(SEED, DATA, [100])[100][0], "x.srt")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("other", type=Path, help="the src folder to compare with (e.g. main's)")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--x100", action="store_true", help="also the 8 MB transcript to SRT")
    parser.add_argument("--only", nargs="*", help="the commands to run, by name (default: all)")
    args = parser.parse_args()
    trees = {"this": HERE.parent / "src", "other": args.other.resolve()}
    for src in trees.values():
        compileall.compile_dir(src, quiet=1)
    print(f"python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.2f} at the start")
    print(f"this: {trees['this']}\nother: {trees['other']}\n")
    print(f"| command | other CPU s | this CPU s | this / other (median of {args.rounds}) |")
    print("|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for name, argv in commands(Path(folder), args.x100).items():
            if args.only and name not in args.only:
                continue
            times: dict[str, list[float]] = {tree: [] for tree in trees}
            for _ in range(args.rounds):
                for tree, src in trees.items():
                    times[tree].append(cpu_seconds(argv, src))
            ratio = statistics.median(
                ours / theirs for ours, theirs in zip(times["this"], times["other"], strict=True)
            )
            other, this = (statistics.median(times[tree]) for tree in ("other", "this"))
            print(f"| {name} | {other:.3f} | {this:.3f} | {ratio:.2f} |", flush=True)
    print(f"\nload average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
