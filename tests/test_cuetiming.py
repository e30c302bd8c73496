"""Timing rules: one test per rule."""

from __future__ import annotations

from fractions import Fraction

from captionbridge.cuetiming import apply_timing
from captionbridge.limits import Gap, Limits, parse_gap, parse_ms

NETFLIX = Limits(
    max_chars=42,
    max_lines=2,
    max_cps=20,
    min_duration=833,
    max_duration=7000,
    min_gap=84,
    chain_gap=500,
    resegment=True,
)


def test_min_duration_extends_into_free_time() -> None:
    s, e, report = apply_timing([0, 3000], [400, 4000], ["Yes.", "Right."], NETFLIX)
    assert e[0] - s[0] == 833 and s[1] == 3000
    assert not report.short


def test_min_duration_borrows_from_next_before_reporting() -> None:
    s, e, report = apply_timing([0, 400], [400, 5000], ["Yes.", "A long and slow answer."], NETFLIX)
    assert e[0] - s[0] >= 833
    assert s[1] - e[0] == 84
    assert not report.short


def test_short_speech_without_free_time_is_reported() -> None:
    s, e, report = apply_timing([0, 300, 600], [300, 600, 900], ["a", "b", "c"], NETFLIX)
    assert report.short  # nobody can spare time: reported, not invented
    assert all(e[i] <= s[i + 1] for i in range(2))


def test_reading_speed_extends_at_most_half_a_second_past_the_speech() -> None:
    text = "x" * 60  # needs 3 s at 20 cps
    _s, e, report = apply_timing([0, 10_000], [1000, 11_000], [text, "ok"], NETFLIX)
    assert e[0] == 1500
    assert report.fast == [0]


def test_max_duration() -> None:
    _s, e, _ = apply_timing([0], [9000], ["Long."], NETFLIX)
    assert e[0] == 7000


def test_min_gap_opens_and_chaining_closes_to_two_frames() -> None:
    s, e, _ = apply_timing(
        [0, 2000, 4300, 8000], [2000, 4000, 7000, 9000], ["a b", "c d", "e f", "g h"], NETFLIX
    )
    assert s[1] - e[0] == 84  # back to back: opened
    assert s[2] - e[1] == 84  # a 300 ms gap: closed
    assert s[3] - e[2] >= 500  # a real pause stays


def test_no_overlaps_even_when_input_overlaps() -> None:
    s, e, _ = apply_timing([0, 500, 600], [2000, 2500, 3000], ["a", "b", "c"], NETFLIX)
    assert all(e[i] + 84 <= s[i + 1] for i in range(2))
    assert all(e[i] > s[i] for i in range(3))
    assert s == sorted(s)


def test_frame_snapping_at_25_fps() -> None:
    limits = Limits(
        min_duration=833,
        max_duration=7000,
        min_gap=Gap(2, True).ms(Fraction(25)),
        chain_gap=500,
        fps=Fraction(25),
        resegment=True,
    )
    s, e, _ = apply_timing([13, 2017, 5000], [2001, 4555, 6001], ["a", "b", "c"], limits)
    for t in s + e:
        assert t % 40 == 0
    assert s[1] - e[0] == 80 and s[2] - e[1] == 80


def test_parsers() -> None:
    assert parse_ms("5/6s") == 834 and parse_ms("833ms") == 833 and parse_ms("7s") == 7000
    assert parse_gap("2f") == Gap(2, True) and parse_gap("80ms") == Gap(80)
    assert Gap(2, True).ms(None) == 84  # 23.976 when no frame rate is given
    assert Gap(2, True).ms(Fraction(30000, 1001)) == 67
