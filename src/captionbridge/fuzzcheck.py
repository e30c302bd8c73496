"""The promise every reader keeps, as one check shared by the fuzz harness and the tests.

Any byte string given to a reader gives either a :class:`~captionbridge.model.Transcript` whose
cues have ``0 <= start <= end``, or a :class:`~captionbridge.errors.CaptionbridgeError` that
names the source. Anything else (a :class:`~captionbridge.errors.PluginError` means the reader
itself crashed) is a finding.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import CaptionbridgeError, PluginError
from .model import Transcript
from .pipeline import read_bytes
from .registry import PluginHost

__all__ = ["SOURCE", "check_reader_input"]

#: The source name the checks read under; an error must carry it.
SOURCE = "fuzz.in"


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
    starts, ends, _ = transcript.columns()
    for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
        if not 0 <= int(start) <= int(end):
            raise AssertionError(f"cue {index + 1} has start {start} and end {end}")
    return transcript
