"""Editor targets (--for): built-in ones registered by name, a clear error for a target whose
writer is not installed, optional and alternative formats."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
import webvtt
from click.testing import CliRunner

import captionbridge
from captionbridge.cli.app import cli
from captionbridge.flow.pipeline import OptionError, resolve_options, target_formats
from captionbridge.host.registry import PluginHost, make_host
from captionbridge.reflow.limits import Limits
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


#: The frame rate given to the targets that need one (their editors refuse any other).
TARGET_FPS = {"finalcut": "23.976", "avid": "25"}


def _hard_limits(cues: list[tuple[int, int, str]], limits: Limits) -> list[str]:
    """The errors of ``check`` for files it has no reader for, measured on what an
    independent parser read: line length and count, longest duration, overlaps."""
    errors = []
    for k, (start, end, text) in enumerate(cues):
        lines = [line.strip() for line in text.strip().split("\n")]
        if limits.max_chars and max(map(len, lines)) > limits.max_chars:
            errors.append(f"cue {k + 1}: line over {limits.max_chars}: {text!r}")
        if limits.max_lines and len(lines) > limits.max_lines:
            errors.append(f"cue {k + 1}: {len(lines)} lines: {text!r}")
        if limits.max_duration and end - start > limits.max_duration:
            errors.append(f"cue {k + 1}: lasts {end - start} ms")
        if k and start < cues[k - 1][1]:
            errors.append(f"cue {k + 1}: overlaps")
    return errors


def _independent(path: Path) -> list[tuple[int, int, str]]:
    import io
    import math

    from broadcast_samples import paragraphs

    def ms(seconds: Fraction | float) -> int:
        return math.floor(Fraction(seconds) * 1000 + Fraction(1, 2))

    if path.suffix == ".sbv":
        return [
            (ms(c.start_in_seconds), ms(c.end_in_seconds), c.text)
            for c in webvtt.from_sbv(str(path))
        ]
    if path.suffix == ".scc":
        import ttconv.scc.reader

        doc = ttconv.scc.reader.to_model(path.read_text())
    else:
        import ttconv.stl.reader

        doc = ttconv.stl.reader.to_model(io.BytesIO(path.read_bytes()))
    return [(ms(b), ms(e), t) for b, e, t in paragraphs(doc)]


@pytest.mark.parametrize("name", ["resolve", "premiere", "finalcut", "avid", "youtube", "web"])
def test_every_target_delivers_what_its_preset_allows(
    name: str, seed_path: Path, host: PluginHost, tmp_path: Path
) -> None:
    preset = host.targets[name].values["preset"]
    fps = ["--fps", TARGET_FPS[name]] if name in TARGET_FPS else []
    runner = CliRunner()
    made = runner.invoke(cli, ["convert", str(seed_path), "--for", name, "-d", str(tmp_path), *fps])
    assert made.exit_code == 0, made.output
    files = sorted(tmp_path.iterdir())
    assert {p.name.split(".", 1)[1] for p in files} == {
        host.writer(f).extension[1:] for f in target_formats(host, name)
    }
    limits = Limits.from_options(resolve_options(host, {"preset": preset}))
    assert limits.max_chars and limits.max_chars <= 42  # whisper's 62-95 character lines are gone
    for path in files:
        if path.suffix in (".sbv", ".scc", ".stl"):  # check has no reader for these
            assert _hard_limits(_independent(path), limits) == [], path.name
            continue
        checked = runner.invoke(cli, ["check", "--preset", preset, *fps, "--json", str(path)])
        report = json.loads(checked.stdout)["files"][0]
        assert report["errors"] == 0, (path.name, report["summary"])


@pytest.mark.parametrize("name", ["finalcut", "avid"])
def test_a_frame_based_target_needs_fps(name: str, tmp_path: Path) -> None:
    source = tmp_path / "talk.txt"
    source.write_text(LINE)
    result = CliRunner().invoke(
        cli, ["convert", str(source), "--for", name, "-d", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert f"--for {name} writes" in result.stderr and "give --fps" in result.stderr
    assert not (tmp_path / "o").exists()


def test_an_explicit_preset_wins_over_the_target(seed_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "seed.vtt"
    result = CliRunner().invoke(
        cli, ["convert", str(seed_path), "--for", "web", "--preset", "vertical", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    lines = [line for c in webvtt.read(str(out)) for line in c.text.split("\n")]
    assert max(map(len, lines)) <= 24
