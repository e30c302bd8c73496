"""The default timing fix (``--overlaps fix``): no cue without duration in any output.

Two cues that start together used to become a zero-length cue plus the second; now a cue is
trimmed only when it keeps a readable duration, and otherwise shares one cue with the one it
overlaps. The property at the end drives random overlapping cues through the default
transforms and every registered writer, and reads each output back with our reader or an
independent parser.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from fractions import Fraction

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

import captionbridge
from captionbridge.flow.pipeline import read_bytes, render, resolve_options
from captionbridge.host.registry import make_host
from captionbridge.model import Transcript, Turn
from captionbridge.plugins.transforms.timing import READABLE_MS

HOST = make_host(entry_points=False)


def fixed(cues: list[tuple[int, int, str]], **options: object) -> list[tuple[int, int, object]]:
    starts, ends, texts = zip(*cues, strict=True) if cues else ((), (), ())
    transcript = Transcript.from_columns(list(starts), list(ends), list(texts))
    out = captionbridge.transform(transcript, host=HOST, **options)
    return [(c.start, c.end, c.turns) for c in out.cues]


def test_cues_that_start_together_become_one_cue_with_both_turns() -> None:
    # issue 13: 00:00:05,213 --> 00:00:10,552 twice came out as 05,213 --> 05,213 plus one
    got = fixed([(5213, 10552, "Hello there."), (5213, 10552, "Hi!")])
    assert got == [(5213, 10552, (Turn("Hello there."), Turn("Hi!", None, True)))]
    text = captionbridge.dumps(
        captionbridge.transform(
            Transcript.from_columns([5213, 5213], [10552, 10552], ["Hello there.", "Hi!"]),
            host=HOST,
        ),
        "srt",
        host=HOST,
    )
    assert text == "1\n00:00:05,213 --> 00:00:10,552\n- Hello there.\n- Hi!\n"


def test_a_cue_is_trimmed_only_when_it_stays_readable() -> None:
    got = fixed([(0, 3000, "a"), (1000, 4000, "b"), (1500, 5000, "c")])
    # a keeps 1000 ms: trimmed; c starts 500 ms after b: joined with it
    assert [(s, e) for s, e, _ in got] == [(0, 1000), (1000, 5000)]
    assert got[1][2] == (Turn("b"), Turn("c", None, True))


def test_readable_duration_follows_the_preset_minimum() -> None:
    cues = [(0, 3000, "a"), (900, 4000, "b")]
    assert len(fixed(cues)) == 1  # 900 ms is under the default 1 s
    assert [(s, e) for s, e, _ in fixed(cues, min_duration=800)] == [(0, 900), (900, 4000)]


def test_cues_without_duration_get_one() -> None:
    got = fixed([(1000, 1000, "a"), (5000, 4000, "b"), (9000, 9000, "c"), (9500, 12000, "d")])
    # the end before the start is lengthened too (readers of files swap such times first)
    assert [(s, e) for s, e, _ in got] == [
        (1000, 1000 + READABLE_MS),
        (5000, 5000 + READABLE_MS),
        (9000, 12000),  # c got 1 s, then d started 500 ms after it: one cue
    ]


def test_same_speaker_is_not_marked_as_a_change() -> None:
    transcript = Transcript.from_columns(
        [0, 200], [2000, 2500], [(Turn("one", "a"),), (Turn("two", "a"),)]
    )
    out = captionbridge.transform(transcript, host=HOST)
    assert out.cues[0].turns == (Turn("one", "a"), Turn("two", "a"))


def test_keep_leaves_the_times_alone() -> None:
    cues = [(5213, 10552, "a"), (5213, 10552, "b")]
    assert [(s, e) for s, e, _ in fixed(cues, overlaps="keep")] == [(5213, 10552)] * 2


# -- every writer --------------------------------------------------------------------------

_MS = re.compile(r"(\d+):(\d\d):(\d\d)[.,](\d{3})")


def _clock(text: str) -> int:
    match = _MS.fullmatch(text.strip())
    assert match, text
    h, m, s, f = map(int, match.groups())
    return ((h * 60 + m) * 60 + s) * 1000 + f


def _ours(fmt: str) -> Callable[[bytes], list[tuple[float, float]]]:
    def read(data: bytes) -> list[tuple[float, float]]:
        # read at the rate the test writes frame-based formats at (see below)
        fps = "29.97" if fmt == "scc" else "25"
        options = resolve_options(HOST, {"overlaps": "keep", "keep_empty": True, "fps": fps})
        transcript = read_bytes(data, "written", HOST, options, fmt)
        return [(c.start, c.end) for c in transcript.cues]

    return read


def _srt_lib(data: bytes) -> list[tuple[float, float]]:
    import srt

    return [(s.start.total_seconds(), s.end.total_seconds()) for s in srt.parse(data.decode())]


def _webvtt(data: bytes) -> list[tuple[float, float]]:
    import webvtt

    captions = webvtt.from_buffer(io.StringIO(data.decode())).captions
    return [(_clock(c.start), _clock(c.end)) for c in captions]


def _sbv(data: bytes) -> list[tuple[float, float]]:
    blocks = [b for b in data.decode().split("\n\n") if b.strip()]
    times = [b.split("\n", 1)[0].split(",") for b in blocks]
    return [(_clock(a.rjust(12, "0")), _clock(b.rjust(12, "0"))) for a, b in times]


def _pysubs2(data: bytes) -> list[tuple[float, float]]:
    import pysubs2

    return [(e.start, e.end) for e in pysubs2.SSAFile.from_string(data.decode())]


def _delimited(delimiter: str) -> Callable[[bytes], list[tuple[float, float]]]:
    def read(data: bytes) -> list[tuple[float, float]]:
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))
        return [(int(r["start_ms"]), int(r["end_ms"])) for r in rows]

    return read


def _fcpxml(data: bytes) -> list[tuple[float, float]]:
    def seconds(value: str) -> Fraction:
        return Fraction(value.removesuffix("s"))

    captions = ET.fromstring(data).iter("caption")
    return [
        (
            float(seconds(c.get("offset", "0s"))),
            float(seconds(c.get("offset", "0s")) + seconds(c.get("duration", "0s"))),
        )
        for c in captions
    ]


def _scc(data: bytes) -> list[tuple[float, float]]:
    # ttconv, not pycaption: pycaption refuses captions under 50 ms, and a cue of a few ms
    # (kept as it is: it overlaps nothing) is one frame long in SCC
    import ttconv.scc.reader
    from broadcast_samples import paragraphs

    return [
        (float(b), float(e)) for b, e, _ in paragraphs(ttconv.scc.reader.to_model(data.decode()))
    ]


def _stl(data: bytes) -> list[tuple[float, float]]:
    import ttconv.stl.reader
    from broadcast_samples import paragraphs

    return [
        (float(b), float(e)) for b, e, _ in paragraphs(ttconv.stl.reader.to_model(io.BytesIO(data)))
    ]


def _lrc(data: bytes) -> list[tuple[float, float]]:
    # one time per line, a cue ends where the next line starts: times must rise strictly
    times = [
        int(m) * 60_000 + round(float(s) * 1000)
        for m, s in re.findall(r"^\[(\d+):(\d\d\.\d\d)\]", data.decode(), re.M)
    ]
    return list(itertools.pairwise(times))


#: format -> how its output is read back (None: a format without cue times)
READ_BACK: dict[str, list[Callable[[bytes], list[tuple[float, float]]]] | None] = {
    "srt": [_ours("srt"), _srt_lib],
    "vtt": [_ours("vtt"), _webvtt],
    "ass": [_ours("ass"), _pysubs2],
    "ssa": [_ours("ssa"), _pysubs2],
    "ttml": [_ours("ttml")],
    "imsc": [_ours("ttml")],
    "itt": [_ours("ttml")],
    "json": [_ours("json")],
    "avid": [_ours("avid")],
    "fcpxml": [_fcpxml],
    "scc": [_scc],
    "stl": [_stl],
    "sbv": [_sbv],
    "csv": [_delimited(",")],
    "tsv": [_delimited("\t")],
    "lrc": [_lrc],
    "txt": None,
    "md": None,
    "html": None,
}


def test_every_writer_is_read_back() -> None:
    assert sorted(READ_BACK) == sorted(HOST.writers)


_CUES = st.lists(
    st.tuples(st.integers(0, 400), st.integers(0, 300), st.sampled_from(["Hi.", "Yes, two", "ok"])),
    min_size=1,
    max_size=12,
)


@pytest.mark.parametrize("fmt", sorted(READ_BACK))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cues=_CUES)
def test_no_output_holds_a_cue_without_duration(fmt: str, cues: list[tuple[int, int, str]]) -> None:
    # starts on a 50 ms grid (many equal), durations from 0 to 3 s
    starts = [a * 50 for a, _, _ in cues]
    ends = [s + b * 10 for s, (_, b, _) in zip(starts, cues, strict=True)]
    transcript = Transcript.from_columns(
        starts, ends, [f"{t} {i}" for i, (_, _, t) in enumerate(cues)]
    )
    options = resolve_options(HOST, {"fps": "29.97" if fmt == "scc" else "25"})
    out = captionbridge.transform(transcript, host=HOST, fps=options["fps"])
    assert all(c.end > c.start for c in out.cues)
    data = render(out, HOST.writers[fmt], HOST, options, "x")[""]
    for reader in READ_BACK[fmt] or []:
        times = reader(data)
        assert times, fmt
        assert all(end > start for start, end in times), (fmt, reader, times)
