"""The promise every reader keeps, as one check shared by the fuzz harness and the tests.

Any byte string given to a reader gives either a :class:`~captionbridge.model.Transcript` whose
cues have ``0 <= start <= end`` and whose every field has the type the model declares (a
wrong type would crash a writer later), or a :class:`~captionbridge.errors.CaptionbridgeError` that
names the source. Anything else (a :class:`~captionbridge.errors.PluginError` means the reader
itself crashed) is a finding.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Mapping
from types import FrameType
from typing import Any

from ..errors import CaptionbridgeError, PluginError
from ..flow.pipeline import read_bytes, render, resolve_options
from ..host.registry import PluginHost
from ..model import Content, Speaker, Transcript, Turn

__all__ = [
    "ADVERSARIAL_SHAPES",
    "ADVERSARIAL_TEXTS",
    "SOURCE",
    "check_reader_input",
    "count_calls",
    "nonlinear_shapes",
    "nonlinear_writer_shapes",
]

#: The source name the checks read under; an error must carry it.
SOURCE = "fuzz.in"

#: Units that, repeated, make regular expressions and parsing loops backtrack or rescan: a
#: reader's work on ``unit * n`` must grow linearly with ``n``.
ADVERSARIAL_SHAPES: dict[str, bytes] = {
    "brackets": b"[",
    "arrows": b"-->",
    "digits": b"0",
    "spaces": b" ",
    "voices": b"<v",
    "braces": b"{",
    "newlines": b"\n",
    "open-stamps": b"[00:00",
    "stamp-starts": b"[00:00:00.000 --> ",
    "srt-cues": b"1\n00:00:01,000 --> 00:00:02,000\nx\n\n",
    "tags": b"<b><i>",
    "json-nesting": b'{"segments":[',
    "backslashes": b"\\",
    # the shapes of issue 19 (each one was quadratic somewhere)
    "angles": b"<",
    "voice-dots": b"<v.",
    "angle-spaces": b"< ",
    "tabs": b"\t",
    "amps": b"&",
    "brace-backslash": b"{\\",
    "cr-lines": b"x\r",
    "clock-text": b"0:10:00.00 ",
    "frame-timings": b"00:00:09:00 00:00:10:00\n",
    "comments": b"<!--",
}


def check_reader_input(
    host: PluginHost, reader: str, data: bytes, options: Mapping[str, Any] | None = None
) -> Transcript | CaptionbridgeError:
    """Read ``data`` with ``reader``; return the transcript or the clean error.

    Raises :class:`AssertionError` (or lets the unexpected exception through) when the promise
    is broken."""
    try:
        transcript = read_bytes(data, SOURCE, host, dict(options or {}), reader)
    except PluginError:
        raise
    except CaptionbridgeError as exc:
        if exc.source != SOURCE:
            raise AssertionError(f"error does not name its source: {exc!r}") from exc
        return exc
    if not isinstance(transcript, Transcript):
        raise AssertionError(f"reader returned {type(transcript).__name__}")
    starts, ends, contents = transcript.columns()
    for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
        if type(start) is not int or type(end) is not int or not 0 <= start <= end:
            raise AssertionError(f"cue {index + 1} has start {start!r} and end {end!r}")
    for index, content in enumerate(contents):
        _check_content(content, f"cue {index + 1}")
    _check_metadata(transcript)
    return transcript


def _check_type(value: object, kinds: tuple[type | None, ...], what: str) -> None:
    if not any(value is None if kind is None else type(value) is kind for kind in kinds):
        raise AssertionError(f"{what} is {value!r}, not {' or '.join(map(str, kinds))}")


def _check_content(content: Content, what: str) -> None:
    if type(content) is str:
        return
    if type(content) is not tuple or not content:
        raise AssertionError(f"{what} has content {content!r}")
    for turn in content:
        if type(turn) is not Turn:
            raise AssertionError(f"{what} has turn {turn!r}")
        _check_type(turn.text, (str,), f"{what}: a turn's text")
        _check_type(turn.speaker, (str, None), f"{what}: a turn's speaker")
        _check_type(turn.change, (bool,), f"{what}: a turn's change")


def _check_metadata(transcript: Transcript) -> None:
    _check_type(transcript.language, (str, None), "language")
    _check_type(transcript.source, (str, None), "source")
    for key, speaker in transcript.speakers.items():
        _check_type(key, (str,), "a speaker id")
        if type(speaker) is not Speaker or speaker.id != key:
            raise AssertionError(f"speaker {key!r} is {speaker!r}")
        _check_type(speaker.name, (str, None), f"speaker {key!r}: name")
        _check_type(speaker.color, (str, None), f"speaker {key!r}: color")
    for note in transcript.notes:
        _check_type(note.message, (str,), "a note's message")
        _check_type(note.source, (str, None), "a note's source")
        _check_type(note.line, (int, None), "a note's line")


def count_calls(function: Callable[..., object], *args: Any, **kwargs: Any) -> int:
    """The number of function calls, Python and built-in, that ``function(*args, **kwargs)``
    makes (``sys.setprofile`` events of this thread).

    A count does not depend on the machine's speed, so growth tests built on it cannot fail on
    a busy machine; work that grows inside one built-in call (a regular expression that
    backtracks) does not show, which only a clock sees (benchmarks/bench_adversarial.py)."""
    count = 0

    def profile(frame: FrameType, event: str, arg: object) -> None:
        nonlocal count
        if event == "call" or event == "c_call":
            count += 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        function(*args, **kwargs)
    finally:
        sys.setprofile(previous)
    return count


def nonlinear_shapes(
    host: PluginHost, reader: str, small: int = 5_000, limit: float = 12.0
) -> list[str]:
    """The :data:`ADVERSARIAL_SHAPES` on which ``reader`` makes more than ``limit`` times the
    calls for ten times the input (``small`` bytes, then ten times that): an empty list when
    its work grows linearly."""

    def read(data: bytes) -> object:
        return check_reader_input(host, reader, data)

    return _nonlinear(ADVERSARIAL_SHAPES, read, small, limit)


def _nonlinear(
    units: Mapping[str, Any], run: Callable[[Any], object], small: int, limit: float
) -> list[str]:
    """The units whose ten-times-longer repetition makes ``run`` call more than ``limit``
    times as many functions."""
    slow = []
    for name, unit in units.items():
        little = unit * (small // len(unit))
        big = unit * (10 * small // len(unit))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pysubs2 warns about fields it cannot parse
            run(little)  # lazy imports and patterns, uncounted
            base = count_calls(run, little)
            grown = count_calls(run, big)
        if grown > limit * base:
            slow.append(f"{name}: {len(little):,} long: {base} calls, {len(big):,}: {grown}")
    return slow


#: Cue texts that, repeated, make a writer's escaping backtrack or rescan (issue 19: ``<`` and
#: spaces took 52 s in the SRT writer): its work on one cue of ``unit * n`` must grow linearly.
ADVERSARIAL_TEXTS: dict[str, str] = {
    "angle-spaces": "< ",
    "angles": "<",
    "voices": "<v ",
    "tags": "<b><i>",
    "braces": "{",
    "brace-backslash": "{\\",
    "backslashes": "\\",
    "tabs": "\t",
    "newlines": "a\n",
    "amps": "&",
    "arrows": "-->",
    "clock-text": "0:10:00.00 ",
    "frame-timings": "00:00:09:00 00:00:10:00\n",
}


def _write_one_cue(host: PluginHost, writer: str, text: str) -> None:
    spec = host.writer(writer)
    options = resolve_options(host, {"fps": "25"} if spec.frame_based else {})
    try:
        render(Transcript.from_columns([0], [1000], [text]), spec, host, options, "fuzz")
    except PluginError:
        raise
    except CaptionbridgeError:
        pass  # a refusal (too long for the format, say) is an answer


def nonlinear_writer_shapes(
    host: PluginHost, writer: str, small: int = 2_000, limit: float = 12.0
) -> list[str]:
    """The :data:`ADVERSARIAL_TEXTS` on which ``writer`` makes more than ``limit`` times the
    calls for a cue ten times as long (``small`` characters, then ten times that)."""

    def write(text: str) -> None:
        _write_one_cue(host, writer, text)

    return _nonlinear(ADVERSARIAL_TEXTS, write, small, limit)
