"""The line breaker: one test per break rule, plus the DP against brute force."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from captionbridge.reflow.breakrules import (
    BAD_BREAK,
    ENGLISH,
    BreakRules,
    register_rules,
    rules_for,
)
from captionbridge.reflow.linebreak import (
    BALANCE,
    SHORT_TOP,
    TOP_HEAVY,
    _search,
    break_lines,
    lay_out,
    layout,
    two_line_break,
)


def lines(text: str, width: int = 42, max_lines: int = 2) -> list[str]:
    laid = layout(text, width, max_lines)
    assert laid is not None
    return laid.split("\n")


def test_one_line_when_it_fits() -> None:
    assert lines("It's great to have you here.") == ["It's great to have you here."]


def test_breaks_after_sentence_end() -> None:
    assert lines("Ilya, unbelievable. Today is the day after GPT-4.") == [
        "Ilya, unbelievable.",
        "Today is the day after GPT-4.",
    ]


def test_breaks_after_clause_punctuation() -> None:
    out = lines("and it felt like progress, in artificial intelligence will help")
    assert out[0].endswith("progress,")


def test_breaks_before_conjunction() -> None:
    out = lines("I was starting to look at the problem and then I noticed the cause")
    assert out[1].startswith("and ")


def test_never_after_article() -> None:
    for top, _ in _pairs(lines("we had a really long conversation about the incredible results")):
        assert top.split()[-1] not in ("a", "the")


def test_never_after_preposition() -> None:
    out = lines("the co-invention of AlexNet with Alex and Jeb Hinton that led to it")
    assert out[0].split()[-1] not in ENGLISH.prepositions


def test_never_after_subject_pronoun() -> None:
    out = lines("and after all of those years of trying we finally understood it all")
    assert out[0].split()[-1] != "we"


def test_never_between_first_and_last_name() -> None:
    out = lines("the co-invention of AlexNet with the help of Geoffrey Hinton today", 45)
    assert not out[0].endswith("Geoffrey")
    assert ENGLISH.pair_cost("Geoffrey", "Hinton") > 100


def test_never_inside_number_and_unit() -> None:
    assert ENGLISH.break_cost("20", "million") >= 1000
    assert ENGLISH.break_cost("20", "percent") >= 1000
    out = lines("and the whole thing cost them about 20 million dollars in the end")
    assert not out[0].endswith("20")


def test_bottom_heavy_but_no_orphan_top_line() -> None:
    # plain words only: the shape decides
    out = lines("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu")
    assert len(out[0]) <= len(out[1])
    assert len(out[0].split()) >= 3
    # an orphan top line is avoided even where a break would otherwise be good
    assert len(lines("Yes and then we trained a very large network on all of it")[0].split()) > 2


def test_word_longer_than_line_gets_its_own_line() -> None:
    url = "https://example.com/" + "a" * 45
    assert layout(url, 42, 2) == url
    assert layout(f"see {url} now", 42, 3) == f"see\n{url}\nnow"
    assert layout(f"see {url} now", 42, 2) is None


def test_no_layout_when_too_long() -> None:
    assert layout("word " * 40, 42, 2) is None


def test_languages_are_extensible() -> None:
    german = BreakRules(
        "de",
        frozenset({"der", "die", "das"}),
        frozenset({"mit"}),
        frozenset({"und"}),
        frozenset({"ich"}),
        frozenset(),
        frozenset(),
    )
    register_rules(german)
    assert rules_for("de-AT") is german
    assert rules_for("xx") is ENGLISH
    assert rules_for(None) is ENGLISH


def _pairs(out: list[str]) -> list[tuple[str, str]]:
    return list(itertools.pairwise(out))


def _ends(words: list[str]) -> list[int]:
    out, total = [0], 0
    for w in words:
        total += len(w) + 1
        out.append(total)
    return out


WORDS = st.sampled_from(
    [
        "the",
        "a",
        "of",
        "and",
        "we",
        "I",
        "it",
        "was",
        "so",
        "much",
        "better",
        "on",
        "Alex",
        "Hinton",
        "20",
        "million,",
        "time.",
        "but",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, min_size=2, max_size=16))
def test_two_line_fast_path_matches_general_search(words: list[str]) -> None:
    ends = _ends(words)
    if ends[-1] - 1 <= 42 or ends[-1] - 1 > 85:
        return
    fast = break_lines(words, 42, 2)
    general = _search(words, ends, [None] * len(words), 42, 2, ENGLISH, 0)
    assert (fast is None) == (general is None)
    if fast is not None and general is not None:
        assert abs(_cost(words, fast[0]) - _cost(words, general[0])) < 1e-6


def _cost(words: list[str], j: int) -> float:
    """The cost of breaking ``words`` before word ``j`` (the formula of linebreak.py)."""
    top = len(" ".join(words[:j]))
    average = (len(" ".join(words)) - 1) / 2
    cost = ENGLISH.break_cost(words[j - 1], words[j])
    if j < 3 and cost > 2:
        cost += SHORT_TOP[j]
    d = top - average
    return cost + abs(d) * 2 * BALANCE + max(d, 0) * TOP_HEAVY


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=18), st.sampled_from([24, 32, 37, 42]))
def test_scanning_the_spaces_matches_the_word_search(words: list[str], width: int) -> None:
    text = " ".join(words)
    at = two_line_break(text, width)
    ends = _ends(words)
    general = (
        _search(words, ends, [None] * len(words), width, 2, ENGLISH, 0)
        if width < len(text) <= 2 * width + 1
        else None
    )
    assert (at is None) == (general is None)
    if at is not None and general is not None:
        j = text[: at[0]].count(" ") + 1  # words on the top line
        assert abs(_cost(words, j) - _cost(words, general[0])) < 1e-6
        assert at[1] == (ENGLISH.after_cost(words[j - 1]) >= BAD_BREAK)


def test_lay_out_tells_a_forced_bad_break() -> None:
    # 32 columns leave no choice but to end the top line with "of"
    text = "that led to the big bang of modern artificial intelligence,"
    laid, bad = lay_out(text, 32, 2)
    assert laid == "that led to the big bang of\nmodern artificial intelligence,"
    assert bad
    assert lay_out(text, 42, 2) == (
        "that led to the big bang\nof modern artificial intelligence,",
        False,
    )
    # other white space than single spaces takes the word search, with the same result
    assert lay_out(text.replace(" ", "  "), 32, 2) == (laid, True)
    assert lay_out(text.replace(" ", "\t"), 32, 2) == (laid, True)
