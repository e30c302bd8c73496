"""The built-in reflow (``captionbridge_reflow``): house-style presets and their options.

With ``--preset none`` (the default) and no reflow option the transcript passes through
untouched. ``--max-chars`` alone breaks the lines that are too wide and keeps the
segmentation; a preset (or ``--resegment``) regroups the whisper fragments into subtitles.
The implementation runs last (``trylast``), so a plugin can replace or wrap it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

from captionbridge.helpers.cuts import last_cut
from captionbridge.helpers.framerate import assumed_message
from captionbridge.helpers.options import SPEAKER_STYLE
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Content, Note, Transcript, turns_of
from captionbridge.reflow.costs import SEGMENT_COSTS, SEGMENTER
from captionbridge.reflow.limits import OPTIONS, Limits
from captionbridge.specs import Options, OptionSpec, Preset

#: The house styles (numbers from the Netflix, BBC, CEA-608 and YouTube guidelines).
PRESETS = (
    Preset(
        "netflix",
        {
            "resegment": True,
            "max_chars": 42,
            "max_lines": 2,
            "max_cps": 20,
            "min_duration": "833ms",
            "max_duration": "7s",
            "min_gap": "2f",
            "chain_gap": "500ms",
        },
        "Netflix English: 42 characters x 2 lines, 20 cps, 5/6 s to 7 s, 2-frame gaps",
    ),
    Preset(
        "bbc",
        {
            "resegment": True,
            "max_chars": 37,
            "max_lines": 2,
            "max_cps": 20,
            "max_wpm": 180,
            "min_duration": "1s",
            "max_duration": "7s",
            "min_gap": "0",
            "chain_gap": "1s",
        },
        "BBC: 37 characters x 2 lines, 180 wpm (0.33 s a word), gaps of 0 or at least 1 s",
    ),
    Preset(
        "cea608",
        {
            "resegment": True,
            "max_chars": 32,
            "max_lines": 2,
            "max_cps": 20,
            "max_wpm": 160,
            "min_duration": "1s",
            "max_duration": "7s",
            "min_gap": "2f",
            "fps": "29.97",
        },
        "CEA-608 pop-on: 32 columns x 2 rows, 160 wpm, at least 1 s, 2 frames at 29.97",
    ),
    Preset(
        "youtube",
        {
            "resegment": True,
            "max_chars": 42,
            "max_lines": 2,
            "max_cps": 20,
            "min_duration": "1s",
            "max_duration": "7s",
        },
        "YouTube: 42 characters x 2 lines, 20 cps, 1 s to 7 s",
    ),
    Preset(
        "vertical",
        {
            "resegment": True,
            "max_chars": 24,
            "max_lines": 2,
            "max_cps": 25,
            "min_duration": "0.7s",
            "max_duration": "5s",
        },
        "vertical video (9:16 shorts): 24 characters x 2 lines, 25 cps, 0.7 s to 5 s",
    ),
)


@hookimpl
def captionbridge_register_options(register: Callable[[OptionSpec], None]) -> None:
    # chunked: the reflow says where a huge input may be cut (captionbridge_stream_cut)
    for spec in (*OPTIONS, SEGMENT_COSTS, SEGMENTER):
        register(replace(spec, chunked=True))


@hookimpl
def captionbridge_register_presets(register: Callable[[Preset], None]) -> None:
    for preset in PRESETS:
        register(preset)


def reach(limits: Limits) -> float:
    """The silence between two cues that reflow and its timing rules never act across with
    these limits: cutting a transcript there and reflowing the parts apart changes nothing.

    The search never bridges a pause (``PAUSE_MS``); a subtitle boundary drifts up to
    ``DRIFT_MS`` and an end stays up to ``READ_SLACK_MS`` (or the minimum duration) past the
    speech; then come the minimum gap, gap chaining and snapping to frames."""
    from captionbridge.reflow.atoms import PAUSE_MS
    from captionbridge.reflow.cuetiming import DRIFT_MS, READ_SLACK_MS

    frame = math.ceil(1000 / limits.fps) if limits.fps else 0
    return (
        PAUSE_MS
        + DRIFT_MS
        + READ_SLACK_MS
        + (limits.min_duration or 0)
        + limits.min_gap
        + limits.chain_gap
        + 2 * frame
    )


@hookimpl
def captionbridge_stream_cut(transcript: Transcript, before: int, options: Options) -> int | None:
    """Cut a huge input only in a silence that no subtitle and no timing rule reaches across,
    before a new turn or after a sentence end (the search lets a two-speaker subtitle start
    only there, and a part always starts one)."""
    limits = Limits.from_options(options)
    if not limits.active:
        return None
    from captionbridge.reflow.phrases import phrase_model_for

    sentence_end = phrase_model_for(limits.language or transcript.language).sentence_end
    starts, ends, contents = transcript.columns()
    return last_cut(
        starts, ends, before, reach(limits),
        lambda c: _turn_or_sentence(contents[c - 1], contents[c], sentence_end),
    )  # fmt: skip


def _turn_or_sentence(before: Content, after: Content, sentence_end: Callable[[str], bool]) -> bool:
    if not isinstance(after, str):
        first, last = after[0], turns_of(before)[-1]
        if first.change or first.speaker != last.speaker:
            return True  # a new turn of the word stream (reflow.wordstream)
    words = turns_of(before)[-1].text.split()
    return bool(words) and sentence_end(words[-1])


@hookimpl(trylast=True)
def captionbridge_reflow(transcript: Transcript, options: Options) -> Transcript:
    """Resegment, break lines and retime within the limits the options set."""
    limits = Limits.from_options(options)
    if not limits.active:
        return transcript
    from captionbridge.reflow.reflower import reflow  # the engine loads only when it has work

    result = reflow(
        transcript,
        limits,
        SPEAKER_STYLE.value(options),
        SEGMENT_COSTS.value(options),
        search=SEGMENTER.value(options) == "search",
    )
    if limits.fps_assumed and limits.fps:
        # the command line resolves the rate once per run; a Python caller is told here
        uses = f"the {limits.gap_frames or 0:g}-frame gaps"
        note = Note(assumed_message(limits.fps, uses), transcript.source)
        result = result.replace(notes=(*result.notes, note))
    return result
