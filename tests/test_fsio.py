"""fsio.read_bytes on local paths: whole content whatever the size says, clear errors."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from captionbridge.errors import CaptionbridgeError
from captionbridge.files import fsio


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
