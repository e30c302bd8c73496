"""``captionbridge live``: a recorded whisper.cpp ``stream`` run played through a pipe with real
pauses, every output read while it grows; the engine's rules one by one; following a file
through truncation and rotation; bounded memory counted in cues kept."""

from __future__ import annotations

import itertools
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path

import pytest
import srt
import webvtt
from vttref import reference_parse
from waiting import until

from captionbridge.host.registry import PluginHost
from captionbridge.live.engine import LiveEngine
from captionbridge.live.hls import HlsSink
from captionbridge.live.lines import LineSplitter, Version
from captionbridge.live.merge import MergeStage
from captionbridge.live.run import LiveRun
from captionbridge.live.sinks import GrowingFileSink
from captionbridge.model import Cue
from captionbridge.reflow.limits import Limits
from captionbridge.specs import ResolvedOptions

DATA = Path(__file__).resolve().parent / "data" / "live"
LIVE = [sys.executable, "-m", "captionbridge", "live"]
FINAL = [
    (0, 2500, "Good evening and welcome."),
    (2500, 5400, "Tonight we talk about captions."),
    (5400, 8600, "Live ones, made while we speak."),
    (8600, 12400, "- Is it hard to do?"),
    (14000, 17800, "Not with the right tools."),
]
#: a segment line of the recording, and the tokens that are not caption text
SEGMENT = re.compile(rb"^\[[\d:.]+ --> [\d:.]+\]\s+(.*)$", re.MULTILINE)
TOKENS = re.compile(r"\[(SPEAKER_TURN|BLANK_AUDIO)\]")


def _recording(name: str) -> list[tuple[float, bytes]]:
    events = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        events.append((event["after_ms"] / 1000, event["out"].encode("utf-8")))
    return events


class _Watcher(threading.Thread):
    """Reads the given files over and over while the run goes on; keeps each distinct text."""

    def __init__(self, paths: list[Path]) -> None:
        super().__init__(daemon=True)
        self.paths = paths
        self.seen: dict[Path, list[str]] = {path: [] for path in paths}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.look()
            time.sleep(0.002)
        self.look()

    def look(self) -> None:
        for path in self.paths:
            try:
                text = path.read_text(encoding="utf-8")
            except FileNotFoundError:
                continue
            versions = self.seen[path]
            if not versions or versions[-1] != text:
                versions.append(text)

    def wait_for_lines(self, data: bytes) -> None:
        """Wait until a version seen of the SRT and of the WebVTT (the first two paths) shows
        each line just fed (``data``) as a cue: no version is missed for coming too soon."""
        for text in _said(data):
            for path, cues in zip(self.paths[:2], (_srt_cues, _vtt_cues), strict=True):
                until(f"{text!r} in a version of {path}", partial(self._shown, path, cues, text))

    def _shown(
        self, path: Path, cues: Callable[[str], list[tuple[int, int, str]]], text: str
    ) -> bool | None:
        return any(text in [_bare(c[2]) for c in cues(v)] for v in list(self.seen[path])) or None


def _start(args: list[str], ready: Path) -> subprocess.Popen[bytes]:
    """Start the command; return once it has written its (empty) first version of ``ready``."""
    process = subprocess.Popen(
        [*LIVE, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )

    def started() -> bool | None:
        assert process.poll() is None, "live ended before it started"
        return ready.exists() or None

    until(f"live wrote {ready}", started)
    return process


def _play(
    process: subprocess.Popen[bytes],
    events: list[tuple[float, bytes]],
    after: Callable[[bytes], None] = lambda data: None,
) -> None:
    """Feed the recording, with its pauses three times shorter (they make the reads come
    apart as they would live; no result depends on them), calling ``after`` after each
    piece: a test that looks at the outputs while they grow waits there for what it looks
    for, so that the next piece comes only once the last one has been seen."""
    assert process.stdin is not None
    for pause, data in events:
        time.sleep(pause / 3)
        process.stdin.write(data)
        process.stdin.flush()
        after(data)


def _said(data: bytes) -> list[str]:
    """The caption texts of the segment lines in a piece of the recording."""
    said = [TOKENS.sub("", line.decode()).strip() for line in SEGMENT.findall(data)]
    return [text for text in said if text]


def _bare(text: str) -> str:
    """A caption's words without the speaker-change mark of its format (``- `` or ``>> ``)."""
    return re.sub(r"^(- |>> )", "", text)


def _srt_cues(text: str) -> list[tuple[int, int, str]]:
    return [
        (int(c.start.total_seconds() * 1000), int(c.end.total_seconds() * 1000), c.content)
        for c in srt.parse(text)
    ]


def _vtt_cues(text: str) -> list[tuple[int, int, str]]:
    return [(_ms(c.start), _ms(c.end), c.text) for c in webvtt.from_string(text).captions]


def _ms(stamp: str) -> int:
    hours, minutes, seconds = stamp.split(":")
    return round((int(hours) * 3600 + int(minutes) * 60 + float(seconds)) * 1000)


def _playlist_segments(text: str) -> list[str]:
    """The segment names of a playlist, checked against RFC 8216's rules for what we write."""
    lines = text.splitlines()
    assert lines[0] == "#EXTM3U"
    assert "#EXT-X-TARGETDURATION:4" in lines
    durations = [float(line[8:].rstrip(",")) for line in lines if line.startswith("#EXTINF:")]
    assert all(0 < duration <= 4 for duration in durations)
    if "#EXT-X-ENDLIST" in lines:
        assert lines.index("#EXT-X-ENDLIST") == len(lines) - 1
    return [line for line in lines if line and not line.startswith("#")]


@pytest.fixture
def outputs(tmp_path: Path) -> dict[str, Path]:
    return {"srt": tmp_path / "live.srt", "vtt": tmp_path / "live.vtt", "hls": tmp_path / "hls"}


def _args(outputs: dict[str, Path]) -> list[str]:
    return [
        "--srt", str(outputs["srt"]), "--vtt", str(outputs["vtt"]), "--hls", str(outputs["hls"]),
        "--hls-segment", "4",
    ]  # fmt: skip


def test_a_recorded_stream_run_grows_every_output_valid_at_every_moment(
    outputs: dict[str, Path],
) -> None:
    playlist = outputs["hls"] / "live.m3u8"
    watcher = _Watcher([outputs["srt"], outputs["vtt"], playlist])
    watcher.start()
    process = _start(_args(outputs), outputs["srt"])
    _play(process, _recording("stream-vad.jsonl"), after=watcher.wait_for_lines)
    _, err = process.communicate(timeout=60)
    watcher.done.set()
    watcher.join()
    assert process.returncode == 0, err.decode()
    stderr = err.decode()
    assert "<stdin>:23:2: malformed timestamp line" in stderr and "(skipped)" in stderr
    assert "Traceback" not in stderr
    srt_versions = watcher.seen[outputs["srt"]]
    vtt_versions = watcher.seen[outputs["vtt"]]
    assert len(srt_versions) >= 8 and len(vtt_versions) >= 8  # it grew while we watched
    srt_seen = [_srt_cues(text) for text in srt_versions]  # every version parses
    vtt_seen = [_vtt_cues(text) for text in vtt_versions]
    assert srt_seen[-1] == FINAL
    assert vtt_seen[-1] == FINAL
    # a revision replaces its cue: the half-heard first line was shown, then replaced
    assert any(cues[:1] == [(0, 2600, "Good evening and wel")] for cues in srt_seen)
    assert any((2500, 5600, "Tonight we talk about caption") in cues for cues in vtt_seen)
    # the file only ever grows by final cues: each final cue, once shown, stays as it is
    for before, after in itertools.pairwise(srt_seen):
        assert all(cue in after for cue in before if cue in FINAL)
    segments = _playlist_segments(playlist.read_text(encoding="utf-8"))
    assert playlist.read_text(encoding="utf-8").rstrip().endswith("#EXT-X-ENDLIST")
    assert segments == [f"live-{i}.vtt" for i in range(5)]
    for version in watcher.seen[playlist]:
        for name in _playlist_segments(version):  # a listed segment is there and complete
            text = (outputs["hls"] / name).read_text(encoding="utf-8")
            assert text.startswith("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000\n")
            webvtt.from_string(text)
    # the W3C reference parser reads every version and segment as webvtt-py does
    segment_texts = [(outputs["hls"] / name).read_text(encoding="utf-8") for name in segments]
    texts = vtt_versions + segment_texts
    for text, theirs in zip(texts, reference_parse(texts), strict=True):
        found = [
            (round(c["startTime"] * 1000), round(c["endTime"] * 1000), c["text"]) for c in theirs
        ]
        assert found == _vtt_cues(text)
    shown: set[tuple[int, int, str]] = set()
    for index, name in enumerate(segments):
        for cue in _vtt_cues((outputs["hls"] / name).read_text(encoding="utf-8")):
            assert cue[0] < (index + 1) * 4000 and cue[1] > index * 4000
            shown.add(cue)
    assert sorted(shown) == FINAL


def test_ctrl_c_finalises_every_output(outputs: dict[str, Path]) -> None:
    events = _recording("stream-vad.jsonl")
    cut = next(i for i, (_, data) in enumerate(events) if b"Transcription 4 END" in data)
    process = _start(_args(outputs), outputs["srt"])
    _play(process, events[: cut + 1])
    _wait_for(outputs["srt"], "Is it hard to do?")
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err.decode()
    assert "interrupted: 4 cue(s) read, all final" in err.decode()
    assert _srt_cues(_text(outputs["srt"])) == FINAL[:4]
    playlist = _text(outputs["hls"] / "live.m3u8")
    assert playlist.rstrip().endswith("#EXT-X-ENDLIST")
    last = _playlist_segments(playlist)[-1]
    assert "Is it hard to do?" in _text(outputs["hls"] / last)
    assert not list(outputs["srt"].parent.glob(".*.part"))  # the hidden store is gone


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def _wait_for(path: Path, needle: str) -> None:
    until(lambda: f"{needle!r} in {path}: {_text(path)!r}", lambda: needle in _text(path) or None)


def test_a_followed_file_is_read_again_after_truncation_and_rotation(tmp_path: Path) -> None:
    source = tmp_path / "whisper.txt"
    out = tmp_path / "out.srt"
    source.write_text("[00:00:00.000 --> 00:00:02.000]   One.\n", encoding="utf-8")
    process = subprocess.Popen(
        [*LIVE, str(source), "--srt", str(out)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    _wait_for(out, "One.")
    with source.open("a", encoding="utf-8") as handle:
        handle.write("[00:00:02.000 --> 00:00:04.000]   Two.\n")
    _wait_for(out, "Two.")
    source.write_text("[00:00:00.000 --> 00:00:01.000]   Three.\n", encoding="utf-8")
    _wait_for(out, "Three.")
    fresh = tmp_path / "new.txt"
    fresh.write_text("[00:00:00.000 --> 00:00:01.500]   Four.\n", encoding="utf-8")
    os.replace(fresh, source)
    _wait_for(out, "Four.")
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    stderr = err.decode()
    assert process.returncode == 0, stderr
    assert "was truncated: reading it again from its start" in stderr
    assert "was replaced (rotated)" in stderr
    assert _srt_cues(_text(out)) == [
        (0, 2000, "One."),
        (2000, 4000, "Two."),
        (4000, 5000, "Three."),  # times start again: a new chunk after the last end
        (5000, 6500, "Four."),
    ]


# -- the engine, without a process -----------------------------------------------------------


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _engine(
    host: PluginHost, reports: list[str], **kwargs: object
) -> tuple[LiveEngine, LineSplitter]:
    options = ResolvedOptions({name: spec.default for name, spec in host.options.items()})
    engine = LiveEngine(host, options, host.reader("bracket"), report=reports.append, **kwargs)  # type: ignore[arg-type]
    return engine, LineSplitter()


def _feed(engine: LiveEngine, splitter: LineSplitter, data: str) -> tuple[list[Cue], list[Cue]]:
    for version in splitter.feed(data.encode("utf-8")):
        engine.handle(version)
    return engine.take()


def _plain(cues: list[Cue]) -> list[tuple[int, int, str]]:
    return [(c.start, c.end, c.text) for c in cues]


def test_a_rewritten_line_replaces_its_cue_and_is_final_once_the_next_starts(
    host: PluginHost,
) -> None:
    reports: list[str] = []
    engine, lines = _engine(host, reports)
    erase = "\x1b[2K\r" + " " * 100 + "\x1b[2K\r"
    final, pending = _feed(engine, lines, "[00:00:00.000 --> 00:00:01.000]  Hel")
    assert (final, _plain(pending)) == ([], [(0, 1000, "Hel")])
    final, pending = _feed(engine, lines, erase + "[00:00:00.000 --> 00:00:01.500]  Hello.")
    assert (final, _plain(pending)) == ([], [(0, 1500, "Hello.")])
    final, pending = _feed(engine, lines, "\n[00:00:01.500 --> 00:00:03.000]  World.\n")
    assert _plain(final) == [(0, 1500, "Hello.")]
    assert _plain(pending) == [(1500, 3000, "World.")]
    engine.finish()
    assert _plain(engine.take()[0]) == [(1500, 3000, "World.")]
    assert reports == []


def test_untimed_stream_lines_are_timed_by_the_clock(host: PluginHost) -> None:
    clock = _Clock()
    engine, lines = _engine(host, [], clock=clock)
    for pause, data in _recording("stream-step.jsonl"):
        clock.now += pause
        for version in lines.feed(data):
            engine.handle(version)
    engine.finish()
    final, pending = engine.take()
    assert pending == []
    assert _plain(final) == [
        (120, 1120, "Good evening and welcome."),  # first seen 0.12 s in, lasts 1 s at least
        (365, 1365, "Tonight we talk about captions."),
    ]
    assert all(c.end - c.start >= 1000 for c in final)


def test_times_that_go_back_start_a_chunk_counted_by_chunk_offset(host: PluginHost) -> None:
    reports: list[str] = []
    engine, lines = _engine(host, reports, chunk_offset=30_000)
    text = (
        "[00:00:00.000 --> 00:00:29.000]  First chunk.\n"
        "[00:00:00.000 --> 00:00:02.000]  Second chunk.\n"
        "[00:00:01.000 --> 00:00:03.000]  Still second.\n"
    )
    final, _ = _feed(engine, lines, text)
    engine.finish()
    final += engine.take()[0]
    assert _plain(final) == [
        (0, 29000, "First chunk."),
        (30000, 32000, "Second chunk."),
        (31000, 33000, "Still second."),
    ]
    assert reports == [
        "<stdin>:2: warning: times go back to 00:00:00.000: a new chunk, its times count from"
        " 00:00:30.000"
    ]


def test_a_malformed_line_is_reported_and_skipped_never_fatal(host: PluginHost) -> None:
    reports: list[str] = []
    engine, lines = _engine(host, reports)
    final, _ = _feed(
        engine, lines, "[00:00:00.000 --> 00:00:01.000]  One.\n[00:00:0x --> 00:01]  X\n"
    )
    final += _feed(engine, lines, "[00:00:01.000 --> 00:00:02.000]  Two.\n")[0]
    engine.finish()
    assert [c.text for c in [*final, *engine.take()[0]]] == ["One.", "Two."]
    assert len(reports) == 1 and reports[0].startswith("<stdin>:2:")
    assert reports[0].endswith("(skipped)")


def test_a_half_written_line_is_not_reported_until_it_ends(host: PluginHost) -> None:
    reports: list[str] = []
    engine, lines = _engine(host, reports)
    _feed(engine, lines, "[00:00:00.000 --> 00:0")
    assert reports == []
    final, pending = _feed(engine, lines, "0:01.000]  Whole.\n")
    assert (final, _plain(pending)) == ([], [(0, 1000, "Whole.")])


def test_reflow_acts_on_live_cues(tmp_path: Path) -> None:
    # SDH removal through the plugin hooks is tested with the SDH package installed
    # (plugins/captionbridge-sdh/tests); the core suite runs without plugin packages
    process = subprocess.run(
        [*LIVE, "--srt", str(tmp_path / "o.srt"), "--max-chars", "20"],
        input=b"[00:00:00.000 --> 00:00:03.000]  That was a very good question.\n",
        capture_output=True,
        timeout=60,
    )
    assert process.returncode == 0, process.stderr.decode()
    (cue,) = srt.parse((tmp_path / "o.srt").read_text(encoding="utf-8"))
    assert cue.content.split() == ["That", "was", "a", "very", "good", "question."]
    assert all(len(line) <= 20 for line in cue.content.splitlines())
    assert len(cue.content.splitlines()) >= 2


def _cue_lines(count: int) -> Iterator[str]:
    for i in range(count):
        start = i * 1000
        yield f"[{_stamp(start)} --> {_stamp(start + 900)}]  Line number {i}.\n"


def _stamp(ms: int) -> str:
    s, ms = divmod(ms, 1000)
    m, s = divmod(s, 60)
    h, m = divmod(m, 60)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def test_memory_stays_bounded_over_ten_thousand_lines(host: PluginHost, tmp_path: Path) -> None:
    engine, _ = _engine(host, [])
    options = engine.options
    growing = GrowingFileSink(tmp_path / "o.vtt", host.writer("vtt"), host, options)
    hls = HlsSink(tmp_path / "hls", host.writer("vtt"), host, options, seconds=6, window=3)
    run = LiveRun(engine, [growing, hls], lambda message: None)
    kept = []
    lines = list(_cue_lines(10_000))
    for number in range(0, len(lines), 25):  # 25 lines a read: each read is one publish
        run.feed("".join(lines[number : number + 25]).encode("ascii"))
        kept.append((len(engine.pending), len(hls._cues)))
    run.finish()
    assert max(pending for pending, _ in kept) <= 1
    assert max(cues for _, cues in kept) <= 8  # a segment's worth, not the hour
    assert len(list((tmp_path / "hls").glob("*.vtt"))) <= 7  # the window, twice, plus one
    playlist = (tmp_path / "hls" / "live.m3u8").read_text(encoding="ascii")
    assert "#EXT-X-MEDIA-SEQUENCE:1664" in playlist and "PLAYLIST-TYPE" not in playlist
    assert len(_vtt_cues((tmp_path / "o.vtt").read_text(encoding="utf-8"))) == 10_000


def test_a_line_splitter_keeps_only_the_last_version_of_a_rewritten_line() -> None:
    lines = LineSplitter()
    assert lines.feed(b"\x1b[2K\rone") == [Version(1, "one", False)]
    assert lines.feed(b"\x1b[2K\r" + b" " * 100 + b"\x1b[2K\r") == []
    assert lines.feed(b"one two\n") == [Version(1, "one two", True)]
    assert lines.feed(b"next", final=True) == [Version(2, "next", True)]


class _Recorder:
    """A sink that keeps what it was given."""

    def __init__(self) -> None:
        self.final: list[Cue] = []
        self.pending: list[list[Cue]] = []
        self.closed = 0

    def publish(self, finalised: Sequence[Cue], pending: Sequence[Cue]) -> None:
        self.final += finalised
        self.pending.append(list(pending))

    def close(self) -> None:
        self.closed += 1


def test_the_merge_joins_forward_within_the_limits_and_passes_each_cue_once(
    host: PluginHost,
) -> None:
    engine, _ = _engine(host, [])
    recorder = _Recorder()
    limits = Limits(max_chars=20, max_lines=2)
    run = LiveRun(engine, [MergeStage([recorder], limits, engine.transform_cue)], print)
    run.feed(b"[00:00:00.000 --> 00:00:01.000]  so the thing\n")
    run.feed(b"[00:00:01.100 --> 00:00:02.000]  about live captions\n")
    assert recorder.final == []  # held: the next may still join it
    assert _plain(recorder.pending[-1]) == [(0, 2000, "so the thing about live captions")]
    run.feed(b"[00:00:02.100 --> 00:00:03.000]  is speed.\n")  # 41 characters: too long
    run.feed(b"[00:00:04.000 --> 00:00:05.000]  - Next one\n[00:00:05.100 --> 00:00:06.000]  me.\n")
    run.finish()
    assert _plain(recorder.final) == [
        (0, 2000, "so the thing about live captions"),
        (2100, 3000, "is speed."),  # ends a sentence: never held
        (4000, 6000, "Next one me."),  # a new speaker's turn, joined with what follows
    ]
    assert recorder.final[2].turns[0].change
    assert recorder.pending[-1] == [] and recorder.closed == 1


def test_live_without_an_output_is_a_usage_error() -> None:
    process = subprocess.run([*LIVE], input=b"", capture_output=True, timeout=60)
    assert process.returncode == 2
    assert b"name at least one output" in process.stderr and b"Traceback" not in process.stderr


def test_an_existing_output_is_kept_without_force(tmp_path: Path) -> None:
    out = tmp_path / "o.srt"
    out.write_text("keep me\n", encoding="utf-8")
    process = subprocess.run(
        [*LIVE, "--srt", str(out)], input=b"[00:00:00.000 --> 00:00:01.000]  x\n",
        capture_output=True, timeout=60,
    )  # fmt: skip
    assert process.returncode == 1
    assert process.stderr.decode().strip() == f"{out}: exists; use --force to overwrite it"
    assert out.read_text(encoding="utf-8") == "keep me\n"
    assert list(tmp_path.iterdir()) == [out]


def test_speaker_markers_carry_across_lines(host: PluginHost) -> None:
    engine, lines = _engine(host, [])
    final, _ = _feed(
        engine,
        lines,
        "[00:00:00.000 --> 00:00:01.000]  (speaker 0) Hello there.\n"
        "[00:00:01.000 --> 00:00:02.000]  (speaker 0) How are you?\n"
        "[00:00:02.000 --> 00:00:03.000]  (speaker 1) Fine, thanks.\n",
    )
    engine.finish()
    cues = [*final, *engine.take()[0]]
    assert [(c.turns[0].speaker, c.turns[0].change) for c in cues] == [
        ("speaker 0", False),
        ("speaker 0", False),
        ("speaker 1", True),
    ]
    assert "speaker 1" in engine.speakers


def test_settle_makes_ended_lines_final_when_the_input_is_quiet(
    host: PluginHost, tmp_path: Path
) -> None:
    clock = _Clock()
    engine, _ = _engine(host, [])
    recorder = _Recorder()
    options = engine.options
    hls = HlsSink(
        tmp_path, host.writer("vtt"), host, options, seconds=1, floor=lambda: engine.floor
    )
    run = LiveRun(engine, [recorder, hls], print, settle=5.0, clock=clock)
    run.feed(
        b"### Transcription 0 START | t0 = 0 ms | t1 = 3000 ms\n\n"
        b"[00:00:00.000 --> 00:00:02.000]   One.\n[00:00:02.000 --> 00:00:03.000]   Tw"
    )
    assert recorder.final == [] and len(recorder.pending[-1]) == 2
    clock.now += 4.9
    run.feed(b"")  # quiet, but not for long enough
    assert recorder.final == []
    clock.now += 0.2
    run.feed(b"")
    assert _plain(recorder.final) == [(0, 2000, "One.")]  # the open line stays pending
    assert _plain(recorder.pending[-1]) == [(2000, 3000, "Tw")]
    # nothing will start before 2 s now: the HLS segments up to there are written
    assert _playlist_names(tmp_path / "live.m3u8") == ["live-0.vtt", "live-1.vtt"]


def _playlist_names(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="ascii").splitlines() if line.endswith(".vtt")]
