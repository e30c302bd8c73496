"""The segmentation search's bounds leave out work, never a result: the same subtitles with
and without them, and most candidates are never costed."""

from __future__ import annotations

from pathlib import Path

import pytest

import captionbridge
from captionbridge.host.registry import PluginHost
from captionbridge.model import Cue, Transcript, Turn
from captionbridge.reflow import search as search_module
from captionbridge.reflow.costs import Costs
from captionbridge.reflow.limits import Limits
from captionbridge.reflow.phrases import ENGLISH_PHRASES
from captionbridge.reflow.reflower import shape_for
from captionbridge.reflow.wordstream import word_stream

SEED = Path(__file__).resolve().parents[1] / "seeds" / "fireside-chat.txt"


def plan_of(
    transcript: Transcript, limits: Limits, costs: Costs, stats: dict[str, int] | None = None
) -> search_module.Plan:
    starts, ends, contents = transcript.columns()
    stream = word_stream(starts, ends, contents)
    shape = shape_for(transcript, limits)
    return search_module.search(stream, shape, limits, costs, ENGLISH_PHRASES, stats)


def both(
    transcript: Transcript, limits: Limits, costs: Costs, monkeypatch: pytest.MonkeyPatch
) -> tuple[search_module.Plan, search_module.Plan, dict[str, int], dict[str, int]]:
    bounded: dict[str, int] = {}
    every: dict[str, int] = {}
    fast = plan_of(transcript, limits, costs, bounded)
    with monkeypatch.context() as patch:
        patch.setattr(search_module, "_BOUNDED", False)
        slow = plan_of(transcript, limits, costs, every)
    return fast, slow, bounded, every


NETFLIX = Limits(
    max_chars=42, max_lines=2, max_cps=20, min_duration=833, max_duration=7000, resegment=True
)


@pytest.mark.parametrize(
    "limits",
    [
        NETFLIX,
        Limits(max_chars=32, max_lines=2, max_cps=15, max_wpm=160, resegment=True),
        Limits(max_chars=42, max_lines=1, max_cps=17, max_duration=4000, resegment=True),
    ],
)
def test_bounds_change_no_subtitle_on_the_seed(
    host: PluginHost, limits: Limits, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = captionbridge.loads(SEED.read_text(encoding="utf-8"), host=host)
    fast, slow, bounded, every = both(seed, limits, Costs(), monkeypatch)
    assert fast == slow
    assert bounded["pairs"] == every["pairs"] > 50_000
    # the bounds cost fewer than half of the candidates; without them, all of them
    assert every["costed"] >= every["pairs"] * 0.9
    assert bounded["costed"] < bounded["pairs"] * 0.5


def test_bounds_hold_with_speakers_and_other_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two-speaker subtitles, labels, unordered word times and weights the bounds do not
    cover (a negative orphan cost: costed in full) give the same subtitles."""
    text = "So what do you think? Well, I think that the big models will help. Really? Yes."
    cues = []
    for k in range(300):
        speaker = "A" if k % 3 else "B"
        turn = Turn(text, speaker, change=k % 2 == 0)
        start = k * 3000 - (40 if k % 7 == 0 else 0)
        cues.append(Cue(start, start + 2900 + (k % 5) * 700, (turn,)))
    transcript = Transcript(cues)
    stream = word_stream(*transcript.columns())
    assert sorted(stream.starts) != stream.starts
    for costs in (Costs(), Costs(orphan=-3.0, dual=-10.0), Costs(slow=-1.0)):
        fast, slow, _, _ = both(transcript, NETFLIX, costs, monkeypatch)
        assert fast == slow
        contents = search_module.build(stream, fast)[2]
        assert sum(isinstance(c, tuple) and len(c) == 2 for c in contents) > 20
