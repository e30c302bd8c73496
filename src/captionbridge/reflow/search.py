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
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import accumulate, chain, compress, repeat
from operator import le, lt, mul, ne, sub

from ..model import Content, Turn, Word
from .atoms import PAUSE_MS
from .costs import Costs
from .cuetiming import DRIFT_MS
from .limits import Limits
from .phrases import CLAUSE_MARKS, PLAIN, PhraseModel
from .resegment import READ_SLACK_MS, Shape
from .wordstream import WordStream

__all__ = ["build", "search"]

_CLOSERS = "\"'”’)]»"
#: break costs up to this are preferences the weights shade; above it a phrase is broken
_SOFT = 2 * PLAIN
#: break costs from this on keep a phrase's leading word with it, at a line break as well
_LEAD = 20 * PLAIN

#: False: every candidate in a window is costed (the tests compare the two searches)
_BOUNDED = True
#: a bound on a cost is only trusted this far (relative): float sums differ in rounding
_MARGIN = 1e-9

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
    ``stats["pairs"]`` counts the candidate subtitles in the windows (the work a search
    without bounds does), ``stats["costed"]`` those whose cost was worked out."""
    texts, starts, ends, turns = stream.texts, stream.starts, stream.ends, stream.turns
    n = len(texts)
    if n == 0:
        return []
    width = shape.width
    two = shape.lines >= 2
    brk = model.break_costs(texts)
    ending = {w: model.sentence_end(w) for w in set(texts)}  # one call per distinct word
    sent = list(map(ending.__getitem__, texts))
    # the columns below are built by C-level maps where a comprehension would do the same:
    # they are as long as the transcript
    gaps = [*map(sub, starts[1:], ends), 0]
    clause = {w: not ending[w] and w.rstrip(_CLOSERS).endswith(CLAUSE_MARKS) for w in ending}
    ends_clause = map(clause.__getitem__, texts)
    end_costs = model.end_costs(texts, brk)
    eob, eol = _boundary_costs(stream, brk, end_costs, sent, ends_clause, gaps, costs)
    # operator.le, not PAUSE_MS.__le__: int's own method answers NotImplemented (which is
    # true) for a float or numpy time from the API
    hard = list(map(le, repeat(PAUSE_MS), gaps))
    cs = [0, *accumulate(map((1).__add__, map(len, texts)))]
    si = [0, *accumulate(sent)]
    head = [True, *map(ne, turns[1:], turns)]
    lead = [0] * n  # a prefix goes before the first word of a turn only
    for k in compress(range(n), head):
        lead[k] = shape.prefix(stream.speakers[turns[k]], stream.changes[turns[k]], False)
    dual_lead = [shape.prefix(stream.speakers[t], False, True) for t in range(len(stream.speakers))]
    # the first word of the turn each word is in: the last turn start up to it
    first = list(accumulate(map(mul, range(n), head), max))
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
    orphan_of = {c: costs.orphan if c > 2.0 else 0.0 for c in set(brk)}
    orphan = list(map(orphan_of.__getitem__, brk))
    inf = math.inf
    # no two-line layout costs less than this (with weights that make no sense, no bound)
    two_floor = two_w + min(eol) + 2 * min(0.0, costs.orphan) if balance_w >= 0 else -inf
    # nor any subtitle of one speaker less than its first two terms and this (0 for one
    # line): a candidate that cannot win is left before anything else is worked out
    floor_one, floor_two = 0.0, two_floor
    if short_w < 0 or slow_w < 0 or length_w < 0 or not _BOUNDED:
        floor_one = floor_two = -inf
    # and no layout of two lines less than this (its line break and orphans)
    layout_floor = min(eol) + 2 * min(0.0, costs.orphan) if floor_two > -inf else -inf
    rest_scale = 1.0 + max(map(abs, eol)) + 2 * abs(costs.orphan) + abs(two_w)
    # base[i]: the cost of the best subtitles of the words before i, less the sentence
    # ends before word i (counted inside a subtitle as the difference); ahead[i]: the
    # reading time a subtitle from word i starts with
    base = [0.0] * (n + 1)
    low = [0.0] * (n + 1)  # low[i]: the least of base[:i + 1], a bound on a window's start
    ahead = list(map(sub, starts, map(ms_per_char.__mul__, cs)))
    back = array("l", [0]) * (n + 1)  # machine integers: a tenth of the memory of a list
    split = array("l", [0]) * (n + 1)
    # the window of subtitles ending at word j - 1 starts, at the earliest, after the last
    # silence (lo_hard), where the characters fit (lo_cap) and within the longest duration
    ordered = all(map(le, starts, starts[1:]))
    lo_hard = lo_cap = 0
    kmin = 1
    pairs = costed = 0
    for j in range(1, n + 1):
        last = j - 1
        end = ends[last]
        free = starts[j] - end if j < n else inf
        slack = end + (free if free < READ_SLACK_MS else READ_SLACK_MS)
        short_below = min_duration - free
        tail = eob[last]
        cs_j = cs[j]
        cs_j1 = cs_j - 1
        if last and hard[last - 1]:
            lo_hard = last
        while cs[lo_cap] < cs_j1 - capacity:
            lo_cap += 1
        # the second line of [i, j) fits from word kmin on
        while cs[kmin] < cs_j1 - width:
            kmin += 1
        lo = lo_hard if lo_hard > lo_cap else lo_cap
        own = first[last]  # the first word of the speaker turn word j - 1 is in
        # one speaker, or two in a two-speaker subtitle: back to the turn before at most
        by_turn = first[own - 1] if two and own else own
        if by_turn > lo:
            lo = by_turn
        # the longest duration: the window stops above the last word that starts too early
        earliest = end - max_duration
        if ordered:
            at_dur = bisect_left(starts, earliest, lo, last)
        else:
            at_dur = last
            while at_dur > lo and starts[at_dur - 1] >= earliest:
                at_dur -= 1
        if at_dur > lo:
            lo = at_dur
        if lo > last:
            lo = last  # a single word is a subtitle whatever it holds
        pairs += j - lo
        fixed = cue + tail + inside_w * si[last]
        latest = end - short_below  # a subtitle starting later is too short
        read_j = cs_j1 * ms_per_char - slack
        best_j, back_j, split_j = inf, last, 0
        stop = own if own > lo else lo  # the candidates of one speaker: [stop, last]
        # one line from word `one` on: those first, the longest first (it wins most often,
        # and the candidates after it can then be left unless they are as cheap: a tie goes
        # to the shorter subtitle, as it did when the search went from word j - 1 back)
        one = kmin if kmin > 1 or cs_j1 > width else 0
        if one < stop:
            one = stop
        while one < last and cs_j1 - cs[one] + lead[one] > width:
            one += 1
        order: Iterable[int] = range(one, j)
        if two:
            order = chain(order, range(one - 1, stop - 1, -1))
        b = own  # the first word of the second speaker of a two-speaker subtitle
        # a two-speaker subtitle: the window reaches into the previous speaker's turn, the
        # second speaker's line fits and ends their turn or sentence
        dual = (
            lo < own
            and cs_j1 - cs[b] + dual_lead[turns[b]] <= width
            and (j == n or turns[j] != turns[last] or sent[last])
        )
        if dual:
            order = chain(order, range(b - 1, lo - 1, -1))
        for i in order:
            # everything but the layout first: a candidate that cannot win is not laid out
            cost = base[i] + fixed
            if i >= one:
                if cost + floor_one > best_j:
                    continue
            elif i >= stop:
                if cost + floor_two >= best_j:
                    if not dual and low[i] + fixed + floor_two >= best_j:
                        break  # no candidate further back can win either
                    continue
            elif cs[b] - cs[i] - 1 + dual_lead[turns[i]] > width:
                break  # the first speaker's line only grows
            elif not (head[i] or sent[i - 1]):
                continue  # the first line starts the first speaker's sentence
            costed += 1
            size = cs_j1 - cs[i]
            if starts[i] > latest:
                cost += short_w
            missing = read_j + ahead[i]
            if ms_per_word:
                by_words = (last - i + 1) * ms_per_word - size * ms_per_char
                if by_words > 0:
                    missing += by_words
            if missing > 0:
                cost += missing * slow_w
            if i >= one:
                d = size - prefer
                cost += length_w * d * d
                if cost <= best_j:
                    best_j, back_j, split_j = cost, i, 0
                continue
            d = size - prefer_two
            if i < stop:
                # the line between the speakers is a subtitle end in all but name
                cost += dual_w + eob[b - 1] + length_w * d * d
                if cost < best_j:
                    best_j, back_j, split_j = cost, i, b
                continue
            # no two lines cost less than layout_floor, whatever the break: when even that
            # cannot win, the layout is not worked out (the margin covers the rounding of
            # sums added in another order)
            rest = two_w + length_w * d * d
            over = cost + (layout_floor + rest) - best_j
            if over > 0 and over > _MARGIN * (abs(cost) + rest_scale):
                continue
            if cost + two_floor < best_j:
                indent = lead[i]
                layout = inf
                at = 0
                centre = size + top_longer + 2 * (cs[i] + 1 - indent)
                # the second line starts at k: it fits from kmin on, the top line up to top_end
                k0 = kmin if kmin > i else i + 1
                top_end = bisect_right(cs, cs[i] + 1 + width - indent, k0, j)
                for k in range(k0, top_end):
                    off = 2 * cs[k] - centre
                    c = eol[k - 1] + balance_w * (off if off > 0 else -off)
                    if k - i < 3:
                        c += orphan[k - 1] / (k - i)
                    if k == last:  # a bottom line of one word
                        c += orphan[k - 1]
                    if c < layout:
                        layout, at = c, k
                cost += layout + two_w + length_w * d * d
                if cost < best_j:
                    best_j, back_j, split_j = cost, i, at
        back[j], split[j] = back_j, split_j
        if j < n:
            base[j] = value = best_j - inside_w * si[j]
            low[j] = value if value < low[j - 1] else low[j - 1]
    if stats is not None:
        stats["pairs"] = pairs
        stats["costed"] = costed
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
    clause: Iterable[bool],
    gaps: list[int],
    costs: Costs,
) -> tuple[list[float], list[float]]:
    """The cost of a subtitle end and of a line break after each word (``brk``: the phrase
    model's break costs, ``ends``: its subtitle-end costs, ``sent`` and ``clause``: the words
    that end a sentence, and the others that end a clause)."""
    # the phrase model's share depends on its cost alone: once per distinct cost; then the
    # rewards, each added in one pass over the words it applies to (in the order the terms
    # of one word are summed)
    line_of = {cost: _line_cost(cost, costs) for cost in set(brk)}
    end_of = {cost: _end_cost(cost, costs) for cost in set(ends)}
    eol = list(map(line_of.__getitem__, brk))
    eob = list(map(end_of.__getitem__, ends))
    eol[-1] = eob[-1] = 0.0  # nothing ends after the last word
    words = range(len(brk) - 1)
    for k in compress(words, sent):
        eob[k] += costs.sentence_end
        eol[k] += costs.line_sentence
    for k in compress(words, clause):
        eob[k] += costs.clause_end
        eol[k] += costs.line_clause
    for k in compress(words, stream.frag_end):
        eob[k] += costs.fragment
    for k in compress(words, map(lt, repeat(0), gaps)):
        eob[k] += costs.pause * min(gaps[k], 1000) / 100
    turns = stream.turns
    for k in compress(words, map(ne, turns, turns[1:])):
        eob[k] += costs.speaker
    return eob, eol


def _line_cost(brk: float, costs: Costs) -> float:
    """A line break's share of a phrase model's break cost ``brk``: the weights shade the
    ordinary choices, breaking a phrase costs its glue; a phrase's inner glue is lighter at a
    line break, but not the glue of a word that leads a phrase (article, preposition,
    conjunction, pronoun subject)."""
    glue = brk - _SOFT if brk > _SOFT else 0.0
    return costs.line * (brk - glue) + (costs.line_glue * glue if brk < _LEAD else glue)


def _end_cost(end: float, costs: Costs) -> float:
    """A subtitle end's share of a phrase model's end cost: a phrase's glue counts whole."""
    glue = end - _SOFT if end > _SOFT else 0.0
    return costs.end * (end - glue) + glue


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
