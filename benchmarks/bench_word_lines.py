"""Reading word-level line dialects: whisper.cpp ``-ml 1`` and YouTube's rolling WebVTT.

The seed's words, timed in proportion to their length inside their segments, are written one
token a line (words over 6 letters cut into two tokens, punctuation a token of its own, an
empty line before each segment: whisper.cpp's shape) and as YouTube auto-captions (lines of
about 32 characters, each repeated above the next, 10 ms transition cues). Prints the best of 5
CPU times at x1 and x10 and the ratio (10 is linear), and the plain seed read for comparison.

    python benchmarks/bench_word_lines.py
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import captionbridge
from captionbridge.host.registry import make_host

SEED = Path(__file__).resolve().parent.parent / "seeds" / "fireside-chat.txt"
HOST = make_host(entry_points=False)


def _clock(ms: int, sep: str = ".") -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}{sep}{rest % 1000:03d}"


def timed_words(repeat: int) -> list[tuple[str, int, int, bool]]:
    """``(token, start, end, starts a segment)`` for the seed's words, ``repeat`` times."""
    seed = captionbridge.load(SEED, host=HOST)
    length = seed.cues[-1].end + 1000
    out = []
    for copy in range(repeat):
        for cue in seed.cues:
            words = cue.text.split()
            total = sum(len(w) + 1 for w in words)
            at = cue.start + copy * length
            first = True
            for word in words:
                span = (cue.end - cue.start) * (len(word) + 1) // total
                out.append((word, at, at + span, first))
                first = False
                at += span
    return out


def ml1_text(words: list[tuple[str, int, int, bool]]) -> str:
    lines = []
    for word, start, end, first in words:
        if first:
            lines.append(f"[{_clock(start)} --> {_clock(start)}]  ")
        core, punct = (word[:-1], word[-1]) if word[-1] in ".,?!" and len(word) > 1 else (word, "")
        pieces = [core[:6], core[6:]] if len(core) > 6 else [core]
        pieces += [punct] if punct else []
        step = (end - start) // len(pieces)
        for number, piece in enumerate(pieces):
            a = start + number * step
            b = end if number == len(pieces) - 1 else a + step
            lead = " " if number == 0 else ""
            lines.append(f"[{_clock(a)} --> {_clock(b)}]  {lead}{piece}")
    return "\n" + "\n".join(lines) + "\n"


def youtube_vtt(words: list[tuple[str, int, int, bool]]) -> str:
    rows: list[list[tuple[str, int, int]]] = [[]]
    for word, start, end, _ in words:
        if sum(len(w) + 1 for w, _, _ in rows[-1]) + len(word) > 32:
            rows.append([])
        rows[-1].append((word, start, end))
    blocks = ["WEBVTT\nKind: captions\nLanguage: en\n"]
    previous = " "
    for row in rows:
        start, end = row[0][1], row[-1][2]
        timed = row[0][0] + "".join(f"<{_clock(s)}><c> {w}</c>" for w, s, _ in row[1:])
        blocks.append(
            f"{_clock(start)} --> {_clock(end)} align:start position:0%\n{previous}\n{timed}\n"
        )
        previous = " ".join(w for w, _, _ in row)
        blocks.append(
            f"{_clock(end)} --> {_clock(end + 10)} align:start position:0%\n{previous}\n \n"
        )
    return "\n".join(blocks)


def best(run: Callable[[], object], rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    seed = SEED.read_text(encoding="utf-8")
    plain = best(lambda: captionbridge.loads(seed, format="bracket", host=HOST), 20)
    print(f"seed (1,106 sentence segments), plain bracket read: {plain * 1000:.2f} ms")
    for name, build, fmt in (("-ml 1", ml1_text, "bracket"), ("YouTube VTT", youtube_vtt, "vtt")):
        results = []
        for repeat in (1, 10):
            words = timed_words(repeat)
            text = build(words)
            seconds = best(lambda t=text, f=fmt: captionbridge.loads(t, format=f, host=HOST))
            results.append(seconds)
            read = captionbridge.loads(text, format=fmt, host=HOST)
            kept = sum(len(c.words) for c in read.cues)
            print(
                f"{name} x{repeat}: {len(text) / 1e6:.1f} MB, {len(words):,} words ({kept:,} read),"
                f" {seconds:.3f} s, {seconds / len(words) * 1e6:.1f} us/word"
            )
        print(f"{name} x10 / x1: {results[1] / results[0]:.1f} (10 is linear)")


if __name__ == "__main__":
    main()
