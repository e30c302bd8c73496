"""Line breaking: a minimum-cost search over the break points of one subtitle's text.

Text that fits on one line stays on one line. Otherwise every way of cutting the words into
the fewest lines that fit is scored, Knuth-Plass style, by dynamic programming over the break
positions (only positions whose lines fit the width are visited, so a subtitle costs a handful
of steps):

- the linguistic cost of each break (:meth:`BreakRules.break_cost`: after punctuation is
  cheap, before a conjunction or preposition is good, after an article, preposition,
  conjunction or subject pronoun, between a first and last name or a number and its unit is
  very expensive);
- the shape: a top line longer than the average line costs more than a shorter one (bottom-
  heavy), a one- or two-word top line is penalised, and imbalance breaks ties.

A word longer than the width is never split: it gets a line of its own.
"""

from __future__ import annotations

from .breakrules import ENGLISH, BreakRules

__all__ = ["break_lines", "layout"]

_INF = float("inf")
CACHE_SIZE = 4096
_CACHE: dict[tuple[str, int, int, int, str], str | None] = {}
TOP_HEAVY = 0.6
BALANCE = 0.15
SHORT_TOP = (0.0, 60.0, 30.0)  # extra cost of a top line of 1 or 2 words


def layout(
    text: str, width: int, max_lines: int, rules: BreakRules = ENGLISH, indent: int = 0
) -> str | None:
    """``text`` broken into lines joined by ``\\n``, or ``None`` when it needs more than
    ``max_lines`` lines. ``indent`` is the width taken on the first line by a speaker prefix
    (``- `` or ``NAME: ``)."""
    if len(text) + indent <= width and "\n" not in text and "  " not in text:
        return text.strip()
    key = (text, width, max_lines, indent, rules.language)
    if key in _CACHE:
        return _CACHE[key]
    words = text.split()
    lines = break_lines(words, width, max_lines, rules, indent) if words else [0]
    if lines is None:
        result = None
    elif len(lines) == 1:
        result = " ".join(words)
    else:
        out = []
        start = 0
        for end in lines:
            out.append(" ".join(words[start:end]))
            start = end
        result = "\n".join(out)
    if len(_CACHE) >= CACHE_SIZE:
        _CACHE.clear()  # repeated texts (whisper loops, common replies) come close together
    _CACHE[key] = result
    return result


def break_lines(
    words: list[str], width: int, max_lines: int, rules: BreakRules = ENGLISH, indent: int = 0
) -> list[int] | None:
    """The end index (exclusive) of each line for the cheapest layout of ``words`` in the
    fewest lines (at most ``max_lines``), or ``None`` when no layout fits."""
    n = len(words)
    ends = [0] * (n + 1)  # ends[k]: length of words[:k] joined, plus one space
    total = 0
    for k, word in enumerate(words, 1):
        total += len(word) + 1
        ends[k] = total
    length = total - 1 + indent
    if length <= width or n == 1:
        return [n]
    if max_lines >= 2 and length <= 2 * width + 1:
        split = _two_lines(words, ends, width, rules, indent)
        if split is not None:
            return [split, n]
    brk: list[float | None] = [None] * n
    for count in range(3 if max_lines >= 2 else 2, max_lines + 1):
        result = _search(words, ends, brk, width, count, rules, indent)
        if result is not None:
            return result
    return None


def _two_lines(
    words: list[str], ends: list[int], width: int, rules: BreakRules, indent: int
) -> int | None:
    """The cheapest break into exactly two lines: the two-line case of :func:`_search`,
    written out because nearly every subtitle takes it."""
    n = len(words)
    total = ends[n] - 1
    average = (total - 1 + indent) / 2  # the mean line length
    lowest = total - width  # the bottom line fits when ends[j] >= lowest
    best, best_j = _INF, -1
    break_cost = rules.break_cost
    for j in range(1, n):
        top = ends[j] - 1 + indent
        if top > width:
            break
        if ends[j] < lowest:
            continue
        cost = break_cost(words[j - 1], words[j])
        if j < 3 and cost > 2:
            cost += SHORT_TOP[j]
        d = top - average
        cost += (d if d > 0 else -d) * 2 * BALANCE + (d * TOP_HEAVY if d > 0 else 0.0)
        if cost < best:
            best, best_j = cost, j
    return best_j if best_j > 0 else None


def _search(
    words: list[str],
    ends: list[int],
    brk: list[float | None],
    width: int,
    count: int,
    rules: BreakRules,
    indent: int,
) -> list[int] | None:
    """The cheapest layout in exactly ``count`` lines, by dynamic programming."""
    n = len(words)
    average = (ends[n] - count + indent) / count  # the mean line length
    # a word longer than the width takes a line of its own, so the fit estimate is off
    slack = n * width if any(len(w) > width for w in words) else 0
    # best[j]: cheapest cost of laying out words[:j] in the lines placed so far
    best: dict[int, float] = {0: 0.0}
    back: list[dict[int, int]] = []
    for line in range(count):
        last = line == count - 1
        lines_left = count - line - 1
        offset = indent if line == 0 else 0
        room = lines_left * (width + 1) - 1 + slack
        new_best: dict[int, float] = {}
        links: dict[int, int] = {}
        for i, base in best.items():
            j_range = (n,) if last else range(i + 1, n - lines_left + 1)
            for j in j_range:
                size = ends[j] - ends[i] - 1 + offset
                if size > width and j - i > 1:
                    break
                if not last and ends[n] - ends[j] - 1 > room:
                    continue  # the rest cannot fit in the lines left
                cost = base + _shape(size, line, last, average)
                if not last:
                    b = brk[j]
                    if b is None:
                        b = brk[j] = rules.break_cost(words[j - 1], words[j])
                    # a short top line is an orphan, unless a sentence or clause ends there
                    cost += b + (SHORT_TOP[j - i] if line == 0 and j - i < 3 and b > 2 else 0)
                if cost < new_best.get(j, _INF):
                    new_best[j] = cost
                    links[j] = i
        if not new_best:
            return None
        best = new_best
        back.append(links)
    if n not in best:
        return None
    result = [n]
    j = n
    for links in reversed(back[1:]):
        j = links[j]
        result.append(j)
    result.reverse()
    return result


def _shape(size: int, line: int, last: bool, average: float) -> float:
    """The geometric cost of one line: bottom-heavy preferred, balance as a tie-breaker."""
    cost = abs(size - average) * BALANCE
    if not last and size > average:
        cost += (size - average) * TOP_HEAVY
    return cost
