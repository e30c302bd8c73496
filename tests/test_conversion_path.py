"""The one conversion path (flow/convert.py): every front end reaches it, only it streams,
``-o`` means what ``--to`` names, and one failing writer does not drop the other outputs."""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import srt as srt_lib
import webvtt
from click.testing import CliRunner

import captionbridge
from captionbridge import hookimpl
from captionbridge.batch import run as batch_run
from captionbridge.batch.discover import Job
from captionbridge.cli import app as cli_module
from captionbridge.errors import CaptionbridgeError, FormatError, OutputsFailed
from captionbridge.flow import convert as flow_convert
from captionbridge.flow import streaming
from captionbridge.flow.pipeline import resolve_options
from captionbridge.flow.plan import plan_outputs
from captionbridge.host.registry import make_host
from captionbridge.model import Transcript
from captionbridge.specs import ReadContext, ReaderSpec, WriterSpec

HOST = make_host(entry_points=False)
SRC = Path(__file__).resolve().parents[1] / "src" / "captionbridge"
TALK = (
    "[00:00:01.000 --> 00:00:03.000]   Hello there.\n"
    "[00:00:03.500 --> 00:00:05.000]   How are you?\n"
    "[00:00:06.000 --> 00:00:08.000]   Fine, thanks.\n"
)
#: past 10 hours: ASS refuses it, SRT and VTT do not
LONG = TALK + "[10:00:01.000 --> 10:00:02.500]   Still here.\n"


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources passed to flow.convert.convert_source, counted through a wrapper."""
    seen: list[str] = []
    original = flow_convert.convert_source

    def counting(source: str, *args: Any, **kwargs: Any) -> flow_convert.Converted:
        seen.append(source)
        return original(source, *args, **kwargs)

    monkeypatch.setattr(flow_convert, "convert_source", counting)
    return seen


def _talk(folder: Path, text: str = TALK, name: str = "talk.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


# -- every front end reaches the one function ---------------------------------------------


def test_cli_single_file_reaches_convert_source(tmp_path: Path, calls: list[str]) -> None:
    talk = _talk(tmp_path)
    result = CliRunner().invoke(
        cli_module.cli, ["convert", str(talk), "-o", str(tmp_path / "a.vtt")]
    )
    assert result.exit_code == 0, result.output
    assert calls == [str(talk)]
    assert (tmp_path / "a.vtt").read_text().startswith("WEBVTT")


def test_cli_standard_input_reaches_convert_source(calls: list[str]) -> None:
    result = CliRunner().invoke(cli_module.cli, ["convert", "-", "--to", "vtt"], input=TALK)
    assert result.exit_code == 0, result.output
    assert calls == ["<stdin>"]
    assert result.stdout.startswith("WEBVTT")


def test_cli_batch_reaches_convert_source(tmp_path: Path, calls: list[str]) -> None:
    _talk(tmp_path / "in", name="a.txt")
    _talk(tmp_path / "in", name="b.txt")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli_module.cli, ["convert", str(tmp_path / "in"), "-d", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(Path(c).name for c in calls) == ["a.txt", "b.txt"]
    assert sorted(p.name for p in out.iterdir()) == ["a.srt", "b.srt"]


def test_api_convert_and_convert_many_reach_convert_source(
    tmp_path: Path, calls: list[str]
) -> None:
    talk = _talk(tmp_path / "in")
    written = captionbridge.convert(talk, to="vtt", out_dir=tmp_path / "v", host=HOST)
    assert written == [tmp_path / "v" / "talk.vtt"]
    assert calls == [str(talk)]
    results = captionbridge.convert_many(
        [tmp_path / "in"], to="srt", out_dir=tmp_path / "out", host=HOST
    )
    assert [r.outputs for r in results] == [(str(tmp_path / "out" / "talk.srt"),)]
    assert calls == [str(talk), str(talk)]


def test_batch_worker_reaches_convert_source(tmp_path: Path, calls: list[str]) -> None:
    talk = _talk(tmp_path)
    settings = batch_run.Settings(
        host=HOST, formats=("srt", "vtt"), options=resolve_options(HOST, {})
    )
    [result] = batch_run.run_chunk([Job(str(talk), str(tmp_path / "o" / "talk"))], settings)
    assert calls == [str(talk)]
    assert sorted(Path(p).name for p in result.outputs) == ["talk.srt", "talk.vtt"]


# -- only flow/convert.py streams (that flow/, host/, batch/ and api.py name no format is
# tests/test_architecture.py::test_core_layers_name_no_format) ---------------------------


_STREAM_ENTRIES = ("stream_convert", "big_enough")


def test_only_flow_convert_decides_to_stream() -> None:
    callers = sorted(
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.name != "streaming.py"
        and any(
            (isinstance(node, ast.Attribute) and node.attr in _STREAM_ENTRIES)
            or (isinstance(node, ast.alias) and node.name in _STREAM_ENTRIES)
            for node in ast.walk(ast.parse(path.read_text()))
        )
    )
    assert callers == ["flow/convert.py"]


def test_the_default_format_is_declared_once() -> None:
    assert [w.name for w in HOST.writers.values() if w.default] == ["srt"]
    assert captionbridge.dumps(captionbridge.loads(TALK, host=HOST), host=HOST).startswith("1\n")

    class SecondDefault:
        @hookimpl
        def captionbridge_register_writers(self, register: Callable[[WriterSpec], None]) -> None:
            register(WriterSpec("mine", lambda t, c: "", extension=".mine", default=True))

    host = make_host(entry_points=False, plugins={"second": SecondDefault()})
    assert host.default_writer().name == "srt"
    assert [b.name for b in host.broken] == ["second"]


# -- -o means what --to names (issue 14, fault 1) -----------------------------------------


@pytest.mark.parametrize("name", sorted(HOST.writers))
def test_output_named_as_to_names_it_is_the_same_format(name: str, tmp_path: Path) -> None:
    talk = _talk(tmp_path)
    [planned] = plan_outputs(HOST, str(talk), to=[name], out_dir=str(tmp_path / "to"))
    assert planned.path is not None
    [chosen] = plan_outputs(HOST, str(talk), output=planned.path)
    assert chosen.writer.name == name
    by_to = captionbridge.convert(talk, to=name, out_dir=tmp_path / "to", host=HOST)
    by_o = captionbridge.convert(talk, tmp_path / "o" / Path(planned.path).name, host=HOST)
    assert [p.name for p in by_o] == [p.name for p in by_to]
    assert [p.read_bytes() for p in by_o] == [p.read_bytes() for p in by_to]


def test_cli_output_with_two_part_extensions(tmp_path: Path) -> None:
    talk = _talk(tmp_path / "in")
    for name in ("talk.avid.txt", "talk.imsc.ttml", "talk.txt"):
        result = CliRunner().invoke(
            cli_module.cli, ["convert", str(talk), "-o", str(tmp_path / name)]
        )
        assert result.exit_code == 0, result.output
    data = (tmp_path / "talk.avid.txt").read_bytes()
    avid = data.decode("utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8")
    assert avid.lstrip("\ufeff").startswith("@ This file written with the Avid Caption plugin")
    root = ET.fromstring((tmp_path / "talk.imsc.ttml").read_bytes())
    assert "http://www.w3.org/ns/ttml/profile/imsc1.1/text" in root.attrib.values()
    assert (tmp_path / "talk.txt").read_text().startswith("Hello there.")


def test_unclaimed_extension_shared_by_two_writers_asks_for_to() -> None:
    class Two:
        @hookimpl
        def captionbridge_register_writers(self, register: Callable[[WriterSpec], None]) -> None:
            for name in ("one", "two"):
                register(WriterSpec(name, lambda t, c: "", extension=".same", claims=()))

    host = make_host(entry_points=False, plugins={"two": Two()})
    with pytest.raises(FormatError, match="could be 'one' or 'two'; use --to"):
        host.writer_for_path("x.same")


# -- one failing writer does not drop the others (issue 14, fault 3) ----------------------


def _check_srt_vtt(folder: Path) -> None:
    cues = list(srt_lib.parse((folder / "talk.srt").read_text()))
    assert [c.content for c in cues][-1] == "Still here."
    assert cues[-1].start.total_seconds() == 36001
    vtt = webvtt.read(str(folder / "talk.vtt"))
    assert [c.text for c in vtt][-1] == "Still here."


def test_cli_writes_every_output_but_the_failing_one_and_exits_1(tmp_path: Path) -> None:
    talk = _talk(tmp_path, LONG)
    result = CliRunner().invoke(cli_module.cli, ["convert", str(talk), "--to", "srt,vtt,ass"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{tmp_path / 'talk.ass'}: ASS times stop at 9:59:59.99" in result.stderr
    assert not (tmp_path / "talk.ass").exists()
    _check_srt_vtt(tmp_path)


def test_cli_standard_input_to_a_folder_writes_the_others(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["convert", "-", "--to", "ass,srt,vtt", "-d", str(out)]
    result = CliRunner().invoke(cli_module.cli, args, input=LONG)
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if "ASS times" in line] == [
        f"{out / 'captions.ass'}: ASS times stop at 9:59:59.99; this transcript runs longer"
    ]
    assert sorted(p.name for p in out.iterdir()) == ["captions.srt", "captions.vtt"]


def test_batch_result_has_the_written_outputs_and_the_failed_one(tmp_path: Path) -> None:
    _talk(tmp_path / "in", LONG)
    out = tmp_path / "out"
    [result] = captionbridge.convert_many(
        [tmp_path / "in"], to="srt,vtt,ass", out_dir=out, host=HOST
    )
    assert result.outputs == (str(out / "talk.srt"), str(out / "talk.vtt"))
    assert (
        result.error
        == f"{out / 'talk.ass'}: ASS times stop at 9:59:59.99; this transcript runs longer"
    )
    _check_srt_vtt(out)


def test_api_convert_raises_after_writing_the_others(tmp_path: Path) -> None:
    talk = _talk(tmp_path, LONG)
    with pytest.raises(OutputsFailed) as caught:
        captionbridge.convert(talk, to="srt,ass,vtt", host=HOST)
    assert caught.value.written == (str(tmp_path / "talk.srt"), str(tmp_path / "talk.vtt"))
    assert caught.value.failed == (
        f"{tmp_path / 'talk.ass'}: ASS times stop at 9:59:59.99; this transcript runs longer",
    )
    _check_srt_vtt(tmp_path)
    with pytest.raises(CaptionbridgeError, match="ASS times stop") as alone:
        captionbridge.convert(talk, to="ass", out_dir=tmp_path / "ass", host=HOST)
    assert not isinstance(alone.value, OutputsFailed)  # nothing written: the writer's error
    assert not (tmp_path / "ass").exists()


# -- streaming is declared by the reader, not known by flow/ ------------------------------


def _read_hash_lines(text: str, context: ReadContext) -> Transcript:
    """``#start end text`` per line (milliseconds)."""
    starts, ends, texts = [], [], []
    for line in text.splitlines():
        start, end, words = line[1:].split(" ", 2)
        starts.append(int(start))
        ends.append(int(end))
        texts.append(words)
    return Transcript.from_columns(starts, ends, texts, source=context.source)


class HashLines:
    @hookimpl
    def captionbridge_register_readers(self, register: Callable[[ReaderSpec], None]) -> None:
        register(
            ReaderSpec(
                "hashlines",
                _read_hash_lines,
                extensions=(".hash",),
                guess=lambda text, name: text.startswith("#"),
                record_start=b"#",
            )
        )


def test_any_reader_that_declares_record_start_is_streamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    host = make_host(entry_points=False, plugins={"hashlines": HashLines()})
    source = tmp_path / "in.hash"
    source.write_text("".join(f"#{i * 1000} {i * 1000 + 900} line {i}\n" for i in range(2000)))
    chunks: list[int] = []
    read_chunk = streaming._read_chunk

    def counting(chunk: bytes, *args: Any) -> Transcript:
        chunks.append(len(chunk))
        return read_chunk(chunk, *args)

    monkeypatch.setattr(streaming, "_read_chunk", counting)
    monkeypatch.setattr(streaming, "CHUNK_BYTES", 4096)
    monkeypatch.setenv(streaming.THRESHOLD_ENV, "1000")
    streamed = captionbridge.convert(source, to="srt,vtt", out_dir=tmp_path / "s", host=host)
    assert len(chunks) > 5
    monkeypatch.setenv(streaming.THRESHOLD_ENV, str(10**12))
    whole = captionbridge.convert(source, to="srt,vtt", out_dir=tmp_path / "w", host=host)
    assert len(chunks) > 5 and [p.read_bytes() for p in streamed] == [p.read_bytes() for p in whole]
    assert [c.content for c in srt_lib.parse(streamed[0].read_text())][-1] == "line 1999"


def test_a_reader_without_record_start_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "in.srt"
    source.write_text(captionbridge.dumps(captionbridge.loads(TALK, host=HOST), host=HOST))
    monkeypatch.setenv(streaming.THRESHOLD_ENV, "10")

    def fail(*args: Any) -> None:
        raise AssertionError("an SRT input must not be streamed")

    monkeypatch.setattr(streaming, "_stream", fail)
    [path] = captionbridge.convert(source, to="vtt", host=HOST)
    assert webvtt.read(str(path))[0].text == "Hello there."


def _picky(transcript: Transcript, context: Any) -> str:
    if any("refuse me" in cue.text for cue in transcript.cues):
        raise CaptionbridgeError("picky cannot write 'refuse me'")
    return "".join(cue.text + "\n" for cue in transcript.cues)


class Picky:
    @hookimpl
    def captionbridge_register_writers(self, register: Callable[[WriterSpec], None]) -> None:
        register(WriterSpec("picky", _picky, extension=".picky", stream=True))


def test_a_writer_refusing_a_streamed_chunk_still_lets_the_others_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    host = make_host(entry_points=False, plugins={"picky": Picky()})
    lines = [
        f"[00:{i // 60:02d}:{i % 60:02d}.000 --> 00:{i // 60:02d}:{i % 60:02d}.500]  c{i}"
        for i in range(3000)
    ]
    lines[2500] += " refuse me"
    source = _talk(tmp_path, "\n".join(lines) + "\n")
    monkeypatch.setattr(streaming, "CHUNK_BYTES", 4096)
    monkeypatch.setenv(streaming.THRESHOLD_ENV, "1000")
    with pytest.raises(OutputsFailed) as caught:
        captionbridge.convert(source, to="srt,picky", host=host)
    assert caught.value.written == (str(tmp_path / "talk.srt"),)
    assert caught.value.failed == (f"{tmp_path / 'talk.picky'}: picky cannot write 'refuse me'",)
    assert len(list(srt_lib.parse((tmp_path / "talk.srt").read_text()))) == 3000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["talk.srt", "talk.txt"]  # no .part


def test_a_format_and_its_alias_are_one_output(tmp_path: Path) -> None:
    talk = _talk(tmp_path)
    assert captionbridge.convert(talk, to="vtt,webvtt", host=HOST) == [tmp_path / "talk.vtt"]
