"""Generate benchmark inputs: the seed transcript repeated N times with shifted times.

Writes ``fireside-xN.txt`` (bracket transcript) and ``fireside-xN.srt`` (the same cues as SRT,
for the peers that cannot read bracket transcripts) into a data folder, once.
"""

from __future__ import annotations

import re
from pathlib import Path

_LINE = re.compile(r"^\[(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})\](.*)$")


def _ms(h: str, m: str, s: str, f: str) -> int:
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(f)


def _clock(ms: int, sep: str) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, f = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{f:03d}"


def make_inputs(seed: Path, folder: Path, sizes: list[int]) -> dict[int, tuple[Path, Path, int]]:
    """Return ``{size: (bracket path, srt path, cue count)}``, generating missing files."""
    folder.mkdir(parents=True, exist_ok=True)
    segments = []
    for line in seed.read_text(encoding="utf-8").splitlines():
        match = _LINE.match(line)
        if match:
            g = match.groups()
            segments.append((_ms(*g[0:4]), _ms(*g[4:8]), g[8]))
    period = segments[-1][1] + 5000
    result = {}
    for size in sizes:
        txt = folder / f"fireside-x{size}.txt"
        srt = folder / f"fireside-x{size}.srt"
        if not (txt.exists() and srt.exists()):
            with txt.open("w", encoding="utf-8") as t_out, srt.open("w", encoding="utf-8") as s_out:
                number = 0
                for copy in range(size):
                    offset = copy * period
                    for start, end, text in segments:
                        number += 1
                        a, b = start + offset, end + offset
                        t_out.write(f"[{_clock(a, '.')} --> {_clock(b, '.')}]{text}\n")
                        s_out.write(
                            f"{number}\n{_clock(a, ',')} --> {_clock(b, ',')}\n"
                            f"{text.strip() or '...'}\n\n"
                        )
        result[size] = (txt, srt, len(segments) * size)
    return result
