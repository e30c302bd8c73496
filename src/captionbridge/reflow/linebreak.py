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

from itertools import accumulate

from .breakrules import BAD_BREAK, ENGLISH, PLAIN, BreakRules

__all__ = ["break_lines", "lay_out", "layout", "two_line_break"]

_INF = float("inf")
TOP_HEAVY = 0.6
BALANCE = 0.15
SHORT_TOP = (0.0, 60.0, 30.0)  # extra cost of a top line of 1 or 2 words


def layout(
    text: str, width: int, max_lines: int, rules: BreakRules = ENGLISH, indent: int = 0
) -> str | None:
    """``text`` broken into lines joined by ``\\n``, or ``None`` when it needs more than
    ``max_lines`` lines. ``indent`` is the width taken on the first line by a speaker prefix
    (``- `` or ``NAME: ``)."""
    return lay_out(text, width, max_lines, rules, indent)[0]


def lay_out(
    text: str, width: int, max_lines: int, rules: BreakRules = ENGLISH, indent: int = 0
) -> tuple[str | None, bool]:
    """:func:`layout`, and whether a line of the result ends with a word that should not end
    one (an article, preposition, conjunction or subject pronoun: the layout had no better
    choice)."""
    if len(text) + indent <= width and "\n" not in text and "  " not in text:
        return text.strip(), False
    if max_lines > 1 and text.isprintable() and "  " not in text and text[:1] != " " != text[-1:]:
        # words parted by single spaces, and no other white space: break at a space
        at = two_line_break(text, width, rules, indent)
        if at is not None:
            return text[: at[0]] + "\n" + text[at[0] + 1 :], at[1]
    words = text.split()
    n = len(words)
    if n < 2:
        return (words[0] if words else ""), False
    lines = break_lines(words, width, max_lines, rules, indent)
    if lines is None:
        return None, False
    if len(lines) == 1:
        return " ".join(words), False
    out = []
    start = 0
    for end in lines:
        out.append(" ".join(words[start:end]))
        start = end
    after = rules.after_cost
    return "\n".join(out), any(after(words[end - 1]) >= BAD_BREAK for end in lines[:-1])


def break_lines(
    words: list[str], width: int, max_lines: int, rules: BreakRules = ENGLISH, indent: int = 0
) -> list[int] | None:
    """The end index (exclusive) of each line for the cheapest layout of ``words`` in the
    fewest lines (at most ``max_lines``), or ``None`` when no layout fits."""
    n = len(words)
    ends = [0, *accumulate([len(word) + 1 for word in words])]
    # ends[k]: length of words[:k] joined, plus one space
    length = ends[n] - 1 + indent
    if length <= width or n == 1:
        return [n]
    if max_lines >= 2 and length <= 2 * width + 1:
        text = " ".join(words)
        two = two_line_break(text, width, rules, indent)
        if two is not None:
            return [text.count(" ", 0, two[0]) + 1, n]
    brk: list[float | None] = [None] * n
    for count in range(3 if max_lines >= 2 else 2, max_lines + 1):
        result = _search(words, ends, brk, width, count, rules, indent)
        if result is not None:
            return result
    return None


def two_line_break(
    text: str, width: int, rules: BreakRules = ENGLISH, indent: int = 0
) -> tuple[int, bool] | None:
    """Where to break ``text`` into two lines: the position of the space that becomes the
    line break, and whether the break is a bad one (see :func:`lay_out`); ``None`` when the
    text fits one line or does not fit two. The text's words must be parted by single
    spaces, with no other white space in it (the fast path of :func:`lay_out`, which scans
    the spaces of the text instead of splitting it into words)."""
    total = len(text)
    if total + indent <= width or total + indent > 2 * width + 1:
        return None
    # both lines fit when the space is at least ``total - 1 - width`` into the text and the
    # top line (the space's position plus the indent) is at most the width
    last = width - indent
    at = text.find(" ", total - 1 - width if total > width + 1 else 1, last + 1)
    if at < 0:
        return None
    average = (total - 1 + indent) / 2
    slope = 2 * BALANCE + TOP_HEAVY  # the shape cost of each character over the average
    after_cache, before_cache = rules._after, rules._before
    find = text.find
    best, best_at, best_after = _INF, -1, 0.0
    space = text.rfind(" ", 0, at)
    top_words = text.count(" ", 0, at) + 1
    left = text[space + 1 : at]
    while True:
        d = at + indent - average
        if d > 0 and d * slope >= best:
            break  # no break further right can cost less: no word costs less than 0
        space = find(" ", at + 1)
        right = text[at + 1 :] if space < 0 else text[at + 1 : space]
        after = after_cache.get(left)
        if after is None:
            after = rules.after_cost(left)
        if after == PLAIN:
            before = before_cache.get(right)
            if before is None:
                before = rules.before_cost(right)
            cost = after + before
            if left[0].isupper() or left[-1].isdigit():
                cost += rules.pair_cost(left, right)
        else:
            cost = after
        if top_words < 3 and cost > 2:
            cost += SHORT_TOP[top_words]
        cost += d * slope if d > 0 else -d * 2 * BALANCE
        if cost < best:
            best, best_at, best_after = cost, at, after
        if space < 0 or space > last:
            break
        at, left = space, right
        top_words += 1
    return best_at, best_after >= BAD_BREAK


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
