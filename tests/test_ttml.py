"""TTML / DFXP and IMSC 1.1 writers, checked with ttconv, xmllint and lxml."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from lxml import etree
from xmlcheck import expected, hostile, read_ttconv, same_cues, save, seed_transcript, xmllint

from captionbridge import api
from captionbridge.errors import CaptionbridgeError
from captionbridge.helpers.timecode import parse_fps
from captionbridge.host.registry import PluginHost
from captionbridge.model import Transcript
from captionbridge.plugins.ttml.xmltext import clean, fit_lines, xml_name
from captionbridge.testing.fuzzcheck import count_calls

TT = "{http://www.w3.org/ns/ttml}"
TTM = "{http://www.w3.org/ns/ttml#metadata}"
TTP = "{http://www.w3.org/ns/ttml#parameter}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

VTT_VOICES = """WEBVTT

00:00:01.000 --> 00:00:03.000
<v Dr. Smith & Sons>Hello there.</v>

00:00:03.000 --> 00:00:05.000
<v Dr. Smith & Sons>How are you?</v>
<v Jo>Fine, thanks.</v>

00:00:05.000 --> 00:00:06.000
No speaker here.
"""


@pytest.fixture(scope="module")
def seed(seed_path: Path, host: PluginHost) -> Transcript:
    return seed_transcript(seed_path, host)


@pytest.mark.parametrize("fmt", ["ttml", "imsc"])
@pytest.mark.parametrize("source", ["seed", "hostile"])
def test_ttconv_reads_same_words_and_media_times(
    fmt: str,
    source: str,
    seed: Transcript,
    host: PluginHost,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    transcript = seed if source == "seed" else hostile()
    path = save(transcript, tmp_path / "out.ttml", host, format=fmt)
    xmllint(path)
    same_cues(read_ttconv(path, caplog), expected(transcript), Fraction(1, 100))


@pytest.mark.parametrize("fps", ["29.97", "25", "23.976"])
def test_smpte_timing_lands_on_frames(
    fps: str, seed: Transcript, host: PluginHost, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = save(seed, tmp_path / "out.ttml", host, ttml_timing="smpte", fps=fps)
    root = etree.parse(str(path)).getroot()
    assert root.get(f"{TTP}timeBase") == "smpte"
    frame = 1 / parse_fps(fps)
    same_cues(read_ttconv(path, caplog), expected(seed), frame, grid=frame)


def test_imsc_signals_the_profile_and_uses_percent_regions(host: PluginHost) -> None:
    text = api.dumps(hostile(), "imsc", host=host)
    assert isinstance(text, str)
    root = etree.fromstring(text.encode())
    assert root.get(f"{TTP}contentProfiles") == "http://www.w3.org/ns/ttml/profile/imsc1.1/text"
    assert root.get(f"{TTP}timeBase") == "media"
    region = root.find(f"{TT}head/{TT}layout/{TT}region")
    assert region is not None
    for attribute in ("origin", "extent"):
        value = region.get(f"{{http://www.w3.org/ns/ttml#styling}}{attribute}")
        assert value is not None and all(part.endswith("%") for part in value.split())
    # smpte is prohibited by the profile: the option is ignored for imsc
    smpte = api.dumps(hostile(), "imsc", host=host, ttml_timing="smpte")
    assert 'ttp:timeBase="media"' in str(smpte) and "frameRate" not in str(smpte)


def _agents(root: etree._Element) -> dict[str, str]:
    agents = root.findall(f"{TT}head/{TT}metadata/{TTM}agent")
    out = {}
    for agent in agents:
        assert agent.get("type") == "person"
        name = agent.find(f"{TTM}name")
        assert name is not None and name.get("type") == "full"
        out[agent.get(XML_ID)] = name.text
    return out


@pytest.mark.parametrize("fmt", ["ttml", "itt"])
def test_vtt_voices_become_ttm_agents(fmt: str, host: PluginHost) -> None:
    transcript = api.loads(VTT_VOICES, format="vtt", host=host)
    root = etree.fromstring(str(api.dumps(transcript, fmt, host=host)).encode())
    agents = _agents(root)
    assert sorted(agents.values()) == ["Dr. Smith & Sons", "Jo"]
    by_name = {name: agent for agent, name in agents.items()}
    paragraphs = root.findall(f".//{TT}p")
    assert paragraphs[0].get(f"{TTM}agent") == by_name["Dr. Smith & Sons"]
    spans = paragraphs[1].findall(f"{TT}span")
    assert [s.get(f"{TTM}agent") for s in spans] == [by_name["Dr. Smith & Sons"], by_name["Jo"]]
    assert [s.text for s in spans] == ["How are you?", "Fine, thanks."]
    assert paragraphs[1].find(f"{TT}br") is not None
    assert paragraphs[2].get(f"{TTM}agent") is None and paragraphs[2].text == "No speaker here."


def test_hostile_text_survives_escaped_and_cleaned(host: PluginHost) -> None:
    text = str(api.dumps(hostile(), "ttml", host=host))
    root = etree.fromstring(text.encode())
    paragraphs = ["".join(p.itertext()) for p in root.iter(f"{TT}p")]
    assert paragraphs[0] == "<b>not a tag</b> & AT&T --> arrow"
    assert paragraphs[4] == "bell null esc form end lone\ufffd tab here"
    assert "]]> <!-- not a comment --> &amp; stays" in paragraphs
    assert len(paragraphs) == 10  # the empty cue is left out
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    names = set(_agents(root).values())
    assert names == {"Alice <Ops> & Co", 'Bob "B" Ó'}
    lines = root.findall(f".//{TT}p")[8]
    assert len(lines.findall(f"{TT}br")) == 3  # TTML keeps every line break


def test_language_option_and_aliases(host: PluginHost, tmp_path: Path) -> None:
    transcript = Transcript.from_columns([0], [1000], ["bonjour"])
    text = str(api.dumps(transcript, "dfxp", host=host, language="fr-CA"))
    assert 'xml:lang="fr-CA"' in text
    assert host.writer_for_path("a.dfxp").name == "ttml"
    assert host.writer_for_path("a.ttml").name == "ttml"
    with pytest.raises(CaptionbridgeError):
        host.writer_for_path("a.xml")
    with pytest.raises(CaptionbridgeError):
        api.dumps(transcript, "ttml", host=host, ttml_timing="frames")


def test_clean_removes_only_what_xml_forbids() -> None:
    assert clean("a\x00b\x1fc\ufffe\uffffd\ud800e") == "abcde"
    assert clean("tab\there\r\nnext\rlast") == "tab here\nnext\nlast"
    assert clean("é 🎉 \u200f \x85 \ue000") == "é 🎉 \u200f \x85 \ue000"


def test_fit_lines_keeps_every_word() -> None:
    lines, breaks = fit_lines([["one two", "three four", "five six"]], 2)
    assert lines == [["one two three", "four five six"]] and breaks == []
    lines, breaks = fit_lines([["a", "b"], ["c"], ["d"]], 2)
    assert lines == [["a b"], ["c"], ["d"]] and breaks == [True, False]
    assert fit_lines([["a"], ["b"]], 2) == ([["a"], ["b"]], [True])


def test_xml_names_are_unique_ncnames() -> None:
    taken: set[str] = set()
    assert xml_name("Dr. Smith & Sons", "speaker_", taken) == "speaker_Dr._Smith___Sons"
    assert xml_name("Dr. Smith & Sons", "speaker_", taken) == "speaker_Dr._Smith___Sons_2"


def _repeated(seed: Transcript, times: int) -> Transcript:
    starts, ends, contents = seed.columns()
    return Transcript.from_columns(
        [s + k * 4_000_000 for k in range(times) for s in starts],
        [e + k * 4_000_000 for k in range(times) for e in ends],
        list(contents) * times,
        speakers=seed.speakers,
    )


@pytest.mark.parametrize("fmt", ["ttml", "imsc", "itt", "fcpxml"])
def test_writing_grows_linearly(fmt: str, seed: Transcript, host: PluginHost) -> None:
    """Four times the cues, at most 4.4 times the function calls (counted, not timed; how
    fast each writer is beside SRT: benchmarks/bench_writers.py)."""
    one, four = _repeated(seed, 1), _repeated(seed, 4)
    api.dumps(one, fmt, host=host)  # lazy imports out of the count
    assert count_calls(api.dumps, four, fmt, host=host) <= 4.4 * count_calls(
        api.dumps, one, fmt, host=host
    )


def test_all_xml_formats_side_by_side(host: PluginHost, tmp_path: Path) -> None:
    source = tmp_path / "talk.txt"
    source.write_text("[00:00:01.000 --> 00:00:02.000]   hello & bye\n", encoding="utf-8")
    written = api.convert(source, to="ttml,imsc,itt,fcpxml", out_dir=tmp_path / "out", host=host)
    assert sorted(p.name for p in written) == [
        "talk.fcpxml",
        "talk.imsc.ttml",
        "talk.itt",
        "talk.ttml",
    ]
    for path in written:
        xmllint(path)
        assert "hello &amp; bye" in path.read_text(encoding="utf-8")
