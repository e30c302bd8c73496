"""The built-in timing fix every conversion gets: cues in start order, no overlaps, no cue
that ends before it starts.

Editors reject SRT and iTT files whose cues overlap; whisper sometimes produces them, and two
speakers talking at once produce them in any transcript. With ``overlaps = "fix"`` (the
default) cues are sorted by start, then:

- a cue that runs into the next one ends where the next starts, when it keeps a readable
  duration by that (at least ``min_duration``, the preset's minimum, or 1 s without one);
- otherwise the two are one cue: it starts with the first, ends with the later end and holds
  the turns of both, so simultaneous speech stays on screen (writers show the turns as a
  dual-speaker cue);
- but a cue holds at most two turns (two lines of dialogue): a cue that would add a third
  starts a readable duration after the one it overlaps instead, which ends there;
- a cue without duration (end at or before its start) gets the readable duration, and then
  follows the two rules above.

So no output holds a cue with end <= start. Each repair is counted in a note.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from captionbridge.helpers.cuts import last_cut
from captionbridge.helpers.options import OVERLAPS
from captionbridge.helpers.timecode import StampList
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Columns, Content, Note, Transcript, turns_of
from captionbridge.specs import Options, TransformSpec


def _keys(times: Sequence[int]) -> Sequence[int] | Sequence[str]:
    # canonical stamp strings sort like their times: compare them without converting
    return times.stamps if isinstance(times, StampList) else times


def _both_stamps(a: Sequence[int], b: Sequence[int]) -> bool:
    return isinstance(a, StampList) and isinstance(b, StampList)


#: the readable duration when the options give no ``min_duration``
READABLE_MS = 1000


def _readable(options: Options) -> int:
    """How long a cue without duration is given: ``min_duration``, else :data:`READABLE_MS`."""
    return int(options.get("min_duration") or READABLE_MS)


def fix_overlaps(transcript: Transcript, options: Options) -> Transcript:
    """Sort cues by start; trim, merge or lengthen cues so that none overlaps the next or
    lasts no time (see the module's docstring)."""
    if OVERLAPS.value(options) != "fix" or not len(transcript):
        return transcript
    starts, ends, contents = transcript.columns()
    same_kind = _both_stamps(starts, ends) or not (
        isinstance(starts, StampList) or isinstance(ends, StampList)
    )
    s_keys: Sequence[Any] = _keys(starts) if same_kind else list(starts)
    e_keys: Sequence[Any] = _keys(ends) if same_kind else list(ends)
    overlapping = any(map(operator.gt, e_keys[:-1], s_keys[1:]))
    timeless = any(map(operator.ge, s_keys, e_keys))
    if not overlapping and not timeless:
        return transcript  # then each start is before its end, before the next start: sorted
    unsorted = any(map(operator.gt, s_keys[:-1], s_keys[1:]))
    notes: list[Note] = []
    new_starts, new_ends, new_contents = list(starts), list(ends), list(contents)
    if unsorted:
        order = sorted(range(len(new_starts)), key=new_starts.__getitem__)
        new_starts = [new_starts[i] for i in order]
        new_ends = [new_ends[i] for i in order]
        new_contents = [new_contents[i] for i in order]
        notes.append(Note("cues were out of order; sorted by start time", transcript.source))
    readable = _readable(options)
    fixed = _fix(new_starts, new_ends, new_contents, readable)
    notes.extend(fixed.notes(readable, transcript.source))
    columns = Columns(fixed.starts, fixed.ends, fixed.contents)
    return transcript.with_columns(columns).with_notes(*notes)


class _Fixed:
    """The cues after the fix, with the count of each kind of repair."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.contents: list[Content] = []
        self.trimmed = self.merged = self.lengthened = self.delayed = 0

    def notes(self, readable: int, source: str | None) -> list[Note]:
        out = []
        if self.lengthened:
            out.append(
                Note(
                    f"gave {self.lengthened} cue(s) without duration {readable} ms"
                    " (or up to the next cue)",
                    source,
                )
            )
        if self.trimmed:
            out.append(
                Note(
                    f"trimmed {self.trimmed} overlapping cue(s) to end where the next starts"
                    " (keep them with --overlaps keep)",
                    source,
                )
            )
        if self.merged:
            out.append(
                Note(
                    f"joined {self.merged} cue(s) that started less than {readable} ms after"
                    " the cue they overlap into that cue, as simultaneous speech"
                    " (keep them apart with --overlaps keep)",
                    source,
                )
            )
        if self.delayed:
            out.append(
                Note(
                    f"delayed the start of {self.delayed} cue(s) by up to {readable} ms: they"
                    " overlapped a cue that already shows two turns",
                    source,
                )
            )
        return out


def _fix(starts: list[int], ends: list[int], contents: list[Content], readable: int) -> _Fixed:
    out = _Fixed()
    for start, end, content in zip(starts, ends, contents, strict=True):
        if end <= start:
            end = start + readable
            out.lengthened += 1
        if out.ends and start < out.ends[-1]:
            if start - out.starts[-1] < readable and _turns(out.contents[-1], content) <= 2:
                out.ends[-1] = max(out.ends[-1], end)
                out.contents[-1] = _together(out.contents[-1], content)
                out.merged += 1
                continue
            if start - out.starts[-1] < readable:  # a third voice: it waits its turn
                start = out.starts[-1] + readable
                end = max(end, start + readable)
                out.delayed += 1
            out.ends[-1] = start
            out.trimmed += 1
        out.starts.append(start)
        out.ends.append(end)
        out.contents.append(content)
    return out


def _turns(first: Content, second: Content) -> int:
    return len(turns_of(first)) + len(turns_of(second))


def _together(first: Content, second: Content) -> Content:
    """One content holding the turns of both; the second's first turn starts a new speaker
    unless it is the known speaker of the first's last turn."""
    before, after = turns_of(first), turns_of(second)
    head = after[0]
    same = head.speaker is not None and head.speaker == before[-1].speaker
    if not same and not head.change:
        after = (replace(head, change=True), *after[1:])
    return (*before, *after)


@hookimpl
def captionbridge_stream_cut(transcript: Transcript, before: int, options: Options) -> int | None:
    """Cut a huge input only where no cue before the cut overlaps or follows one after it
    (a cue without duration counts as lasting the readable duration)."""
    if OVERLAPS.value(options) != "fix":
        return None
    readable = _readable(options)
    starts, ends, _ = transcript.columns()
    lasting = [e if e > s else s + readable for s, e in zip(starts, ends, strict=True)]
    return last_cut(starts, lasting, before, 0)


@hookimpl
def captionbridge_register_transforms(register: Callable[[TransformSpec], None]) -> None:
    register(
        TransformSpec(
            "fix-overlaps",
            "timing",
            fix_overlaps,
            order=100,
            description="sort cues; trim or join overlaps; no cue without duration",
        )
    )
