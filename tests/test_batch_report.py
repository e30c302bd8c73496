"""What a batch prints: warnings grouped by kind, one message for outputs that exist, a closing
summary with the warning count, and the progress bar kept under ``-q`` (issue 14, fault 8)."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

from captionbridge.batch.run import FileResult
from captionbridge.cli.progress import Reporter, warning_kind
from captionbridge.model import Note

TALK = (
    "[00:00:01.000 --> 00:00:03.000]   Party time 🎉 now.\n[00:00:04.000 --> 00:00:05.000]   Bye.\n"
)


def _reporter() -> tuple[Reporter, io.StringIO]:
    err = io.StringIO()
    return Reporter(200, err=err, out=io.StringIO(), bar=False, warnings=True), err


def test_warnings_of_one_kind_are_printed_once_and_counted() -> None:
    reporter, err = _reporter()
    for i in range(200):
        note = Note(f"scc: {i + 2} caption(s) appear later than their cue", f"talk{i}.txt")
        reporter.add(FileResult(f"talk{i}.txt", outputs=(f"talk{i}.scc",), notes=(note,)))
    reporter.add(FileResult("odd.txt", notes=(Note("another kind", "odd.txt"),)))
    during = err.getvalue().splitlines()
    assert during == [
        "talk0.txt: warning: scc: 2 caption(s) appear later than their cue",
        "odd.txt: warning: another kind",
    ]
    reporter.summary()
    summary = err.getvalue().splitlines()[2:]
    assert summary[0].startswith("captionbridge: 201 converted, 0 skipped, 0 failed, 201 warnings")
    assert summary[1:] == [
        "  warning x200 (first talk0.txt): scc: 2 caption(s) appear later than their cue"
    ]


def test_outputs_that_exist_are_one_message_with_the_way_out() -> None:
    reporter, err = _reporter()
    for i in range(209):
        reporter.add(
            FileResult(f"t{i}.txt", error=f"out/t{i}.srt: exists; use --force to overwrite it")
        )
    reporter.summary()
    lines = err.getvalue().splitlines()
    assert lines[0] == "out/t0.srt: exists; use --force to overwrite it"
    assert lines[1].startswith("captionbridge: 0 converted, 0 skipped, 209 failed, 0 warnings")
    assert lines[2] == (
        "  209 file(s) not converted because an output exists (first: out/t0.srt);"
        " --skip-existing leaves them, --force overwrites them"
    )
    assert len(lines) == 3


def test_warning_kinds_ignore_numbers_only() -> None:
    assert warning_kind("scc: 3 caption(s) late by 1-15 frames") == warning_kind(
        "scc: 12 caption(s) late by 2-4 frames"
    )
    assert warning_kind("scc: 3 captions late") != warning_kind("stl: 3 captions late")


def _tree(tmp_path: Path, files: int) -> Path:
    source = tmp_path / "talks"
    source.mkdir()
    for i in range(files):
        (source / f"talk{i:02d}.txt").write_text(TALK, encoding="utf-8")
    return source


def _batch(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "captionbridge", "convert", "talks", "--to", "srt,scc",
         "-d", "out", "--jobs", "1", *args],
        capture_output=True, text=True, cwd=tmp_path, check=False,
    )  # fmt: skip


def test_a_batch_of_thirty_prints_a_handful_of_lines(tmp_path: Path) -> None:
    _tree(tmp_path, 30)
    first = _batch(tmp_path)
    assert first.returncode == 0, first.stderr
    lines = first.stderr.splitlines()
    assert len(lines) <= 8, lines  # today: one warning per file and format
    summary = next(line for line in lines if line.startswith("captionbridge: "))
    assert "30 converted, 0 skipped, 0 failed" in summary
    assert any(line.startswith("  warning x30 (first ") for line in lines)
    again = _batch(tmp_path)
    assert again.returncode == 1
    lines = again.stderr.splitlines()
    assert len(lines) == 3, lines
    assert "0 converted, 0 skipped, 30 failed" in lines[1]
    assert "--skip-existing leaves them, --force overwrites them" in lines[2]


def test_quiet_keeps_the_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    _tree(tmp_path, 3)
    leader, follower = pty.openpty()
    try:
        run = subprocess.run(
            [sys.executable, "-m", "captionbridge", "convert", "talks", "--to", "srt", "-d",
             "out", "-q"],
            stdout=subprocess.PIPE, stderr=follower, cwd=tmp_path, check=False,
        )  # fmt: skip
        os.close(follower)
        follower = -1
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        if follower != -1:
            os.close(follower)
        os.close(leader)
    assert run.returncode == 0
    assert b"/3 files" in shown  # the bar
    assert b": warning:" not in shown
    assert b"3 converted" in shown
