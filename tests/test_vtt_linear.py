"""The WebVTT reader is linear on adversarial shapes: counted steps, never seconds.

Two checks. Python steps (line events) double, no more, when the input doubles, for every shape
of ``benchmarks/bench_adversarial.py`` that reaches the reader. And the reader's own regular
expressions cannot backtrack: every unbounded repeat in them repeats one character class, never
a group (the shape of every catastrophic pattern). Times are in the benchmark.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from types import FrameType, ModuleType
from typing import Any

import pytest

from captionbridge.plugins.vtt import blocks, cuetext, reader, writer
from captionbridge.specs import ReadContext

try:
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_parse  # type: ignore[no-redef]


def _cue(body: str) -> str:
    return f"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n{body}\n"


# name -> text of about n characters (the same shapes as the benchmark's vtt rows)
SHAPES: dict[str, Callable[[int], str]] = {
    "lt": lambda n: _cue("<" * n),
    "v-space": lambda n: _cue("<v " * (n // 3)),
    "v-dot": lambda n: _cue("<v." * (n // 3)),
    "voices": lambda n: _cue("<v a>x</v><v b>y</v>" * (n // 20)),
    "nested": lambda n: _cue("<i><b>" * (n // 6)),
    "amp": lambda n: _cue("&" * n),
    "entities": lambda n: _cue("&amp;&lt;&#60;&nbsp" * (n // 18)),
    "long-line": lambda n: _cue("word " * (n // 5)),
    "dashes": lambda n: _cue("- a. " * (n // 5)),
    "tiny-cues": lambda n: "WEBVTT\n\n" + "00:00.000 --> 00:01.000\nx\n\n" * (n // 27),
    "arrows": lambda n: "WEBVTT\n\n" + "-->\n" * (n // 4),
    "bad-timings": lambda n: "WEBVTT\n\n" + "00:99:00.000 --> 1\nx\n\n" * (n // 22),
    "digits": lambda n: "WEBVTT\n\n" + "0" * n + " --> 1\n",
    "header": lambda n: "WEBVTT\n" + "x\n" * (n // 2),
    "blank-lines": lambda n: "WEBVTT" + "\n" * n + "00:00.000 --> 00:01.000\nx\n",
    "cr": lambda n: "WEBVTT\r\r" + "00:00.000 --> 00:01.000\rx\r\r" * (n // 27),
}


def _steps(text: str) -> int:
    """Line events while the reader reads ``text``."""
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    sys.settrace(lambda frame, event, arg: local)
    try:
        reader.read_vtt(text, ReadContext("shape.vtt"))
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_steps_grow_linearly(shape: str) -> None:
    make = SHAPES[shape]
    small, large = _steps(make(20_000)), _steps(make(80_000))
    assert large <= 4.4 * small + 200, (small, large)


def _unbounded_group_repeats(parsed: Any) -> list[str]:
    """Unbounded repeats of anything but one character (class), anywhere in a parsed pattern."""
    single = {sre_parse.LITERAL, sre_parse.NOT_LITERAL, sre_parse.IN, sre_parse.ANY}
    found: list[str] = []
    for op, value in parsed:
        if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT):
            _, high, body = value
            if high == sre_parse.MAXREPEAT and (len(body) != 1 or body[0][0] not in single):
                found.append(str(body))
            found += _unbounded_group_repeats(body)
        elif op == sre_parse.SUBPATTERN:
            found += _unbounded_group_repeats(value[-1])
        elif op == sre_parse.BRANCH:
            for branch in value[1]:
                found += _unbounded_group_repeats(branch)
        elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
            found += _unbounded_group_repeats(value[1])
    return found


def _patterns(module: ModuleType) -> list[re.Pattern[str]]:
    return [v for v in vars(module).values() if isinstance(v, re.Pattern)]


def test_reader_patterns_cannot_backtrack() -> None:
    patterns = [p for m in (blocks, cuetext, reader, writer) for p in _patterns(m)]
    assert len(patterns) >= 9
    bad = {p.pattern: _unbounded_group_repeats(sre_parse.parse(p.pattern)) for p in patterns}
    assert {k: v for k, v in bad.items() if v} == {}


def test_the_pattern_check_sees_a_nested_repeat() -> None:
    assert _unbounded_group_repeats(sre_parse.parse(r"(a+)+b"))
    assert _unbounded_group_repeats(sre_parse.parse(r"x(?:<v[^>]*>)*"))
    assert not _unbounded_group_repeats(sre_parse.parse(r"<([^>]*)>?"))
