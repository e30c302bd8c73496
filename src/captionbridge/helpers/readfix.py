"""Repairs that readers of existing subtitle files share, each reported as a note.

Files nobody has looked at carry cues whose end is before their start, or times before zero
(an Avid start timecode later than a cue). Writers and the players downstream choke on those,
so readers put them right here instead of passing them on.
"""

from __future__ import annotations

from ..model import Note

__all__ = ["order_times"]


def order_times(starts: list[int], ends: list[int], source: str) -> list[Note]:
    """Clamp negative times to zero and swap start and end where the end comes first, in place.

    Returns one note per kind of repair (with the first cue number), none when nothing changed."""
    notes: list[Note] = []
    if min(starts, default=0) < 0 or min(ends, default=0) < 0:
        clamped = sum(1 for s, e in zip(starts, ends, strict=True) if s < 0 or e < 0)
        starts[:] = [max(0, s) for s in starts]
        ends[:] = [max(0, e) for e in ends]
        notes.append(Note(f"moved {clamped} cue time(s) before 0:00 to 0:00", source))
    swapped = [i for i, (s, e) in enumerate(zip(starts, ends, strict=True)) if e < s]
    for index in swapped:
        starts[index], ends[index] = ends[index], starts[index]
    if swapped:
        notes.append(
            Note(
                f"swapped start and end of {len(swapped)} cue(s) whose end came first"
                f" (first: cue {swapped[0] + 1})",
                source,
            )
        )
    return notes
