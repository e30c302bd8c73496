"""FCPXML captions writer, checked with xmllint (well-formed and DTD-valid) and lxml."""

from __future__ import annotations

from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import pytest
from lxml import etree
from xmlcheck import expected, hostile, same_cues, save, seed_transcript, words, xmllint

from captionbridge import api
from captionbridge.helpers.timecode import parse_fps
from captionbridge.host.registry import PluginHost
from captionbridge.model import Transcript
from captionbridge.plugins.ttml.fcpxml import frame_duration

DTD = Path(__file__).parent / "data" / "fcpxml-1.9-captions.dtd"


@pytest.fixture(scope="module")
def seed(seed_path: Path, host: PluginHost) -> Transcript:
    return seed_transcript(seed_path, host)


def seconds(value: str) -> Fraction:
    """An FCPXML time (``1001/30000s``, ``5s``) as a fraction of seconds."""
    assert value.endswith("s"), value
    return Fraction(value[:-1])


@pytest.mark.parametrize("fps", ["29.97", "25", "23.976"])
@pytest.mark.parametrize("source", ["seed", "hostile"])
def test_valid_on_the_frame_grid_with_same_words(
    fps: str, source: str, seed: Transcript, host: PluginHost, tmp_path: Path
) -> None:
    transcript = seed if source == "seed" else hostile()
    # speaker labels are checked on their own below; here only the spoken words count
    path = save(transcript, tmp_path / "out.fcpxml", host, fps=fps, speaker_style="none")
    xmllint(path)
    xmllint(path, "--dtdvalid", str(DTD))
    root = etree.parse(str(path)).getroot()
    assert root.get("version") == "1.9"
    (fmt,) = root.findall("resources/format")
    frame = seconds(fmt.get("frameDuration", ""))
    assert frame == 1 / parse_fps(fps)
    timed = root.xpath("//*[@offset or @duration or @start]")
    for element in timed:
        for attribute in ("offset", "duration", "start"):
            if element.get(attribute) is not None:
                assert (seconds(element.get(attribute)) / frame).denominator == 1
    captions = root.findall(".//gap/caption")
    assert all(c.get("role") == "iTT?captionFormat=ITT.en" for c in captions)
    got = sorted(
        (
            seconds(c.get("offset")),
            seconds(c.get("offset")) + seconds(c.get("duration")),
            words(" ".join(c.find("text/text-style").itertext())),
        )
        for c in captions
    )
    same_cues(got, expected(transcript), frame, grid=frame)
    (gap,) = root.findall(".//spine/gap")
    assert seconds(gap.get("duration")) == max(end for _, end, _ in got)


def _lanes_never_overlap(root: etree._Element) -> dict[str, list[tuple[Fraction, Fraction]]]:
    lanes: dict[str, list[tuple[Fraction, Fraction]]] = {}
    for caption in root.iter("caption"):
        begin = seconds(caption.get("offset"))
        lanes.setdefault(caption.get("lane"), []).append(
            (begin, begin + seconds(caption.get("duration")))
        )
    for spans in lanes.values():
        spans.sort()
        assert all(a[1] <= b[0] for a, b in pairwise(spans))
    return lanes


def test_overlapping_cues_go_to_other_lanes(host: PluginHost, tmp_path: Path) -> None:
    transcript = Transcript.from_columns(
        [0, 1000, 1500, 3000, 3000], [2000, 2500, 4000, 3500, 3000], ["a", "b", "c", "d", "e"]
    )
    path = save(transcript, tmp_path / "out.fcpxml", host, fps="25")
    xmllint(path, "--dtdvalid", str(DTD))
    root = etree.parse(str(path)).getroot()
    lanes = _lanes_never_overlap(root)
    assert sorted(lanes) == ["1", "2", "3"]
    by_text = {c.findtext("text/text-style"): c for c in root.iter("caption")}
    assert by_text["b"].get("lane") == "2" and by_text["c"].get("lane") == "3"
    assert by_text["d"].get("lane") == "1" and by_text["e"].get("lane") == "2"
    assert by_text["e"].get("duration") == "100/2500s"  # zero length becomes one frame
    assert by_text["a"].get("duration") == "5000/2500s"  # times are not changed


def test_seed_lanes_and_role_language(seed: Transcript, host: PluginHost) -> None:
    text = str(api.dumps(seed, "fcpxml", host=host, language="fr"))
    root = etree.fromstring(text.encode())
    _lanes_never_overlap(root)
    assert {c.get("role") for c in root.iter("caption")} == {"iTT?captionFormat=ITT.fr"}
    ids = [d.get("id") for d in root.iter("text-style-def")]
    refs = [s.get("ref") for s in root.iter("text-style") if s.get("ref")]
    assert len(set(ids)) == len(ids) == len(refs) and set(refs) == set(ids)


def test_speakers_and_line_breaks_in_text(host: PluginHost) -> None:
    root = etree.fromstring(str(api.dumps(hostile(), "fcpxml", host=host)).encode())
    texts = [c.findtext("text/text-style") for c in root.iter("caption")]
    assert 'Alice <Ops> & Co: Are you <there>?\nBob "B" Ó: Yes & no --> maybe' in texts
    assert "line one\nline two\nline three\nline four" in texts
    names = [c.get("name") for c in root.iter("caption")]
    assert all("\n" not in (n or "") and len(n or "") <= 60 for n in names)


@pytest.mark.parametrize(
    ("fps", "duration"),
    [("29.97", (1001, 30000)), ("25", (100, 2500)), ("23.976", (1001, 24000)), ("24", (100, 2400))],
)
def test_frame_duration_as_final_cut_writes_it(fps: str, duration: tuple[int, int]) -> None:
    assert frame_duration(parse_fps(fps)) == duration


def test_empty_transcript_is_still_valid(host: PluginHost, tmp_path: Path) -> None:
    path = save(Transcript(), tmp_path / "out.fcpxml", host)
    xmllint(path, "--dtdvalid", str(DTD))
