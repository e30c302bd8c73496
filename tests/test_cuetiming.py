"""Timing rules: one test per rule."""

from __future__ import annotations

from fractions import Fraction

from captionbridge.reflow.cuetiming import DRIFT_MS, READ_SLACK_MS, apply_timing
from captionbridge.reflow.limits import Gap, Limits, parse_gap, parse_ms

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


def _cps(s: list[int], e: list[int], texts: list[str]) -> list[float]:
    return [len(t) * 1000 / (b - a) for a, b, t in zip(s, e, texts, strict=True)]


def test_reading_time_moves_boundaries_within_the_drift() -> None:
    # B is too fast for its speech (30 characters in 1 s); the cues around it have time to
    # spare, so the boundaries move (B starts early and ends late) and everybody reads at 20
    texts = ["Slow.", "x" * 30, "y" * 18, "z" * 18, "w" * 18, "And a slow end."]
    starts = [0, 4000, 5000, 6000, 7000, 8000]
    ends = [4000, 5000, 6000, 7000, 8000, 20000]
    s, e, report = apply_timing(starts, ends, texts, NETFLIX)
    assert not report.fast and not report.short
    assert max(_cps(s, e, texts)) <= 20
    assert s[1] < 4000 and e[1] > 5000
    assert all(abs(a - b) <= DRIFT_MS for a, b in zip(s, starts, strict=True))
    assert all(e[i] + 84 <= s[i + 1] for i in range(5))


def test_a_cue_out_of_reach_takes_nothing_from_its_neighbours() -> None:
    # 100 characters in half a second cannot be read, whatever moves: it is reported, and
    # the neighbours keep what they need themselves
    texts = ["a" * 40, "b" * 100, "c" * 40]
    s, e, report = apply_timing([0, 2500, 3000], [2500, 3000, 5000], texts, NETFLIX)
    assert report.fast == [1]
    cps = _cps(s, e, texts)
    assert cps[0] <= 20 and cps[2] <= 20
    assert all(e[i] + 84 <= s[i + 1] for i in range(2))


def test_words_per_minute_come_after_characters_per_second() -> None:
    bbc = Limits(max_cps=20, max_wpm=180, min_duration=1000, max_duration=7000)
    # eight short words: 20 cps needs 1.5 s, 180 wpm 2.67 s; free time after it
    text = "we do it as we go on up"
    s, e, report = apply_timing([0, 5000], [1400, 9000], [text, "then"], bbc)
    assert e[0] - s[0] >= len(text) * 50  # 20 cps first
    assert e[0] == 1400 + READ_SLACK_MS  # then as much of 180 wpm as the slack allows
    assert report.fast == [0]  # still under 180 wpm: reported
    # a neighbour that needs its time keeps it: the stricter limit borrows only spare time
    s, e, _ = apply_timing([0, 1400], [1400, 2800], [text, text], bbc)
    assert _cps(s, e, [text, text])[1] <= 20
