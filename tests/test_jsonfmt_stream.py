"""The JSON writer in pieces: it holds one cue at a time, and a huge input is written chunk by
chunk (``WriterSpec.stream``) into the same bytes the whole-file path writes."""

from __future__ import annotations

import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from test_streaming import _write_transcript

import captionbridge
from captionbridge.flow import streaming
from captionbridge.model import Transcript
from captionbridge.plugins.jsonfmt import iter_json, write_json
from captionbridge.specs import WriteContext


def test_the_writer_holds_one_cue_at_a_time() -> None:
    count = 100_000
    transcript = Transcript.from_columns(
        list(range(0, 2 * count, 2)), list(range(1, 2 * count, 2)), ["one cue"] * count
    )
    transcript.columns()  # whatever the model builds for its columns is the transcript's
    one = len(write_json(Transcript.from_columns([0], [1], ["one cue"]), WriteContext()))
    pieces = largest = 0
    tracemalloc.start()
    try:
        for piece in iter_json(transcript, WriteContext()):
            pieces += 1
            largest = max(largest, len(piece))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert pieces == count + 2  # the head, one piece per cue, the tail
    assert largest <= one
    assert peak < 50 * one, peak  # a whole document would be count * one


def _streamed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, bool]]:
    """Record the chunks the streaming path renders (first cue, final)."""
    chunks: list[tuple[int, bool]] = []
    render = streaming.render

    def spy(*args: Any, first_cue: int, final: bool, **more: Any) -> Any:
        chunks.append((first_cue, final))
        return render(*args, first_cue=first_cue, final=final, **more)

    monkeypatch.setattr(streaming, "render", spy)
    monkeypatch.setattr(streaming, "CHUNK_BYTES", 20_000)  # many chunks
    return chunks


@pytest.mark.parametrize(
    ("options", "streams"),
    [
        ({"overlaps": "keep"}, True),
        ({"overlaps": "keep", "language": "en"}, True),
        ({"overlaps": "keep", "fps": "25"}, True),
        ({}, False),  # overlaps trimmed: the whole file's note counts them all
    ],
    ids=["plain", "language", "fps", "notes"],
)
def test_a_streamed_json_document_is_the_whole_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: dict[str, str], streams: bool
) -> None:
    written, expected, chunks = _both_ways(tmp_path, monkeypatch, "json", options)
    assert len(chunks) > 1  # it was tried
    assert chunks[-1][1] is streams  # to the last chunk, or given up for the whole file
    assert written == expected


def test_a_streamed_vtt_keeps_its_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The chunks were read with the language and lost it on the way to the writer."""
    written, expected, chunks = _both_ways(tmp_path, monkeypatch, "vtt", {"language": "en"})
    assert chunks[-1][1] and written.startswith(b"WEBVTT\nLanguage: en\n\n")
    assert written == expected


def _both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, to: str, options: dict[str, str]
) -> tuple[bytes, bytes, list[tuple[int, bool]]]:
    """The output written whole, then chunk by chunk, and the chunks rendered."""
    source = tmp_path / "in.txt"
    _write_transcript(source, 3000, extra={1500: "a continuation line"})
    monkeypatch.setenv(streaming.THRESHOLD_ENV, str(10**12))
    expected = captionbridge.convert(source, to=to, out_dir=tmp_path / "whole", **options)
    chunks = _streamed(monkeypatch)
    monkeypatch.setenv(streaming.THRESHOLD_ENV, "1000")
    written = captionbridge.convert(source, to=to, out_dir=tmp_path / "parts", **options)
    return written[0].read_bytes(), expected[0].read_bytes(), chunks


def test_a_chunk_without_cues_before_the_first_one_is_refused() -> None:
    with pytest.raises(captionbridge.CaptionbridgeError, match="needs cues"):
        write_json(Transcript.from_columns([], [], []), WriteContext(final=False))
    tail = write_json(Transcript.from_columns([], [], []), WriteContext(first_cue=3))
    assert tail == '\n ],\n "notes": []\n}\n'  # the end of a document whose cues came before
