"""Batch conversion of a generated 2,000-file tree: parallel runs equal serial ones, bad files
are reported, nothing escapes the output folder, Ctrl-C leaves no partial file, the progress
bar appears on a terminal only."""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pysubs2
import pytest
import webvtt
from waiting import HANG, until

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from heldinput import held_fifo  # noqa: E402
from treegen import Tree, make_tree  # noqa: E402

CLI = [sys.executable, "-m", "captionbridge", "convert"]


def _convert(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, check=False)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def workspace() -> Iterator[Path]:
    # tmpfs when there is one: the test writes ~20,000 small files
    base = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    folder = Path(tempfile.mkdtemp(prefix="cb-batch-", dir=base))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def tree(workspace: Path) -> Tree:
    return make_tree(workspace / "in", 2000)


@pytest.fixture(scope="session")
def serial(tree: Tree, workspace: Path) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = workspace / "out-serial"
    return out, _convert(str(tree.root), "-r", "-t", "srt,vtt", "-d", str(out), "-j", "1")


def test_tree_parallel_equals_serial_and_reports_bad_files(
    tree: Tree, serial: tuple[Path, subprocess.CompletedProcess[str]], workspace: Path
) -> None:
    reference, serial_run = serial
    out = workspace / "out-parallel"
    done = _convert(str(tree.root), "-r", "-t", "srt,vtt", "-d", str(out), "-j", "2")
    assert done.returncode == 1, done.stderr[-2000:]
    assert serial_run.returncode == 1
    produced = _files(out)
    assert produced == _files(reference)  # byte for byte
    for relative in tree.good:
        stem = relative.rsplit(".", 1)[0]
        assert f"{stem}.srt" in produced and f"{stem}.vtt" in produced, relative
    assert len(produced) == 2 * len(tree.good)
    errors = [line for line in done.stderr.splitlines() if ": warning: " not in line]
    for relative, reason in tree.bad.items():
        line = next((e for e in errors if e.startswith(str(tree.root / relative))), None)
        assert line is not None, f"{relative} not reported"
        assert reason in line
    summary = done.stderr.strip().splitlines()
    assert any(
        f"{len(tree.good)} converted" in s and f"{len(tree.bad)} failed" in s for s in summary
    )
    assert "symbolic link leads outside" in done.stderr
    # nothing outside the output folders: the hostile name wrote nowhere
    assert not any("escape" in p.name for p in workspace.rglob("*") if "in" not in p.parts[-4:])
    assert {p.name for p in workspace.iterdir()} >= {"in", "out-serial", "out-parallel"}
    assert not list(workspace.parent.glob("escape*"))
    assert not any(name.endswith((".part", ".md.srt")) for name in produced)


def _ms(stamp: str) -> int:
    hours, minutes, seconds = stamp.split(":")
    return (int(hours) * 60 + int(minutes)) * 60_000 + round(float(seconds) * 1000)


def _words(text: str) -> list[str]:
    return [w for w in text.replace("\n", " ").split() if w not in ("-", ">>")]


def test_outputs_read_back_with_independent_parsers(
    tree: Tree, serial: tuple[Path, subprocess.CompletedProcess[str]]
) -> None:
    reference, _ = serial
    for relative in tree.good[:: len(tree.good) // 12]:
        source = (tree.root / relative).read_bytes().decode("utf-8", "replace")
        expected = _words(" ".join(line.split("]", 1)[1] for line in source.splitlines()))
        stem = reference / relative.rsplit(".", 1)[0]
        subs = pysubs2.load(str(stem) + ".srt")
        assert _words(" ".join(e.plaintext for e in subs)) == expected, relative
        captions = webvtt.read(str(stem) + ".vtt")
        assert _words(" ".join(c.text for c in captions)) == expected, relative
        assert [_ms(c.start) for c in captions] == [e.start for e in subs]


@pytest.mark.parametrize(
    ("whole_group", "jobs"),
    [(False, 2), (True, 2), (True, 1)],
    ids=["parent-only", "process-group", "in-process"],
)
def test_sigint_leaves_no_partial_file(
    tree: Tree,
    serial: tuple[Path, subprocess.CompletedProcess[str]],
    workspace: Path,
    whole_group: bool,
    jobs: int,
) -> None:
    """The first input is a FIFO the test holds: the chunk it opens cannot end, so files are
    certainly still to do when the signal comes (once the other worker has written some)."""
    reference, _ = serial
    out = workspace / f"out-interrupted-{whole_group}-{jobs}"
    fifo = workspace / f"held-{whole_group}-{jobs}.txt"
    with held_fifo(fifo) as wait_for_reader:
        process = subprocess.Popen(
            [*CLI, str(fifo), str(tree.root), "-rqt", "srt,vtt", "-d", str(out), "-j", str(jobs)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            wait_for_reader(process)

            def hundred_written() -> bool | None:
                assert process.poll() is None, process.communicate()
                return (out.is_dir() and sum(1 for _ in out.rglob("*.vtt")) >= 100) or None

            if jobs > 1:
                until("the batch's 100th file", hundred_written)
            if whole_group:
                os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C on a terminal does
            else:
                process.send_signal(signal.SIGINT)
        except BaseException:
            os.killpg(process.pid, signal.SIGKILL)
            raise
    _, stderr = process.communicate(timeout=HANG)
    assert process.returncode == 130, stderr[-2000:]
    assert "interrupted" in stderr and "not started" in stderr
    produced = _files(out)
    held = {name: produced.pop(name) for name in list(produced) if name.startswith("held-")}
    assert all(b"held" in data for data in held.values()), held  # whole when written
    assert (0 < len(produced) < 2 * len(tree.good)) if jobs > 1 else not produced
    expected = _files(reference)
    for name, data in produced.items():
        assert not name.rsplit("/", 1)[-1].startswith("."), f"temporary file left: {name}"
        assert data == expected[name], f"partial or different file: {name}"


def _small_tree(folder: Path, count: int = 60) -> Path:
    source = folder / "small"
    made = make_tree(source, count)
    assert made.good
    return source


def test_progress_bar_on_a_terminal_only(workspace: Path) -> None:
    source = _small_tree(workspace / "pty")
    out = workspace / "pty" / "out"
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [*CLI, str(source), "-r", "-d", str(out), "-j", "1"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=follower,
    )
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], HANG)  # a bound on a hang: the end is EOF
        if not ready:
            pytest.fail(f"the batch printed nothing for {HANG} s: {seen[-500:]!r}")
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    process.wait(timeout=HANG)
    text = seen.decode("utf-8", "replace")
    assert "\r" in text and "ETA" in text and "files" in text and "cues/s" in text
    piped = _convert(str(source), "-r", "-d", str(workspace / "pty" / "out2"), "-j", "1")
    assert "\r" not in piped.stderr and "ETA" not in piped.stderr
    assert "converted" in piped.stderr  # the summary, as plain lines


def test_json_records(workspace: Path) -> None:
    source = workspace / "json-in"
    (source / "a").mkdir(parents=True)
    (source / "a" / "one.txt").write_text("[00:00:01.000 --> 00:00:02.000]  Hello <b>&</b>\n")
    (source / "two.txt").write_text("[00:00:01.000 --> 00:00:99.000]  bad\n")
    (source / "three.txt").write_text("[00:00:01.000 --> 00:00:02.000]  knowâ€” it\n")
    done = _convert(str(source), "-r", "--json", "-t", "vtt", "-d", str(workspace / "json-out"))
    assert done.returncode == 1
    records = [json.loads(line) for line in done.stdout.splitlines()]
    by_name = {Path(r["input"]).name: r for r in records}
    assert set(by_name) == {"one.txt", "two.txt", "three.txt"}
    assert by_name["one.txt"]["outputs"] == [str(workspace / "json-out" / "a" / "one.vtt")]
    assert by_name["one.txt"]["cues"] == 1 and by_name["one.txt"]["error"] is None
    assert by_name["two.txt"]["error"].startswith(str(source / "two.txt") + ":1:")
    assert "repaired mojibake" in by_name["three.txt"]["warnings"][0]
