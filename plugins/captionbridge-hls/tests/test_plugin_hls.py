"""Tests of the hls writer, read back with webvtt-py (an independent WebVTT parser)."""

from __future__ import annotations

import html
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest
import webvtt

import captionbridge
from captionbridge.testing import ReadCue, WriterConformance, compare_cues, sample_transcripts

pytest_plugins = ["captionbridge.testing"]

SEED = Path(__file__).resolve().parents[3] / "seeds" / "fireside-chat.txt"
TIMESTAMP_MAP = "X-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000"


def read_playlist(files: dict[str, bytes]) -> tuple[int, list[str], list[float]]:
    """The target duration, segment names and durations of the one playlist in ``files``."""
    (playlist,) = [name for name in files if name.endswith(".m3u8")]
    lines = files[playlist].decode("utf-8").splitlines()
    assert lines[0] == "#EXTM3U" and lines[-1] == "#EXT-X-ENDLIST"
    target = int(next(x for x in lines if x.startswith("#EXT-X-TARGETDURATION:")).split(":")[1])
    durations = [float(x[8:].rstrip(",")) for x in lines if x.startswith("#EXTINF:")]
    names = [x for x in lines if x and not x.startswith("#")]
    assert len(names) == len(durations)
    return target, names, durations


def read_hls(files: dict[str, bytes], metadata: Sequence[str] = (TIMESTAMP_MAP,)) -> list[ReadCue]:
    """Every cue once, from the segment where it starts, read by webvtt-py."""
    target, names, _ = read_playlist(files)
    cues: list[ReadCue] = []
    for index, name in enumerate(names):
        document = webvtt.from_string(files[name].decode("utf-8"))
        assert document.metadata == list(metadata), name
        for caption in document.captions:
            start = caption.start_time.in_milliseconds()
            if start // (target * 1000) == index:
                text = html.unescape(caption.text)
                cues.append((start, caption.end_time.in_milliseconds(), text))
    return cues


class TestHlsConformance(WriterConformance):
    format_name = "hls"
    distribution = "captionbridge-hls"

    def read_back(self, host: object, files: dict[str, bytes]) -> list[ReadCue]:
        return read_hls(files)


def test_seed_converts_through_the_cli(tmp_path: Path) -> None:
    out = tmp_path / "hls"
    command = [sys.executable, "-m", "captionbridge", "convert", str(SEED), "--to", "hls"]
    subprocess.run([*command, "--out-dir", str(out), "-q"], check=True)
    files = {p.name: p.read_bytes() for p in out.iterdir()}
    assert "fireside-chat.m3u8" in files
    _, names, durations = read_playlist(files)
    assert set(files) == {"fireside-chat.m3u8", *names}
    assert all(d == 10 for d in durations[:-1]) and 0 < durations[-1] <= 10
    expected = captionbridge.transform(captionbridge.load(SEED))
    assert len(expected) > 1000
    compare_cues(expected, read_hls(files), what="hls of the seed")


def test_every_segment_holds_every_cue_shown_during_it() -> None:
    transcript = captionbridge.transform(captionbridge.load(SEED))
    files = _render(transcript, hls_segment_seconds=6)
    target, names, _ = read_playlist(files)
    assert target == 6
    for index, name in enumerate(names):
        lo, hi = index * 6000, (index + 1) * 6000
        shown = [(c.start, c.end) for c in transcript.cues if c.start < hi and c.end > lo]
        document = webvtt.from_string(files[name].decode("utf-8"))
        got = {(c.start_time.in_milliseconds(), c.end_time.in_milliseconds()) for c in document}
        assert set(shown) <= got, name


def test_segment_length_and_timestamp_map_options() -> None:
    transcript = sample_transcripts()["simple"]  # cues from 1 s to 8.25 s
    files = _render(transcript, hls_segment_seconds="3", hls_mpegts="0")
    target, names, durations = read_playlist(files)
    assert (target, len(names)) == (3, 3)
    assert durations == [3, 3, pytest.approx(2.25)]
    cues = read_hls(files, metadata=["X-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000"])
    compare_cues(transcript, cues)
    unmapped = _render(transcript, hls_mpegts="off")
    assert b"X-TIMESTAMP-MAP" not in b"".join(unmapped.values())
    compare_cues(transcript, read_hls(unmapped, metadata=[]))


@pytest.mark.parametrize(
    ("option", "value"),
    [("hls_segment_seconds", "0"), ("hls_segment_seconds", "2.5"), ("hls_mpegts", "-1")],
)
def test_bad_option_values_are_usage_errors(option: str, value: str) -> None:
    with pytest.raises(captionbridge.CaptionbridgeError, match=option.replace("_", "-")):
        _render(sample_transcripts()["simple"], **{option: value})


def test_bad_value_from_python_is_a_clean_error() -> None:
    with pytest.raises(captionbridge.CaptionbridgeError, match=r"hls: segment length .* above 0"):
        _render(sample_transcripts()["simple"], hls_segment_seconds=0)


def test_voice_spans_and_escapes_survive_segmenting() -> None:
    files = _render(sample_transcripts()["dual_speaker"])
    text = b"".join(v for k, v in files.items() if k.endswith(".webvtt")).decode()
    # a cue of two voices: each starts with the dual-speaker dash (browsers show no voices)
    assert "<v Ada>- Are you ready?</v>" in text
    assert "<v Grace &lt;&amp;&gt; Hopper>- Yes.</v>" in text


def test_formats_lists_the_distribution() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "captionbridge", "formats"],
        check=True,
        capture_output=True,
        text=True,
    )
    (line,) = [x for x in result.stdout.splitlines() if x.split()[:2] == ["write", "hls"]]
    assert "captionbridge-hls 0.1.0" in line


def _render(transcript: captionbridge.Transcript, **options: object) -> dict[str, bytes]:
    """Save through the public API into a temporary folder; the files by name."""
    with tempfile.TemporaryDirectory() as folder:
        paths = captionbridge.save(transcript, Path(folder) / "x.m3u8", format="hls", **options)
        return {path.name: path.read_bytes() for path in paths}
