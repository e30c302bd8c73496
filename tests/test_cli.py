"""The command line as a user runs it: real processes, exit codes, messages, files on disk."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = "[00:00:01.000 --> 00:00:02.000]  Hello.\n[00:00:02.000 --> 00:00:04.000]  World.\n"


def run(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "captionbridge", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        timeout=60,
    )


def one_line_error(result: subprocess.CompletedProcess[bytes]) -> str:
    err = result.stderr.decode()
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


def test_convert_to_one_file(tmp_path: Path, seed_path: Path) -> None:
    result = run("convert", str(seed_path), "-o", "out/fc.srt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "out" / "fc.srt").read_text(encoding="utf-8")
    assert text.startswith("1\n00:00:00,000 --> 00:00:03,000\nIlya, unbelievable.\n\n2\n")
    assert b"warning: repaired mojibake" in result.stderr


def test_convert_many_formats_to_out_dir(tmp_path: Path, seed_path: Path) -> None:
    result = run(
        "convert",
        str(seed_path),
        "--to",
        "srt,vtt,txt,json",
        "--out-dir",
        "out",
        "-q",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [f"fireside-chat.{ext}" for ext in ("json", "srt", "txt", "vtt")]
    document = json.loads((tmp_path / "out" / "fireside-chat.json").read_text(encoding="utf-8"))
    assert document["format"] == "captionbridge" and len(document["cues"]) == 1106


def test_stdin_to_stdout(tmp_path: Path) -> None:
    result = run("convert", "-", "--to", "vtt", "-o", "-", cwd=tmp_path, stdin=GOOD.encode())
    assert result.returncode == 0
    assert result.stdout.decode() == (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello.\n\n00:00:02.000 --> 00:00:04.000\nWorld.\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_default_output_goes_beside_the_input(tmp_path: Path) -> None:
    (tmp_path / "talk.txt").write_text(GOOD)
    assert run("convert", "talk.txt", cwd=tmp_path).returncode == 0
    assert (tmp_path / "talk.srt").read_text().startswith("1\n00:00:01,000")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"[00:00:0x.000 --> 00:00:02.000] hi\n", "in.txt:1:2: malformed timestamp line"),
        (b"[00:00:05.000 --> 00:00:02.000] hi\n", "in.txt:1:19: end 00:00:02.000 is before start"),
        (bytes(range(1, 256)) * 4, "in.txt:2: not valid UTF-8 (byte 0x80)"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "in.txt:3: contains NUL bytes"),
        (b"", "in.txt:1: empty input"),
        (b"\n \n", "in.txt:1: empty input"),
    ],
    ids=["bad-timestamp", "end-before-start", "garbage", "binary", "empty", "blank"],
)
def test_bad_input_is_one_line_and_creates_nothing(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    (tmp_path / "in.txt").write_bytes(content)
    result = run("convert", "in.txt", "--from", "bracket", "-o", "out.srt", cwd=tmp_path)
    assert result.returncode == 1
    assert one_line_error(result).startswith(expected)
    assert not (tmp_path / "out.srt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt"]


def test_unrecognised_input_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("just some notes\n")
    result = run("convert", "notes.txt", "-o", "out.srt", cwd=tmp_path)
    assert result.returncode == 1
    assert one_line_error(result).startswith("notes.txt: cannot tell the input format")


def test_missing_file(tmp_path: Path) -> None:
    result = run("convert", "nope.txt", "-o", "out.srt", cwd=tmp_path)
    assert result.returncode == 1
    assert one_line_error(result) == "nope.txt: no such file"


def test_existing_output_is_kept_without_force(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text(GOOD)
    (tmp_path / "out.srt").write_text("precious")
    result = run("convert", "in.txt", "-o", "out.srt", cwd=tmp_path)
    assert result.returncode == 1
    assert one_line_error(result) == "out.srt: exists; use --force to overwrite it"
    assert (tmp_path / "out.srt").read_text() == "precious"
    assert run("convert", "in.txt", "-o", "out.srt", "--force", cwd=tmp_path).returncode == 0
    assert (tmp_path / "out.srt").read_text().startswith("1\n")


def test_one_existing_output_stops_all_formats(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text(GOOD)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "in.vtt").write_text("precious")
    result = run("convert", "in.txt", "--to", "srt,vtt", "-d", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["in.vtt"]


def test_output_that_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text(GOOD)
    (tmp_path / "out.srt").mkdir()
    result = run("convert", "in.txt", "-o", "out.srt", cwd=tmp_path)
    assert result.returncode == 1
    assert one_line_error(result) == "out.srt: is a directory, not a file"


def test_output_under_a_file_is_unwritable(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text(GOOD)
    (tmp_path / "file").write_text("x")
    result = run("convert", "in.txt", "-o", "file/out.srt", cwd=tmp_path)
    assert result.returncode == 1
    assert one_line_error(result).startswith("file/out.srt: cannot write")
    assert (tmp_path / "file").read_text() == "x"


@pytest.mark.parametrize(
    "args",
    [
        ("convert", "in.txt", "--to", "nope"),
        ("convert", "in.txt", "-o", "out.unknown"),
        ("convert", "in.txt", "--fps", "fast"),
        ("convert", "in.txt", "--from", "nope"),
        ("convert", "in.txt", "--preset", "nope"),
        ("convert",),
        ("bogus",),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    (tmp_path / "in.txt").write_text(GOOD)
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert b"Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt"]


def test_one_bad_input_does_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "b.txt").write_text("[00:00:0x.000 --> 00:00:02.000] bad\n")
    result = run("convert", "b.txt", "a.txt", "--from", "bracket", "-d", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert (tmp_path / "out" / "a.srt").exists()
    assert not (tmp_path / "out" / "b.srt").exists()


def test_formats_lists_readers_and_writers_with_plugins(tmp_path: Path) -> None:
    result = run("formats", cwd=tmp_path)
    assert result.returncode == 0
    rows = [line.split() for line in result.stdout.decode().splitlines()]
    writes = {row[1]: row for row in rows if row and row[0] == "write"}
    reads = {row[1]: row for row in rows if row and row[0] == "read"}
    assert {"srt", "vtt", "txt", "json"} <= set(writes)
    assert {"bracket", "srt", "vtt", "json"} <= set(reads)
    assert "captionbridge.plugins.srt" in writes["srt"]


def test_plugins_json(tmp_path: Path) -> None:
    result = run("plugins", "--json", cwd=tmp_path)
    document = json.loads(result.stdout)
    by_name = {p["name"]: p for p in document["plugins"]}
    assert by_name["captionbridge.plugins.srt"]["builtin"] is True
    assert "captionbridge_register_writers" in by_name["captionbridge.plugins.srt"]["hooks"]
    assert by_name["captionbridge.plugins.srt"]["version"]


def test_version_and_console_script(tmp_path: Path) -> None:
    result = run("--version", cwd=tmp_path)
    assert result.stdout.decode().strip() == "captionbridge, version 0.1.0"


def test_broken_pipe_exits_quietly(tmp_path: Path, seed_path: Path) -> None:
    command = f"{sys.executable} -m captionbridge convert {seed_path} --to srt -o - -q | head -n 3"
    result = subprocess.run(command, shell=True, capture_output=True, cwd=tmp_path, timeout=60)
    assert result.stdout.decode().splitlines() == [
        "1",
        "00:00:00,000 --> 00:00:03,000",
        "Ilya, unbelievable.",
    ]
    assert b"Traceback" not in result.stderr and b"Error" not in result.stderr


def test_every_writer_at_once_writes_every_file(tmp_path: Path, seed_path: Path) -> None:
    from captionbridge.host.registry import make_host

    host = make_host()
    result = run(
        "convert",
        str(seed_path),
        "--to",
        ",".join(sorted(host.writers)),
        "-d",
        "out",
        "-q",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    for name, writer in host.writers.items():
        if not writer.multi_file:
            assert f"fireside-chat{writer.extension}" in written, name


def test_a_format_named_twice_is_written_once(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text(GOOD)
    result = run("convert", "in.txt", "--to", "srt,srt,vtt", "-d", "out", cwd=tmp_path)
    assert result.returncode == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["in.srt", "in.vtt"]
