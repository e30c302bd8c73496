"""Generate a tree of transcripts for batch tests and benchmarks.

Files are slices of the seed transcript (20 to 300 segments, moved in time), in nested
folders, with a few malformed ones, cp1252-encoded ones, one hostile name, hidden files,
files no reader takes and a symbolic link that leads out of the tree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "seeds" / "fireside-chat.txt"
HOSTILE = "x\\..\\..\\..\\escape.txt"


@dataclass
class Tree:
    """What was generated: good and bad inputs by path relative to the root."""

    root: Path
    good: list[str] = field(default_factory=list)
    bad: dict[str, str] = field(default_factory=dict)  # relative path -> expected reason
    ignored: list[str] = field(default_factory=list)
    outside_link: str = ""


def _stamp(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _segments() -> list[tuple[str, str]]:
    lines = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            stamps, _, text = line.partition("]")
            lines.append((stamps[1:], text))
    return lines


def _slice(segments: list[tuple[str, str]], index: int) -> list[str]:
    count = 20 + (index * 37) % 280
    start = (index * 131) % (len(segments) - count)
    first = _ms(segments[start][0].split(" --> ")[0])
    out = []
    for stamps, text in segments[start : start + count]:
        begin, end = (_ms(s) - first for s in stamps.split(" --> "))
        out.append(f"[{_stamp(begin)} --> {_stamp(end)}]{text}")
    return out


def _ms(stamp: str) -> int:
    h, m, s = stamp.split(":")
    return (int(h) * 60 + int(m)) * 60_000 + round(float(s) * 1000)


def make_tree(root: Path, files: int = 2000) -> Tree:
    """Write ``files`` transcripts under ``root`` (plus the extra files) and describe them."""
    tree = Tree(root)
    segments = _segments()
    for index in range(files):
        folder = Path(f"show{index % 7}", f"season{index % 3}")
        if index % 5 == 0:
            folder = folder / f"disc{index % 4}"
        relative = (folder / f"episode{index:04d}.txt").as_posix()
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = _slice(segments, index)
        if index % 97 == 13:
            at = len(lines) // 2
            lines[at] = "[00:61:00.000 --> 00:61:02.000]  minutes out of range"
            tree.bad[relative] = f":{at + 1}:"
        elif index % 211 == 7:
            path.write_bytes(b"\x00\x01binary\x00" * 50)
            tree.bad[relative] = "binary"
            continue
        elif index % 401 == 5:
            path.write_bytes(b"")
            tree.bad[relative] = "empty input"
            continue
        text = "\n".join(lines) + "\n"
        if index % 43 == 3:
            text = text.replace(" the ", " the café — naïve ", 3)
            path.write_bytes(text.encode("cp1252", "replace"))
        else:
            path.write_text(text, encoding="utf-8")
        if relative not in tree.bad:
            tree.good.append(relative)
    hostile = root / "show0" / HOSTILE
    hostile.write_text("[00:00:01.000 --> 00:00:02.000]  escape attempt\n", encoding="utf-8")
    tree.bad[f"show0/{HOSTILE}"] = "unsafe file name"
    for name in ("show1/.hidden.txt", "show2/notes.md", "show3/cover.png", ".cache/x.txt"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("[00:00:01.000 --> 00:00:02.000]  ignored\n", encoding="utf-8")
        tree.ignored.append(name)
    outside = root.parent / f"{root.name}-outside.txt"
    outside.write_text("[00:00:01.000 --> 00:00:02.000]  outside\n", encoding="utf-8")
    os.symlink(outside, root / "show4" / "linked.txt")
    tree.outside_link = "show4/linked.txt"
    return tree


if __name__ == "__main__":
    import sys

    made = make_tree(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 2000)
    print(f"{len(made.good)} good, {len(made.bad)} bad files under {made.root}")
