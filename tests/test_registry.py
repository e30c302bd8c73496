"""The plugin host: registration through hooks and real entry points, isolation of broken
plugins, name clashes, disabling, and the pipeline stages plugins hook into."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import types
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import captionbridge
from captionbridge import hookimpl
from captionbridge.errors import PluginError
from captionbridge.host.registry import make_host
from captionbridge.model import Cue, Transcript
from captionbridge.specs import OptionSpec, TransformSpec, WriterSpec

GOOD = "[00:00:01.000 --> 00:00:02.000]  Hello.\n"


def upper_writer(transcript: Transcript, context: Any) -> str:
    return "".join(c.text.upper() + "\n" for c in transcript.cues)


class FakeWriter:
    @hookimpl
    def captionbridge_register_writers(self, register: Any) -> None:
        register(WriterSpec("shout", upper_writer, extension=".shout"))


def test_injected_writer_is_used_by_the_api() -> None:
    host = make_host(entry_points=False, plugins={"fake": FakeWriter()})
    t = captionbridge.loads(GOOD, host=host)
    assert captionbridge.dumps(t, "shout", host=host) == "HELLO.\n"
    assert host.writer_for_path("x.shout").name == "shout"
    assert host.provider_of("writer", "shout") == "fake"


def test_two_plugins_with_one_format_name_is_an_error_naming_both() -> None:
    class Clash:
        @hookimpl
        def captionbridge_register_writers(self, register: Any) -> None:
            register(WriterSpec("srt", upper_writer, extension=".srt2"))

    host = make_host(entry_points=False, plugins={"clash": Clash()})
    assert [(b.name, b.skipped, b.error) for b in host.broken] == [
        (
            "clash",
            "writer 'srt'",
            "captionbridge_register_writers: writer 'srt' is registered by two plugins:"
            " 'captionbridge.plugins.srt' and 'clash'; the writer of 'clash' was skipped (its"
            " other registrations stay): rename it, or disable the other with"
            " CAPTIONBRIDGE_DISABLE_PLUGINS=srt",
        )
    ]
    assert host.writers["srt"].extension == ".srt"
    assert host.provider_of("writer", "srt") == "captionbridge.plugins.srt"


def test_plugin_failing_to_register_is_skipped_and_reported() -> None:
    class Broken:
        @hookimpl
        def captionbridge_register_writers(self, register: Any) -> None:
            raise RuntimeError("boom")

    host = make_host(entry_points=False, plugins={"broken": Broken()})
    assert [(b.name, b.error) for b in host.broken] == [
        ("broken", "captionbridge_register_writers: RuntimeError: boom")
    ]
    assert "srt" in host.writers


def test_misspelt_hook_is_caught() -> None:
    class Typo:
        @hookimpl
        def captionbridge_register_writer(self, register: Any) -> None:  # missing "s"
            pass

    host = make_host(entry_points=False, plugins={"typo": Typo()})
    assert [b.name for b in host.broken] == ["typo"]
    assert "unknown hook" in host.broken[0].error


def test_module_plugins_register_their_hooks_and_nothing_else() -> None:
    module = types.ModuleType("shout_module")

    @hookimpl
    def captionbridge_register_writers(register: Any) -> None:
        register(WriterSpec("shout-module", lambda t, c: "X", extension=".shout"))

    @hookimpl
    def captionbridge_register_writer(register: Any) -> None:  # missing "s"
        pass

    def captionbridge_register_readers(register: Any) -> None:  # not marked: not a hook
        raise AssertionError("called")

    module.__dict__.update(
        captionbridge_register_writers=captionbridge_register_writers,
        typo=captionbridge_register_writer,
        captionbridge_register_readers=captionbridge_register_readers,
        re=re,
        CONSTANT=3,
    )
    host = make_host(entry_points=False, plugins={"shout_module": module})
    assert [b.name for b in host.broken] == ["shout_module"]
    assert "unknown hook" in host.broken[0].error
    good = make_host(entry_points=False, plugins={"ok": _without(module, "typo")})
    assert "shout-module" in good.writers and good.broken == []


def _without(module: Any, name: str) -> Any:
    copy = types.ModuleType(module.__name__)
    copy.__dict__.update({k: v for k, v in module.__dict__.items() if k != name})
    return copy


def test_disabled_plugins_are_not_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAPTIONBRIDGE_DISABLE_PLUGINS", "txt, fake")
    host = make_host(entry_points=False, plugins={"fake": FakeWriter()})
    assert "txt" not in host.writers and "shout" not in host.writers
    assert "srt" in host.writers


def test_firstresult_hook_failure_names_plugin_and_hook() -> None:
    class BadReflow:
        @hookimpl
        def captionbridge_reflow(self, transcript: Transcript, options: Any) -> Transcript:
            raise ValueError("cannot")

    host = make_host(entry_points=False, plugins={"badreflow": BadReflow()})
    t = captionbridge.loads(GOOD, host=host)
    with pytest.raises(PluginError) as info:
        captionbridge.transform(t, host=host)
    assert (info.value.plugin, info.value.hook) == ("badreflow", "captionbridge_reflow")
    assert "plugin 'badreflow' failed in captionbridge_reflow: ValueError: cannot" in str(
        info.value
    )


def test_firstresult_hook_wins_over_the_builtin() -> None:
    class Shift:
        @hookimpl
        def captionbridge_label_speakers(self, transcript: Transcript, options: Any) -> Transcript:
            return transcript.replace(
                cues=[Cue.make(c.start, c.end, "relabelled") for c in transcript.cues]
            )

    host = make_host(entry_points=False, plugins={"shift": Shift()})
    out = captionbridge.transform(captionbridge.loads(GOOD, host=host), host=host)
    assert [c.text for c in out.cues] == ["relabelled"]


def test_transforms_run_in_stage_then_order_with_their_options() -> None:
    calls: list[str] = []

    def make(name: str) -> Any:
        def apply(t: Transcript, options: Any) -> Transcript:
            calls.append(f"{name}:{options['greeting']}")
            return t

        return apply

    class Stages:
        @hookimpl
        def captionbridge_register_options(self, register: Any) -> None:
            register(OptionSpec("greeting", "a test option", default="hi"))

        @hookimpl
        def captionbridge_register_transforms(self, register: Any) -> None:
            register(TransformSpec("late-timing", "timing", make("timing"), order=5))
            register(TransformSpec("clean-b", "clean", make("clean-b"), order=2))
            register(TransformSpec("clean-a", "clean", make("clean-a"), order=1))
            register(TransformSpec("reflow-x", "reflow", make("reflow")))

    host = make_host(entry_points=False, plugins={"stages": Stages()})
    captionbridge.transform(captionbridge.loads(GOOD, host=host), host=host, greeting="yo")
    assert calls == ["clean-a:yo", "clean-b:yo", "reflow:yo", "timing:yo"]


def test_failing_transform_and_writer_name_their_plugin() -> None:
    def explode(t: Transcript, options: Any) -> Any:
        raise KeyError("x")

    class Bad:
        @hookimpl
        def captionbridge_register_transforms(self, register: Any) -> None:
            register(TransformSpec("explode", "clean", explode))

        @hookimpl
        def captionbridge_register_writers(self, register: Any) -> None:
            register(WriterSpec("bad", explode, extension=".bad"))

    host = make_host(entry_points=False, plugins={"bad": Bad()})
    t = captionbridge.loads(GOOD, host=host)
    with pytest.raises(PluginError, match="plugin 'bad' failed in transform 'explode'"):
        captionbridge.transform(t, host=host)
    with pytest.raises(PluginError, match="plugin 'bad' failed in writer 'bad': KeyError"):
        captionbridge.dumps(t, "bad", host=host)


def test_unknown_option_is_refused() -> None:
    host = make_host(entry_points=False)
    with pytest.raises(captionbridge.CaptionbridgeError, match="unknown option 'colour'"):
        captionbridge.loads(GOOD, host=host, colour="red")


def test_preset_values_layer_under_explicit_ones() -> None:
    from captionbridge.flow.pipeline import resolve_options
    from captionbridge.specs import Preset

    class House:
        @hookimpl
        def captionbridge_register_presets(self, register: Any) -> None:
            register(Preset("house", {"speaker_style": "dash", "language": "fr"}))

    host = make_host(entry_points=False, plugins={"house": House()})
    values = resolve_options(host, {"preset": "house", "language": "de"})
    assert (values["speaker_style"], values["language"]) == ("dash", "de")


# -- real entry points, as a third-party package installs them ------------------------------

PLUGIN_MODULE = """
import captionbridge
from captionbridge import hookimpl, OptionSpec, WriterSpec

def write(transcript, context):
    mark = context.options.get("shout_mark") or "!"
    return "".join(c.text.upper() + mark + "\\n" for c in transcript.cues)

@hookimpl
def captionbridge_register_options(register):
    register(OptionSpec("shout_mark", "what to end each line with"))

@hookimpl
def captionbridge_register_writers(register):
    register(WriterSpec("shout", write, extension=".shout", description="shouting"))
"""


def install_fake_distribution(root: Path, name: str, entry: str, module: str, code: str) -> None:
    """A package as pip leaves it: a module plus a dist-info folder with entry points."""
    (root / f"{module}.py").write_text(code)
    info = root / f"{name.replace('-', '_')}-1.2.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.2.3\n")
    (info / "entry_points.txt").write_text(f"[captionbridge]\n{entry} = {module}\n")


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(root))
    return subprocess.run(
        [sys.executable, "-m", "captionbridge", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_entry_point_plugin_adds_a_format_and_an_option(tmp_path: Path) -> None:
    install_fake_distribution(tmp_path, "captionbridge-shout", "shout", "cb_shout", PLUGIN_MODULE)
    (tmp_path / "in.txt").write_text(GOOD)
    formats = run_cli(tmp_path, "formats")
    assert any(line.split()[:2] == ["write", "shout"] for line in formats.stdout.splitlines())
    result = run_cli(
        tmp_path, "convert", "in.txt", "--to", "shout", "--shout-mark", "?!", "-o", "-"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "HELLO.?!\n"
    listing = json.loads(run_cli(tmp_path, "plugins", "--json").stdout)
    shout = next(p for p in listing["plugins"] if p["name"] == "shout")
    assert shout["distribution"] == "captionbridge-shout" and shout["version"] == "1.2.3"
    assert shout["hooks"] == ["captionbridge_register_options", "captionbridge_register_writers"]


def test_broken_entry_point_does_not_stop_conversion(tmp_path: Path) -> None:
    install_fake_distribution(
        tmp_path,
        "captionbridge-broken",
        "broken",
        "cb_broken",
        "raise ImportError('missing dependency frobnicate')\n",
    )
    (tmp_path / "in.txt").write_text(GOOD)
    result = run_cli(tmp_path, "convert", "in.txt", "--to", "vtt", "-o", "-")
    assert result.returncode == 0
    assert result.stdout.startswith("WEBVTT")
    assert (
        "plugin 'broken' (captionbridge-broken) is broken and was skipped: ImportError:"
        " missing dependency frobnicate" in result.stderr
    )
    listing = run_cli(tmp_path, "plugins")
    assert "broken  (captionbridge-broken)  BROKEN: ImportError" in listing.stdout
    disabled = subprocess.run(
        [sys.executable, "-m", "captionbridge", "convert", "in.txt", "-o", "-"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, PYTHONPATH=str(tmp_path), CAPTIONBRIDGE_DISABLE_PLUGINS="broken"),
    )
    assert disabled.stderr == ""


def test_plugin_host_object_is_independent() -> None:
    first = make_host(entry_points=False)
    second = make_host(entry_points=False, plugins={"fake": FakeWriter()})
    assert "shout" in second.writers and "shout" not in first.writers
    assert isinstance(SimpleNamespace(), object)


def test_two_writers_with_one_extension_in_one_run_is_a_usage_error(tmp_path: Path) -> None:
    code = PLUGIN_MODULE.replace('extension=".shout"', 'extension=".srt", claims=()')
    install_fake_distribution(tmp_path, "captionbridge-shout", "shout", "cb_shout", code)
    (tmp_path / "in.txt").write_text(GOOD)
    result = run_cli(tmp_path, "convert", "in.txt", "--to", "srt,shout", "-d", "out")
    assert result.returncode == 2
    assert "--to srt and shout both write <name>.srt" in result.stderr
    assert not (tmp_path / "out").exists()
