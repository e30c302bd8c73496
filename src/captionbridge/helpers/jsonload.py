"""JSON for readers: parse with located errors, and find where a value sits for a later error.

``json.loads`` knows where a syntax error is but forgets where each value was; a reader that
finds a bad value (a negative time in segment 12) asks :func:`locate` for its line and column,
which re-walks the text only on that error path.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import ParseError

if TYPE_CHECKING:
    import json

__all__ = ["load_json", "locate"]

_SPACE = re.compile(r"[ \t\r\n]*")
_LONG_DIGITS = re.compile(r"\d{4000,}")


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - text.rfind("\n", 0, offset)


def load_json(text: str, source: str) -> Any:
    """``json.loads(text)``; malformed JSON is a :class:`ParseError` at its line and column."""
    import json  # not loaded at start-up

    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(exc.msg, source=source, line=exc.lineno, column=exc.colno) from None
    except (ValueError, RecursionError) as exc:  # past Python's digit limit, or nested too deep
        digits = _LONG_DIGITS.search(text)
        if digits is None:
            raise ParseError(f"unreadable JSON: {exc}", source=source) from None
        line, column = _line_column(text, digits.start())
        message = f"a number of {digits.end() - digits.start():,} digits"
        raise ParseError(message, source=source, line=line, column=column) from None


def _space(text: str, offset: int) -> int:
    match = _SPACE.match(text, offset)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def _step(text: str, offset: int, key: str | int, decoder: json.JSONDecoder) -> int | None:
    """The offset of ``key`` (an object key or an array index) in the value at ``offset``."""
    opening = text[offset : offset + 1]
    if isinstance(key, int) and opening == "[":
        offset = _space(text, offset + 1)
        for _ in range(key):
            offset = _space(text, decoder.raw_decode(text, offset)[1])
            offset = _space(text, offset + 1)  # the comma
        return offset
    if isinstance(key, str) and opening == "{":
        offset = _space(text, offset + 1)
        while text[offset : offset + 1] == '"':
            name, offset = decoder.raw_decode(text, offset)
            offset = _space(text, _space(text, offset) + 1)  # the colon
            if name == key:
                return offset
            offset = _space(text, decoder.raw_decode(text, offset)[1])
            offset = _space(text, offset + 1) if text[offset : offset + 1] == "," else offset
    return None


def locate(text: str, path: Sequence[str | int]) -> tuple[int, int]:
    """The 1-based line and column of the value at ``path`` (keys and indexes from the top)
    in the JSON ``text``; the deepest value found on the way when the path goes nowhere."""
    import json

    decoder = json.JSONDecoder()
    offset = _space(text, 0)
    try:
        for key in path:
            found = _step(text, offset, key, decoder)
            if found is None:
                break
            offset = found
    except (ValueError, IndexError, RecursionError):
        pass
    return _line_column(text, offset)
