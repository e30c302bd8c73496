"""iTT (``.itt``): the TTML dialect Final Cut Pro imports as captions.

Written the way Final Cut expects it: ``ttp:timeBase="smpte"``, ``ttp:frameRate`` and
``ttp:frameRateMultiplier`` from ``--fps`` (29.97: ``30`` and ``1000 1001``; 25:
``25`` and ``1 1``), ``ttp:dropMode="nonDrop"``, every time ``HH:MM:SS:FF`` on the frame grid,
one style, a ``bottom`` region (origin ``0% 85%``, extent ``100% 15%``), ``<br/>`` line breaks
and speakers as ``ttm:agent`` (see :mod:`captionbridge.plugins.ttml.writer`).

Final Cut refuses more than two lines and overlapping captions, so this writer:

- joins lines: a cue with more than two lines is rejoined into two balanced lines (one turn)
  or one line per turn, later turns sharing the second line (no word is dropped);
- trims overlaps: a cue that runs into the next ends on the frame the next one starts; when
  two cues start on the same frame the later one moves to the next frame. Every cue lasts at
  least one frame. Run the ``timing`` stage (the default ``--overlaps fix``) to have overlaps
  reported as notes before they reach the writer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction

from captionbridge.helpers.timecode import frames_to_smpte
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Transcript
from captionbridge.plugins.ttml.writer import fps_of, ms_to_frame_list, smpte_root, write_tt
from captionbridge.specs import WriteContext, WriterSpec

__all__ = ["frame_spans", "write_itt"]

MAX_LINES = 2

_STYLING = (
    '<styling><style xml:id="normal" tts:fontFamily="sansSerif" tts:fontWeight="normal"'
    ' tts:fontStyle="normal" tts:color="white" tts:fontSize="100%"/></styling>'
)
_LAYOUT = (
    '<layout><region xml:id="bottom" tts:origin="0% 85%" tts:extent="100% 15%"'
    ' tts:textAlign="center" tts:displayAlign="after"/></layout>'
)
_BODY = '<body style="normal" region="bottom">'


def frame_spans(starts: Sequence[int], ends: Sequence[int]) -> tuple[list[int], list[int]]:
    """First and end (exclusive) frames of cues in start order, made to follow one another:
    at least one frame long, and an earlier cue ending no later than the next one starts."""
    first, last = list(starts), list(ends)
    for i in range(len(first)):
        if i and first[i] <= first[i - 1]:
            first[i] = first[i - 1] + 1
        if last[i] <= first[i]:
            last[i] = first[i] + 1
        if i and last[i - 1] > first[i]:
            last[i - 1] = first[i]
    return first, last


def write_itt(transcript: Transcript, context: WriteContext) -> str:
    """Render a transcript as an iTT document for Final Cut Pro."""
    fps: Fraction = fps_of(context, "itt")
    starts, ends, _ = transcript.columns()

    def timing(indices: Sequence[int]) -> tuple[list[str], list[str]]:
        first, last = frame_spans(
            ms_to_frame_list([starts[i] for i in indices], fps),
            ms_to_frame_list([ends[i] for i in indices], fps),
        )
        return [frames_to_smpte(f, fps) for f in first], [frames_to_smpte(f, fps) for f in last]

    return write_tt(
        transcript,
        context,
        root_attrs=smpte_root(fps),
        timing=timing,
        styling=_STYLING,
        layout=_LAYOUT,
        body=_BODY,
        max_lines=MAX_LINES,
    )


@hookimpl
def captionbridge_register_writers(register: Callable[[WriterSpec], None]) -> None:
    register(
        WriterSpec(
            "itt",
            write_itt,
            extension=".itt",
            description="iTT captions for Final Cut Pro",
            frame_based=True,
        )
    )
