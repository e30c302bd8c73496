"""Acceptance on the seed transcript for netflix, bbc and cea608, read back with pysubs2, and
``captionbridge check`` on the results and on the raw conversion."""

from __future__ import annotations

import itertools
import json
from fractions import Fraction
from pathlib import Path

import pysubs2
import pytest
from click.testing import CliRunner

import captionbridge
from captionbridge.cli.app import cli
from captionbridge.helpers.timecode import ms_to_frames
from captionbridge.host.registry import PluginHost
from captionbridge.reflow.breakrules import ENGLISH

WIDTHS = {"netflix": 42, "bbc": 37, "cea608": 32}
MIN_DURATION = {"netflix": 833, "bbc": 1000, "cea608": 1000}
GLUE = ENGLISH.articles | ENGLISH.prepositions | ENGLISH.conjunctions


@pytest.fixture(scope="module", params=list(WIDTHS))
def reflowed(
    request: pytest.FixtureRequest,
    seed_path: Path,
    host: PluginHost,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[str, Path, captionbridge.Transcript]:
    preset = request.param
    source = captionbridge.load(seed_path, host=host)
    out = captionbridge.transform(source, host=host, preset=preset)
    path = tmp_path_factory.mktemp(preset) / "seed.srt"
    path.write_text(captionbridge.dumps(out, "srt", host=host), encoding="utf-8")
    return preset, path, out


def test_lines_and_line_count(reflowed: tuple[str, Path, captionbridge.Transcript]) -> None:
    preset, path, _ = reflowed
    subs = pysubs2.load(str(path))
    for event in subs.events:
        lines = event.plaintext.split("\n")
        assert len(lines) <= 2, event.plaintext
        assert all(len(line) <= WIDTHS[preset] for line in lines), event.plaintext


def test_words_in_order(
    reflowed: tuple[str, Path, captionbridge.Transcript], seed_path: Path, host: PluginHost
) -> None:
    _, path, _ = reflowed
    source = captionbridge.load(seed_path, host=host)
    expected = [w for c in source.cues for t in c.turns for w in t.text.split()]
    got = []
    for event in pysubs2.load(str(path)).events:
        for line in event.plaintext.split("\n"):
            got += line.removeprefix("- ").split()
    assert got == expected


def test_timing(reflowed: tuple[str, Path, captionbridge.Transcript]) -> None:
    preset, path, out = reflowed
    events = pysubs2.load(str(path)).events
    # netflix's 2-frame gaps without an fps: counted (and snapped) at the assumed 23.976
    fps = Fraction(30000, 1001) if preset == "cea608" else Fraction(24000, 1001)
    short = 0
    for a, b in itertools.pairwise(events):
        assert a.start <= b.start and a.end <= b.start  # ordered, no overlaps
        gap = b.start - a.end
        frames = ms_to_frames(b.start, fps) - ms_to_frames(a.end, fps)
        if preset in ("cea608", "netflix"):
            assert frames >= 2
        else:
            assert gap >= 0
        if preset == "netflix" and gap < 500:
            assert frames == 2
        if preset == "bbc":
            assert gap == 0 or gap >= 1000
    for e in events:
        assert e.end - e.start <= 7000
        short += e.end - e.start < MIN_DURATION[preset]
    reported = sum(int(n.message.split()[0]) for n in out.notes if "stay under" in n.message)
    assert short == reported and short <= len(events) * 0.02


def test_reading_speed(reflowed: tuple[str, Path, captionbridge.Transcript]) -> None:
    _, path, _ = reflowed
    events = pysubs2.load(str(path)).events
    fast = 0
    for e in events:
        text = " ".join(line.removeprefix("- ") for line in e.plaintext.split("\n"))
        fast += len(text) * 1000 / (e.end - e.start) > 20.05
    # the acceptance: CPS <= 20 on at least 95 % of cues, for every preset (bbc and cea608
    # meet 20 cps first, then their own stricter words-per-minute limits where time is left)
    assert fast <= 0.05 * len(events)


def test_bbc_and_cea608_presets_cap_characters_per_second(host: PluginHost) -> None:
    for preset in ("bbc", "cea608"):
        values = host.presets[preset].values
        assert values["max_cps"] == 20 and values["max_wpm"] in (160, 180)


def test_line_breaks(reflowed: tuple[str, Path, captionbridge.Transcript]) -> None:
    _, path, _ = reflowed
    breaks = bad = 0
    for event in pysubs2.load(str(path)).events:
        for line in event.plaintext.split("\n")[:-1]:
            breaks += 1
            last = line.split()[-1]
            bad += last[-1].isalnum() and last.lower() in GLUE
    assert breaks > 100
    assert bad < 0.02 * breaks


def test_check_passes_on_reflowed_output(
    reflowed: tuple[str, Path, captionbridge.Transcript],
) -> None:
    preset, path, _ = reflowed
    result = CliRunner().invoke(cli, ["check", str(path), "--preset", preset])
    assert result.exit_code == 0, result.output[-2000:]
    assert " 0 errors" in result.output


def test_check_finds_the_real_problems_of_the_raw_seed(
    seed_path: Path, host: PluginHost, tmp_path: Path
) -> None:
    raw = tmp_path / "raw.srt"
    raw.write_text(
        captionbridge.dumps(captionbridge.load(seed_path, host=host), "srt", host=host),
        encoding="utf-8",
    )
    report = tmp_path / "report.html"
    runner = CliRunner()
    result = runner.invoke(cli, ["check", str(raw), "--preset", "netflix", "--html", str(report)])
    assert result.exit_code == 1
    assert f"{raw}:cue 2 (00:00:03.000): error: gap of 0 frames (0 ms) < 2" in result.output
    assert "no --fps given: the 2-frame gaps of --preset netflix are counted at 23.976" in (
        result.stderr
    )
    assert "line-length    error       389" in result.output
    page = report.read_text(encoding="utf-8")
    assert page.count("<svg") == 3 and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    from lxml import etree

    etree.fromstring(page.split("<!DOCTYPE html>\n", 1)[1].encode(), etree.HTMLParser())
    data = json.loads(runner.invoke(cli, ["check", str(raw), "--json"]).stdout)
    file = data["files"][0]
    assert file["summary"]["line-length"]["count"] == 389 and file["errors"] > 389
    assert data["limits"]["max_chars"] == 42


def test_check_reads_the_bracket_transcript_too(seed_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(seed_path), "--preset", "cea608"])
    assert result.exit_code == 1
    assert "error: time off the 29.97 fps frame grid" in result.output
