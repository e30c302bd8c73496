"""ASS karaoke: ``{\\kf}`` per word and ``{\\k}`` per pause, on the event's centisecond clock."""

from __future__ import annotations

from captionbridge.helpers.wordtext import timed_pieces
from captionbridge.model import Turn

from .text import WORD_JOINER, escape_text


def _cs(ms: int) -> int:
    """A time in centiseconds, rounded as pysubs2 (and Aegisub) round event times."""
    return (ms + 5) // 10


class KaraokeTags:
    """The karaoke tags of one event. Each tag's duration is the difference of two times
    rounded on the event's clock, so the durations add up to the event's length exactly,
    however many words there are."""

    def __init__(self, start: int, end: int) -> None:
        self.end = end
        self.at = start  # where the last word ended
        self.timed = False

    def line(self, prefix: str, turn: Turn) -> str | None:
        """The turn's line with ``{\\k}`` before each pause and ``{\\kf}`` before each word;
        ``None`` when the turn has no usable words."""
        pieces = timed_pieces(turn)
        if pieces is None:
            return None
        out = [escape_text(prefix)]
        for piece, word in pieces:
            if word is not None:
                begin = min(max(word.start, self.at), self.end)
                finish = min(max(word.end, begin), self.end)
                pause = _cs(begin) - _cs(self.at)
                if pause > 0:
                    out.append(f"{{\\k{pause}}}")
                out.append(f"{{\\kf{_cs(finish) - _cs(begin)}}}")
                self.at = finish
            out.append(escape_text(piece))
        self.timed = True
        return "".join(out)

    def close(self, text: str) -> str:
        """The event's text with the time left after the last word as an empty syllable. A
        cue without words is that empty syllable followed by its text as a syllable that
        starts (is sung) only when the cue ends, so it keeps the style's colour."""
        left = _cs(self.end) - _cs(self.at)
        if not self.timed:
            return f"{{\\k{left}}}{{\\k0}}{text}"
        if left <= 0:
            return text
        # a backslash at the end of the text would escape the tag's brace
        return f"{text}{WORD_JOINER if text.endswith(chr(92)) else ''}{{\\k{left}}}"
