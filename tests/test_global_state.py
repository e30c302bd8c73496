"""Library calls leave the process alone: no garbage-collector switch, no switch interval, no
module-level memo of the last input. A caller that converts in a thread while its other
threads run sees nothing change; only the command line, which owns its process, shortens the
switch interval (and restores it)."""

from __future__ import annotations

import gc
import json
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

import captionbridge
from captionbridge.batch import run as batch
from captionbridge.cli import app
from captionbridge.host.registry import make_host

FILES = 100  # chunks of 12 (batch.run.chunk_size): past each pipeline's first in-line writes
SEGMENT = "[00:00:0{0}.000 --> 00:00:0{1}.500]   line {0} - Are you there? - I am."


def _transcript_text(count: int) -> str:
    return "\n".join(SEGMENT.format(i % 8, i % 8 + 1) for i in range(count)) + "\n"


def _word_documents(count: int) -> dict[str, str]:
    """Well-formed word-level JSON (the readers' whole-file path) in three dialects."""
    times = [(float(i), i + 0.5) for i in range(count)]
    whisper = [
        {
            "start": s,
            "end": e,
            "text": " hi",
            "words": [{"word": " hi", "start": s, "end": e, "probability": 0.5}],
        }
        for s, e in times
    ]
    whisperx = [
        {
            "start": s,
            "end": e,
            "text": "hi",
            "speaker": "A",
            "words": [{"word": "hi", "start": s, "end": e, "score": 0.5, "speaker": "A"}],
        }
        for s, e in times
    ]
    words = [{"word": "hi", "start": s, "end": e} for s, e in times]
    segments = [{"start": s, "end": e, "text": "Hi."} for s, e in times]
    return {
        "whisper-json": json.dumps({"segments": whisper}),
        "whisperx-json": json.dumps({"segments": whisperx, "word_segments": []}),
        "openai-json": json.dumps({"task": "transcribe", "words": words, "segments": segments}),
    }  # fmt: skip


def _library_work(folder: Path) -> None:
    """The calls that used to touch process state: readers and writers of the hot formats,
    the word-level JSON readers, convert, and a batch whose writes go through the writer
    thread."""
    host = make_host(entry_points=False)
    for name, document in _word_documents(2000).items():
        assert len(captionbridge.loads(document, format=name, host=host).cues) == 2000, name
    text = _transcript_text(200)
    transcript = captionbridge.loads(text, host=host)
    for name in ("srt", "vtt"):
        again = captionbridge.loads(captionbridge.dumps(transcript, name, host=host), host=host)
        assert len(again.cues) == len(transcript.cues)
    source = folder / "talk.txt"
    source.write_text(text, encoding="utf-8")
    captionbridge.convert(source, folder / "talk.srt", host=host)
    inputs = folder / "in"
    inputs.mkdir()
    for index in range(FILES):
        (inputs / f"t{index:03d}.txt").write_text(_transcript_text(index % 9 + 1), "utf-8")
    results = captionbridge.convert_many(
        [inputs], to="srt,vtt", out_dir=folder / "out", jobs=1, host=host
    )
    assert all(r.ok for r in results) and len(results) == FILES


def test_a_threaded_caller_sees_no_process_state_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def spy(name: str, real: Any) -> Any:
        def recorded(*args: Any) -> Any:
            calls.append(name)
            return real(*args)

        return recorded

    for module, name in ((gc, "disable"), (gc, "set_threshold"), (sys, "setswitchinterval")):
        monkeypatch.setattr(module, name, spy(name, getattr(module, name)))
    monkeypatch.setattr(batch._Pipeline, "SLOW", 0.0)  # every write goes to the writer thread
    wrote_in_thread: list[str] = []
    write_one = batch._write_one

    def writing(*args: Any) -> Any:
        wrote_in_thread.append(threading.current_thread().name)
        return write_one(*args)

    monkeypatch.setattr(batch, "_write_one", writing)

    interval, enabled = sys.getswitchinterval(), gc.isenabled()
    errors: list[BaseException] = []

    def work() -> None:
        try:
            _library_work(tmp_path)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    worker = threading.Thread(target=work, name="caller")
    seen: set[tuple[float, bool]] = set()
    worker.start()
    while worker.is_alive():  # the other thread of the caller's program
        seen.add((sys.getswitchinterval(), gc.isenabled()))
        worker.join(0.001)
    seen.add((sys.getswitchinterval(), gc.isenabled()))
    assert errors == []
    assert calls == []
    assert seen == {(interval, enabled)}
    assert set(wrote_in_thread) - {"caller"}, "the batch's writer thread was exercised"


def test_the_command_line_shortens_the_switch_interval_for_its_run_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    during: list[float] = []
    monkeypatch.setattr(app.cli, "main", lambda **_: during.append(sys.getswitchinterval()))
    before = sys.getswitchinterval()
    with pytest.raises(SystemExit) as done:  # main() ends the process with the command's status
        app.main([])
    assert done.value.code == 0
    assert during == [pytest.approx(min(before, app.SWITCH_INTERVAL))]
    assert sys.getswitchinterval() == before
