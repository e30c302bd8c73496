"""Reading word-level JSON: each whisper dialect against ``json.loads`` of the same file, and the
bracket reader (no words) against another tree (main) on the same input.

The input is the seed transcript (53 minutes) with a time for every word (the cue's span
shared out by length), repeated until it has about ``--words`` words, written in each dialect's
shape. Prints CPU milliseconds (best of the rounds) for ``json.loads`` alone, for the reader
(parse, words, repair, model) and for the whole ``captionbridge.loads`` (decode, detect, read,
pipeline), and the median over the rounds of the reader's time over ``json.loads``'s, the two
run back to back (target: at most 2).

    python benchmarks/bench_words.py [--words 10000] [--main /work/main/src]
    python benchmarks/bench_words.py --against /work/main/src [--turns 3]  # JSON readers, in turns
    python benchmarks/bench_words.py --write DIR  # the generated files, to convert them
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import captionbridge
from captionbridge.host.registry import make_host
from captionbridge.specs import ReadContext

CONTEXT = ReadContext("bench.json")
SEED = Path(__file__).resolve().parent.parent / "seeds" / "fireside-chat.txt"


def timed_words(count: int) -> list[tuple[float, float, list[tuple[str, float, float]]]]:
    """Segments (start, end, words) in seconds: the seed's cues, repeated to ``count`` words."""
    seed = captionbridge.load(SEED, host=make_host(entry_points=False))
    segments: list[tuple[float, float, list[tuple[str, float, float]]]] = []
    shift = 0.0
    total = 0
    while total < count:
        for cue in seed.cues:
            words = cue.text.split()
            if not words:
                continue
            start, end = shift + cue.start / 1000, shift + cue.end / 1000
            step = (end - start) / len(words)
            spread = [
                (w, round(start + i * step, 2), round(start + (i + 1) * step, 2))
                for i, w in enumerate(words)
            ]
            segments.append((start, end, spread))
            total += len(words)
            if total >= count:
                break
        shift += seed.cues[-1].end / 1000 + 1
    return segments


def dialects(segments: list[tuple[float, float, list[tuple[str, float, float]]]]) -> dict[str, str]:
    """The same speech in each dialect's shape (and ``verbose_json`` without segments)."""
    openai = {"text": "", "language": "en", "segments": [
        {"id": i, "seek": 0, "start": s, "end": e, "text": "".join(" " + w for w, _, _ in ws),
         "tokens": [1, 2, 3], "temperature": 0.0, "avg_logprob": -0.2, "compression_ratio": 1.1,
         "no_speech_prob": 0.01,
         "words": [{"word": " " + w, "start": a, "end": b, "probability": 0.9} for w, a, b in ws]}
        for i, (s, e, ws) in enumerate(segments)]}  # fmt: skip
    whisperx = {"language": "en", "word_segments": [], "segments": [
        {"start": s, "end": e, "text": " " + " ".join(w for w, _, _ in ws), "speaker": "SPEAKER_00",
         "words": [{"word": w, "start": a, "end": b, "score": 0.9, "speaker": "SPEAKER_00"}
                   for w, a, b in ws]}
        for s, e, ws in segments]}  # fmt: skip
    verbose = {"task": "transcribe", "language": "english", "duration": segments[-1][1],
               "text": " ".join(w for _, _, ws in segments for w, _, _ in ws),
               "words": [{"word": w.strip(".,?!"), "start": a, "end": b}
                         for _, _, ws in segments for w, a, b in ws],
               "segments": [{"id": i, "start": s, "end": e, "text": " ".join(w for w, _, _ in ws)}
                            for i, (s, e, ws) in enumerate(segments)]}  # fmt: skip

    def tokens(ws: list[tuple[str, float, float]]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = [{"text": "[_BEG_]", "offsets": {"from": 0, "to": 0}, "p": 1}]
        for w, a, b in ws:
            half = max(1, len(w) // 2)
            mid = round((a + b) * 500)
            out.append({"text": " " + w[:half], "offsets": {"from": round(a * 1000), "to": mid},
                        "id": 1, "p": 0.9, "t_dtw": -1})  # fmt: skip
            if w[half:]:
                out.append({"text": w[half:], "offsets": {"from": mid, "to": round(b * 1000)},
                            "id": 2, "p": 0.8, "t_dtw": -1})  # fmt: skip
        return out

    cpp = {"result": {"language": "en"}, "transcription": [
        {"offsets": {"from": round(s * 1000), "to": round(e * 1000)},
         "text": " " + " ".join(w for w, _, _ in ws), "tokens": tokens(ws)}
        for s, e, ws in segments]}  # fmt: skip
    return {
        "whisper-json": json.dumps(openai),
        "whisperx-json": json.dumps(whisperx, ensure_ascii=False),
        "openai-json": json.dumps(verbose, indent=2),
        "openai-json -seg": json.dumps({**verbose, "segments": None}, indent=2),
        "whispercpp-json": json.dumps(cpp, indent="\t"),
    }


def cpu(job: Callable[[], object]) -> float:
    """The CPU time of one run."""
    start = time.process_time()
    job()
    return time.process_time() - start


def paired(base: Callable[[], object], job: Callable[[], object], rounds: int) -> tuple[float, ...]:
    """The best times of ``base`` and ``job`` and the median of their ratio, the two run
    back to back in each round (on a shared machine the load changes between rounds)."""
    pairs = [(cpu(base), cpu(job)) for _ in range(rounds)]
    ratios = sorted(j / b for b, j in pairs)
    return min(b for b, _ in pairs), min(j for _, j in pairs), ratios[len(ratios) // 2]


BRACKET_JOB = """
import sys, time
from pathlib import Path
import captionbridge
from captionbridge.host.registry import make_host
host = make_host(entry_points=False)
text = Path(sys.argv[1]).read_text() * 10
times = []
for _ in range(5):
    start = time.process_time()
    captionbridge.loads(text, format="bracket", host=host)
    times.append(time.process_time() - start)
print(min(times))
"""


def bracket_seconds(src: str) -> float:
    """The bracket reader on the seed x10 (no words), in the tree at ``src``."""
    env = {**os.environ, "PYTHONPATH": src}
    command = [sys.executable, "-c", BRACKET_JOB, str(SEED)]
    return float(
        subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    )


def measure(texts: dict[str, str], rounds: int) -> dict[str, tuple[float, ...]]:
    """For each dialect's text (see :func:`dialects`): the best ``json.loads`` and reader
    times, their median ratio over ``rounds`` and the best whole ``captionbridge.loads()``, in
    seconds."""
    host = make_host(entry_points=False)
    rows: dict[str, tuple[float, ...]] = {}
    for name, text in texts.items():
        spec = host.reader(name.split()[0])  # "-seg": verbose_json without segments
        spec.read(text, CONTEXT)
        base, reader, ratio = paired(
            lambda text=text: json.loads(text),
            lambda spec=spec, text=text: spec.read(text, CONTEXT),
            rounds,
        )
        whole = min(
            cpu(lambda text=text: captionbridge.loads(text, host=host)) for _ in range(rounds)
        )
        rows[name] = (base, reader, ratio, whole)
    return rows


def against(args: argparse.Namespace) -> None:
    """The ratios of this tree and of ``--against`` measured in turns, one process a run."""
    here = str(Path(__file__).resolve().parent.parent / "src")
    if Path(args.against).resolve() == Path(here):
        raise SystemExit(f"--against {args.against}: that is this tree; name another")
    runs: dict[str, list[dict[str, list[float]]]] = {here: [], args.against: []}
    for _ in range(args.turns):
        for tree, results in runs.items():
            command = [sys.executable, __file__, "--json", "--rounds", str(args.rounds)]
            command += ["--words", str(args.words)]
            env = {**os.environ, "PYTHONPATH": tree}
            done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
            results.append(json.loads(done.stdout))
    print(f"median of {args.turns} runs a tree (range): reader / json.loads, loads() ms")
    for name in runs[here][0]:
        cells = []
        for results in runs.values():
            ratios = sorted(run[name][2] for run in results)
            whole = sorted(run[name][3] * 1000 for run in results)
            cells.append(
                f"{ratios[len(ratios) // 2]:.2f}x ({ratios[0]:.2f}-{ratios[-1]:.2f})"
                f" {whole[len(whole) // 2]:6.1f}ms"
            )
        print(f"{name:<16} this tree {cells[0]}   {args.against} {cells[1]}")


def write(directory: Path, words: int) -> None:
    """The generated files, one per dialect, for converting them with the command line."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in dialects(timed_words(words)).items():
        (directory / f"{name.replace(' ', '')}.json").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--main", default="/work/main/src", help="the tree to compare with")
    parser.add_argument("--rounds", type=int, default=9, help="paired rounds per dialect")
    parser.add_argument("--against", help="compare the JSON readers with the tree at this src")
    parser.add_argument("--turns", type=int, default=3, help="runs a tree with --against")
    parser.add_argument("--write", type=Path, help="write the generated files here and stop")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        write(args.write, args.words)
        return
    if args.against:
        against(args)
        return
    if args.json:
        print(json.dumps(measure(dialects(timed_words(args.words)), args.rounds)))
        return
    segments = timed_words(args.words)
    words = sum(len(ws) for _, _, ws in segments)
    print(f"{words:,} words in {len(segments):,} segments, {segments[-1][1] / 60:.0f} min")
    print(f"{'dialect':<16} {'MB':>5} {'json.loads':>11} {'reader':>8} {'ratio':>6} {'loads()':>8}")
    host = make_host(entry_points=False)
    texts = dialects(segments)
    for name, (base, reader, ratio, whole) in measure(texts, args.rounds).items():
        text = texts[name]
        read = host.reader(name.split()[0]).read(text, CONTEXT)
        assert sum(len(cue.words) for cue in read.cues) == words, name
        print(
            f"{name:<16} {len(text) / 1e6:>5.2f} {base * 1000:>9.1f}ms {reader * 1000:>6.1f}ms"
            f" {ratio:>5.2f}x {whole * 1000:>6.1f}ms"
        )
    here = str(Path(__file__).resolve().parent.parent / "src")
    ours, theirs = bracket_seconds(here), bracket_seconds(args.main)
    print(f"bracket, seed x10, no words: this tree {ours * 1000:.1f} ms, {args.main} "
          f"{theirs * 1000:.1f} ms ({ours / theirs:.2f}x)")  # fmt: skip


if __name__ == "__main__":
    main()
