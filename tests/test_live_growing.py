"""The growing caption file of ``captionbridge live`` (:class:`GrowingFileSink`), fed by direct
publish() calls: every version is byte for byte the whole-file conversion of its cues, in each
writer that can write in chunks and each speaker style, with one writer call per chunk."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from captionbridge.flow.options import resolve_options
from captionbridge.helpers.options import SPEAKER_STYLES
from captionbridge.host.registry import PluginHost
from captionbridge.live.sinks import GrowingFileSink, render_cues
from captionbridge.model import Cue, Transcript, Turn
from captionbridge.specs import WriteContext, WriterOutput

#: speakers that continue across cues, a plain cue between two of the same speaker, a cue of
#: two turns, a marked change of unknown speaker, and a last line of digits (which SRT guards
#: at the end of a file only)
CUES = [
    Cue(0, 1000, (Turn("Hello there.", "A"),)),
    Cue(1000, 2000, (Turn("Still me.", "A"),)),
    Cue(2000, 3000, (Turn("Now me.", "B"),)),
    Cue.make(3000, 4000, "A plain cue"),
    Cue(4000, 5000, (Turn("Me again.", "B"),)),
    Cue(5000, 6000, (Turn("Two of us", "B"), Turn("yes", "A"))),
    Cue(6000, 7000, (Turn("Still A.", "A"),)),
    Cue(7000, 8000, (Turn("Somebody new", None, True),)),
    Cue(8000, 9000, (Turn("A after the change", "A"),)),
    Cue.make(9000, 9500, "42"),
    Cue(9500, 9900, (Turn("B at the end", "B"),)),
]

#: publishes as (cues finalised, cues pending after them): one at a time with one pending or
#: none (as when the input goes quiet), a mix, several at once after pending only
STEPS = {
    "one by one": [(1, 1)] * len(CUES),
    "each alone": [(1, 0)] * len(CUES),
    "quiet between": [(1, 0), (0, 2), (2, 0), (3, 1), (0, 0), (1, 2), (4, 0)],
    "all at the end": [(0, 3), (0, 5), (len(CUES), 0)],
}


class _Counting:
    """A writer's ``write`` that counts its calls."""

    def __init__(self, write: Callable[[Transcript, WriteContext], WriterOutput]) -> None:
        self.write = write
        self.calls = 0

    def __call__(self, transcript: Transcript, context: WriteContext) -> WriterOutput:
        self.calls += 1
        return self.write(transcript, context)


def _versions(
    sink: GrowingFileSink, steps: Sequence[tuple[int, int]], counter: _Counting
) -> list[tuple[list[Cue], bytes, int]]:
    """Feed ``CUES`` by ``steps``; after each publish: its cues, the file, the writer calls."""
    done = 0
    out = []
    for final, pending in steps:
        before = counter.calls
        shown = CUES[: done + final + pending]
        sink.publish(CUES[done : done + final], CUES[done + final : done + final + pending])
        done += final
        out.append((shown, sink.path.read_bytes(), counter.calls - before))
    assert done == len(CUES)
    sink.close()
    return out


@pytest.mark.parametrize("steps", STEPS.values(), ids=STEPS.keys())
@pytest.mark.parametrize("style", SPEAKER_STYLES)
@pytest.mark.parametrize("fmt", ["srt", "vtt", "json"])
def test_every_version_is_the_whole_file_of_its_cues_in_one_call_per_chunk(
    tmp_path: Path, host: PluginHost, fmt: str, style: str, steps: list[tuple[int, int]]
) -> None:
    writer = host.writer(fmt)
    assert writer.stream
    counter = _Counting(writer.write)
    counted = dataclasses.replace(writer, write=counter)
    options = resolve_options(host, {"speaker_style": style})
    sink = GrowingFileSink(tmp_path / f"live.{writer.extension}", counted, host, options)
    assert counter.calls == 1  # the empty file
    for shown, written, calls in _versions(sink, steps, counter):
        assert written == render_cues(shown, writer, host, options)
        # the end of the file (the last final cue and the pending ones) is written once, and
        # the final cues before it once when they become final: never a cue rendered to be cut
        assert calls <= 2


def test_the_hidden_file_keeps_the_final_cues_and_is_dropped_at_close(
    tmp_path: Path, host: PluginHost
) -> None:
    options = resolve_options(host, {})
    sink = GrowingFileSink(tmp_path / "live.srt", host.writer("srt"), host, options)
    sink.publish(CUES[:3], CUES[3:4])
    hidden = [path for path in tmp_path.iterdir() if path.name.startswith(".")]
    assert len(hidden) == 1
    # the last final cue is written with the pending ones, as the end of the file
    assert hidden[0].read_bytes() == render_cues(CUES[:2], host.writer("srt"), host, options)
    sink.close()
    assert [path.name for path in tmp_path.iterdir()] == ["live.srt"]
