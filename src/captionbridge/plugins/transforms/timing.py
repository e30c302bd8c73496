"""The built-in timing fix every conversion gets: cues in start order and no overlaps.

Editors reject SRT and iTT files whose cues overlap; whisper sometimes produces them. With
``overlaps = "fix"`` (the default) cues are sorted by start and an earlier cue that runs into
the next one ends where the next starts. Each repair is counted in a note.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any

from captionbridge.helpers.options import OVERLAPS
from captionbridge.helpers.timecode import StampList
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Columns, Note, Transcript
from captionbridge.specs import Options, TransformSpec


def _keys(times: Sequence[int]) -> Sequence[int] | Sequence[str]:
    # canonical stamp strings sort like their times: compare them without converting
    return times.stamps if isinstance(times, StampList) else times


def _both_stamps(a: Sequence[int], b: Sequence[int]) -> bool:
    return isinstance(a, StampList) and isinstance(b, StampList)


def fix_overlaps(transcript: Transcript, options: Options) -> Transcript:
    """Sort cues by start and trim every cue that runs past the start of the next one."""
    if OVERLAPS.value(options) != "fix" or len(transcript) < 2:
        return transcript
    starts, ends, contents = transcript.columns()
    same_kind = _both_stamps(starts, ends) or not (
        isinstance(starts, StampList) or isinstance(ends, StampList)
    )
    s_keys: Sequence[Any] = _keys(starts) if same_kind else list(starts)
    e_keys: Sequence[Any] = _keys(ends) if same_kind else list(ends)
    unsorted = any(map(operator.gt, s_keys[:-1], s_keys[1:]))
    overlapping = any(map(operator.gt, e_keys[:-1], s_keys[1:]))
    if not unsorted and not overlapping:
        return transcript
    notes: list[Note] = []
    new_starts, new_ends, new_contents = list(starts), list(ends), list(contents)
    if unsorted:
        order = sorted(range(len(new_starts)), key=new_starts.__getitem__)
        new_starts = [new_starts[i] for i in order]
        new_ends = [new_ends[i] for i in order]
        new_contents = [new_contents[i] for i in order]
        notes.append(Note("cues were out of order; sorted by start time", transcript.source))
    trimmed = 0
    for i in range(len(new_starts) - 1):
        if new_ends[i] > new_starts[i + 1]:
            new_ends[i] = max(new_starts[i], new_starts[i + 1])
            trimmed += 1
    if trimmed:
        notes.append(
            Note(
                f"trimmed {trimmed} overlapping cue(s) to end where the next starts"
                " (keep them with --overlaps keep)",
                transcript.source,
            )
        )
    return transcript.with_columns(Columns(new_starts, new_ends, new_contents)).with_notes(*notes)


@hookimpl
def captionbridge_register_transforms(register: Callable[[TransformSpec], None]) -> None:
    register(
        TransformSpec(
            "fix-overlaps",
            "timing",
            fix_overlaps,
            order=100,
            description="sort cues and trim overlaps",
        )
    )
