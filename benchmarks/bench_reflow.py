"""Benchmark the reflow engine: the seed repeated x1, x100 and x1000 with shifted times.

Prints the CPU time of a plain conversion (bracket -> SRT) and of the same conversion with
``--preset netflix`` for each size (best of a few rounds, the two taking turns), the ratio
between them, and the CPU time of the reflow step alone (the transform on a transcript
already read). It checks that the reflow step takes at most 12 times as long on x1000 as on
x100 (linear time; the end-to-end difference also holds the plain conversion's own growth).
Everything runs twice: on the seed repeated as it is, and on copies whose segment texts are
shuffled (a fixed random order per copy), so that the subtitles differ from copy to copy
and nothing can be reused from an earlier one.

The words case (issue 15) gives every segment of the seed word times (spread over the segment
in proportion to characters, 30 ms apart), repeated x1, x10 and x100, and times the reflow
step on it against the same transcript without words; it checks that x100 takes at most 12
times as long as x10.

    python benchmarks/bench_reflow.py [--sizes 1,100,1000] [--word-sizes 1,10,100]
                                      [--preset netflix]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import captionbridge
from captionbridge.helpers.timecode import clock, parse_clock
from captionbridge.host.registry import PluginHost, make_host
from captionbridge.model import Cue, Transcript, Turn, Word

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "fireside-chat.txt"
_STAMPS = re.compile(r"\[(\S+) --> (\S+)\]")


def generate(copies: int, shuffle: bool = False) -> str:
    """The seed ``copies`` times over, each copy shifted to start after the previous one.

    With ``shuffle`` every copy after the first gets the seed's segment texts in another
    order (a fixed random order per copy), so that the texts of the subtitles reflow builds
    differ from copy to copy and no cache of earlier layouts can help."""
    text = SEED.read_text(encoding="utf-8")
    length = max(parse_clock(m.group(2)) for m in _STAMPS.finditer(text)) + 1000
    lines = text.splitlines(keepends=True)
    segments = [k for k, line in enumerate(lines) if _STAMPS.match(line)]
    parts = []
    for k in range(copies):
        offset = k * length

        def shift(match: re.Match[str], offset: int = offset) -> str:
            start = clock(parse_clock(match.group(1)) + offset)
            end = clock(parse_clock(match.group(2)) + offset)
            return f"[{start} --> {end}]"

        copy = lines
        if shuffle and k:
            texts = [lines[i][lines[i].index("]") + 1 :] for i in segments]
            random.Random(k).shuffle(texts)
            copy = list(lines)
            for i, body in zip(segments, texts, strict=True):
                copy[i] = lines[i][: lines[i].index("]") + 1] + body
        parts.append(_STAMPS.sub(shift, "".join(copy)))
    return "".join(parts)


def add_word_times(transcript: Transcript) -> Transcript:
    """``transcript`` with word times: each turn's words spread over its cue in proportion
    to characters, each word ending 30 ms before the next begins."""
    cues = []
    for cue in transcript.cues:
        chars = sum(len(t.text) + 1 for t in cue.turns) or 1
        span = max(cue.end - cue.start, 1)
        offset = 0
        turns = []
        for turn in cue.turns:
            words = []
            for token in turn.text.split():
                a = cue.start + span * offset // chars
                offset += len(token) + 1
                b = cue.start + span * offset // chars
                words.append(Word(token, a, max(a + 1, b - 30)))
            turns.append(Turn(turn.text, turn.speaker, turn.change, tuple(words)))
        cues.append(Cue(cue.start, cue.end, tuple(turns)))
    return Transcript(cues, source=transcript.source)


def words_case(host: PluginHost, sizes: list[int], preset: str, runs: int) -> bool:
    """Time the reflow step on word-timed copies of the seed; False when not linear."""
    print("-- word-timed (issue 15)")
    step_times: dict[int, float] = {}
    for copies in sizes:
        plain = captionbridge.loads(generate(copies), host=host)
        timed = add_word_times(plain)
        words = sum(len(cue.words) for cue in timed.cues)

        def step(transcript: Transcript) -> Callable[[], float]:
            def work() -> float:
                start = time.process_time()
                captionbridge.transform(transcript, host=host, preset=preset)
                return time.process_time() - start

            return work

        without, with_words = best_of(1 if copies >= 100 else runs, step(plain), step(timed))
        step_times[copies] = with_words
        print(
            f"x{copies:<5} words {words:>8}  reflow without words {without:7.3f} s"
            f"  with words {with_words:7.3f} s ({with_words / without:4.2f}x)"
        )
    return linear(step_times, 10, 100, "reflow with words")


def linear(times: dict[int, float], small: int, big: int, what: str) -> bool:
    """Print how much longer size ``big`` took than ``small`` (when both ran); False, with a
    FAIL line, when that is over 12 (ten times the input: linear time, with some slack)."""
    if small not in times or big not in times:
        return True
    ratio = times[big] / times[small]
    print(f"{what} x{big} / x{small} = {ratio:.1f} (linear time allows up to 12)")
    if ratio > 12:
        print(f"FAIL: {what} is not linear in the input size", file=sys.stderr)
        return False
    return True


def best_of(runs: int, *works: Callable[[], float | None]) -> list[float]:
    """The shortest CPU time of each of ``works`` over ``runs`` rounds, the works taking turns
    within a round (CPU time, not wall time, and turns, so that other processes on a busy
    machine skew the ratios as little as possible). A work that returns a number has timed
    the part that counts itself."""
    times: list[list[float]] = [[] for _ in works]
    for _ in range(runs):
        for work, spent in zip(works, times, strict=True):
            start = time.process_time()
            own = work()
            spent.append(time.process_time() - start if own is None else own)
    return [min(spent) for spent in times]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,100,1000")
    parser.add_argument("--word-sizes", default="1,10,100", help="copies for the words case")
    parser.add_argument("--preset", default="netflix")
    parser.add_argument("--runs", type=int, default=3, help="rounds below x1000 (x1000: 1)")
    args = parser.parse_args()
    host = make_host(entry_points=False)
    failed = False
    for shuffle in (False, True):
        label = "texts shuffled per copy" if shuffle else "the seed repeated"
        print(f"-- {label}")
        reflow_times: dict[int, float] = {}
        for copies in (int(s) for s in args.sizes.split(",") if s):
            data = generate(copies, shuffle)

            def plain(data: str = data) -> None:
                transcript = captionbridge.loads(data, host=host)
                transcript = captionbridge.transform(transcript, host=host)
                captionbridge.dumps(transcript, "srt", host=host)

            def reflowed(data: str = data) -> None:
                transcript = captionbridge.loads(data, host=host)
                transcript = captionbridge.transform(transcript, host=host, preset=args.preset)
                captionbridge.dumps(transcript, "srt", host=host)

            def reflow_step(data: str = data) -> float:
                transcript = captionbridge.loads(data, host=host)
                start = time.process_time()
                captionbridge.transform(transcript, host=host, preset=args.preset)
                return time.process_time() - start

            runs = 1 if copies >= 1000 else args.runs
            base, full, step = best_of(runs, plain, reflowed, reflow_step)
            reflow_times[copies] = step
            print(
                f"x{copies:<5} segments {data.count(chr(10)):>8}  plain {base:7.3f} s"
                f"  with --preset {args.preset} {full:7.3f} s  reflow adds {full - base:7.3f} s"
                f" ({(full - base) / base:4.2f}x plain); the reflow step {step:7.3f} s"
            )
        if not linear(reflow_times, 100, 1000, "reflow step"):
            failed = True
    sizes = [int(s) for s in args.word_sizes.split(",") if s]
    if sizes and not words_case(host, sizes, args.preset, args.runs):
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
