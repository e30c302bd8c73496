"""iTT writer for Final Cut Pro, checked with ttconv (1000/1001 applied), xmllint and lxml."""

from __future__ import annotations

from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import pytest
from lxml import etree
from xmlcheck import expected, hostile, read_ttconv, same_cues, save, seed_transcript, xmllint

from captionbridge import api
from captionbridge.helpers.timecode import parse_fps
from captionbridge.host.registry import PluginHost
from captionbridge.model import Transcript, Turn
from captionbridge.plugins.ttml.itt import frame_spans, write_itt
from captionbridge.specs import WriteContext

TT = "{http://www.w3.org/ns/ttml}"
TTP = "{http://www.w3.org/ns/ttml#parameter}"
TTS = "{http://www.w3.org/ns/ttml#styling}"


@pytest.fixture(scope="module")
def seed(seed_path: Path, host: PluginHost) -> Transcript:
    return seed_transcript(seed_path, host)


@pytest.mark.parametrize("fps", ["29.97", "25", "23.976"])
@pytest.mark.parametrize("source", ["seed", "hostile"])
def test_ttconv_reads_frames_on_the_grid(
    fps: str,
    source: str,
    seed: Transcript,
    host: PluginHost,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    transcript = seed if source == "seed" else hostile()
    path = save(transcript, tmp_path / "out.itt", host, fps=fps)
    xmllint(path)
    frame = 1 / parse_fps(fps)
    got = read_ttconv(path, caplog)
    same_cues(got, expected(transcript), frame, grid=frame)
    assert all(a[1] <= b[0] for a, b in pairwise(got))


@pytest.mark.parametrize(
    ("fps", "rate", "multiplier"),
    [("29.97", "30", "1000 1001"), ("23.976", "24", "1000 1001"), ("25", "25", "1 1")],
)
def test_header_follows_the_apple_dialect(
    fps: str, rate: str, multiplier: str, host: PluginHost
) -> None:
    root = etree.fromstring(str(api.dumps(hostile(), "itt", host=host, fps=fps)).encode())
    assert root.get(f"{TTP}timeBase") == "smpte"
    assert root.get(f"{TTP}frameRate") == rate
    assert root.get(f"{TTP}frameRateMultiplier") == multiplier
    assert root.get(f"{TTP}dropMode") == "nonDrop"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert len(root.findall(f"{TT}head/{TT}styling/{TT}style")) == 1
    (region,) = root.findall(f"{TT}head/{TT}layout/{TT}region")
    assert region.get("{http://www.w3.org/XML/1998/namespace}id") == "bottom"
    assert region.get(f"{TTS}origin") == "0% 85%"
    assert region.get(f"{TTS}extent") == "100% 15%"
    for p in root.iter(f"{TT}p"):
        for attribute in ("begin", "end"):
            assert len(p.get(attribute, "").split(":")) == 4


def test_without_fps_the_default_rate_is_assumed_and_said(host: PluginHost) -> None:
    context = WriteContext({})
    text = write_itt(hostile(), context)
    assert 'ttp:frameRate="24" ttp:frameRateMultiplier="1000 1001"' in text
    assert [n.message for n in context.notes] == [
        "itt: no --fps given: itt timecodes counted at 23.976 fps (assumed);"
        " give --fps with the project's frame rate"
    ]


def test_at_most_two_lines_and_no_word_lost(host: PluginHost) -> None:
    three_turns = (Turn("one\ntwo", "a"), Turn("three", "b"), Turn("four\nfive", None, True))
    transcript = Transcript.from_columns(
        [0, 2000], [2000, 4000], ["l1\nl2\nl3\nl4 l4b", three_turns]
    )
    root = etree.fromstring(str(api.dumps(transcript, "itt", host=host)).encode())
    paragraphs = root.findall(f".//{TT}p")
    assert [len(p.findall(f".//{TT}br")) for p in paragraphs] == [1, 1]
    assert " ".join(paragraphs[0].itertext()).split() == ["l1", "l2", "l3", "l4", "l4b"]
    assert " ".join(paragraphs[1].itertext()).split() == [
        "one",
        "two",
        "three",
        "-",
        "four",
        "five",
    ]


def test_overlaps_are_trimmed_to_the_next_cue(
    host: PluginHost, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    transcript = Transcript.from_columns(
        [0, 1000, 1010, 5000], [3000, 4000, 4500, 5000], ["first", "second", "third", "zero"]
    )
    path = save(transcript, tmp_path / "out.itt", host, fps="25")
    got = read_ttconv(path, caplog)
    frame = Fraction(1, 25)
    assert [(b / frame, e / frame) for b, e, _ in got] == [(0, 25), (25, 26), (26, 113), (125, 126)]


def test_frame_spans_rules() -> None:
    assert frame_spans([0, 10, 10], [20, 15, 12]) == ([0, 10, 11], [10, 11, 12])
    assert frame_spans([5], [5]) == ([5], [6])
