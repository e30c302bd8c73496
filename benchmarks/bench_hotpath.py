"""The per-cue path of bracket -> SRT/WebVTT, this tree against another one (main), as ratios.

    python benchmarks/bench_hotpath.py [--main /work/main/src] [--rounds 7] [--input PATH]
    python benchmarks/bench_hotpath.py --commands   # also the whole command, start-up included
    python benchmarks/bench_hotpath.py --instructions srt   # instructions under callgrind

In-process: decode, read, the default transforms and the writer (what ``captionbridge
convert`` does per cue, without start-up and without writing the file), in a process of its
own per tree, the best CPU time (``time.process_time``) of three conversions. The two trees
run one after the other in each round and the ratio is taken per round, so that a load that
changes during the run weighs on both; the median of the rounds is printed. ``--commands``
adds ``captionbridge convert INPUT -o OUT -q`` under ``/usr/bin/time`` (user + sys).

``--instructions FORMAT`` counts instead the instructions of one conversion under valgrind's
callgrind (two conversions in a process less one): a count that a busy machine does not
move, where CPU times vary by a third from one round to the next. It takes minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = HERE.parent / "seeds" / "fireside-chat.txt"
INPUT = HERE / "data" / "fireside-x100.txt"

sys.path.insert(0, str(HERE))
from make_inputs import make_inputs  # noqa: E402

IN_PROCESS = """
import json, sys, time
from captionbridge.flow.pipeline import read_bytes, render, resolve_options, transform
from captionbridge.host.registry import default_host

path, name = sys.argv[1], sys.argv[2]
host = default_host()
options = resolve_options(host, {})
writer = host.writer(name)
data = open(path, "rb").read()
best = float("inf")
for _ in range(3):
    copy = bytes(bytearray(data))
    began = time.process_time()
    transcript = transform(read_bytes(copy, path, host, options), host, options)
    render(transcript, writer, host, options, "out")
    best = min(best, time.process_time() - began)
    del transcript, copy
print(json.dumps(best))
"""


def in_process(src: str, path: Path, name: str) -> float:
    """Best CPU seconds of the per-cue path in a fresh process with ``src`` first on the path."""
    env = {**os.environ, "PYTHONPATH": src}
    command = [sys.executable, "-c", IN_PROCESS, str(path), name]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return float(json.loads(done.stdout))


COUNTED = """
import sys
from captionbridge.flow.pipeline import read_bytes, render, resolve_options, transform
from captionbridge.host.registry import default_host

path, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
host = default_host()
options = resolve_options(host, {})
writer = host.writer(name)
data = open(path, "rb").read()
for _ in range(count):
    transcript = transform(read_bytes(bytes(bytearray(data)), path, host, options), host, options)
    render(transcript, writer, host, options, "out")
    del transcript
"""


def instructions(src: str, path: Path, name: str) -> int:
    """Instructions of one conversion: a process converting twice less one converting once."""
    env = {**os.environ, "PYTHONPATH": src}
    counts = []
    for count in (1, 2):
        command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
        command += [sys.executable, "-c", COUNTED, str(path), name, str(count)]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        counts.append(int(done.stderr.split("Collected :")[1].split()[0]))
    return counts[1] - counts[0]


def whole_command(src: str, path: Path, out: Path) -> float:
    """User + sys seconds of ``captionbridge convert`` as a user runs it."""
    env = {**os.environ, "PYTHONPATH": src}
    command = ["/usr/bin/time", "-f", "%U %S", sys.executable, "-m", "captionbridge"]
    command += ["convert", str(path), "-o", str(out), "-q", "--force"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    user, system = done.stderr.split()[-2:]
    return float(user) + float(system)


def paired(
    rounds: int, ours: str, theirs: str, measure: Callable[[str], float]
) -> tuple[list[float], list[float], list[float]]:
    """Each tree measured once a round, this one first; the two lists and the ratios."""
    mine: list[float] = []
    other: list[float] = []
    for _ in range(rounds):
        mine.append(measure(ours))
        other.append(measure(theirs))
    return mine, other, [b / a for a, b in zip(mine, other, strict=True)]


def report(label: str, mine: list[float], other: list[float], ratios: list[float]) -> None:
    print(
        f"{label:34s} this tree {statistics.median(mine):.3f} s, other"
        f" {statistics.median(other):.3f} s, ratio {statistics.median(ratios):.2f}x"
        f" (rounds: {' '.join(f'{r:.2f}' for r in ratios)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--main", default="/work/main/src", help="the tree to compare with")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--input", type=Path, default=INPUT)
    parser.add_argument("--commands", action="store_true", help="also time the whole command")
    parser.add_argument("--instructions", metavar="FORMAT", help="count instructions instead")
    args = parser.parse_args()
    if args.input == INPUT:
        make_inputs(SEED, INPUT.parent, [100])  # generated when missing
    ours = str(HERE.parent / "src")
    if args.instructions:
        mine, other = (
            instructions(src, args.input, args.instructions) for src in (ours, args.main)
        )
        print(
            f"instructions of one conversion to {args.instructions}: this tree {mine:,},"
            f" {args.main} {other:,}, ratio {other / mine:.2f}x"
        )
        return
    print(f"{args.input.name}, load average {os.getloadavg()[0]:.1f} at the start")
    for name in ("srt", "vtt"):
        measured = paired(
            args.rounds, ours, args.main, lambda src, n=name: in_process(src, args.input, n)
        )
        report(f"in-process bracket->{name}", *measured)
    if args.commands:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out.srt"
            measured = paired(
                args.rounds, ours, args.main, lambda src: whole_command(src, args.input, out)
            )
            report("whole command bracket->srt", *measured)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
