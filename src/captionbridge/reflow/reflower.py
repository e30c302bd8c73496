"""The reflow engine: atoms -> subtitles -> line breaks -> timing, reported through notes.

:func:`reflow` resegments a transcript when ``limits.resegment`` is set (every house-style
preset sets it), or else only breaks the lines that are wider than ``max_chars`` and keeps
the segmentation; the timing rules run in both cases. With no limit at all the transcript is
returned as it is. When turns carry word timings, subtitles are cut and timed on them and
carry their words (:mod:`~captionbridge.reflow.wordtimes`).
"""

from __future__ import annotations

from dataclasses import replace

from ..helpers.words import has_words
from ..model import Columns, Content, Note, Transcript, turns_of
from .atoms import cut_atoms
from .breakrules import rules_for
from .costs import Costs
from .cuetiming import apply_timing
from .limits import Limits
from .linebreak import layout
from .phrases import phrase_model_for
from .resegment import Shape, emit, group
from .search import build
from .search import search as run_search
from .wordstream import word_stream
from .wordtimes import attach_words, word_bounds

__all__ = ["DEFAULT_LINES", "DEFAULT_WIDTH", "reflow", "shape_for"]

DEFAULT_WIDTH = 42
DEFAULT_LINES = 2


def shape_for(transcript: Transcript, limits: Limits, speaker_style: str = "auto") -> Shape:
    """The subtitle layout the limits ask for, with the width of this transcript's speaker
    labels (``NAME: ``) when the writers will show them."""
    labels = None
    if speaker_style in ("auto", "label", "voice"):
        labels = {key: len(s.label) + 2 for key, s in transcript.speakers.items()}
    return Shape(
        width=limits.max_chars or DEFAULT_WIDTH,
        lines=limits.max_lines or DEFAULT_LINES,
        rules=rules_for(limits.language or transcript.language),
        labels=labels,
        show_speakers=speaker_style != "none",
    )


def reflow(
    transcript: Transcript,
    limits: Limits,
    speaker_style: str = "auto",
    costs: Costs | None = None,
    *,
    search: bool = True,
) -> Transcript:
    """Resegment (or only rebreak) and retime a transcript within ``limits``.

    Subtitles of one or two lines come from the joint word-level search of :mod:`.search`
    (weighted by ``costs``); more lines, or ``search=False``, group fragment atoms by the break
    rules (:mod:`.resegment`)."""
    if not limits.active or len(transcript) == 0:
        return transcript
    shape = shape_for(transcript, limits, speaker_style)
    starts, ends, contents = transcript.columns()
    notes: list[Note] = []
    source = transcript.source
    timed = has_words(contents, transcript.turned_indexes())
    if limits.resegment and search and shape.lines <= 2:
        stream = word_stream(starts, ends, contents)
        model = phrase_model_for(limits.language or transcript.language)
        plan = run_search(stream, shape, limits, costs or Costs(), model)
        new_starts, new_ends, new_contents = build(stream, plan)
        if timed:  # the search's turns carry their words: time the subtitles by them
            new_starts, new_ends = word_bounds(new_starts, new_ends, new_contents)
    elif limits.resegment:
        atoms = cut_atoms(
            starts,
            ends,
            contents,
            shape.rules,
            piece_chars=shape.width,
            cue_chars=shape.width * shape.lines,
            max_duration=limits.max_duration,
        )
        bounds = group(atoms, limits, shape)
        new_starts, new_ends, new_contents, overflow = emit(
            atoms, bounds, shape, min_duration=limits.min_duration or 0
        )
        if timed:
            new_starts, new_ends, new_contents = attach_words(
                contents, new_starts, new_ends, new_contents
            )
        if overflow:
            notes.append(
                Note(
                    f"{overflow} subtitle(s) did not fit {shape.lines} lines and were split", source
                )
            )
    elif limits.max_chars:
        new_contents = [_rebreak(content, shape) for content in contents]
        new_starts, new_ends = list(starts), list(ends)
    else:
        new_contents = list(contents)
        new_starts, new_ends = list(starts), list(ends)
    if timed and not limits.resegment:
        new_starts, new_ends = word_bounds(new_starts, new_ends, new_contents)
    wide = _too_wide(new_contents, shape.width) if limits.max_chars else 0
    if wide:
        notes.append(
            Note(f"{wide} subtitle(s) hold a word wider than {shape.width} characters", source)
        )
    new_starts, new_ends, report = apply_timing(new_starts, new_ends, new_contents, limits, timed)
    if report.short:
        notes.append(
            Note(
                f"{len(report.short)} subtitle(s) stay under {limits.min_duration} ms: the speech"
                f" is shorter and there is no free time around it (first at cue"
                f" {report.short[0] + 1})",
                source,
            )
        )
    if report.fast:
        notes.append(
            Note(
                f"{len(report.fast)} subtitle(s) stay faster than the reading speed with no"
                f" free time to extend them (first at cue {report.fast[0] + 1})",
                source,
            )
        )
    result = transcript.with_columns(Columns(new_starts, new_ends, new_contents))
    return result.with_notes(*notes)


def _rebreak(content: Content, shape: Shape) -> Content:
    """Break the lines of a cue that are wider than the width; keep the others as they are."""
    turns = turns_of(content)
    changed = False
    new_turns = []
    dual = len(turns) > 1
    for turn in turns:
        indent = shape.prefix(turn.speaker, turn.change, dual)
        lines = turn.text.split("\n")
        if len(lines[0]) + indent <= shape.width and all(len(x) <= shape.width for x in lines):
            new_turns.append(turn)
            continue
        laid = layout(turn.text, shape.width, 99, shape.rules, indent) or turn.text
        new_turns.append(replace(turn, text=laid))  # words stay: only spaces changed
        changed = True
    if not changed:
        return content
    if isinstance(content, str):
        return new_turns[0].text
    return tuple(new_turns)


def _too_wide(contents: list[Content], width: int) -> int:
    """How many subtitles hold a word wider than ``width``. Lines are never laid out wider
    than the width but for such a word: when no line is wider (one pass over all the lines
    at C speed), there is none."""
    texts = [c if isinstance(c, str) else "\n".join(t.text for t in c) for c in contents]
    if max(map(len, "\n".join(texts).split("\n")), default=0) <= width:
        return 0
    return sum(
        any(len(line) > width and any(len(w) > width for w in line.split()) for line in lines)
        for lines in (text.split("\n") for text in texts)
    )
