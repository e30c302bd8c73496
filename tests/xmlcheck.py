"""What the XML writer tests share: the hostile transcript and the independent readers
(ttconv, xmllint, lxml) with word and time comparisons."""

from __future__ import annotations

import logging
import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

import pytest
from conftest import require_tool

from captionbridge import api
from captionbridge.helpers.render import cue_texts
from captionbridge.host.registry import PluginHost
from captionbridge.model import Speaker, Transcript, Turn

LONG = " ".join(f"word{i}" for i in range(40))[:200]
assert len(LONG) == 200

# characters XML 1.0 cannot carry, which the writers must drop (tested independently here)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def hostile() -> Transcript:
    """Speakers, markup-like text, controls, emoji, RTL, a 200-character and an empty cue."""
    alice_bob = (Turn("Are you <there>?", "alice"), Turn("Yes & no --> maybe", "bob"))
    cues = [
        (0, 2000, "<b>not a tag</b> & AT&T --> arrow"),
        (2000, 4000, "{\\an8}top? \"double\" 'single'"),
        (4000, 6000, "party 🎉 family 👩‍👩‍👧 done"),
        (6000, 8000, "שלום עולם مرحبا بالعالم"),
        (8000, 10000, "bell\x07 null\x00 esc\x1b form\x0c end\ufffe lone\ud800 tab\there"),
        (10000, 13000, LONG),
        (13000, 14000, ""),
        (14000, 16500, alice_bob),
        (16500, 18000, (Turn("Only Alice here\nsecond line", "alice"),)),
        (18000, 20000, "line one\nline two\nline three\nline four"),
        (20000, 21000, "]]> <!-- not a comment --> &amp; stays"),
    ]
    speakers = {
        "alice": Speaker("alice", "Alice <Ops> & Co"),
        "bob": Speaker("bob", 'Bob "B" Ó'),
    }
    return Transcript.from_columns(
        [c[0] for c in cues],
        [c[1] for c in cues],
        [c[2] for c in cues],
        speakers=speakers,
        language="en",
    )


def words(text: str) -> list[str]:
    """Words in order, without the standalone dashes that mark speaker turns."""
    text = re.sub("[\ud800-\udfff]", "\ufffd", text)  # lone surrogates: see textsafety
    return [w for w in _ILLEGAL.sub("", text).split() if w != "-"]


def expected(transcript: Transcript, style: str = "none") -> list[tuple[int, int, list[str]]]:
    """(start, end, words) of each cue with text: what every reader must give back (with the
    speakers shown in ``style``, for a dialect that puts them in the text)."""
    starts, ends, _ = transcript.columns()
    texts = cue_texts(transcript, style)
    out = [(s, e, words(t)) for s, e, t in zip(starts, ends, texts, strict=True)]
    return sorted((c for c in out if c[2]), key=lambda c: c[0])


def _texts(element: object) -> Iterator[str]:
    from ttconv import model

    if isinstance(element, model.Text):
        yield element.get_text()
    elif isinstance(element, model.Br):
        yield "\n"
    else:
        for child in element:  # type: ignore[attr-defined]
            yield from _texts(child)


def read_ttconv(
    path: Path, caplog: pytest.LogCaptureFixture
) -> list[tuple[Fraction, Fraction, list[str]]]:
    """Read a TTML file with ttconv; fail on any warning ttconv logs about it."""
    from ttconv.imsc import reader

    with caplog.at_level(logging.WARNING, logger="ttconv"):
        doc = reader.to_model(ET.parse(path))
    problems = [r.getMessage() for r in caplog.records if r.name.startswith("ttconv")]
    assert doc is not None and not problems, problems
    cues = []
    for div in doc.get_body():
        for p in div:
            begin = p.get_begin() or Fraction(0)
            cues.append((begin, p.get_end(), words(" ".join(_texts(p)))))
    return cues


def xmllint(path: Path, *args: str) -> None:
    """``xmllint --noout`` must accept the file."""
    tool = require_tool("xmllint")
    result = subprocess.run(
        [tool, "--noout", *args, str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[:2000]


def same_cues(
    got: list[tuple[Fraction, Fraction, list[str]]],
    want: list[tuple[int, int, list[str]]],
    tolerance: Fraction,
    grid: Fraction | None = None,
) -> None:
    """The same words in the same order, cue by cue, times within ``tolerance`` seconds and,
    with a ``grid``, every time a whole number of frames of that length."""
    assert [w for *_, w in got] == [w for *_, w in want]
    for (begin, end, _), (start, stop, _) in zip(got, want, strict=True):
        assert abs(begin - Fraction(start, 1000)) <= tolerance, (begin, start)
        assert abs(end - Fraction(stop, 1000)) <= tolerance, (end, stop)
        if grid is not None:
            assert (begin / grid).denominator == 1 and (end / grid).denominator == 1


@lru_cache(maxsize=2)
def seed_transcript(path: Path, host: PluginHost) -> Transcript:
    """The seed read and transformed with the default options (computed once)."""
    return api.transform(api.load(path, host=host), host=host)


def save(transcript: Transcript, path: Path, host: PluginHost, **options: object) -> Path:
    """Write through the pipeline (so the output is encoded as the CLI would)."""
    api.save(transcript, path, host=host, force=True, **options)
    return path
