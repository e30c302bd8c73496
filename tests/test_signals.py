"""Ctrl-C sent to a real ``python -m captionbridge`` process: it says ``interrupted``, exits
130, leaves no output and no ``.part`` file, stops a streamed file between its chunks and
reports the file it was converting as interrupted, not as "not started".

The tests wait on events (a ``.part`` file appearing, a FIFO input opened, a full pipe), never
on durations; the timeouts are only a safety net.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from heldinput import held_fifo, wait_until_full
from test_streaming import _write_transcript

import captionbridge
from captionbridge.batch import run as batch
from captionbridge.batch.run import INTERRUPTED
from captionbridge.cli.progress import Reporter
from captionbridge.flow import stop
from captionbridge.flow.streaming import THRESHOLD_ENV
from captionbridge.host.registry import make_host

CLI = [sys.executable, "-m", "captionbridge", "convert"]
#: about 10 MB: three streamed chunks, so a stop requested in the first has chunks to skip
CUES = 150_000


def _start(args: list[str], *, stream: bool) -> subprocess.Popen[str]:
    env = dict(os.environ)
    env.pop(THRESHOLD_ENV, None)
    if stream:
        env[THRESHOLD_ENV] = "1000"
    return subprocess.Popen(
        [*CLI, *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_part(process: subprocess.Popen[str], folder: Path) -> None:
    """Until the process has opened its temporary output (it is converting)."""
    deadline = time.monotonic() + 120  # a safety net, not an assertion
    while not any(folder.glob(".*.part")):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no temporary file appeared"
        time.sleep(0.005)


def _left(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "big.txt")


def test_ctrl_c_with_output_says_interrupted_and_exits_130(tmp_path: Path) -> None:
    source = tmp_path / "big.txt"
    _write_transcript(source, CUES)
    process = _start([str(source), "-o", str(tmp_path / "big.srt")], stream=True)
    _wait_for_part(process, tmp_path)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "captionbridge: interrupted" in stderr
    assert "Aborted!" not in stderr and "Traceback" not in stderr
    assert _left(tmp_path) == []  # no output, no .part


def test_ctrl_c_stops_a_streamed_file_between_chunks(tmp_path: Path) -> None:
    source = tmp_path / "big.txt"
    _write_transcript(source, CUES)
    out = tmp_path / "out"
    out.mkdir()
    process = _start([str(source), "--to", "srt", "-d", str(out), "--json"], stream=True)
    _wait_for_part(process, out)
    process.send_signal(signal.SIGINT)  # the batch's Ctrl-C: stop at the next safe point
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    # had it waited for the file to end, big.srt would be there
    assert _left(out) == [], stderr
    assert "1 interrupted" in stderr and "not started" not in stderr, stderr
    assert [json.loads(line)["skipped"] for line in stdout.splitlines()] == [INTERRUPTED]


def test_second_ctrl_c_reports_the_file_in_progress_as_interrupted(tmp_path: Path) -> None:
    source = tmp_path / "big.txt"
    _write_transcript(source, CUES)
    (tmp_path / "later.txt").write_text("[00:00:01.000 --> 00:00:02.000] later\n")
    out = tmp_path / "out"
    out.mkdir()
    process = _start(
        [str(source), str(tmp_path / "later.txt"), "--to", "srt", "-d", str(out), "--json"],
        stream=True,
    )
    _wait_for_part(process, out)
    process.send_signal(signal.SIGINT)
    process.send_signal(signal.SIGINT)  # the second one interrupts at once
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "1 interrupted" in stderr and "1 not started" in stderr, stderr
    records = {Path(r["input"]).name: r["skipped"] for r in map(json.loads, stdout.splitlines())}
    assert records["big.txt"] == INTERRUPTED
    assert not (out / "big.srt").exists() and not any(out.glob(".*.part"))


def test_second_ctrl_c_during_a_whole_file_marks_it_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first Ctrl-C asks to stop after the file; the second lands while it converts."""
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text(f"[00:00:00.000 --> 00:00:01.000]  {name}\n")
    convert_one = batch._convert_one

    def two_ctrl_c_on_b(job: Any, *args: Any) -> Any:
        if job.source.endswith("b.txt"):
            os.kill(os.getpid(), signal.SIGINT)  # handled: stop after this file
            os.kill(os.getpid(), signal.SIGINT)  # the default again: KeyboardInterrupt here
        return convert_one(job, *args)

    monkeypatch.setattr(batch, "_convert_one", two_ctrl_c_on_b)
    jobs = [batch.Job(str(tmp_path / f"{n}.txt"), str(tmp_path / n)) for n in "abc"]
    settings = batch.Settings(make_host(entry_points=False), ("srt",), {})
    results, interrupted = batch._convert_chunk(jobs, settings)
    assert interrupted
    assert [r.skipped for r in results] == [None, INTERRUPTED, batch.NOT_STARTED]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.srt", "a.txt", "b.txt", "c.txt"]
    reporter = Reporter(3, err=io.StringIO(), out=io.StringIO())
    for result in results:
        reporter.add(result)
    reporter.summary(interrupted=True)
    assert "1 converted" in reporter.err.getvalue()
    assert "1 interrupted" in reporter.err.getvalue() and "1 not started" in reporter.err.getvalue()


#: the batch of the slow-reader test: 1,200 jobs make chunks of 64; the FIFO is the 9th job of
#: the 11th chunk, so the 640 records before it overflow the pipe and 55 jobs follow it
FILES, HELD_AT = 1199, 648


def test_json_records_survive_ctrl_c_with_a_slow_reader(tmp_path: Path) -> None:
    """Nobody reads the records until the pipe is full, so the batch is blocked writing them
    when Ctrl-C comes; a FIFO input holds a worker in the middle of a chunk, so files are
    certainly still to do. Every file still gets exactly one record."""
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    names = [folder / f"f{index:04d}.txt" for index in range(FILES)]
    for index, name in enumerate(names):
        name.write_text(f"[00:00:00.000 --> 00:00:01.000]  {index}\n")
    fifo = folder / "held.txt"
    inputs = [str(p) for p in (*names[:HELD_AT], fifo, *names[HELD_AT:])]
    size = batch.chunk_size(len(inputs), 2)
    first, held = HELD_AT - HELD_AT % size, slice(HELD_AT + 1, HELD_AT - HELD_AT % size + size)
    assert sum(len(name) * 2 for name in inputs[:first]) > 65_536  # the records overflow a pipe
    with held_fifo(fifo) as wait_for_reader:
        process = subprocess.Popen(
            [*CLI, *inputs, "-t", "srt", "-d", str(out), "-j", "2", "--json", "-q"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            wait_for_reader(process)  # a worker is converting the FIFO, the rest of its chunk waits
            assert process.stdout is not None
            wait_until_full(process.stdout, process)  # the batch is blocked writing records
            os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C on a terminal does
        except BaseException:
            os.killpg(process.pid, signal.SIGKILL)
            raise
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr[-2000:]
    records = [json.loads(line) for line in stdout.decode().splitlines()]
    assert sorted(r["input"] for r in records) == sorted(inputs)  # each exactly once
    written = {str(p) for p in out.rglob("*.srt")}
    recorded = {o for r in records for o in r["outputs"]}
    assert recorded == written  # no finished file without its record, no record without file
    skipped = {r["input"]: r["skipped"] for r in records}
    assert {skipped[name] for name in inputs[held]} == {batch.NOT_STARTED}  # it did stop


def test_collect_hands_on_every_chunk_when_ctrl_c_cuts_the_run_short(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A KeyboardInterrupt out of the run itself still leaves each chunk's files reported
    (as not started), so ``--json`` has a record for every input."""
    jobs = [batch.Job(f"f{index}.txt", f"f{index}") for index in range(3)]
    run = batch.BatchRun(jobs, batch.Settings(make_host(entry_points=False), ("srt",), {}))
    assert len(run.chunks()) == 3

    def cut_short(self: batch.BatchRun) -> Any:
        yield 0, [batch.FileResult("f0.txt", outputs=("f0.srt",))]
        raise KeyboardInterrupt

    monkeypatch.setattr(batch.BatchRun, "run", cut_short)
    seen: dict[int, list[batch.FileResult]] = {}
    results = batch.collect(run, lambda index, chunk: seen.setdefault(index, chunk))
    assert run.interrupted
    assert sorted(seen) == [0, 1, 2]
    assert [r.skipped for r in results] == [None, batch.NOT_STARTED, batch.NOT_STARTED]
    assert [r for index in sorted(seen) for r in seen[index]] == results


def test_ctrl_c_stops_thread_pool_chunks_after_their_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a thread executor, Ctrl-C reaches only the main thread; the chunks running in the
    threads still stop after the file they convert instead of running to their end."""
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    for index in range(300):
        (source / f"t{index:03d}.txt").write_text(f"[00:00:00.000 --> 00:00:01.000]  {index}\n")
    convert_one = batch._convert_one

    def ctrl_c_on_t005(job: Any, *args: Any) -> Any:
        if job.source.endswith("t005.txt"):
            os.kill(os.getpid(), signal.SIGINT)
            assert stop.requested.wait(60)  # the main thread has asked the chunks to stop
        return convert_one(job, *args)

    monkeypatch.setattr(batch, "_convert_one", ctrl_c_on_t005)
    with ThreadPoolExecutor(2) as executor, pytest.raises(KeyboardInterrupt):
        captionbridge.convert_many(
            [source], to="srt", out_dir=out, executor=executor, host=make_host(entry_points=False)
        )
    assert batch.chunk_size(300, 2) > 6  # t006 is in the chunk of t005
    assert (out / "t005.srt").exists() and not (out / "t006.srt").exists()
    assert not stop.requested.is_set()


def test_ctrl_c_while_chunks_are_submitted_stops_the_chunk_already_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A thread pool starts the first chunk as soon as it is submitted; a Ctrl-C before the
    others are submitted still stops it after its file (and submits no more)."""
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    for index in range(300):
        (source / f"t{index:03d}.txt").write_text(f"[00:00:00.000 --> 00:00:01.000]  {index}\n")
    convert_one = batch._convert_one
    started = threading.Event()

    def held_until_stop(job: Any, *args: Any) -> Any:
        if job.source.endswith("t000.txt"):
            started.set()
            assert stop.requested.wait(30)  # the main thread has asked the chunks to stop
        return convert_one(job, *args)

    class CtrlCAfterTheFirstSubmit(ThreadPoolExecutor):
        submitted = 0

        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
            future = super().submit(fn, *args, **kwargs)
            self.submitted += 1
            if self.submitted == 1:
                assert started.wait(30)  # the first chunk converts its first file
                os.kill(os.getpid(), signal.SIGINT)
            return future

    monkeypatch.setattr(batch, "_convert_one", held_until_stop)
    with CtrlCAfterTheFirstSubmit(2) as executor, pytest.raises(KeyboardInterrupt):
        captionbridge.convert_many(
            [source], to="srt", out_dir=out, executor=executor, host=make_host(entry_points=False)
        )
    assert sorted(p.name for p in out.iterdir()) == ["t000.srt"]
    assert not stop.requested.is_set()
