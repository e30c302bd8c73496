"""Huge bracket inputs: the chunked path writes the same bytes in bounded memory.

The threshold is lowered through ``CAPTIONBRIDGE_STREAM_THRESHOLD`` so a ~24 MB file takes the
streaming path; ``benchmarks/bench_huge.py`` measures the 1 GB case.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import captionbridge
from captionbridge.flow.pipeline import render, resolve_options
from captionbridge.flow.streaming import THRESHOLD_ENV
from captionbridge.host.registry import make_host
from captionbridge.model import Transcript

HOST = make_host(entry_points=False)
_MEASURE = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True);"
    " print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def _stamp(ms: int) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _write_transcript(path: Path, cues: int, *, extra: dict[int, str] | None = None) -> None:
    lines = []
    for i in range(cues):
        start = i * 2600 + (i % 7) * 10
        # every 1000th cue runs into the next one: the overlap fix must work across chunks
        end = start + (3000 if i % 1000 == 999 else 2500)
        lines.append(f"[{_stamp(start)} --> {_stamp(end)}]   cue {i} says <hi> & 1:02.5 -- go")
        if extra and i in extra:
            lines.append(extra[i])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _convert(source: Path, out_dir: Path, threshold: int | None) -> int:
    """Convert to SRT and VTT in a child process; return its peak RSS in KiB."""
    env = dict(os.environ)
    env.pop(THRESHOLD_ENV, None)
    if threshold is not None:
        env[THRESHOLD_ENV] = str(threshold)
    command = [sys.executable, "-m", "captionbridge", "convert", str(source), "--to", "srt,vtt"]
    command += ["-d", str(out_dir), "-q"]
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(result.stdout.split()[-1])


@pytest.mark.slow
def test_streaming_output_is_identical_and_memory_bounded(tmp_path: Path) -> None:
    source = tmp_path / "big.txt"
    _write_transcript(source, 300_000)
    assert source.stat().st_size > 20_000_000
    whole, streamed = tmp_path / "whole", tmp_path / "streamed"
    _convert(source, whole, threshold=None)
    streamed_rss = _convert(source, streamed, threshold=1_000_000)
    for name in ("big.srt", "big.vtt"):
        assert (whole / name).read_bytes() == (streamed / name).read_bytes(), name
    assert streamed_rss < 150 * 1024, f"streaming peak RSS {streamed_rss} KiB"
    assert not list(streamed.glob(".*.part")), "a temporary file was left behind"
    # bounded means flat: twice the input, the same peak (the whole-file path grows with it;
    # comparing against it instead fails whenever that path gets leaner)
    double = tmp_path / "double.txt"
    _write_transcript(double, 600_000)
    double_rss = _convert(double, tmp_path / "double", threshold=1_000_000)
    assert double_rss - streamed_rss < 8 * 1024, (streamed_rss, double_rss)


@pytest.mark.parametrize(
    "extra",
    [
        {60_000: "[00:00:00.000 --> 00:00:01.000]   back in time"},  # out of order across chunks
        {60_000: "[00:00:00.000 --> 00:00:01.000]   [SPEAKER_01]: a speaker marker"},
        {10: "\xff not utf-8"},
    ],
    ids=["unordered", "speakers", "encoding"],
)
def test_falls_back_to_the_whole_file_when_chunks_cannot_be_right(
    tmp_path: Path, extra: dict[int, str]
) -> None:
    source = tmp_path / "big.txt"
    _write_transcript(source, 100_000)
    if extra.get(10, "").startswith("\xff"):
        data = source.read_bytes().replace(b"cue 10 says", b"cue 10 \xff says", 1)
        source.write_bytes(data)
    else:
        _write_transcript(source, 100_000, extra=extra)
    whole, streamed = tmp_path / "whole", tmp_path / "streamed"
    _convert(source, whole, threshold=None)
    _convert(source, streamed, threshold=1_000_000)
    for name in ("big.srt", "big.vtt"):
        assert (whole / name).read_bytes() == (streamed / name).read_bytes(), name
    assert not list(streamed.glob(".*.part"))


def test_api_convert_streams_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "in.txt"
    _write_transcript(source, 3000)
    monkeypatch.setenv(THRESHOLD_ENV, "1000")
    import captionbridge.flow.streaming as streaming

    monkeypatch.setattr(streaming, "CHUNK_BYTES", 10_000)  # many chunks
    written = captionbridge.convert(source, to="srt", out_dir=tmp_path / "a")
    monkeypatch.setenv(THRESHOLD_ENV, str(10**12))
    expected = captionbridge.convert(source, to="srt", out_dir=tmp_path / "b")
    assert written[0].read_bytes() == expected[0].read_bytes()


def test_cue_numbers_past_ten_million_and_hours_past_99() -> None:
    """A chunk starting at cue 9,999,999 numbers on from there; 100+ hour times are written."""
    hour = 3_600_000
    transcript = Transcript.from_columns(
        [25 * hour, 100 * hour + 1], [25 * hour + 500, 123 * hour + 59_999], ["a", "b"]
    )
    options = resolve_options(HOST, {})
    srt = render(transcript, HOST.writer("srt"), HOST, options, "x", first_cue=9_999_999)
    assert srt[""].decode() == (
        "\n10000000\n25:00:00,000 --> 25:00:00,500\na\n\n"
        "10000001\n100:00:00,001 --> 123:00:59,999\nb\n"
    )
    vtt = render(transcript, HOST.writer("vtt"), HOST, options, "x")[""].decode()
    assert "100:00:00.001 --> 123:00:59.999" in vtt
    read = captionbridge.loads(
        "[100:00:00.001 --> 123:00:59.999]   b\n", format="bracket", host=HOST
    ).cues[0]
    assert (read.start, read.end) == (100 * hour + 1, 123 * hour + 59_999)


class _CountedChunk(bytes):
    """A chunk of the input that counts how often it is decoded."""

    decodes = 0

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        _CountedChunk.decodes += 1
        return super().decode(encoding, errors)


def test_each_chunk_is_decoded_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import captionbridge.flow.streaming as streaming

    source = tmp_path / "in.txt"
    _write_transcript(source, 3000)
    monkeypatch.setenv(THRESHOLD_ENV, str(10**12))
    expected = captionbridge.convert(source, to="srt", out_dir=tmp_path / "whole")
    monkeypatch.setenv(THRESHOLD_ENV, "1000")
    monkeypatch.setattr(streaming, "CHUNK_BYTES", 10_000)  # many chunks
    chunks = streaming._chunks
    counted: list[bytes] = []

    def counting(*args: Any) -> Iterator[bytes]:
        for chunk in chunks(*args):
            counted.append(_CountedChunk(chunk))
            yield counted[-1]

    monkeypatch.setattr(streaming, "_chunks", counting)
    written = captionbridge.convert(source, to="srt", out_dir=tmp_path / "streamed")
    assert written[0].read_bytes() == expected[0].read_bytes()
    assert len(counted) > 10 and _CountedChunk.decodes == len(counted)
