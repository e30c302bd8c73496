"""Each hook of captionbridge.hookspecs, exercised through a small injected plugin."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import click
import pytest
from click.testing import CliRunner

import captionbridge
from captionbridge import (
    Cue,
    OptionSpec,
    Preset,
    ReaderSpec,
    Target,
    Transcript,
    TransformSpec,
    Turn,
    WriterSpec,
    hookimpl,
)
from captionbridge.cli import app as cli_module
from captionbridge.host import registry
from captionbridge.host.registry import make_host

SHORT = "[00:00:01.000 --> 00:00:02.000]  Hello there.\n"


def _host(plugin: object) -> registry.PluginHost:
    host = make_host(entry_points=False, plugins={"test-plugin": plugin})
    assert not host.broken, host.broken
    return host


class ReadersPlugin:
    @hookimpl
    def captionbridge_register_readers(self, register: Callable[[ReaderSpec], None]) -> None:
        def read(text: str, context: captionbridge.ReadContext) -> Transcript:
            return Transcript([Cue.make(0, 1000, text.strip().upper())], source=context.source)

        register(ReaderSpec("upper", read, guess=lambda text, name: text.startswith("UP:")))


def test_register_readers() -> None:
    host = _host(ReadersPlugin())
    assert host.provider_of("reader", "upper") == "test-plugin"
    assert captionbridge.loads("UP: hi", host=host).cues[0].text == "UP: HI"  # guessed
    assert captionbridge.loads("x", format="upper", host=host).cues[0].text == "X"


class WritersPlugin:
    @hookimpl
    def captionbridge_register_writers(self, register: Callable[[WriterSpec], None]) -> None:
        def write(transcript: Transcript, context: captionbridge.WriteContext) -> str:
            return "".join(c.text.upper() + "\n" for c in transcript.cues)

        register(WriterSpec("shout", write, extension=".shout", aliases=("yell",)))


def test_register_writers(tmp_path: Any) -> None:
    host = _host(WritersPlugin())
    transcript = captionbridge.loads(SHORT, host=host)
    assert captionbridge.dumps(transcript, "yell", host=host) == "HELLO THERE.\n"
    (path,) = captionbridge.save(transcript, tmp_path / "a.shout", host=host)  # by extension
    assert path.read_text() == "HELLO THERE.\n"


class OptionsPlugin:
    @hookimpl
    def captionbridge_register_options(self, register: Callable[[OptionSpec], None]) -> None:
        register(OptionSpec("shout_level", "How loud.", type=int, default=1, metavar="N"))

    @hookimpl
    def captionbridge_register_transforms(self, register: Callable[[TransformSpec], None]) -> None:
        def apply(transcript: Transcript, options: captionbridge.Options) -> Transcript:
            bang = "!" * options["shout_level"]
            return transcript.replace(
                cues=[Cue.make(c.start, c.end, c.text + bang) for c in transcript]
            )

        register(TransformSpec("bang", "clean", apply))


def test_register_options_become_keywords_and_flags() -> None:
    host = _host(OptionsPlugin())
    transcript = captionbridge.loads(SHORT, host=host)
    assert (
        captionbridge.transform(transcript, host=host, shout_level="3").cues[0].text.endswith("!!!")
    )
    command = cli_module._convert_command(host)
    result = CliRunner().invoke(command, ["--help"])
    assert "--shout-level N" in result.output
    with pytest.raises(captionbridge.CaptionbridgeError, match="--shout-level"):
        captionbridge.transform(transcript, host=host, shout_level="loud")


class OrderPlugin:
    @hookimpl
    def captionbridge_register_transforms(self, register: Callable[[TransformSpec], None]) -> None:
        def tag(label: str) -> Callable[[Transcript, captionbridge.Options], Transcript]:
            def apply(transcript: Transcript, options: captionbridge.Options) -> Transcript:
                cues = [Cue.make(c.start, c.end, c.text + label) for c in transcript]
                return transcript.replace(cues=cues)

            return apply

        register(TransformSpec("late", "timing", tag("[timing]"), order=-5))
        register(TransformSpec("second", "clean", tag("[clean 2]"), order=2))
        register(TransformSpec("first", "clean", tag("[clean 1]"), order=1))


def test_register_transforms_run_by_stage_then_order() -> None:
    host = _host(OrderPlugin())
    result = captionbridge.transform(captionbridge.loads(SHORT, host=host), host=host)
    assert result.cues[0].text == "Hello there.[clean 1][clean 2][timing]"


class PresetsAndTargets:
    @hookimpl
    def captionbridge_register_presets(self, register: Callable[[Preset], None]) -> None:
        register(Preset("quiet-house", {"speaker_style": "none", "overlaps": "keep"}))

    @hookimpl
    def captionbridge_register_targets(self, register: Callable[[Target], None]) -> None:
        register(Target("my-player", ("vtt", "srt"), {"preset": "quiet-house"}))


def test_register_presets_explicit_values_win() -> None:
    from captionbridge.flow.pipeline import resolve_options

    host = _host(PresetsAndTargets())
    values = resolve_options(host, {"preset": "quiet-house", "overlaps": "fix"})
    assert (values["speaker_style"], values["overlaps"]) == ("none", "fix")


def test_register_targets_choose_formats(tmp_path: Any) -> None:
    source = tmp_path / "talk.txt"
    source.write_text(SHORT)
    host = _host(PresetsAndTargets())
    written = captionbridge.convert(source, target="my-player", host=host)
    assert sorted(p.name for p in written) == ["talk.srt", "talk.vtt"]


class Labeller:
    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.calls = 0

    @hookimpl
    def captionbridge_label_speakers(
        self, transcript: Transcript, options: captionbridge.Options
    ) -> Transcript | None:
        self.calls += 1
        if not self.answer:
            return None
        cues = [Cue(c.start, c.end, (Turn(c.text, "S1"),)) for c in transcript]
        return transcript.replace(cues=cues, speakers={"S1": captionbridge.Speaker("S1", "Ada")})


@pytest.mark.parametrize("answer", [True, False])
def test_label_speakers_first_result_wins(answer: bool) -> None:
    plugin = Labeller(answer)
    host = _host(plugin)
    result = captionbridge.transform(captionbridge.loads(SHORT, host=host), host=host)
    assert plugin.calls == 1
    expected = "Ada: Hello there.\n" if answer else "Hello there.\n"
    assert captionbridge.dumps(result, "srt", host=host).endswith(expected)


class Reflower:
    @hookimpl(tryfirst=True)
    def captionbridge_reflow(
        self, transcript: Transcript, options: captionbridge.Options
    ) -> Transcript | None:
        return transcript.replace(
            cues=[Cue.make(c.start, c.end, c.text.replace(" ", "\n")) for c in transcript]
        )


def test_reflow_replaces_the_builtin() -> None:
    host = _host(Reflower())
    result = captionbridge.transform(captionbridge.loads(SHORT, host=host), host=host)
    assert result.cues[0].text == "Hello\nthere."


class Commands:
    @hookimpl
    def captionbridge_register_commands(self, cli: click.Group) -> None:
        @cli.command()
        def hello() -> None:
            """Say hello."""
            click.echo("hello from a plugin")


class BrokenCommands:
    @hookimpl
    def captionbridge_register_commands(self, cli: click.Group) -> None:
        raise RuntimeError("no commands today")


@pytest.fixture
def cli_with(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[dict[str, object]], None]]:
    """Point the CLI at a host with the given plugins, with a fresh command table."""

    def use(plugins: dict[str, object]) -> None:
        host = make_host(entry_points=False, plugins=plugins)
        monkeypatch.setattr(cli_module, "default_host", lambda: host)
        monkeypatch.setattr(cli_module.cli, "commands", dict(cli_module.cli.commands))
        monkeypatch.setattr(cli_module.cli, "_plugin_commands_loaded", False, raising=False)

    yield use


def test_register_commands(cli_with: Callable[[dict[str, object]], None]) -> None:
    cli_with({"greeter": Commands(), "grumpy": BrokenCommands()})
    result = CliRunner().invoke(cli_module.cli, ["hello"])
    assert result.exit_code == 0, result.output
    assert "hello from a plugin" in result.stdout
    assert (
        "plugin 'grumpy' failed in captionbridge_register_commands: RuntimeError: no commands"
        in result.stderr
    )
    assert "hello" in CliRunner().invoke(cli_module.cli, ["--help"]).stdout
