"""Huge inputs with speaker turns, presets, ``--speakers`` and targets stream chunk by chunk.

The seed transcript (speaker-turn dashes, sound tags, mojibake) is repeated, each copy shifted in
time, and converted once through the streaming path (threshold and chunk size lowered) and once
whole: the bytes must be the same, and the streaming path must really have cut the file into
several parts. ``benchmarks/bench_huge.py --seed`` measures the memory at 64 MB to 1 GB.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pysubs2
import pytest
import webvtt

import captionbridge
import captionbridge.flow.streaming as streaming
from captionbridge.flow.pipeline import render, resolve_options
from captionbridge.helpers.cuts import last_cut
from captionbridge.host.registry import make_host
from captionbridge.model import Transcript, Turn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_huge import repeat_seed  # noqa: E402

HOST = make_host(entry_points=False)


@pytest.fixture(scope="module")
def seed_copies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed four times over (about 320 KB)."""
    path = tmp_path_factory.mktemp("seed") / "seed4.txt"
    repeat_seed(path, 300_000)
    return path


@pytest.fixture
def parts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Stream everything in 40 KB chunks; the list collects the cue count of each part."""
    monkeypatch.setenv(streaming.THRESHOLD_ENV, "1")
    monkeypatch.setattr(streaming, "CHUNK_BYTES", 40_000)
    monkeypatch.setattr(streaming, "TRANSFORM_CHUNK_BYTES", 40_000)
    seen: list[int] = []
    original = streaming._convert_part

    def counting(part: Transcript, *args: Any, **kwargs: Any) -> int:
        seen.append(len(part))
        return original(part, *args, **kwargs)

    monkeypatch.setattr(streaming, "_convert_part", counting)
    yield seen


def _both(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **options: Any
) -> list[tuple[bytes, bytes]]:
    """(streamed, whole-file) bytes of every output."""
    streamed = captionbridge.convert(source, out_dir=tmp_path / "streamed", **options)
    monkeypatch.setenv(streaming.THRESHOLD_ENV, str(10**12))
    whole = captionbridge.convert(source, out_dir=tmp_path / "whole", **options)
    assert [p.name for p in streamed] == [p.name for p in whole]
    return [(a.read_bytes(), b.read_bytes()) for a, b in zip(streamed, whole, strict=True)]


@pytest.mark.parametrize(
    "options",
    [
        {"to": "srt,vtt"},
        {"to": "srt,vtt", "speakers": "A,B"},
        {"to": "srt,vtt", "speakers": "B,A", "speaker_style": "label"},
        {"to": "srt,vtt", "preset": "netflix"},
        {"to": "srt,vtt", "preset": "netflix", "speakers": "A,B"},
        {"to": "srt,vtt", "preset": "bbc", "speakers": "A,B,C"},
        {"target": "resolve", "speakers": "A,B"},
        {"target": "web"},
    ],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()),
)
def test_streamed_seed_is_the_whole_file_output(
    seed_copies: Path,
    parts: list[int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    options: dict[str, Any],
) -> None:
    outputs = _both(seed_copies, tmp_path, monkeypatch, **options)
    assert len(parts) >= 3, f"the streaming path was not taken: {parts}"
    for streamed, whole in outputs:
        assert streamed == whole
    texts = [streamed.decode("utf-8") for streamed, _ in outputs]
    if "speakers" in options:
        assert any(f"{options['speakers'][-1]}" in t for t in texts)
    # independent parsers read every cue of what was streamed
    for text in texts:
        if text.startswith("WEBVTT"):
            assert len(webvtt.from_string(text).captions) > 3000
        else:
            assert len(pysubs2.SSAFile.from_string(text, format_="srt")) > 3000


@pytest.mark.parametrize(
    "options", [{"speakers": "Ann,Bo,Cy"}, {"speakers": "Ann,Bo", "preset": "netflix"}]
)
def test_alternation_goes_on_across_a_cut_at_a_turn_dash(
    tmp_path: Path, parts: list[int], monkeypatch: pytest.MonkeyPatch, options: dict[str, str]
) -> None:
    """A chunk that starts with a ``- `` turn passes to the next name; one that starts without
    keeps the speaker who spoke last."""
    lines = []
    for i in range(4000):
        start = i * 7500  # 5 s silences: reflow may cut anywhere
        dash = "- " if i % 3 == 0 else ""
        lines.append(f"[{_stamp(start)} --> {_stamp(start + 2500)}]   {dash}line {i} here.")
    source = tmp_path / "turns.txt"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = _both(source, tmp_path, monkeypatch, to="srt", **options)
    assert len(parts) > 5
    assert outputs[0][0] == outputs[0][1]
    assert b"Cy: line 6 here." in outputs[0][0] or b"Bo: line 3 here." in outputs[0][0]


def _stamp(ms: int) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def test_a_speaker_label_after_plain_cues_across_a_cut(
    tmp_path: Path, parts: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writers show ``NAME:`` when the speaker changes; plain cues between two turns of one
    speaker change nothing, also when a chunk starts after them."""
    lines = []
    for i in range(6000):
        speaker = f"[SPEAKER_0{i // 700 % 2}]: " if i % 7 == 0 else ""
        lines.append(f"[{_stamp(i * 3000)} --> {_stamp(i * 3000 + 2000)}]   {speaker}text {i}")
    source = tmp_path / "labels.txt"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = _both(source, tmp_path, monkeypatch, to="srt,vtt", speaker_style="label")
    assert len(parts) > 5
    for streamed, whole in outputs:
        assert streamed == whole
    srt = outputs[0][0].decode()
    assert "SPEAKER_01: text 700\n" in srt and "\ntext 707\n" in srt


def test_reflow_cuts_only_before_a_turn_or_after_a_sentence(
    tmp_path: Path, parts: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a 4 s silence a turn goes on (``friend was``) and a new one follows at once: the
    search may not start a two-speaker subtitle there in the whole file, so no part may start
    there either (a part's first word always starts a turn)."""
    lines, t = [], 0
    for _ in range(1500):
        lines.append(f"[{_stamp(t)} --> {_stamp(t + 1500)}]   - So I told him that my")
        lines.append(f"[{_stamp(t + 5500)} --> {_stamp(t + 6300)}]   friend was")
        lines.append(f"[{_stamp(t + 6300)} --> {_stamp(t + 7000)}]   - No.")
        t += 11_000
    source = tmp_path / "turns.txt"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = _both(source, tmp_path, monkeypatch, to="srt", preset="netflix")
    assert len(parts) > 5
    assert outputs[0][0] == outputs[0][1]
    assert b"\nfriend was\n" in outputs[0][0]


def test_speakers_naming_reader_ids_falls_back(
    tmp_path: Path, parts: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--speakers`` names the ids in order of appearance in the whole file: not chunk by
    chunk."""
    lines = [
        f"[{_stamp(i * 3000)} --> {_stamp(i * 3000 + 2000)}]   [SPEAKER_0{1 - i // 2000}]: text {i}"
        for i in range(3000)
    ]
    source = tmp_path / "ids.txt"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = _both(source, tmp_path, monkeypatch, to="srt", speakers="A,B")
    assert parts == []  # fell back before converting a part
    assert outputs[0][0] == outputs[0][1]
    assert b"A: text 0" in outputs[0][0] and b"B: text 2000" in outputs[0][0]


def test_no_place_to_cut_falls_back(
    tmp_path: Path, parts: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Speech without a long silence for many chunks: streaming gives up, the whole-file path
    converts it."""
    lines = [f"[{_stamp(i * 2000)} --> {_stamp(i * 2000 + 1900)}]   word {i}." for i in range(9000)]
    source = tmp_path / "dense.txt"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = _both(source, tmp_path, monkeypatch, to="srt", preset="netflix")
    assert parts == []
    assert outputs[0][0] == outputs[0][1]


def test_last_cut_wants_a_silence_after_every_earlier_cue() -> None:
    starts = [0, 1000, 5000, 5100, 9000]
    ends = [900, 8000, 5050, 6000, 9500]  # the second cue runs over the third and the fourth
    assert last_cut(starts, ends, 4, 1000) == 4  # 9000 - 8000 is 1000: enough
    assert last_cut(starts, ends, 4, 1001) == 0
    assert last_cut(starts, ends, 3, 50) == 1  # only after the first cue
    assert last_cut(starts, ends, 0, 0) == 0
    assert last_cut([0, 10, 5], [1, 11, 6], 2, 0) == 1  # not at 2: the third starts sooner


def test_last_cut_takes_the_last_silence_that_accept_allows() -> None:
    starts = [0, 1000, 2000, 3000, 4000]
    ends = [500, 1500, 2500, 3500, 4500]  # a 500 ms silence before every cue
    asked: list[int] = []

    def odd(c: int) -> bool:
        asked.append(c)
        return c % 2 == 1

    assert last_cut(starts, ends, 4, 500, odd) == 3
    assert asked == [4, 3]  # one pass from the end, each place asked once
    assert last_cut(starts, ends, 4, 500, lambda c: False) == 0
    assert last_cut(starts, ends, 4, 501, odd) == 0  # no silence long enough at all


class _Cutter:
    """A plugin with an opinion on where to cut."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer

    @captionbridge.hookimpl
    def captionbridge_stream_cut(self, transcript: Transcript, before: int) -> int | None:
        return self.answer(before) if callable(self.answer) else self.answer


def test_stream_cut_is_where_every_plugin_agrees() -> None:
    host = make_host(entry_points=False)
    host.pm.register(_Cutter(lambda before: min(before, 7) if before != 7 else 5), "odd")
    host.pm.register(_Cutter(lambda before: before - before % 5), "fives")
    transcript = Transcript.from_columns(list(range(20)), list(range(1, 21)), ["x"] * 20)
    options = resolve_options(host, {})
    # 19 -> odd says 7, fives 15 -> 7 -> odd 5, fives 5: agreed
    assert host.stream_cut(transcript, 19, options) == 5
    host.pm.register(_Cutter(-1), "never")
    assert host.stream_cut(transcript, 19, options) == -1


def test_a_plugin_that_refuses_chunks_makes_the_whole_file_path_run(
    tmp_path: Path, seed_copies: Path, parts: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    host = make_host(entry_points=False)
    host.pm.register(_Cutter(-1), "never")
    written = captionbridge.convert(seed_copies, to="srt", out_dir=tmp_path / "a", host=host)
    assert parts == []
    assert written[0].stat().st_size > 100_000


def test_stream_resume_continues_the_alternation() -> None:
    options = resolve_options(HOST, {"speakers": "Ann,Bo"})
    done = Transcript.from_columns([0], [1], [(Turn("hi", "Bo", True),)])
    keep = Transcript.from_columns([5], [6], ["and so on"])
    change = Transcript.from_columns([5], [6], [(Turn("yes", None, True),)])
    assert HOST.stream_resume(done, keep, options) == {"first_speaker": "Bo"}
    assert HOST.stream_resume(done, change, options) == {"first_speaker": "Ann"}
    assert HOST.stream_resume(done, change, resolve_options(HOST, {})) == {}


class _Numbering:
    @captionbridge.hookimpl
    def captionbridge_stream_resume(self, done: Transcript) -> dict[str, int]:
        return {"my_first": len(done)}


def test_stream_resume_answers_are_merged() -> None:
    host = make_host(entry_points=False)
    host.pm.register(_Numbering(), "numbering")
    options = resolve_options(host, {"speakers": "Ann,Bo"})
    done = Transcript.from_columns([0], [1], [(Turn("hi", "Ann"),)])
    following = Transcript.from_columns([5], [6], ["more"])
    assert host.stream_resume(done, following, options) == {"first_speaker": "Ann", "my_first": 1}


def test_a_chunk_writer_knows_the_speaker_of_the_cue_before() -> None:
    """SRT shows ``NAME:`` when the speaker changes: at the start of a chunk too."""
    options = resolve_options(HOST, {"speaker_style": "label"})
    part = Transcript.from_columns([10], [20], [(Turn("still me", "Ann"),)])
    srt = HOST.writer("srt")
    same = render(part, srt, HOST, options, "x", first_cue=1, previous=(Turn("me", "Ann"),))
    other = render(part, srt, HOST, options, "x", first_cue=1, previous=(Turn("you", "Bo"),))
    assert re.search(rb"\nstill me\n$", same[""])
    assert other[""].endswith(b"\nAnn: still me\n")
