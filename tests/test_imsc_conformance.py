"""The W3C imsc-tests documents and ttconv's own white-space cases, read by captionbridge and
by ttconv: same cue times (ms) and texts on at least 95 % of what ttconv reads, nothing that
ttconv reads refused, and every remaining disagreement listed here with its reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from ttmlcheck import agree, our_cues, ttconv_cues

from captionbridge.errors import CaptionbridgeError

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SUITE = SHARED / "conformance" / "imsc-tests" / "files"
TTCONV_CASES = Path(__file__).resolve().parent / "data" / "ttconv"

#: documents where captionbridge deliberately reads something else than ttconv shows
DISAGREE = {
    # ttconv presents content only in the region it is associated with, and a region's own
    # begin/end clips it; captionbridge writes formats without regions and keeps every word,
    # whatever region (or none) it is placed in: a layout slip must not delete dialogue
    "imsc1/ttml/region/nested-region-001.ttml": "text outside any region is kept",
    "imsc1/ttml/region/region-timing.ttml": "region times do not clip the text",
}


def _documents() -> list[Path]:
    if not SUITE.is_dir():
        pytest.fail(f"the imsc-tests suite is missing: {SUITE}")
    return sorted(SUITE.rglob("*.ttml")) + sorted(TTCONV_CASES.glob("*.ttml"))


def test_imsc_tests_read_as_ttconv_reads_them() -> None:
    documents = _documents()
    assert len(documents) == 321 + 3
    read = agreeing = 0
    refused: list[str] = []
    unlisted: list[str] = []
    for path in documents:
        name = path.relative_to(SUITE if path.is_relative_to(SUITE) else TTCONV_CASES.parent)
        try:
            theirs = ttconv_cues(path)
        except Exception:
            continue
        read += 1
        try:
            ours = our_cues(path)
        except CaptionbridgeError as exc:
            refused.append(f"{name}: {exc}")
            continue
        if agree(ours, theirs):
            agreeing += 1
        elif str(name) not in DISAGREE:
            unlisted.append(str(name))
    assert refused == []
    assert unlisted == []
    assert read >= 300 and agreeing >= 0.95 * read, (agreeing, read)


@pytest.mark.parametrize("name", sorted(DISAGREE))
def test_listed_disagreements_still_read_every_word(name: str) -> None:
    """A listed document does disagree (else it should leave the list), and loses no text."""
    path = SUITE / name
    ours, theirs = our_cues(path), ttconv_cues(path)
    assert not agree(ours, theirs)
    words = {w for _, _, text in theirs for line in text for w in line.split()}
    assert words <= {w for _, _, text in ours for line in text for w in line.split()}
