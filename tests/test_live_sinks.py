"""The SCC roll-up and browser overlay live sinks, fed by direct publish() calls.

The SCC file is decoded after every publish by ttconv and ffmpeg; the overlay's event stream is
read with urllib, and its page is loaded in headless Chromium (driven over the DevTools pipe by
tests/overlay_cdp.js) across a server restart.
"""

from __future__ import annotations

import subprocess
import tracemalloc
from pathlib import Path

import pytest
from broadcast_samples import paragraphs
from conftest import require_tool

from captionbridge import api
from captionbridge.errors import CaptionbridgeError
from captionbridge.host.registry import PluginHost
from captionbridge.live.rollup import RollUpSink
from captionbridge.model import Cue, Transcript

#: short cues (one row each) in time order: back to back, one frame apart, a gap, one at 0 ms
LIVE = [
    Cue.make(0, 1500, "Good evening."),
    Cue.make(1500, 1534, "A very short one"),
    Cue.make(1534, 4000, "and the next right after it"),
    Cue.make(7000, 9000, "after a pause"),
    Cue.make(9000, 11000, "Café & <b> ünïcode"),
    Cue.make(11000, 12000, "the end"),
]


def _ttconv_rows(scc: str) -> list[str]:
    """The rows as they roll in, decoded by ttconv: the newest row of each paragraph."""
    import ttconv.scc.reader

    rows: list[str] = []
    for _, _, text in paragraphs(ttconv.scc.reader.to_model(scc)):
        newest = text.replace("\xa0", " ").split("\n")[-1].strip()
        if newest and (not rows or rows[-1] != newest):
            rows.append(newest)
    return rows


def _ffmpeg_rows(path: Path) -> list[str]:
    """The same through ffmpeg's SCC demuxer and CEA-608 decoder (as SubRip)."""
    ffmpeg = require_tool("ffmpeg")
    srt = subprocess.run(
        [ffmpeg, "-loglevel", "error", "-i", str(path), "-f", "srt", "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    rows: list[str] = []
    for block in srt.strip().split("\n\n") if srt.strip() else []:
        text = block.split("\n")[-1]
        newest = text.replace('<font face="Monospace">', "").replace("</font>", "")
        newest = newest.replace("{\\an7}", "").strip()
        if newest and (not rows or rows[-1] != newest):
            rows.append(newest)
    return rows


@pytest.mark.parametrize("rows", [2, 3])
def test_the_scc_decodes_to_the_finalised_text_after_every_publish(
    tmp_path: Path, host: PluginHost, rows: int
) -> None:
    path = tmp_path / "live.scc"
    sink = RollUpSink(path, rows, host=host)
    assert _ttconv_rows(path.read_text(encoding="ascii")) == []
    for at, cue in enumerate(LIVE):
        sink.publish([cue], LIVE[at + 1 : at + 2])  # the next cue is pending: never written
        expected = [c.text for c in LIVE[: at + 1]]
        assert _ttconv_rows(path.read_text(encoding="ascii")) == expected
        assert _ffmpeg_rows(path) == expected
    sink.close()
    assert _ttconv_rows(path.read_text(encoding="ascii")) == [c.text for c in LIVE]
    assert not [p for p in tmp_path.iterdir() if p != path], "a temporary file was left"


@pytest.mark.parametrize("rows", [2, 3])
def test_the_finished_file_is_what_the_scc_writer_makes_of_the_whole_run(
    tmp_path: Path, host: PluginHost, rows: int
) -> None:
    """Cue by cue or all at once, the bytes and times are the same: the sink splices the
    writer's captions (the EDM kept only before a gap, a caption moved after the previous
    one's painting), including a long cue that becomes several captions."""
    cues = [*LIVE, Cue.make(12000, 20000, "and a long cue that keeps going " * 6)]
    path = tmp_path / "live.scc"
    sink = RollUpSink(path, rows, host=host)
    sink.publish(cues[:2], [])
    for cue in cues[2:]:
        sink.publish([cue], [])
    sink.close()
    batch = api.dumps(Transcript(cues), "scc", host=host, scc_mode=f"rollup{rows}")
    assert path.read_text(encoding="ascii") == batch


def test_writer_options_pass_through(tmp_path: Path, host: PluginHost) -> None:
    path = tmp_path / "live.scc"
    options = {"start_timecode": "01:00:00:00", "scc_drop_frame": False}
    sink = RollUpSink(path, host=host, options=options)
    sink.publish(LIVE, [])
    sink.close()
    batch = api.dumps(Transcript(LIVE), "scc", host=host, scc_mode="rollup2", **options)
    assert path.read_text(encoding="ascii") == batch
    assert batch.startswith("Scenarist_SCC V1.0\n\n01:00:00:00\t")


def test_memory_stays_bounded_while_the_file_grows(tmp_path: Path, host: PluginHost) -> None:
    path = tmp_path / "live.scc"
    sink = RollUpSink(path, 3, host=host)

    def feed(first: int, count: int) -> None:
        for n in range(first, first + count):
            sink.publish([Cue.make(n * 1000, n * 1000 + 900, f"caption number {n}")], [])

    feed(0, 50)  # caches of the writer and the host warm up
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        size = path.stat().st_size
        feed(50, 600)
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    grown = path.stat().st_size - size
    assert grown > 30_000
    assert kept < grown // 10, (kept, grown)
    sink.close()
    assert len(_ttconv_rows(path.read_text(encoding="ascii"))) == 650


def test_refusals(tmp_path: Path, host: PluginHost) -> None:
    with pytest.raises(CaptionbridgeError, match="2 or 3 rows"):
        RollUpSink(tmp_path / "x.scc", 4, host=host)
    sink = RollUpSink(tmp_path / "x.scc", host=host)
    sink.close()
    sink.close()  # a second close does nothing
    with pytest.raises(CaptionbridgeError, match="closed"):
        sink.publish(LIVE[:1], [])
