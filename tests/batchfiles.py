"""Input trees for batch tests: small transcripts cut from the seed plus hostile segments, and
one broken file; and a folder read back as ``{relative path: bytes}``."""

from __future__ import annotations

from pathlib import Path

SEGMENTS = [
    "[00:00:01.000 --> 00:00:03.000]   Tom & Jerry <b>say</b> --> hi {\\an8}",
    '[00:00:03.000 --> 00:00:05.500]   "quoted" émoji 🎬 and עברית',
    "[00:00:05.500 --> 00:00:07.000]   " + "long " * 40,
    "[00:00:07.000 --> 00:00:08.000]   ",
    "[00:00:08.000 --> 00:00:09.000]   - Are you there? - I am.",
]


def make_inputs(folder: Path, seed_path: Path, *, count: int = 24, parts: int = 3) -> None:
    """``count`` transcripts in ``parts`` sub-folders (every other one cut from the seed) and
    ``part0/broken.txt``, which fails at 1:19."""
    lines = seed_path.read_text(encoding="utf-8").splitlines()
    for index in range(count):
        path = folder / f"part{index % parts}" / f"talk{index:02d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        start = 1 + index * 40 % (len(lines) - 31)
        body = lines[start : start + 30] if index % 2 else SEGMENTS
        path.write_text("\n".join(body) + "\n", encoding="utf-8")
    (folder / "part0" / "broken.txt").write_text("[00:00:01.000 --> 00:61:00.000]  x\n")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its relative ``/`` path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
