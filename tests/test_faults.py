"""Faults in unattended runs: a full disk, no permission, a folder removed mid-batch, a killed
process, a pipe closed early. Each promise: an error that names the file, no partial file at a
target path, an earlier file left intact, no traceback."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from waiting import until

import captionbridge
from captionbridge.errors import CaptionbridgeError
from captionbridge.files import output
from captionbridge.flow.streaming import THRESHOLD_ENV

LINES = "".join(
    f"[00:{i // 60 % 60:02d}:{i % 60:02d}.000 --> 00:{i // 60 % 60:02d}:{i % 60:02d}.900]   line {i}\n"
    for i in range(3000)
)


def _lines(count: int) -> str:
    return "".join(LINES.splitlines(True)[:count])


def _cli(
    *args: str, env: dict[str, str] | None = None, **kw: object
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "captionbridge", *args],
        capture_output=True, timeout=120, env={**os.environ, **(env or {})}, check=False, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def _leftovers(directory: Path) -> list[Path]:
    return sorted(directory.glob(".*.part"))


class _FullDisk:
    """A file object whose writes fail with ENOSPC after ``room`` bytes."""

    def __init__(self, real: object, room: int) -> None:
        self.real, self.room = real, room

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(data)
        return self.real.write(data)  # type: ignore[attr-defined, no-any-return]

    def __getattr__(self, name: str) -> object:
        return getattr(self.real, name)

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.real.close()  # type: ignore[attr-defined]


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = output._write_all

    def write_all(fd: int, data: bytes) -> None:
        if len(data) > 100:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_write(fd, data)

    monkeypatch.setattr(output, "_write_all", write_all)


@pytest.mark.usefixtures("full_disk")
def test_disk_full_names_the_file_and_keeps_the_old_one(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text(LINES)
    target = tmp_path / "in.srt"
    target.write_text("old captions\n")
    with pytest.raises(CaptionbridgeError, match="No space left on device") as info:
        captionbridge.convert(source, target, force=True)
    assert info.value.source == str(target)
    assert target.read_text() == "old captions\n"
    assert not _leftovers(tmp_path)


def test_disk_full_while_streaming(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import captionbridge.flow.streaming as streaming

    source = tmp_path / "in.txt"
    source.write_text(LINES)
    monkeypatch.setenv(THRESHOLD_ENV, "1000")
    monkeypatch.setattr(streaming, "CHUNK_BYTES", 20_000)
    real_fdopen = os.fdopen
    monkeypatch.setattr(
        streaming.os, "fdopen", lambda fd, *a, **k: _FullDisk(real_fdopen(fd, *a, **k), 50_000)
    )
    with pytest.raises(CaptionbridgeError, match="No space left on device") as info:
        captionbridge.convert(source, to="srt,vtt", out_dir=tmp_path / "out")
    assert info.value.source is not None and info.value.source.endswith(".srt")
    assert not list((tmp_path / "out").iterdir()), "no target and no temporary file is left"


@contextlib.contextmanager
def _tiny_tmpfs() -> Iterator[Path | None]:
    """A 64 KiB tmpfs when this process may mount one (root), else None."""
    directory = Path(tempfile.mkdtemp())
    mounted = os.geteuid() == 0 and (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(directory)],
            capture_output=True, check=False,
        ).returncode == 0
    )  # fmt: skip
    try:
        yield directory if mounted else None
    finally:
        if mounted:
            subprocess.run(["umount", str(directory)], check=False)
        shutil.rmtree(directory, ignore_errors=True)


def test_real_full_disk_from_the_command_line(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text(LINES * 2)
    with _tiny_tmpfs() as tiny:
        if tiny is None:  # not root: the in-process tests above cover the same path
            pytest.skip("cannot mount a tmpfs here") if not os.environ.get("CI") else None
            return
        (tiny / "in.srt").write_text("old\n")
        result = _cli("convert", str(source), "-o", str(tiny / "in.srt"), "--force")
        assert result.returncode == 1
        assert str(tiny / "in.srt") in result.stderr.decode()
        assert b"No space left on device" in result.stderr and b"Traceback" not in result.stderr
        assert (tiny / "in.srt").read_text() == "old\n"
        assert not _leftovers(tiny)


def test_permission_denied_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # root ignores chmod: refuse the temporary file the way a read-only folder would
    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(output, "_mkstemp", refuse)
    source = tmp_path / "in.txt"
    source.write_text(LINES)
    with pytest.raises(CaptionbridgeError, match="Permission denied") as info:
        captionbridge.convert(source, tmp_path / "out" / "in.srt")
    assert info.value.source == str(tmp_path / "out" / "in.srt")


def test_unreadable_input_names_the_file(tmp_path: Path) -> None:
    result = _cli("convert", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "x.srt"))
    assert result.returncode != 0 and b"Traceback" not in result.stderr
    assert b"missing.txt" in result.stderr


def test_output_folder_removed_mid_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(4):
        (inputs / f"f{i}.txt").write_text(_lines(30))
    out = tmp_path / "out"
    real = output.write_atomic
    calls = []

    def remove_after_first(path: Path, data: bytes, **kw: object) -> None:
        calls.append(path)
        if len(calls) == 2:
            shutil.rmtree(out)  # someone cleans the folder while the batch runs
        real(path, data, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr("captionbridge.files.fsio.write_atomic", remove_after_first)
    results = captionbridge.convert_many(inputs, to="srt", out_dir=out, jobs=1)
    assert all(r.ok for r in results), [r.error for r in results]
    # the folder is made again for the files after it; the file written before it is gone
    assert sorted(p.name for p in out.iterdir()) == ["f1.srt", "f2.srt", "f3.srt"]


def _partly_written(directory: Path, proc: subprocess.Popen[bytes]) -> bool | None:
    """Whether a temporary output in ``directory`` has data (the process still running)."""
    assert proc.poll() is None, "finished before it could be killed"
    sizes = []
    for path in _leftovers(directory):
        with contextlib.suppress(FileNotFoundError):  # renamed into place meanwhile
            sizes.append(path.stat().st_size)
    return any(sizes) or None


def _stamp(ms: int) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _in_time_order(count: int) -> str:
    """``count`` segments, one every 100 ms: a big file of them streams chunk by chunk (times
    that go back, as in ``LINES`` repeated, make streaming give up for the whole-file path)."""
    return "".join(
        f"[{_stamp(i * 100)} --> {_stamp(i * 100 + 90)}]   line {i}\n" for i in range(count)
    )


def test_killed_mid_write_leaves_old_file_or_nothing(tmp_path: Path) -> None:
    """Killed once the streamed output has data in its temporary file (the process cannot end
    before: the input is ~20 MB, the chunks 4 MB)."""
    source = tmp_path / "big.txt"
    source.write_text(_in_time_order(420_000))
    target = tmp_path / "big.srt"
    target.write_text("old captions\n")
    env = {**os.environ, THRESHOLD_ENV: "1000"}
    for existing in (True, False):
        if not existing:
            target.unlink()
        proc = subprocess.Popen(
            [sys.executable, "-m", "captionbridge", "convert", str(source), "-o", str(target),
             "--force", "-q"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            until("a partly written temporary file", partial(_partly_written, tmp_path, proc))
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        assert proc.returncode == -signal.SIGKILL, "finished before it could be killed"
        if existing:
            assert target.read_text() == "old captions\n"
        else:
            assert not target.exists()
        # the partial data stays in a hidden temporary file, never at the target path
        leftovers = _leftovers(tmp_path)
        assert leftovers and all(p.name.startswith(".big.srt.") for p in leftovers)
        for p in leftovers:
            p.unlink()


def test_input_pipe_closed_early_is_a_clean_error(tmp_path: Path) -> None:
    # the producer dies in the middle of a timestamp
    producer = f"import sys; sys.stdout.write({_lines(100)!r} + '[00:01:40.000 --> 00:0'); sys.stdout.flush()"
    command = f"{sys.executable} -c {producer!r} | {sys.executable} -m captionbridge convert - --to srt -o -"
    result = subprocess.run(command, shell=True, capture_output=True, timeout=60, check=False)
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    assert b"<stdin>:" in result.stderr and b"malformed timestamp line" in result.stderr


@pytest.mark.parametrize("extra", [["-o", "-"], ["--json", "-d", "OUT"]])
def test_closed_stdout_exits_quietly(tmp_path: Path, extra: list[str]) -> None:
    sources = []
    for i in range(40):
        path = tmp_path / f"f{i}.txt"
        path.write_text(_lines(50))
        sources.append(str(path))
    args = [a.replace("OUT", str(tmp_path / "out")) for a in extra]
    if "-o" in extra:
        sources = sources[:1]
    command = [sys.executable, "-m", "captionbridge", "convert", *sources, "--to", "srt", *args]
    shell = " ".join(map(repr, command)) + " | head -c 10"
    result = subprocess.run(shell, shell=True, capture_output=True, timeout=120, check=False)
    assert len(result.stdout) == 10
    assert b"Traceback" not in result.stderr and b"Error" not in result.stderr, result.stderr


def test_outputs_get_the_usual_permissions_and_no_temporary_file_stays(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text(LINES)
    old_umask = os.umask(0o027)
    try:
        captionbridge.convert(source, tmp_path / "out.srt")
    finally:
        os.umask(old_umask)
    assert (tmp_path / "out.srt").stat().st_mode & 0o777 == 0o640
    assert not _leftovers(tmp_path)


def test_a_temporary_name_left_by_a_killed_run_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import itertools

    monkeypatch.setattr(output, "_TEMP_NUMBERS", itertools.count())
    stale = tmp_path / f".out.srt.{os.getpid()}-0.part"
    stale.write_text("from a run that was killed")
    output.write_atomic(tmp_path / "out.srt", b"new\n")
    assert (tmp_path / "out.srt").read_bytes() == b"new\n"
    assert stale.read_text() == "from a run that was killed"
