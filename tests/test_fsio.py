"""fsio.read_bytes on local paths: whole content whatever the size says, clear errors."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from captionbridge.errors import CaptionbridgeError
from captionbridge.files import fsio, output


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 4097, 3 << 20])
def test_regular_files_read_whole(tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    path = tmp_path / "f.txt"
    path.write_bytes(data)
    assert fsio.read_bytes(str(path)) == data


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_files_whose_size_says_zero_are_read_to_the_end() -> None:
    assert os.stat("/proc/self/status").st_size == 0
    assert b"Name:" in fsio.read_bytes("/proc/self/status")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_read_to_the_end(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    data = b"[00:00:01.000 --> 00:00:02.000]  hi\n" * 5000  # more than a pipe's buffer

    def feed() -> None:
        with open(fifo, "wb") as handle:
            handle.write(data)

    writer = threading.Thread(target=feed)
    writer.start()
    assert fsio.read_bytes(str(fifo)) == data
    writer.join()


def test_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(CaptionbridgeError, match="no such file") as missing:
        fsio.read_bytes(str(tmp_path / "missing.txt"))
    assert missing.value.source == str(tmp_path / "missing.txt")
    with pytest.raises(CaptionbridgeError, match="is a directory"):
        fsio.read_bytes(str(tmp_path))


def test_big_files_are_read_in_one_buffer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fsio, "_READ_AT_ONCE", 1024)  # stands for 64 MB
    data = os.urandom(5000)
    path = tmp_path / "big.txt"
    path.write_bytes(data)
    assert fsio.read_bytes(str(path)) == data


def _count_replaces(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = os.replace

    def replace(src: object, dst: object) -> None:
        calls.append(str(dst))
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(output.os, "replace", replace)
    return calls


def test_force_leaves_a_file_that_holds_the_bytes_already(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # replacing it would free its blocks for nothing: the cost of --force over a batch's
    # unchanged outputs (issue 20); its modification time is renewed as a rewrite would
    target = tmp_path / "out.vtt"
    target.write_bytes(b"WEBVTT\n\nsame\n")
    os.utime(target, (1_000_000, 1_000_000))
    inode = target.stat().st_ino
    replaced = _count_replaces(monkeypatch)
    output.write_atomic(target, b"WEBVTT\n\nsame\n", force=True)
    assert replaced == [] and target.stat().st_ino == inode
    assert target.stat().st_mtime > 1_000_000
    assert not list(tmp_path.glob(".*.part"))
    output.write_atomic(target, b"WEBVTT\n\nSAME\n", force=True)  # same size, other bytes
    assert replaced == [str(target)] and target.read_bytes() == b"WEBVTT\n\nSAME\n"


def test_force_compares_a_big_output_a_piece_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the whole file read at once would sit beside the output in memory: twice its size
    data = bytes(range(256)) * 20_000  # 5 MB
    target = tmp_path / "out.srt"
    target.write_bytes(data)
    reads: list[int] = []
    real = os.read

    def read(fd: int, size: int) -> bytes:
        reads.append(size)
        return real(fd, size)

    monkeypatch.setattr(output.os, "read", read)
    replaced = _count_replaces(monkeypatch)
    output.write_atomic(target, data, force=True)
    assert replaced == [] and max(reads) <= 1 << 20 and len(reads) == 6  # 5 pieces, the end
    changed = data[:-1] + b"!"
    output.write_atomic(target, changed, force=True)  # the last byte differs
    assert replaced == [str(target)] and target.read_bytes() == changed


def test_force_still_replaces_links_with_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = b"1\n00:00:01,000 --> 00:00:02,000\nhi\n"
    original = tmp_path / "original.srt"
    original.write_bytes(data)
    linked, hard = tmp_path / "linked.srt", tmp_path / "hard.srt"
    linked.symlink_to(original)
    os.link(original, hard)
    replaced = _count_replaces(monkeypatch)
    output.write_atomic(linked, data, force=True)
    output.write_atomic(hard, data, force=True)
    assert replaced == [str(linked), str(hard)]
    assert not linked.is_symlink() and hard.stat().st_nlink == 1
