"""Word-by-word captions (``--words N``), upper-casing (``--upper``) and the ``shorts`` preset.

``--words N`` puts one to N words in each cue, on the words' own times
(:mod:`captionbridge.reflow.wordcues`); it takes the place of the subtitle reflow for that run
(its own ``captionbridge_reflow`` implementation answers first), reading ``--min-duration``
and ``--max-chars`` as its own limits. ``--upper`` upper-cases every turn and its words, after
reflow, whatever made the cues.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from captionbridge.hookspecs import hookimpl
from captionbridge.model import Transcript, Turn, Word
from captionbridge.reflow.limits import MAX_CHARS, MIN_DURATION
from captionbridge.specs import Options, OptionSpec, Preset, TransformSpec

#: the most words ``--words`` takes: more is a subtitle, which the reflow presets make better
MAX_WORDS = 20


def _word_count(value: str | int) -> int:
    if isinstance(value, bool):
        raise ValueError(f"not a whole number: {value!r}")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"not a whole number: {value!r}") from None
    if not 1 <= number <= MAX_WORDS:
        raise ValueError(f"must be from 1 to {MAX_WORDS}, not {value!r}")
    return number


WORDS = OptionSpec(
    "words",
    "One to N words per caption on the words' own times (vertical video, burn-in);"
    " replaces the subtitle reflow. Without word timings they are estimated (with a warning).",
    type=_word_count,
    strict=True,
    metavar="N",
)
UPPER = OptionSpec("upper", "Upper-case the caption text.", type=bool, default=False, is_bool=True)
SHORTS = Preset(
    "shorts",
    {"words": 3, "min_duration": "0.5s", "max_chars": 14, "ass_layout": "vertical"},
    "vertical video burn-in: 1 to 3 words (14 characters) per caption on their own times,"
    " at least 0.5 s,"
    " ASS 1080x1920 with large centred text above the platforms' buttons",
)


@hookimpl
def captionbridge_register_options(register: Callable[[OptionSpec], None]) -> None:
    register(WORDS)
    register(UPPER)


@hookimpl
def captionbridge_register_presets(register: Callable[[Preset], None]) -> None:
    register(SHORTS)


@hookimpl
def captionbridge_reflow(transcript: Transcript, options: Options) -> Transcript | None:
    """Word cues when ``--words`` is given; otherwise nothing (the subtitle reflow runs)."""
    count = WORDS.value(options)
    if count is None:
        return None
    from captionbridge.reflow.wordcues import WordRules, word_cues  # only when it has work

    rules = WordRules(
        count, min_duration=MIN_DURATION.value(options) or 0, max_chars=MAX_CHARS.value(options)
    )
    return word_cues(transcript, rules)


def _upper_turn(turn: Turn) -> Turn:
    words = tuple(Word(w.text.upper(), w.start, w.end, w.confidence) for w in turn.words)
    return replace(turn, text=turn.text.upper(), words=words)


def upper_case(transcript: Transcript, options: Options) -> Transcript:
    """Every turn's text and words upper-cased, when ``--upper`` is on."""
    if not UPPER.value(options):
        return transcript
    return transcript.map_turns(_upper_turn)


@hookimpl
def captionbridge_register_transforms(register: Callable[[TransformSpec], None]) -> None:
    # after every other reflow-stage transform, so whatever made the cues, the text shown is
    # upper-cased
    description = "--upper: upper-case every turn and its words"
    register(TransformSpec("upper", "reflow", upper_case, order=100, description=description))
