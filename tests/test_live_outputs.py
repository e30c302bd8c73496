"""Every output of one ``captionbridge live`` run, checked while it grows.

The recorded whisper.cpp ``stream`` run goes line by line through a pipe into the real command
with ``--srt --vtt --hls --scc --serve`` all at once. After each fed line: the SRT parses with
``srt``, the WebVTT, the HLS playlist and its segments with webvtt-py, the SCC decodes with
ttconv to the cues final so far, and the overlay page, open in headless Chromium all along,
shows the line just fed through its event stream. At the end every output is final and they
all show the same cues.
"""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import threading
from pathlib import Path

import srt
from chromium import Page
from conftest import require_tool
from test_live import (
    FINAL,
    _bare,
    _play,
    _playlist_segments,
    _recording,
    _said,
    _srt_cues,
    _start,
    _text,
    _vtt_cues,
)
from test_live_sinks import _ttconv_rows
from waiting import until

from captionbridge import api
from captionbridge.host.registry import PluginHost
from captionbridge.live.overlay import OverlaySink
from captionbridge.model import Cue, Transcript, Turn

#: what the overlay shows, one string per caption line, and whether the run is done
SHOWN = (
    "[[...document.querySelectorAll('#captions .line')].map((row) => row.textContent),"
    " document.body.dataset.state]"
)
#: the start of each whisper.cpp ``stream`` VAD block: cues that start before ``t0`` are final
BLOCK = re.compile(rb"### Transcription \d+ START \| t0 = (\d+) ms")


class _Stderr(threading.Thread):
    """Collects the command's standard error as it comes (it names the overlay's address)."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        super().__init__(daemon=True)
        self.process = process
        self.lines: list[str] = []
        self.start()

    def run(self) -> None:
        assert self.process.stderr is not None
        for raw in self.process.stderr:
            self.lines.append(raw.decode("utf-8"))

    def overlay_url(self) -> str:
        prefix = "captionbridge: overlay at "

        def said() -> str | None:
            lines = [line for line in self.lines if line.startswith(prefix)]
            return lines[0][len(prefix) :].strip() if lines else None

        return until("the overlay's address on stderr", said)


def _outputs(tmp_path: Path) -> dict[str, Path]:
    return {name: tmp_path / f"live.{name}" for name in ("srt", "vtt", "scc")} | {
        "hls": tmp_path / "hls"
    }


def _check_hls(folder: Path) -> list[tuple[int, int, str]]:
    """Parse the playlist and every segment it lists; return the segments' cues."""
    cues: list[tuple[int, int, str]] = []
    for name in _playlist_segments(_text(folder / "live.m3u8")):
        cues += _vtt_cues((folder / name).read_text(encoding="utf-8"))
    return cues


def test_every_output_of_one_run_is_valid_and_current_after_each_line(tmp_path: Path) -> None:
    require_tool("chromium")
    out = _outputs(tmp_path)
    process = _start(
        [
            "--srt", str(out["srt"]), "--vtt", str(out["vtt"]), "--hls", str(out["hls"]),
            "--hls-segment", "4", "--scc", str(out["scc"]), "--serve", "127.0.0.1:0",
        ],
        out["srt"],
    )  # fmt: skip
    stderr = _Stderr(process)
    try:
        _play_and_watch(process, stderr, out)
    finally:  # the end of the input ends the run, also after a failed check
        with contextlib.suppress(OSError):
            process.stdin.close()  # type: ignore[union-attr]
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        stderr.join(timeout=60)
        process.stdout.close()  # type: ignore[union-attr]
        process.stderr.close()  # type: ignore[union-attr]
    assert process.returncode == 0, "".join(stderr.lines)
    assert not any("Traceback" in line for line in stderr.lines)
    assert any(line.startswith("<stdin>:23:2: malformed timestamp line") for line in stderr.lines)
    _check_end(out)
    # nothing is left behind: no temporary file, no hidden store of final cues
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(p.name for p in out.values())


def _play_and_watch(
    process: subprocess.Popen[bytes], stderr: _Stderr, out: dict[str, Path]
) -> None:
    """Feed the recording line by line, checking every output after each; then end the input
    and wait for the overlay to show the end."""
    assert process.stdin is not None
    final: list[tuple[int, int, str]] = []  # the cues final so far, by the block headers

    def check(data: bytes) -> None:
        nonlocal final
        if block := BLOCK.search(data):
            final = [cue for cue in FINAL if cue[0] < int(block[1])]
        _check_moment(out, page, final, _said(data))

    with Page(stderr.overlay_url()) as page:
        page.until(SHOWN, lambda value: value == [[], "live"])  # connected, nothing yet
        _play(process, _recording("stream-vad.jsonl"), after=check)
        process.stdin.close()
        shown = page.until(SHOWN, lambda value: value[1] == "done")
        assert shown[0] == [text for _, _, text in FINAL[-2:]]  # "- " as in the SRT


def _check_moment(
    out: dict[str, Path], page: Page, final: list[tuple[int, int, str]], said: list[str]
) -> None:
    """Wait for the line just fed to reach every output, checking each output as it is."""
    # the SCC holds final cues only: it decodes to exactly those. It is read before the other
    # files, which are written first, so that they are at least as new as the SCC read.
    until(f"the SCC decodes to the {len(final)} final cue(s)", lambda: _scc_is(out, final))
    for text in said:
        _wait_for_line(out, page, text)
    assert _srt_cues(_text(out["srt"]))[: len(final)] == final
    assert _vtt_cues(_text(out["vtt"]))[: len(final)] == final
    # a segment holds final cues only (it is written once the stream has moved past its end)
    assert set(_check_hls(out["hls"])) <= set(final)


def _wait_for_line(out: dict[str, Path], page: Page, text: str) -> None:
    """Wait for ``text`` (the words of the line just fed) in the SRT, the WebVTT and on the
    overlay page."""
    until(f"{text!r} in the SRT", lambda: _shows(_srt_cues(_text(out["srt"])), text))
    until(f"{text!r} in the WebVTT", lambda: _shows(_vtt_cues(_text(out["vtt"])), text))
    page.until(SHOWN, lambda value: text in [_bare(line) for line in value[0]])


def _scc_is(out: dict[str, Path], final: list[tuple[int, int, str]]) -> bool | None:
    rows = _ttconv_rows(_text(out["scc"]))
    return [_bare(row) for row in rows] == [_bare(text) for _, _, text in final] or None


def _shows(cues: list[tuple[int, int, str]], text: str) -> bool | None:
    return text in [_bare(cue[2]) for cue in cues] or None


def _check_end(out: dict[str, Path]) -> None:
    """At the end of the input every output is final, and all show the same cues."""
    assert _srt_cues(_text(out["srt"])) == FINAL
    assert _vtt_cues(_text(out["vtt"])) == FINAL
    assert sorted(set(_check_hls(out["hls"]))) == FINAL
    assert _text(out["hls"] / "live.m3u8").rstrip().endswith("#EXT-X-ENDLIST")
    rows = _ttconv_rows(_text(out["scc"]))
    assert [_bare(row) for row in rows] == [_bare(text) for _, _, text in FINAL]
    # the speaker change is marked in each format's own way
    assert [row for row in rows if row.startswith(">> ")] == [">> Is it hard to do?"]


def test_the_overlay_marks_speakers_as_the_caption_files_do(host: PluginHost) -> None:
    cues = [
        Cue.make(0, 1000, "Hello there.", speaker="Ann"),
        Cue.make(1000, 2000, "How are you?", speaker="Ann"),  # the same speaker: no label
        Cue.make(2000, 3000, "Fine.", speaker="Bob"),
        Cue(3000, 4000, (Turn("Who's next?", change=True),)),  # a new, unknown speaker
    ]
    expected = [cue.content for cue in srt.parse(api.dumps(Transcript(cues), "srt", host=host))]
    assert expected == ["Ann: Hello there.", "How are you?", "Bob: Fine.", "- Who's next?"]
    sink = OverlaySink(lines=1)
    shown = []
    try:
        for cue in cues:
            sink.publish([], [cue])  # pending: marked as following the last final cue
            pending = json.loads(sink.board.data)["lines"]
            sink.publish([cue], [])
            shown.append((pending, json.loads(sink.board.data)["lines"]))
    finally:
        sink.close()
    assert shown == [
        ([{"text": text, "pending": True}], [{"text": text, "pending": False}]) for text in expected
    ]


SPOKEN = [
    "[00:00:00.000 --> 00:00:01.000]  (speaker 0) Hello there.\n",
    "[00:00:01.000 --> 00:00:02.000]  (speaker 0) How are you?\n",
    "[00:00:02.000 --> 00:00:03.000]  (speaker 1) Fine, thanks.\n",
    "[00:00:03.000 --> 00:00:04.000]  (speaker 1) Good.\n",
]


def test_growing_outputs_label_speakers_as_the_whole_file_would(
    tmp_path: Path, host: PluginHost
) -> None:
    """Each line is its own read, so each cue is written in a chunk of its own: a chunk that
    continues a speaker gets no label, as in a batch conversion of the same lines."""
    out, scc = tmp_path / "live.srt", tmp_path / "live.scc"
    process = _start(["--srt", str(out), "--scc", str(scc), "-q"], out)
    assert process.stdin is not None
    for line in SPOKEN:
        process.stdin.write(line.encode("utf-8"))
        process.stdin.flush()
        _wait_in(out, line.split(") ")[1].strip())
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err.decode()
    whole = api.loads("".join(SPOKEN), format="bracket", host=host)
    batch = api.dumps(whole, "srt", host=host)
    assert isinstance(batch, str)
    assert _text(out) == batch
    assert [cue.content for cue in srt.parse(batch)] == [
        "speaker 0: Hello there.", "How are you?", "speaker 1: Fine, thanks.", "Good.",
    ]  # fmt: skip
    batch_scc = api.dumps(whole, "scc", host=host, scc_mode="rollup2")
    assert isinstance(batch_scc, str)
    assert _text(scc) == batch_scc  # byte for byte
    assert _ttconv_rows(batch_scc) == [
        "SPEAKER 0: Hello there.", "How are you?", "SPEAKER 1: Fine, thanks.", "Good.",
    ]  # fmt: skip


def _wait_in(path: Path, words: str) -> None:
    until(f"{words!r} in {path}", lambda: words in _text(path) or None)
