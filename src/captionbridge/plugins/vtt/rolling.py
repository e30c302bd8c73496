"""YouTube's rolling auto-captions, each word once.

YouTube's automatic captions (as yt-dlp saves them, ``*.en.vtt``) roll up: every cue shows the
line before it again, as plain text, above its new line of timed words, and between two such
cues a 10 ms cue shows the finished line alone::

    00:00:02.350 --> 00:00:02.360 align:start position:0%
    hello everyone and welcome

    00:00:02.360 --> 00:00:04.950 align:start position:0%
    hello everyone and welcome
    to<00:00:02.560><c> the</c><00:00:02.800><c> channel</c>

Read as they are, every word would appear two or three times. :func:`unroll` takes out the
lines a cue repeats from the cue before it (a line without timestamps whose text that cue
showed) and the cues left with nothing new (the transition cues).
"""

from __future__ import annotations

from .blocks import RawCue
from .cuetext import plain
from .cuewords import has_timestamps

__all__ = ["unroll"]


def unroll(cues: list[RawCue]) -> tuple[list[RawCue], int, int]:
    """The cues (in file order) without their repeated lines, how many lines went, and how
    many cues were left with nothing new. The cues come back unchanged when none repeats."""
    out: list[RawCue] = []
    shown: set[str] = set()
    repeated = dropped = 0
    for cue in cues:
        lines = [line for line in cue.text.split("\n") if line.strip()]
        kept = lines
        while kept and not has_timestamps(kept[0]) and plain(kept[0]).strip() in shown:
            kept = kept[1:]
            repeated += 1
        shown = {plain(line).strip() for line in lines}
        if not kept:
            dropped += 1
            continue
        out.append(cue if len(kept) == len(lines) else cue._replace(text="\n".join(kept)))
    if not repeated:
        return cues, 0, 0
    return out, repeated, dropped
