"""Shared inputs and comparisons for the text-writer tests (ASS/SSA, SBV, LRC, CSV/TSV, MD/HTML).

``HOSTILE`` is a multi-speaker bracket transcript with text that breaks careless writers;
``words`` is how the tests compare what an independent reader gives back with what went in.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import captionbridge
from captionbridge.model import Cue, Speaker, Transcript, Turn

LONG = ("A two-hundred character segment " * 7)[:199] + "."
assert len(LONG) == 200

HOSTILE_LINES = [
    "[00:00:00.000 --> 00:00:02.500]   [SPEAKER_00]: Less < than & more > \"quotes\" 'single'",
    "[00:00:02.500 --> 00:00:05.000]   [SPEAKER_01]: Arrow --> inside {\\an8} and \\N literal",
    "[00:00:05.000 --> 00:00:07.250]   [SPEAKER_00]: Emoji 🎉👍🏽 and RTL שלום עולם مرحبا",
    "[00:00:07.250 --> 00:00:08.000]",
    f"[00:00:08.000 --> 00:00:20.000]   [SPEAKER_01]: {LONG}",
    "[00:00:21.000 --> 00:00:23.000]   - Yes, that's right. - No, it {isn't}.",
    "[00:00:23.000 --> 00:00:25.010]   Control\x07chars\x0b and\ttab \\h \\{",
    "[00:59:59.990 --> 01:00:02.345]   Past the hour: 50% *bold* _u_ [l](x) `c` #t |p| $5 &amp;",
]
HOSTILE = "\n".join(HOSTILE_LINES) + "\n"
FORMATS = ("ass", "ssa", "sbv", "lrc", "csv", "tsv", "md", "html")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def write_hostile(directory: Path) -> Path:
    """The hostile transcript as a file."""
    path = directory / "hostile.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


def words(text: str) -> list[str]:
    """The words of a text, as the tests compare them (control characters dropped)."""
    return re.findall(r"\w+", _CONTROL.sub("", text))


def cue_words(transcript: Transcript) -> list[list[str]]:
    """The words of each cue."""
    return [words(cue.text) for cue in transcript.cues]


def all_words(transcript: Transcript) -> list[str]:
    """The words of the whole transcript, in order."""
    return [w for cue in cue_words(transcript) for w in cue]


@pytest.fixture(scope="session")
def converted(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> dict[str, Any]:
    """The seed and the hostile transcript converted by the CLI (a real process) to every text
    format, with the transcripts the pipeline made of them: ``{name: (transcript, {fmt: path})}``.
    """
    base = tmp_path_factory.mktemp("text-formats")
    hostile = write_hostile(base)
    result: dict[str, Any] = {}
    for name, source in (("seed", seed_path), ("hostile", hostile)):
        out_dir = base / name
        command = [sys.executable, "-m", "captionbridge", "convert", str(source)]
        command += ["--to", ",".join(FORMATS), "-d", str(out_dir), "-q"]
        subprocess.run(command, check=True, capture_output=True)
        transcript = captionbridge.transform(captionbridge.load(source))
        result[name] = (transcript, {fmt: out_dir / f"{source.stem}.{fmt}" for fmt in FORMATS})
    return result


def hostile_voiced(texts: list[str], names: dict[str, str]) -> Transcript:
    """One cue per text (2 s apart, 1.5 s long), then a cue of two voiced turns and a cue of a
    voiced and an unvoiced turn; ``names`` are the display names of speakers ``a``, ``b``, ``c``."""
    cues = [Cue.make(i * 2000, i * 2000 + 1500, text) for i, text in enumerate(texts)]
    t = len(cues) * 2000
    cues.append(Cue(t, t + 1000, (Turn("Hi & bye >", "a", True), Turn("Yo <3", "b", True))))
    cues.append(Cue(t + 1000, t + 2000, (Turn("x", "c"), Turn("- y", None, True))))
    return Transcript(cues, speakers={k: Speaker(k, v) for k, v in names.items()})
