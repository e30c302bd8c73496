"""Editor targets (--for): built-in ones registered by name, a clear error for a target whose
writer is not installed, optional and alternative formats."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import webvtt
from click.testing import CliRunner

import captionbridge
from captionbridge.cli.app import cli
from captionbridge.flow.pipeline import OptionError, target_formats
from captionbridge.host.registry import PluginHost, make_host
from captionbridge.specs import Target

LINE = "[00:00:01.000 --> 00:00:02.500]  Hello <there> & you\n"


def test_builtin_targets_are_registered(host: PluginHost) -> None:
    assert {"premiere", "resolve", "finalcut", "avid", "youtube", "web"} <= set(host.targets)
    assert target_formats(host, "resolve") == ["srt"]
    assert target_formats(host, "web") == ["vtt"]
    expected_premiere = ["srt", "scc"] if "scc" in host.writers else ["srt"]
    assert target_formats(host, "premiere") == expected_premiere
    assert target_formats(host, "youtube") == ["sbv" if "sbv" in host.writers else "vtt"]


def test_missing_writer_is_a_clear_error(host: PluginHost) -> None:
    if "itt" in host.writers:
        assert target_formats(host, "finalcut") == ["itt"]
    else:
        with pytest.raises(
            OptionError, match="target 'finalcut' needs the 'itt' writer, which is not installed"
        ):
            target_formats(host, "finalcut")


class _Plugin:
    @captionbridge.hookimpl
    def captionbridge_register_targets(self, register: Callable[[Target], None]) -> None:
        register(Target("lab", ("nothing",)))
        register(Target("mixed", ("nothing|vtt", "srt", "none?")))


def test_target_format_syntax() -> None:
    host = make_host(entry_points=False, plugins={"lab": _Plugin()})
    assert target_formats(host, "mixed") == ["vtt", "srt"]
    with pytest.raises(OptionError, match="needs the 'nothing' writer"):
        target_formats(host, "lab")
    with pytest.raises(OptionError, match="unknown editor target 'imovie'"):
        target_formats(host, "imovie")


def test_for_web_and_resolve_on_the_command_line(tmp_path: Path) -> None:
    source = tmp_path / "talk.txt"
    source.write_text(LINE)
    runner = CliRunner()
    result = runner.invoke(cli, ["convert", str(source), "--for", "web", "-d", str(tmp_path / "w")])
    assert result.exit_code == 0, result.output
    captions = webvtt.read(str(tmp_path / "w" / "talk.vtt"))
    assert captions[0].text == "Hello &lt;there&gt; &amp; you"  # escaped, as VTT requires
    result = runner.invoke(cli, ["convert", str(source), "--for", "resolve", "-d", str(tmp_path)])
    assert result.exit_code == 0 and (tmp_path / "talk.srt").is_file()
    api = captionbridge.convert(source, target="web", out_dir=tmp_path / "api")
    assert [p.name for p in api] == ["talk.vtt"]


def test_target_needing_a_missing_writer_exits_2(tmp_path: Path) -> None:
    source = tmp_path / "talk.txt"
    source.write_text(LINE)
    result = subprocess.run(
        [sys.executable, "-m", "captionbridge", "convert", str(source), "--for", "finalcut"],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, CAPTIONBRIDGE_DISABLE_PLUGINS="itt"),
    )
    assert result.returncode == 2
    assert "target 'finalcut' needs the 'itt' writer, which is not installed" in result.stderr
    assert not (tmp_path / "talk.itt").exists()
