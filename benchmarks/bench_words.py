"""Reading word-level JSON: each whisper dialect against ``json.loads`` of the same file, and the
bracket reader (no words) against another tree (main) on the same input.

The input is the seed transcript (53 minutes) with a time for every word (the cue's span
shared out by length), repeated until it has about ``--words`` words, written in each dialect's
shape. Prints CPU milliseconds (best of the rounds) for ``json.loads`` alone, for the reader
(parse, words, repair, model) and for the whole ``captionbridge.loads`` (decode, detect, read,
pipeline), and the median over the rounds of the reader's time over ``json.loads``'s, the two
run back to back (target: at most 2).

    python benchmarks/bench_words.py [--words 10000] [--main /work/main/src]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--main", default="/work/main/src", help="the tree to compare with")
    parser.add_argument("--rounds", type=int, default=9, help="paired rounds per dialect")
    args = parser.parse_args()
    host = make_host(entry_points=False)
    segments = timed_words(args.words)
    words = sum(len(ws) for _, _, ws in segments)
    print(f"{words:,} words in {len(segments):,} segments, {segments[-1][1] / 60:.0f} min")
    print(f"{'dialect':<16} {'MB':>5} {'json.loads':>11} {'reader':>8} {'ratio':>6} {'loads()':>8}")
    for name, text in dialects(segments).items():
        spec = host.reader(name.split()[0])  # "-seg": verbose_json without segments
        read = spec.read(text, CONTEXT)
        assert sum(len(cue.words) for cue in read.cues) == words, name
        base, reader, ratio = paired(
            lambda text=text: json.loads(text),
            lambda spec=spec, text=text: spec.read(text, CONTEXT),
            args.rounds,
        )
        whole = min(cpu(lambda text=text: captionbridge.loads(text, host=host)) for _ in range(3))
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
