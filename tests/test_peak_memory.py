"""Peak memory of a whole-file conversion, counted with tracemalloc (sizes, not times).

A 16 MB transcript must convert in under 8x its size (issue 20). The input here is built like
the benchmark's ``fireside-x200.txt``: whisper.cpp lines whose hours pass 99, text that is
not all Latin-1 (each joined text then takes 2 bytes a character) and a mojibake dash to
repair on many lines.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from captionbridge.flow import convert
from captionbridge.flow.decode import decode
from captionbridge.flow.options import resolve_options
from captionbridge.flow.plan import plan_outputs
from captionbridge.host.registry import make_host

LINES = 30_000
HOUR = 3_600_000


def _clock(ms: int) -> str:
    h, rest = divmod(ms, HOUR)
    m, rest = divmod(rest, 60_000)
    s, f = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{f:03d}"


def _transcript(step: int) -> bytes:
    lines = []
    for i in range(LINES):
        start = i * step
        text = "you knowâ€” it is" if i % 50 == 0 else f"line {i} says “quoted” things here"
        lines.append(f"[{_clock(start)} --> {_clock(start + step)}]   {text}\n")
    return "".join(lines).encode("utf-8")


@pytest.fixture(scope="module")
def past_99_hours() -> bytes:
    return _transcript(200 * HOUR // LINES)  # the second half is past 99 hours


def _peak(work: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture
def tracing() -> Iterator[None]:
    yield
    if tracemalloc.is_tracing():
        tracemalloc.stop()


def test_mojibake_repair_holds_one_decoded_text_at_a_time(past_99_hours: bytes) -> None:
    # the text takes 2 bytes a character; repairing used to build a second text from slices
    # of the first while both were alive (5x the input), now the bytes are repaired (4x)
    text, notes = decode(past_99_hours, "in.txt")
    assert "â€”" not in text and notes
    peak = _peak(lambda: decode(past_99_hours, "in.txt"))
    assert peak < 4.3 * len(past_99_hours)


def test_convert_past_99_hours_peaks_under_8x_its_size(
    past_99_hours: bytes, tmp_path: Path, tracing: None
) -> None:
    source = tmp_path / "long.txt"
    source.write_bytes(past_99_hours)
    host = make_host(entry_points=False)
    options = resolve_options(host, {})
    outputs = plan_outputs(host, str(source), to=["srt"], output=str(tmp_path / "long.srt"))
    converted = convert.convert_source(str(source), outputs, host, options)
    expected = converted.files[0][1]
    assert expected.count(b"\n1") and b"\n199:" in expected
    result: list[bytes] = []
    peak = _peak(
        lambda: result.append(
            convert.convert_source(str(source), outputs, host, options).files[0][1]
        )
    )
    assert result == [expected]
    assert peak < 7 * len(past_99_hours)  # 9.2x before the pieces
