"""Options from captionbridge.toml / pyproject.toml / --config, profiles, precedence."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from captionbridge.cli.app import cli
from captionbridge.cli.config import ConfigError, load_config

LINE = "[00:00:01.000 --> 00:00:02.000]  Hello & goodbye\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "talks").mkdir()
    (tmp_path / "talks" / "a.txt").write_text(LINE)
    return tmp_path


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["convert", *args])
    return result.exit_code, result.output


def test_captionbridge_toml_and_profile(project: Path) -> None:
    (project / "captionbridge.toml").write_text(
        'to = ["srt", "vtt"]\nout-dir = "captions"\njobs = 1\n'
        '[profile.web]\nto = "vtt"\nout_dir = "web"\n'
    )
    code, output = _run("talks")
    assert code == 0, output
    assert sorted(p.name for p in (project / "captions").iterdir()) == ["a.srt", "a.vtt"]
    code, output = _run("talks", "--profile", "web")
    assert code == 0, output
    assert [p.name for p in (project / "web").iterdir()] == ["a.vtt"]
    code, output = _run("talks", "--profile", "web", "-t", "txt", "-d", "cli")  # CLI wins
    assert code == 0, output
    assert [p.name for p in (project / "cli").iterdir()] == ["a.txt"]


def test_pyproject_table_and_option_values(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.captionbridge]\nto = "json"\nout_dir = "o"\n'
        'language = "fr"\nfps = 25\n'
    )
    code, output = _run("talks")
    assert code == 0, output
    assert '"fr"' in (project / "o" / "a.json").read_text()


def test_unknown_key_names_the_file(project: Path) -> None:
    (project / "captionbridge.toml").write_text("colour = 'red'\n")
    code, output = _run("talks")
    assert code == 2
    assert "captionbridge.toml: unknown key 'colour'" in output
    config = project / "house.toml"
    config.write_text("[profile.bbc]\nmax_width = 3\n")
    code, output = _run("talks", "--config", str(config), "--profile", "bbc")
    assert code == 2 and "house.toml [profile.bbc]: unknown key 'max_width'" in output
    code, output = _run("talks", "--config", str(config), "--profile", "nope")
    assert code == 2 and "no profile 'nope' (profiles: bbc)" in output


def test_bad_values_are_usage_errors(project: Path) -> None:
    (project / "captionbridge.toml").write_text("jobs = 0\n")
    with pytest.raises(ConfigError, match="'jobs' must be"):
        load_config(None, profile=None, known=[])
    (project / "captionbridge.toml").write_text("to = [\n")
    code, output = _run("talks")
    assert code == 2 and "not valid TOML" in output
    (project / "captionbridge.toml").write_text("overlaps = 'sometimes'\n")
    code, output = _run("talks")
    assert code == 2 and "--overlaps" in output


def test_profile_without_a_config_file(project: Path) -> None:
    code, output = _run("talks", "--profile", "x")
    assert code == 2 and "needs a captionbridge.toml" in output
