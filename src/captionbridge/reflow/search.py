"""Joint segmentation and line breaking: one minimum-cost search over the whole transcript.

Every way of cutting the word stream into subtitles, and every subtitle into one or two lines,
is scored, and the cheapest is found by dynamic programming over word positions. A subtitle
holds at most ``lines x width`` characters, so each position looks back over a bounded window
of words (and, for two lines, over the break positions that fit): the search is linear in the
length of the transcript.

A subtitle's cost (weights in :class:`~captionbridge.reflow.costs.Costs`) adds: a constant;
the distance of its length from the length people prefer; the cost of ending it where it
ends (the phrase model's break cost, less a reward after a sentence or clause end, at the
end of a fragment of the input, in a pause, at a change of speaker); the sentence ends it
holds inside; its line break (the phrase model again, a reward at a sentence end, the
difference between the lines); and missing reading time.

Hard rules, never traded against costs: lines fit the width (a word wider than the width
alone excepted), at most two lines, no silence of :data:`~captionbridge.reflow.atoms.PAUSE_MS`
bridged, no subtitle longer than the longest duration (but a single word), and a change of
speaker inside a subtitle only as a two-speaker subtitle: one line per speaker, the first line
starting its speaker's sentence, the second ending its speaker's turn or sentence.
"""

from __future__ import annotations

import math
from itertools import accumulate

from ..model import Content, Turn, Word
from .atoms import PAUSE_MS
from .costs import Costs
from .cuetiming import DRIFT_MS
from .limits import Limits
from .phrases import PLAIN, PhraseModel
from .resegment import READ_SLACK_MS, Shape
from .wordstream import WordStream

__all__ = ["build", "search"]

_CLOSERS = "\"'”’)]»"
#: break costs up to this are preferences the weights shade; above it a phrase is broken
_SOFT = 2 * PLAIN
#: break costs from this on keep a phrase's leading word with it, at a line break as well
_LEAD = 20 * PLAIN

#: one subtitle: first word, one past its last word, and the first word of its second line
#: (0 for one line); a two-speaker subtitle's second line starts at its second speaker
Plan = list[tuple[int, int, int]]


def search(
    stream: WordStream,
    shape: Shape,
    limits: Limits,
    costs: Costs,
    model: PhraseModel,
    stats: dict[str, int] | None = None,
) -> Plan:
    """The cheapest subtitles for the words of ``stream`` (see the module's docstring);
    ``stats["pairs"]`` counts the candidate subtitles looked at (the work done)."""
    texts, starts, ends, turns = stream.texts, stream.starts, stream.ends, stream.turns
    n = len(texts)
    if n == 0:
        return []
    width = shape.width
    two = shape.lines >= 2
    brk = model.break_costs(texts)
    sent = [model.sentence_end(w) for w in texts]
    gaps = [b - a for a, b in zip(ends, starts[1:], strict=False)] + [0]
    eob, eol = _boundary_costs(stream, brk, model.end_costs(texts, brk), sent, gaps, costs)
    hard = [gap >= PAUSE_MS for gap in gaps]
    cs = [0, *accumulate([len(w) + 1 for w in texts])]
    si = [0, *accumulate(sent)]
    head = [True] + [turns[k] != turns[k - 1] for k in range(1, n)]
    lead = [
        shape.prefix(stream.speakers[turns[k]], stream.changes[turns[k]] and head[k], False)
        for k in range(n)
    ]
    dual_lead = [shape.prefix(stream.speakers[t], False, True) for t in range(len(stream.speakers))]
    capacity = (width + 1) * shape.lines - 1 if two else width
    # leave the timing rules room to move a boundary (DRIFT_MS) without passing the limit
    longest = limits.max_duration
    max_duration = max(longest - DRIFT_MS, longest // 2) if longest else math.inf
    min_duration = limits.min_duration or 0
    ms_per_char = 1000 / limits.max_cps if limits.max_cps else 0.0
    ms_per_word = 60000 / limits.max_wpm if limits.max_wpm else 0.0
    cue, prefer, length_w = costs.cue, costs.prefer, costs.length / 100
    prefer_two = costs.prefer_two
    inside_w, slow_w, short_w = costs.inside, costs.slow / 100, costs.short
    two_w, balance_w, dual_w = costs.two_lines, costs.balance, costs.dual
    top_longer = costs.top_longer - 1  # 2 * top - size is the difference less the space
    # a top line of one or two words, with no punctuation to end it, is an orphan
    orphan = [0.0] * n
    for k in range(n):
        if brk[k] > 2.0:
            orphan[k] = costs.orphan
    inf = math.inf
    # no two-line layout costs less than this (with weights that make no sense, no bound)
    two_floor = two_w + min(eol) + 2 * min(0.0, costs.orphan) if balance_w >= 0 else -inf
    best = [0.0] + [inf] * n
    # base[i]: best[i] less the sentence ends before word i (counted inside a subtitle as
    # the difference); ahead[i]: the reading time a subtitle from word i starts with
    base = [0.0] * (n + 1)
    ahead = [starts[k] - cs[k] * ms_per_char for k in range(n)]
    back = [0] * (n + 1)
    split = [0] * (n + 1)
    kmin = 1
    pairs = 0
    for j in range(1, n + 1):
        last = j - 1
        end = ends[last]
        free = starts[j] - end if j < n else inf
        slack = end + (free if free < READ_SLACK_MS else READ_SLACK_MS)
        short_below = min_duration - free
        tail = eob[last]
        cs_j = cs[j]
        # the second line of [i, j) fits from word kmin on
        while cs[kmin] < cs_j - 1 - width:
            kmin += 1
        fixed = cue + tail + inside_w * si[last]
        latest = end - short_below  # a subtitle starting later is too short
        read_j = (cs_j - 1) * ms_per_char - slack
        best_j, back_j, split_j = inf, last, 0
        b = -1  # first word of the second speaker inside the window
        i = last
        while True:
            size = cs_j - cs[i] - 1
            # everything but the layout first: a candidate that cannot win is not laid out
            cost = base[i] + fixed
            if starts[i] > latest:
                cost += short_w
            missing = read_j + ahead[i]
            if ms_per_word:
                by_words = (last - i + 1) * ms_per_word - size * ms_per_char
                if by_words > 0:
                    missing += by_words
            if missing > 0:
                cost += missing * slow_w
            if b < 0:
                indent = lead[i]
                if size + indent <= width or i == last:
                    d = size - prefer
                    cost += length_w * d * d
                    if cost < best_j:
                        best_j, back_j, split_j = cost, i, 0
                elif two and cost + two_floor < best_j:
                    layout = inf
                    at = 0
                    top_max = cs[i] + 1 + width - indent
                    k = kmin if kmin > i else i + 1
                    centre = size + top_longer + 2 * (cs[i] + 1 - indent)
                    while k < j and cs[k] <= top_max:
                        off = 2 * cs[k] - centre
                        c = eol[k - 1] + balance_w * (off if off > 0 else -off)
                        if k - i < 3:
                            c += orphan[k - 1] / (k - i)
                        if j - k == 1:  # a bottom line of one word
                            c += orphan[k - 1]
                        if c < layout:
                            layout, at = c, k
                        k += 1
                    d = size - prefer_two
                    cost += layout + two_w + length_w * d * d
                    if cost < best_j:
                        best_j, back_j, split_j = cost, i, at
            else:
                top = cs[b] - cs[i] - 1 + dual_lead[turns[i]]
                bottom = cs_j - cs[b] - 1 + dual_lead[turns[b]]
                if (
                    top <= width
                    and bottom <= width
                    and (head[i] or sent[i - 1])
                    and (j == n or turns[j] != turns[last] or sent[last])
                ):
                    # the line between the speakers is a subtitle end in all but name
                    d = size - prefer_two
                    cost += dual_w + eob[b - 1] + length_w * d * d
                    if cost < best_j:
                        best_j, back_j, split_j = cost, i, b
            i -= 1
            if i < 0 or hard[i] or cs_j - cs[i] - 1 > capacity or starts[i] < end - max_duration:
                break
            if turns[i] != turns[i + 1]:
                if b >= 0 or not two:
                    break
                b = i + 1
        best[j], back[j], split[j] = best_j, back_j, split_j
        if j < n:
            base[j] = best_j - inside_w * si[j]
        pairs += last - i
    if stats is not None:
        stats["pairs"] = pairs
    plan: Plan = []
    j = n
    while j > 0:
        plan.append((back[j], j, split[j]))
        j = back[j]
    plan.reverse()
    return plan


def _boundary_costs(
    stream: WordStream,
    brk: list[float],
    ends: list[float],
    sent: list[bool],
    gaps: list[int],
    costs: Costs,
) -> tuple[list[float], list[float]]:
    """The cost of a subtitle end and of a line break after each word (``brk``: the phrase
    model's break costs, ``ends``: its subtitle-end costs)."""
    texts, turns, frag_end = stream.texts, stream.turns, stream.frag_end
    n = len(texts)
    eob = [0.0] * n
    eol = [0.0] * n
    for k in range(n - 1):
        word = texts[k]
        # the weights shade the ordinary choices; breaking a phrase costs its full glue
        glue = brk[k] - _SOFT if brk[k] > _SOFT else 0.0
        # a phrase's inner glue is lighter at a line break, but not the glue of a word that
        # leads a phrase (article, preposition, conjunction, pronoun subject)
        line = costs.line * (brk[k] - glue) + (costs.line_glue * glue if brk[k] < _LEAD else glue)
        glue = ends[k] - _SOFT if ends[k] > _SOFT else 0.0
        c = costs.end * (ends[k] - glue) + glue
        if sent[k]:
            c += costs.sentence_end
            line += costs.line_sentence
        elif word.rstrip(_CLOSERS).endswith((",", ";", ":", "—", "–", "--")):
            c += costs.clause_end
            line += costs.line_clause
        if frag_end[k]:
            c += costs.fragment
        if gaps[k] > 0:
            c += costs.pause * min(gaps[k], 1000) / 100
        if turns[k] != turns[k + 1]:
            c += costs.speaker
        eob[k] = c
        eol[k] = line
    return eob, eol


def build(stream: WordStream, plan: Plan) -> tuple[list[int], list[int], list[Content]]:
    """The columns of the subtitles a plan describes."""
    texts, turns = stream.texts, stream.turns
    out_starts: list[int] = []
    out_ends: list[int] = []
    out_contents: list[Content] = []
    for i, j, at in plan:
        out_starts.append(stream.starts[i])
        out_ends.append(stream.ends[j - 1])
        if turns[i] != turns[j - 1]:  # two speakers, one line each
            first = _turn(stream, i, at, " ".join(texts[i:at]))
            second = _turn(stream, at, j, " ".join(texts[at:j]))
            out_contents.append((first, second))
            continue
        text = (
            " ".join(texts[i:j])
            if at == 0
            else " ".join(texts[i:at]) + "\n" + " ".join(texts[at:j])
        )
        t = turns[i]
        head = i == 0 or turns[i - 1] != t
        words = stream.words[i:j]
        if stream.speakers[t] is None and not (stream.changes[t] and head) and None in words:
            out_contents.append(text)
        else:
            out_contents.append((_turn(stream, i, j, text),))
    return out_starts, out_ends, out_contents


def _turn(stream: WordStream, i: int, j: int, text: str) -> Turn:
    t = stream.turns[i]
    head = i == 0 or stream.turns[i - 1] != t
    found = stream.words[i:j]
    words: tuple[Word, ...] = () if None in found else tuple(w for w in found if w is not None)
    return Turn(text, stream.speakers[t], stream.changes[t] and head, words)
