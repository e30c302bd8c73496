"""Speaker-turn markers inside cue text, shared by the readers.

Markers say that the speaker changed, not who: a ``- `` dash at the start of a text or after a
sentence end, and ``>>`` (the CEA-608 habit). A ``--`` at the end of a text is an interruption,
not a turn. Markers are taken out of the text and recorded as :attr:`Turn.change`.
"""

from __future__ import annotations

import re

from ..model import Content, Turn

__all__ = ["has_turn_marker", "split_turns", "turns_from_lines"]

# a dash (or >>) that opens a text, or that follows a sentence end inside it
_TURN = re.compile(
    r"""(?:^|(?<=[.?!…"'”’)\]])\s+)  # start of text, or after a sentence end and a space
        (?:-(?!-)(?:\s+|(?=[^\d\s]))|>>\s*)+  # dashes (not --, not a minus sign) or >>
    """,
    re.X,
)


_LINE_MARK = re.compile(r"^(?:-(?!-)(?:\s+|(?=[^\d\s]))|>>\s*)")
_MARK = re.compile(r"-(?!-)(?:\s+|(?=[^\d\s]))|>>\s*")


def has_turn_marker(text: str) -> bool:
    """A quick test: could ``text`` hold a turn marker?"""
    return text.startswith(("-", ">>")) or " - " in text or ">>" in text


def split_turns(text: str, speaker: str | None = None, change: bool = False) -> Content:
    """Split ``text`` at turn markers into turns.

    ``speaker`` goes to the first turn; ``change`` says whether the first turn starts a new
    speaker even without a marker. Returns the plain string when there is nothing to record.
    """
    if text.startswith("- ") and text[2:3] not in "->" and " - " not in text and ">>" not in text:
        return (Turn(text[2:].strip(), speaker, True),)  # the common case, without a regex
    if speaker is None and not change and not has_turn_marker(text):
        return text
    parts: list[Turn] = []
    position = 0
    first_change = change
    for match in _TURN.finditer(text):
        if match.start() == 0 and match.end() > 0:
            first_change = True
            position = _past_markers(text, match.end())
            continue
        if match.end() == match.start() or match.start() < position:
            continue
        before = text[position : match.start()].strip()
        if before:
            parts.append(_turn(before, parts, speaker, first_change))
        position = _past_markers(text, match.end())
    rest = text[position:].strip()
    if rest or not parts:
        parts.append(_turn(rest, parts, speaker, first_change))
    if len(parts) == 1 and parts[0].speaker is None and not parts[0].change:
        return parts[0].text
    return tuple(parts)


def _past_markers(text: str, position: int) -> int:
    """Where the text goes on after a marker: "- - text" repeats a marker, it is still one."""
    while (again := _MARK.match(text, position)) is not None:
        position = again.end()
    return position


def _turn(text: str, earlier: list[Turn], speaker: str | None, first_change: bool) -> Turn:
    if earlier:
        return Turn(text, None, True)
    return Turn(text, speaker, first_change)


def turns_from_lines(body: str) -> Content:
    """Subtitle cue lines to turns: a line that starts with a dash or ``>>`` starts a new turn
    (the dual-speaker convention of SRT and WebVTT files); markers inside a line as in
    :func:`split_turns`."""
    lines = body.split("\n")
    if not any(line.startswith(("-", ">>")) for line in lines):
        return split_turns(body) if has_turn_marker(body) else body
    turns: list[Turn] = []
    for line in lines:
        marked = _LINE_MARK.match(line)
        if marked:
            turns.append(Turn(line[marked.end() :].strip(), None, True))
        elif turns:
            previous = turns[-1]
            turns[-1] = Turn(f"{previous.text}\n{line}", previous.speaker, previous.change)
        else:
            turns.append(Turn(line))
    return tuple(turns)
