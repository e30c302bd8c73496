"""Clock times, frame rates and SMPTE timecodes, drop-frame included."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from captionbridge.helpers import timecode
from captionbridge.helpers.timecode import (
    StampList,
    clock,
    frames_to_ms,
    frames_to_smpte,
    ms_to_frames,
    parse_clock,
    parse_fps,
    smpte,
    smpte_to_frames,
    stamps,
)

NTSC = Fraction(30000, 1001)


@pytest.mark.parametrize(
    ("text", "fps"),
    [
        ("23.976", Fraction(24000, 1001)),
        ("29.97", NTSC),
        ("59.94", Fraction(60000, 1001)),
        ("25", Fraction(25)),
        ("30000/1001", NTSC),
        ("24", Fraction(24)),
    ],
)
def test_parse_fps(text: str, fps: Fraction) -> None:
    assert parse_fps(text) == fps


@pytest.mark.parametrize("bad", ["fast", "0", "-25", "1/0", "100000"])
def test_parse_fps_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_fps(bad)


def test_clock_and_parse() -> None:
    assert clock(3_723_004) == "01:02:03.004"
    assert clock(360_000_000, ",") == "100:00:00,000"
    assert parse_clock("1:02:03,4") == 3_723_400
    assert parse_clock("02:03.450") == 123_450


def test_drop_frame_known_values() -> None:
    # the first frame after the minute skips ;00 and ;01, except every tenth minute
    assert frames_to_smpte(1799, NTSC, drop_frame=True) == "00:00:59;29"
    assert frames_to_smpte(1800, NTSC, drop_frame=True) == "00:01:00;02"
    assert frames_to_smpte(17982, NTSC, drop_frame=True) == "00:10:00;00"
    assert frames_to_smpte(107892, NTSC, drop_frame=True) == "01:00:00;00"
    # one hour of 29.97 drop-frame timecode is one hour of wall-clock time, to the frame
    assert smpte(3_600_000, NTSC, drop_frame=True) == "01:00:00;00"
    assert smpte(3_600_000, NTSC) == "00:59:56:12"


@given(st.integers(min_value=0, max_value=30 * 3600 * 30))
def test_drop_frame_round_trip(frames: int) -> None:
    code = frames_to_smpte(frames, NTSC, drop_frame=True)
    assert smpte_to_frames(code, NTSC) == frames


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["24", "25", "29.97", "60"]))
def test_frames_are_nearest(ms: int, rate: str) -> None:
    fps = parse_fps(rate)
    frame = ms_to_frames(ms, fps)
    assert abs(Fraction(frame) / fps * 1000 - ms) <= Fraction(1000, 2) / fps


RATES = st.sampled_from(
    [Fraction(24000, 1001), NTSC, Fraction(60000, 1001), Fraction(25), Fraction(24), Fraction(7, 3)]
)


@given(st.integers(min_value=-(10**12), max_value=10**12), RATES)
def test_frame_conversions_round_halves_up_exactly(value: int, fps: Fraction) -> None:
    # the integer formulas against the definitions in exact rationals, halves up
    half = Fraction(1, 2)
    assert ms_to_frames(value, fps) == (Fraction(value) * fps / 1000 + half) // 1
    assert frames_to_ms(value, fps) == (Fraction(value) * 1000 / fps + half) // 1
    assert ms_to_frames(1001, NTSC) == 30 and frames_to_ms(30, NTSC) == 1001
    # exactly half a frame (or a millisecond) rounds up
    assert ms_to_frames(20, Fraction(25)) == 1 and frames_to_ms(1, Fraction(2000)) == 1


@given(st.lists(st.integers(min_value=0, max_value=99 * 3_600_000 + 3_599_999), max_size=50))
def test_stamp_list_matches_integers(values: list[int]) -> None:
    as_stamps = StampList([clock(v) for v in values])
    assert list(as_stamps) == values
    assert [as_stamps[i] for i in range(len(values))] == values
    assert stamps(as_stamps, ",") == [clock(v, ",") for v in values]
    assert stamps(values, ",") == [clock(v, ",") for v in values]
    assert sorted(as_stamps.stamps) == [clock(v) for v in sorted(values)]


@given(st.lists(st.integers(min_value=-5000, max_value=101 * 3_600_000), max_size=50))
def test_stamps_of_integers_format_like_clock(values: list[int]) -> None:
    edges = [0, 999, 59_999, 3_599_999, 100 * 3_600_000 - 1]
    for times in (values, edges, [*edges, 100 * 3_600_000], [-1, *edges]):
        assert stamps(times, ",") == [clock(v, ",") for v in times]
        assert stamps(times) == [clock(v) for v in times]


def test_stamps_past_99_hours_use_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    # a 16 MB transcript runs to 177 hours: formatting each of its times one by one through
    # clock() was a third of its conversion
    calls: list[int] = []
    monkeypatch.setattr(timecode, "clock", lambda ms, sep=".": calls.append(ms) or "")
    times = [0, 99 * 3_600_000, 176 * 3_600_000 + 3_599_999, 1234 * 3_600_000 + 1]
    assert stamps(times, ",") == [
        "00:00:00,000",
        "99:00:00,000",
        "176:59:59,999",
        "1234:00:00,001",
    ]
    assert calls == []
