"""Benchmark word captions and karaoke: the seed with a time for every word, x1, x3, x10.

Builds the word-timed transcript in memory (each segment's time shared among its words by
characters, as a word-level recogniser would give them), then measures the CPU time of
``--words 3`` (the grouping), of ASS with ``--karaoke`` and of WebVTT with ``--karaoke`` on it,
best of a few rounds. Microseconds per word stay flat when the work is linear; the script
fails when the cost per word of any step grows by more than 1.3x between the last two sizes.
Each step is timed twice: as a caller sees it, and with the input's objects frozen
(``gc.freeze()``), since the cyclic collector's full passes over a big transcript's live word
objects grow with it whatever the step does; the check is on the second.
ASS stops at ten hours, so x10 (8.8 hours) is the largest size ASS can take.

    python benchmarks/bench_wordcues.py [--sizes 1,3,10]
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path

from captionbridge import api
from captionbridge.host.registry import make_host
from captionbridge.model import Content, Transcript, Turn, turns_of
from captionbridge.reflow.wordcues import estimate_words

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "fireside-chat.txt"


def word_timed(copies: int) -> Transcript:
    """The seed ``copies`` times over, shifted, every turn carrying word timings."""
    host = make_host(entry_points=False)
    seed = api.load(SEED, host=host)
    starts, ends, contents = seed.columns()
    length = max(ends) + 1000
    new_starts: list[int] = []
    new_ends: list[int] = []
    new_contents: list[Content] = []
    for k in range(copies):
        shift = k * length
        for start, end, content in zip(starts, ends, contents, strict=True):
            turns = turns_of(content)
            timed = estimate_words(turns, start + shift, end + shift)
            new_starts.append(start + shift)
            new_ends.append(end + shift)
            new_contents.append(
                tuple(Turn(t.text, t.speaker, t.change, tuple(words)) for t, words in timed)
            )
    return Transcript.from_columns(new_starts, new_ends, new_contents)


def best(run: Callable[[], object], rounds: int, frozen: bool = False) -> float:
    times = []
    for _ in range(rounds):
        if frozen:
            gc.collect()
            gc.freeze()
        began = time.process_time()
        run()
        times.append(time.process_time() - began)
        if frozen:
            gc.unfreeze()
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,3,10")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    host = make_host(entry_points=False)
    names = ("words 3", "ass karaoke", "vtt karaoke")
    per_word: dict[str, list[float]] = {name: [] for name in names}
    per_word_frozen: dict[str, list[float]] = {name: [] for name in names}
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'size':>5} {'words':>9} " + " ".join(f"{name + ' s':>15}" for name in names))
    for size in sizes:
        transcript = word_timed(size)
        count = sum(len(c.words) for c in transcript)
        grouped = api.transform(transcript, host=host, words=3)
        steps: dict[str, Callable[[], object]] = {
            "words 3": lambda t=transcript: api.transform(t, host=host, words=3),
            "ass karaoke": lambda g=grouped: api.dumps(g, "ass", host=host, karaoke=True),
            "vtt karaoke": lambda t=transcript: api.dumps(t, "vtt", host=host, karaoke=True),
        }
        seconds = {name: best(step, args.rounds) for name, step in steps.items()}
        for name, step in steps.items():
            per_word[name].append(seconds[name] / count * 1e6)
            per_word_frozen[name].append(best(step, args.rounds, frozen=True) / count * 1e6)
        print(f"{size:>5} {count:>9} " + " ".join(f"{seconds[n]:>15.3f}" for n in names))
    for title, table in (("as called", per_word), ("input frozen", per_word_frozen)):
        print(f"microseconds per word, {title}:")
        for name, values in table.items():
            print(f"  {name:>12}: " + "  ".join(f"{v:.2f}" for v in values))
    growth = [values[-1] / values[-2] for values in per_word_frozen.values() if len(values) > 1]
    worst = max(growth, default=1.0)
    print(f"largest growth of the cost per word (input frozen), last two sizes: {worst:.2f}x")
    return 0 if worst <= 1.3 else 1


if __name__ == "__main__":
    sys.exit(main())
