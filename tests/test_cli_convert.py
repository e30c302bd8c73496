"""The single-file paths of convert keep working after the batch restructuring."""

from __future__ import annotations

from pathlib import Path

import srt
from click.testing import CliRunner

from captionbridge.cli.app import cli

LINE = "[00:00:01.000 --> 00:00:02.500]  Hello & <you>\n"


def test_stdout_stdin_and_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    source = tmp_path / "a.txt"
    source.write_text(LINE)
    result = runner.invoke(cli, ["convert", str(source), "-o", "-"])
    assert result.exit_code == 0
    # a word joiner keeps "<you>" from reading as a tag (pysubs2 and players would drop it)
    assert [s.content for s in srt.parse(result.output)] == ["Hello & <\u2060you>"]
    result = runner.invoke(cli, ["convert", "-", "-t", "vtt"], input=LINE)
    assert result.exit_code == 0 and result.output.startswith("WEBVTT")
    result = runner.invoke(cli, ["convert", str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    assert result.output.strip() == f"{tmp_path / 'missing.txt'}: no such file or directory"
    result = runner.invoke(cli, ["convert", str(source), "-t", "nope"])
    assert result.exit_code == 2 and "unknown output format 'nope'" in result.output
    (tmp_path / "bad.txt").write_text("[00:00:01.000 --> 00:00:02.000]  a\n[00:00:0x --> y]\n")
    result = runner.invoke(cli, ["convert", str(tmp_path / "bad.txt")])
    assert result.exit_code == 1 and result.output.startswith(f"{tmp_path / 'bad.txt'}:2:")
    result = runner.invoke(cli, ["convert", str(source), "--force", "--skip-existing"])
    assert result.exit_code == 2


def test_existing_output_needs_force(tmp_path: Path) -> None:
    runner = CliRunner()
    source = tmp_path / "a.txt"
    source.write_text(LINE)
    assert runner.invoke(cli, ["convert", str(source)]).exit_code == 0
    again = runner.invoke(cli, ["convert", str(source)])
    assert again.exit_code == 1 and "exists; use --force" in again.output
    assert runner.invoke(cli, ["convert", str(source), "--force"]).exit_code == 0
    assert runner.invoke(cli, ["convert", str(source), "--skip-existing"]).exit_code == 0
