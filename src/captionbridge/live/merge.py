"""A light reflow for live cues that only merges forward (``captionbridge live --merge``).

whisper often ends a segment in the middle of a sentence. :class:`MergeStage` sits in front of
the sinks and joins a final cue to the next one when the first does not end a sentence, the
gap between them is at most :data:`GAP` ms, both are one turn of the same speaker (a speaker
change is a hard break), and the joined cue keeps within the limits (``--max-chars`` x
``--max-lines``, 42 x 2 when not given; ``--max-duration``, 7 s when not given) and comes back
from the transforms (line breaking) as one cue. Nothing is ever split or moved back, and a cue
is held back only while the next one may still join it: once a cue cannot grow, or the next
final cue does not fit, it is passed on. While held it is shown as pending, joined to the
first pending cue when that one fits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..model import Cue, Turn
from ..reflow.limits import Limits
from .sinks import LiveSink

__all__ = ["GAP", "MergeStage"]

#: the largest gap (milliseconds) across which two cues are joined
GAP = 250
_SENTENCE_END = (".", "?", "!", "…", '."', '?"', '!"', "”")


class MergeStage:
    """A :class:`~.sinks.LiveSink` that joins cues forward and passes them on to ``sinks``."""

    def __init__(
        self,
        sinks: Sequence[LiveSink],
        limits: Limits,
        transform: Callable[[Cue], tuple[Cue, ...]],
    ) -> None:
        self.sinks = list(sinks)
        self.chars = (limits.max_chars or 42) * (limits.max_lines or 2)
        self.duration = limits.max_duration or 7000
        self.transform = transform
        self.held: Cue | None = None

    def publish(self, finalised: Sequence[Cue], pending: Sequence[Cue]) -> None:
        """Join what can be joined; pass on the cues that can no longer grow."""
        passed: list[Cue] = []
        for cue in finalised:
            joined = self._join(self.held, cue) if self.held is not None else None
            if joined is not None:
                self.held = joined
                continue
            if self.held is not None:
                passed.append(self.held)
            self.held = cue if self._may_grow(cue) else None
            if self.held is None:
                passed.append(cue)
        shown = list(pending)
        if self.held is not None:
            first = self._join(self.held, shown[0]) if shown else None
            shown = [first, *shown[1:]] if first is not None else [self.held, *shown]
        for sink in self.sinks:
            sink.publish(passed, shown)

    def close(self) -> None:
        """Pass on the cue still held, then close the sinks."""
        held, self.held = self.held, None
        if held is not None:
            for sink in self.sinks:
                sink.publish([held], [])
        for sink in self.sinks:
            sink.close()

    def _may_grow(self, cue: Cue) -> bool:
        return (
            len(cue.turns) == 1
            and not _ends_sentence(cue.text)
            and len(cue.text) < self.chars
            and cue.end - cue.start < self.duration
        )

    def _join(self, first: Cue, second: Cue) -> Cue | None:
        if not self._may_grow(first) or len(second.turns) != 1:
            return None
        a, b = first.turns[0], second.turns[0]
        if b.change or a.speaker != b.speaker or second.start - first.end > GAP:
            return None
        text = " ".join(f"{a.text} {b.text}".split())
        if len(text) > self.chars or second.end - first.start > self.duration:
            return None
        turn = Turn(text, a.speaker, a.change, a.words + b.words)
        made = self.transform(Cue(first.start, max(first.end, second.end), (turn,)))
        return made[0] if len(made) == 1 else None


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(_SENTENCE_END)
