"""What a plugin author sees when their plugin is wrong (issue 18): messages that name the
plugin, the hook, the problem and the fix; tracebacks on request; contracts the host checks;
clashes that cost only the clashing registration; listings of transforms and options."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import captionbridge
from captionbridge import PluginError, ReaderSpec, TransformSpec, WriterSpec, hookimpl
from captionbridge.cli import app as cli_module
from captionbridge.host.registry import PluginHost, make_host
from captionbridge.model import Transcript
from captionbridge.specs import OptionSpec

SHORT = "[00:00:01.000 --> 00:00:02.000]  Hello there.\n"


def _host(**plugins: object) -> PluginHost:
    return make_host(entry_points=False, plugins=plugins)


def _cli(
    monkeypatch: pytest.MonkeyPatch, host: PluginHost, args: list[str]
) -> Any:  # click's Result
    monkeypatch.setattr(cli_module, "default_host", lambda: host)
    return CliRunner().invoke(cli_module.cli, args)


# -- 1. validation messages ------------------------------------------------------------------


class WrongArgument:
    @hookimpl
    def captionbridge_register_writers(self, reg: object) -> None:
        pass


class MisspeltHook:
    @hookimpl
    def captionbridge_register_writer(self, register: object) -> None:  # missing "s"
        pass


def test_wrong_argument_name_reaches_broken_list_with_the_argument() -> None:
    (broken,) = _host(shout=WrongArgument()).broken
    assert broken.name == "shout"
    assert "'captionbridge_register_writers'" in broken.error
    assert "{'reg'}" in broken.error
    assert "it takes (register)" in broken.error
    assert "\n" not in broken.error


def test_wrong_argument_name_reaches_cli_and_json(monkeypatch: pytest.MonkeyPatch) -> None:
    host = _host(shout=WrongArgument())
    document = json.loads(_cli(monkeypatch, host, ["plugins", "--json"]).stdout)
    (entry,) = [b for b in document["broken"] if b["name"] == "shout"]
    assert "{'reg'}" in entry["error"]
    result = _cli(monkeypatch, host, ["formats"])
    assert "plugin 'shout' (shout) is broken and was skipped" in result.stderr
    assert "{'reg'}" in result.stderr


def test_misspelt_hook_gets_a_suggestion() -> None:
    (broken,) = _host(typo=MisspeltHook()).broken
    assert broken.error == (
        "PluginValidationError: unknown hook 'captionbridge_register_writer';"
        " did you mean 'captionbridge_register_writers'?"
    )


# -- 2. tracebacks on request ----------------------------------------------------------------


def divide(transcript: Transcript, context: object) -> str:
    return str(1 / 0)  # the line an author wants to see


class Shout:
    @hookimpl
    def captionbridge_register_writers(self, register: Callable[[WriterSpec], None]) -> None:
        register(WriterSpec("shout", divide, extension=".shout"))


def _plugin_line() -> str:
    return f'File "{__file__}", line {divide.__code__.co_firstlineno + 1}, in divide'


@pytest.mark.parametrize("how", ["flag", "env", "none"])
def test_plugin_failure_shows_traceback_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    monkeypatch.setenv("CAPTIONBRIDGE_DEBUG", "1" if how == "env" else "0")
    talk = tmp_path / "talk.txt"
    talk.write_text(SHORT)
    args = ["convert", str(talk), "--to", "shout", "-o", str(tmp_path / "talk.shout")]
    result = _cli(
        monkeypatch, _host(shout=Shout()), (["--traceback"] if how == "flag" else []) + args
    )
    assert result.exit_code == 1
    first, *rest = result.stderr.splitlines()
    assert "plugin 'shout' failed in writer 'shout': ZeroDivisionError: division by zero" in first
    if how == "none":
        assert rest == [] and "Traceback" not in result.output
    else:
        assert rest[0] == "Traceback (most recent call last):"
        assert any(line.strip() == _plugin_line() for line in rest)
    assert not (tmp_path / "talk.shout").exists()


def test_traceback_in_a_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAPTIONBRIDGE_DEBUG", "0")
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(SHORT)
    inputs = [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    args = ["--traceback", "convert", *inputs, "--to", "shout", "-d", str(tmp_path / "out")]
    result = _cli(monkeypatch, _host(shout=Shout()), args)
    assert result.exit_code == 1
    assert result.stderr.count("failed in writer 'shout': ZeroDivisionError") == 2
    assert result.stderr.count(_plugin_line()) == 2


def test_debug_environment_adds_the_traceback_in_the_api(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAPTIONBRIDGE_DEBUG", "1")
    host = _host(shout=Shout())
    with pytest.raises(PluginError) as info:
        captionbridge.dumps(captionbridge.loads(SHORT, host=host), "shout", host=host)
    assert _plugin_line() in str(info.value)


# -- 3. contracts checked at run time --------------------------------------------------------


class Returns:
    def __init__(self, result: object) -> None:
        self.result = result

    @hookimpl
    def captionbridge_register_writers(self, register: Callable[[WriterSpec], None]) -> None:
        register(WriterSpec("odd", lambda t, c: self.result, extension=".odd"))  # type: ignore[arg-type, return-value]


def test_mapping_from_a_writer_not_declared_multi_file(tmp_path: Path) -> None:
    host = _host(odd=Returns({"a.odd": "x", "b.odd": "y"}))
    transcript = captionbridge.loads(SHORT, host=host)
    with pytest.raises(PluginError, match="multi_file=True") as info:
        captionbridge.save(transcript, tmp_path / "x.odd", host=host)
    assert "plugin 'odd' failed in writer 'odd'" in str(info.value)
    assert not list(tmp_path.iterdir())


def test_mapping_from_a_single_file_writer_fails_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    talk = tmp_path / "talk.txt"
    talk.write_text(SHORT)
    out = tmp_path / "out.odd"
    host = _host(odd=Returns({"elsewhere.odd": "x"}))
    result = _cli(monkeypatch, host, ["convert", str(talk), "--to", "odd", "-o", str(out)])
    assert result.exit_code == 1 and "not declared multi_file" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["talk.txt"]


def test_lone_surrogate_from_a_writer_is_a_plugin_error(tmp_path: Path) -> None:
    host = _host(odd=Returns("caf\udce9\n"))
    transcript = captionbridge.loads(SHORT, host=host)
    with pytest.raises(PluginError, match=r"writer 'odd': emitted a lone surrogate '\\udce9'"):
        captionbridge.save(transcript, tmp_path / "x.odd", host=host)
    assert not list(tmp_path.iterdir())


# -- 4. a clash costs only the clashing registration ----------------------------------------


def _keep(transcript: Transcript, options: object) -> Transcript:
    return transcript


class Clashing:
    @hookimpl
    def captionbridge_register_options(self, register: Callable[[OptionSpec], None]) -> None:
        register(OptionSpec("remove_fillers", "drop um and uh", type=bool, is_bool=True))

    @hookimpl
    def captionbridge_register_readers(self, register: Callable[[ReaderSpec], None]) -> None:
        register(ReaderSpec("mine", lambda t, c: Transcript(()), extensions=(".mine",)))

    @hookimpl
    def captionbridge_register_writers(self, register: Callable[[WriterSpec], None]) -> None:
        register(WriterSpec("srt", divide, extension=".srt2", aliases=("srt2",)))
        register(WriterSpec("plain", divide, extension=".txt", aliases=("plaintext",)))
        register(WriterSpec("fine", divide, extension=".fine"))

    @hookimpl
    def captionbridge_register_transforms(self, register: Callable[[TransformSpec], None]) -> None:
        register(TransformSpec("fillers", "clean", _keep))


def test_clashing_registrations_are_skipped_alone() -> None:
    host = _host(mine=Clashing())
    assert [(b.name, b.skipped) for b in host.broken] == [
        ("mine", "writer 'srt'"),
        ("mine", "writer 'plain'"),
    ]
    srt, plain = (b.error for b in host.broken)
    assert "CAPTIONBRIDGE_DISABLE_PLUGINS=srt" in srt
    assert "claims=()" in plain and "CAPTIONBRIDGE_DISABLE_PLUGINS=txt" in plain
    assert host.provider_of("writer", "srt") == "captionbridge.plugins.srt"
    assert "fine" in host.writers and "mine" in host.readers
    assert "remove_fillers" in host.options
    assert [t.name for t in host.transforms if t.name == "fillers"] == ["fillers"]
    # nothing of a skipped writer is half-claimed: its alias and extension stay free
    assert ("writer", "srt2") not in host.provider
    assert ("writer", "plaintext") not in host.provider
    assert host.writer_for_path("x.txt").name == "txt"


def test_clash_is_reported_and_the_rest_of_the_plugin_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    host = _host(mine=Clashing())
    talk = tmp_path / "talk.txt"
    talk.write_text(SHORT)
    args = ["convert", str(talk), "--no-remove-fillers", "-o", str(tmp_path / "t.srt")]
    result = _cli(monkeypatch, host, args)
    assert result.exit_code == 0, result.output
    assert "plugin 'mine' (mine): its writer 'srt' was skipped" in result.stderr
    listing = _cli(monkeypatch, host, ["plugins"]).stdout
    assert "mine  (mine)  SKIPPED writer 'plain': " in listing
    document = json.loads(_cli(monkeypatch, host, ["plugins", "--json"]).stdout)
    assert [s["registration"] for s in document["skipped"]] == ["writer 'srt'", "writer 'plain'"]
    assert document["broken"] == []


def test_a_builtin_can_be_disabled_to_free_its_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAPTIONBRIDGE_DISABLE_PLUGINS", "srt")
    host = _host(mine=Clashing())
    assert [b.skipped for b in host.broken] == ["writer 'plain'"]
    assert host.provider_of("writer", "srt") == "mine"


# -- 7. listings ------------------------------------------------------------------------------


def test_formats_json_lists_everything_with_its_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    host = _host(mine=Clashing())
    document = json.loads(_cli(monkeypatch, host, ["formats", "--json"]).stdout)
    assert set(document) == {"readers", "writers", "presets", "targets", "transforms", "options"}
    (fillers,) = [t for t in document["transforms"] if t["name"] == "fillers"]
    assert fillers == {
        "name": "fillers",
        "stage": "clean",
        "order": 0,
        "description": "",
        "plugin": "mine",
    }
    (option,) = [o for o in document["options"] if o["name"] == "remove_fillers"]
    assert (option["type"], option["plugin"], option["flag"]) == (
        "bool",
        "mine",
        "--remove-fillers",
    )
    (overlaps,) = [o for o in document["options"] if o["name"] == "overlaps"]
    assert (overlaps["default"], overlaps["choices"]) == ("fix", ["fix", "keep"])
    (srt,) = [w for w in document["writers"] if w["name"] == "srt"]
    assert srt["plugin"] == "captionbridge.plugins.srt" and srt["extensions"] == [".srt"]
    (fps,) = [o for o in document["options"] if o["name"] == "fps"]
    assert fps["type"] == "parse_fps"
    assert any(w["frame_based"] for w in document["writers"])
    assert "bbc" in [p["name"] for p in document["presets"]]


def test_formats_and_plugins_show_transforms_and_options_per_plugin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    host = _host(mine=Clashing())
    text = _cli(monkeypatch, host, ["formats"]).stdout
    assert "  fillers  (clean, mine)" in text
    assert "  mine: --remove-fillers" in text
    (line,) = [
        x
        for x in _cli(monkeypatch, host, ["plugins"]).stdout.splitlines()
        if x.startswith("mine  (mine)  captionbridge")
    ]
    assert line.endswith(
        "[readers: mine; writers: fine; transforms: fillers; options: --remove-fillers]"
    )


# -- 6. helpers for the common transform ----------------------------------------------------


def _dual() -> Transcript:
    from captionbridge.model import Cue, Note, Speaker, Turn

    return Transcript(
        [
            Cue.make(0, 1000, "um hello"),
            Cue(1000, 2000, (Turn("um", "A", True), Turn("yes um", "B", True))),
            Cue.make(2000, 3000, "um"),
            Cue.make(3000, 4000, ""),
        ],
        language="fr",
        speakers={"A": Speaker("A", "Ada"), "B": Speaker("B")},
        source="talk.txt",
        notes=[Note("decoded as cp1252", "talk.txt")],
    )


def _same_metadata(a: Transcript, b: Transcript) -> bool:
    return (a.language, a.speakers, a.source, a.notes) == (
        b.language,
        b.speakers,
        b.source,
        b.notes,
    )


def test_map_texts_keeps_metadata_and_drops_what_it_empties() -> None:
    before = _dual()
    after = before.map_texts(lambda text: " ".join(w for w in text.split() if w != "um"))
    assert _same_metadata(before, after)
    assert [(c.start, c.text) for c in after.cues] == [(0, "hello"), (1000, "yes"), (3000, "")]
    (turn,) = after.cues[1].turns
    assert (turn.speaker, turn.change) == ("B", True)
    assert after.columns().contents[0] == "hello"  # the compact column form stays compact


def test_map_turns_splits_and_drops_turns() -> None:
    from captionbridge.model import Turn

    before = _dual()
    after = before.map_turns(
        lambda t: [Turn(w, t.speaker) for w in t.text.split()] if t.speaker == "B" else None
    )
    assert _same_metadata(before, after)
    assert [[(t.text, t.speaker) for t in c.turns] for c in after.cues] == [
        [("yes", "B"), ("um", "B")]
    ]


def test_filter_cues_keeps_metadata() -> None:
    before = _dual()
    after = before.filter_cues(lambda cue: cue.start >= 2000)
    assert _same_metadata(before, after)
    assert [c.start for c in after.cues] == [2000, 3000]
