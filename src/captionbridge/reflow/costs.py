"""The weights of the segmentation search (explained in ``docs/reflow.md``), tunable per preset.

A preset or the command line sets any of them with ``--segment-costs "cue=6,length=0.4"``;
the rest keep the defaults below, which were tuned on the shared TED-Ed reference and are
judged on five human references together (``benchmarks/quality.py``) to place breaks where
people do.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from ..errors import brief
from ..specs import OptionSpec

__all__ = ["SEGMENTER", "SEGMENT_COSTS", "Costs", "parse_costs"]


@dataclass(frozen=True)
class Costs:
    """Weights of the search: every subtitle's cost is the sum of these terms."""

    #: every subtitle: fewer, fuller subtitles when nothing else decides
    cue: float = 10.5
    #: the length people prefer for a subtitle of one line and of two (characters), and the
    #: cost per squared 10 characters off it
    prefer: float = 40.0
    prefer_two: float = 40.0
    length: float = 0.8
    #: a subtitle end: weight of the phrase model's break cost at the end
    end: float = 1.0
    #: a subtitle end right after a sentence end / a clause mark (negative: a reward)
    sentence_end: float = -30.0
    clause_end: float = -11.0
    #: a subtitle end where a fragment of the input ended, and per 100 ms of silence there
    fragment: float = -3.0
    pause: float = -1.5
    #: a subtitle end at a change of speaker (a reward), or a two-speaker subtitle
    speaker: float = -20.0
    dual: float = 4.0
    #: every sentence end inside a subtitle (people put 1.3 sentence pieces in one)
    inside: float = 5.0
    #: a line break: weight of the phrase model's break cost, and a reward at a sentence end
    line: float = 0.15
    line_sentence: float = -3.0
    line_clause: float = -0.5
    #: the weight of a phrase's glue (break costs above 20) at a line break; at a subtitle end
    #: it counts whole (people part a phrase across lines, seldom across subtitles)
    line_glue: float = 0.1
    #: a two-line subtitle, and the cost per character of difference between its lines and
    #: the difference people leave (their top line is a few characters longer, on average)
    two_lines: float = -1.7
    balance: float = 0.11
    top_longer: float = 4.5
    #: a top line of one word, of two words (halved), unless a clause ends there
    orphan: float = 10.0
    #: per 100 ms of reading time missing at the reading-speed limit
    slow: float = 1.5
    #: a subtitle shorter than the minimum duration with no free time to extend it
    short: float = 500.0


def parse_costs(value: str | Costs) -> Costs:
    """``name=number`` pairs parted by commas, over the defaults (``cue=6,length=0.4``)."""
    if isinstance(value, Costs):
        return value
    if not isinstance(value, str) or len(value) > 1000:
        raise ValueError(f"not a list of costs: {brief(value)} (write cue=6,length=0.4)")
    known = {f.name for f in fields(Costs)}
    changes: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        name, eq, number = item.partition("=")
        name = name.strip().replace("-", "_")
        if not eq or name not in known:
            raise ValueError(f"unknown cost {brief(name)} (known: {', '.join(sorted(known))})")
        try:
            changes[name] = float(number)
        except ValueError:
            raise ValueError(f"not a number: {brief(number)} (for {name})") from None
        if not -1e6 <= changes[name] <= 1e6:
            raise ValueError(f"out of range: {brief(number)} (for {name})")
    return replace(Costs(), **changes)


SEGMENT_COSTS = OptionSpec(
    "segment_costs",
    "Weights of the segmentation search, name=number pairs (see docs/reflow.md).",
    type=parse_costs,
    strict=True,
    metavar="COSTS",
)

SEGMENTER = OptionSpec(
    "segmenter",
    "How a preset regroups fragments into subtitles of one or two lines: 'search' (one"
    " word-level minimum-cost search for subtitle ends and line breaks together, closer to"
    " human subtitlers) or 'rules' (fragment atoms grouped by the break rules: about 3.5x"
    " faster and a quarter of the memory on long transcripts; see docs/reflow.md).",
    default="search",
    choices=("rules", "search"),
    metavar="NAME",
)
