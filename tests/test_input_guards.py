"""Guards against losing data or memory on hostile inputs and outputs (issue 19): an output that
is the input, temporary files of killed runs, endless devices and pipes, file names that are
not UTF-8, numbers too large for a format."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import captionbridge
from captionbridge.cli.progress import Reporter, json_line
from captionbridge.errors import CaptionbridgeError, ParseError, PluginError
from captionbridge.files import fsio
from captionbridge.files.output import remove_stale_parts

SEGMENTS = (
    "[00:00:01.000 --> 00:00:02.000]   Hello there.\n[00:00:03.000 --> 00:00:04.000]   Bye.\n"
)


def _cli(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "captionbridge", *args],
        capture_output=True,
        cwd=cwd,
        input=stdin,
        check=False,
    )


def _one_error_line(run: subprocess.CompletedProcess[bytes]) -> str:
    lines = run.stderr.decode("utf-8", "replace").strip().splitlines()
    assert len(lines) == 1, lines
    assert "Traceback" not in lines[0]
    return lines[0]


# -- an output that is the input ------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("-o", "talk.txt", "--to", "txt", "--force"),
        ("-o", "linked.txt", "--to", "txt", "--force"),
        ("--to", "txt", "--force"),  # the batch path: <stem>.txt beside the input
    ],
    ids=["same-name", "hard-link", "beside-the-input"],
)
def test_an_output_never_replaces_its_input(tmp_path: Path, args: tuple[str, ...]) -> None:
    talk = tmp_path / "talk.txt"
    talk.write_text(SEGMENTS, encoding="utf-8")
    os.link(talk, tmp_path / "linked.txt")
    run = _cli("convert", "talk.txt", *args, cwd=tmp_path)
    assert run.returncode == 1
    assert "is the input file" in _one_error_line(run)
    assert talk.read_text(encoding="utf-8") == SEGMENTS


def test_api_convert_refuses_its_input_too(tmp_path: Path) -> None:
    talk = tmp_path / "talk.txt"
    talk.write_text(SEGMENTS, encoding="utf-8")
    with pytest.raises(CaptionbridgeError, match="is the input file"):
        captionbridge.convert(talk, talk, to="txt", force=True)
    assert talk.read_text(encoding="utf-8") == SEGMENTS


# -- temporary files of killed runs -----------------------------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_part_files_of_dead_processes_are_removed_and_reported(tmp_path: Path) -> None:
    (tmp_path / "talk.txt").write_text(SEGMENTS, encoding="utf-8")
    dead = tmp_path / f".talk.srt.{_dead_pid()}-0.part"
    alive = tmp_path / f".talk.srt.{os.getpid()}-3.part"  # this test's process is alive
    other = tmp_path / ".notes.part"  # not ours: no process number in its name
    for path in (dead, alive, other):
        path.write_bytes(b"half a file")
    run = _cli("convert", "talk.txt", "-o", "talk.srt", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert not dead.exists()
    assert alive.exists() and other.exists()
    assert b"removed 1 temporary file(s) left by a killed run" in run.stderr


def test_each_folder_is_swept_once(tmp_path: Path) -> None:
    first = tmp_path / f".a.srt.{_dead_pid()}-0.part"
    first.write_bytes(b"")
    assert remove_stale_parts(tmp_path) == [first]
    second = tmp_path / f".b.srt.{_dead_pid()}-0.part"
    second.write_bytes(b"")
    assert remove_stale_parts(tmp_path) == []  # looked at already by this process
    assert second.exists()


# -- endless devices and pipes --------------------------------------------------------------


class _Counting(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.taken = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.taken += len(chunk)
        return chunk


def test_read_stream_stops_one_byte_past_its_limit() -> None:
    assert fsio.read_stream(io.BytesIO(b"x" * 1000), "<stdin>", limit=1000) == b"x" * 1000
    endless = _Counting(b"x" * 10_000)
    with pytest.raises(CaptionbridgeError, match="more than 0 MiB"):
        fsio.read_stream(endless, "<stdin>", limit=1000)
    assert endless.taken == 1001


def test_dev_zero_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    code = (
        "import resource, subprocess, sys;"
        "r = subprocess.run(sys.argv[1:], capture_output=True);"
        "sys.stderr.buffer.write(r.stderr);"
        "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    command = [sys.executable, "-m", "captionbridge", "convert", "/dev/zero", "-o", "z.srt"]
    run = subprocess.run(
        [sys.executable, "-c", code, *command], capture_output=True, cwd=tmp_path, check=False
    )
    status, peak_kib = map(int, run.stdout.split())
    assert status == 1
    assert "/dev/zero: input from a pipe or device holds more than" in _one_error_line(run)
    assert peak_kib < 2 * fsio.STREAM_LIMIT // 1024 + 200_000  # the limit, not the device
    assert not (tmp_path / "z.srt").exists()


# -- JSON records ---------------------------------------------------------------------------


def test_json_records_of_file_names_that_are_not_utf8(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / name).write_text(SEGMENTS, encoding="utf-8")
    run = _cli("convert", ".", "--to", "srt", "--json", "-q", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    records = [json.loads(line) for line in run.stdout.decode("utf-8").splitlines()]
    assert [r["input"] for r in records] == [os.path.join(".", name)]
    assert json_line({"input": name}) == '{"input": "caf\\udce9.txt"}\n'
    assert json_line({"input": "café"}) == '{"input": "café"}\n'


def test_records_held_back_for_order_are_written_at_the_end() -> None:
    from captionbridge.batch.run import FileResult

    out = io.StringIO()
    reporter = Reporter(2, err=io.StringIO(), out=out, bar=False, warnings=False, as_json=True)
    reporter.chunk(1, [FileResult("b.txt", outputs=("b.srt",))])  # chunk 0 never finished
    assert out.getvalue() == ""
    reporter.emit([])
    assert [json.loads(line)["input"] for line in out.getvalue().splitlines()] == ["b.txt"]


# -- numbers too large for a format ---------------------------------------------------------


def test_stl_refuses_a_subtitle_too_long_for_its_blocks() -> None:
    transcript = captionbridge.loads("[00:00:01.000 --> 00:00:05.000]  " + "word " * 6000)
    with pytest.raises(CaptionbridgeError, match=r"at most 26,992 fit") as caught:
        captionbridge.dumps(transcript, "stl")
    assert not isinstance(caught.value, PluginError)


def test_stl_refuses_more_subtitles_than_its_numbers_hold() -> None:
    lines = "".join(
        f"[{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}.000 --> "
        f"{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}.500]  x\n"
        for i in range(66_000)
    )
    with pytest.raises(CaptionbridgeError, match="at most 65,535 subtitles") as caught:
        captionbridge.dumps(captionbridge.loads(lines), "stl")
    assert not isinstance(caught.value, PluginError)


def _json_document(end: str) -> str:
    return (
        '{"format": "captionbridge", "version": 1,\n "cues": [{"start": 0, "end": '
        + end
        + ', "turns": [{"text": "x"}]}]}'
    )


def test_json_with_a_number_past_the_digit_limit_is_a_located_error() -> None:
    with pytest.raises(ParseError) as caught:
        captionbridge.loads(_json_document("9" * 5000), source="x.json")
    assert (caught.value.line, caught.value.column) == (2, 31)
    assert "5,000 digits" in str(caught.value)


def test_json_times_past_2_53_are_refused() -> None:
    with pytest.raises(ParseError, match=r"cue 1: end is past 9,007,199,254,740,991 ms"):
        captionbridge.loads(_json_document(str(2**53)), source="x.json")
    assert captionbridge.loads(_json_document(str(2**53 - 1))).cues[0].end == 2**53 - 1


def test_json_writer_memory_follows_the_output_size() -> None:
    """A cue costs the JSON writer the bytes of its text, not a dict per cue (it took 2 GB for
    a million tiny cues)."""
    code = (
        "import resource, captionbridge\n"
        "from captionbridge.model import Transcript\n"
        "n = 200_000\n"
        "t = Transcript.from_columns(range(0, 2 * n, 2), range(1, 2 * n, 2), ['x'] * n)\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "out = captionbridge.dumps(t, 'json')\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(len(out), (peak - base) * 1024)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    size, growth = map(int, run.stdout.split())
    assert size > 20_000_000
    assert growth < 5 * size, (size, growth)
