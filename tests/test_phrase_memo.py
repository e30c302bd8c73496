"""The phrase model and the search price each distinct word, gap and cost once: the same
numbers, bit for bit, as pricing every gap where it stands (the way they did before)."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from captionbridge.reflow import phrases
from captionbridge.reflow.costs import Costs
from captionbridge.reflow.phrases import ENGLISH_PHRASES, NAME, OF_END, PLAIN
from captionbridge.reflow.search import _LEAD, _SOFT, _boundary_costs
from captionbridge.reflow.wordstream import WordStream

#: words that reach every rule of the English model: determiners, prepositions, nouns that
#: are also auxiliaries, names and their joiners, numbers and units, abbreviations, every
#: kind of end punctuation, quotes, participles, adverbs and past tenses
WORDS = (
    "the a my will can must to of in by and & or but if that who I it you we they is was"
    " have would up out very not 42 3 five hundred percent km % Mr. Dr. etc. Geoffrey Hinton"
    " Alex Jeb New Guinea neural political network intelligence majority lot of time cats"
    " dogs go pick led coated growing normally deep large. help. done? yes! so… end, well;"
    ' note: wait— dash– two-- "quoted" (aside) it\'s don\'t “curly” said." Rome, Paris'
)
VOCABULARY = tuple(WORDS.split())

# a few words of the vocabulary, repeated: the same gap comes back in other contexts
words_lists = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=6, unique=True).flatmap(
    lambda few: st.lists(st.sampled_from(few), max_size=80)
)


def break_costs_gap_by_gap(words: list[str]) -> list[float]:
    """The English break costs, every gap priced where it stands."""
    n = len(words)
    if n == 0:
        return []
    cores = [phrases._core(w) for w in words]
    costs = [PLAIN] * n
    costs[-1] = 0.0
    sentence_start = True
    for k in range(n - 1):
        left, right = words[k], words[k + 1]
        end = left.rstrip(phrases._CLOSERS)
        if end.endswith((".", "?", "!", "…")) and cores[k] not in phrases.ABBREVIATIONS:
            costs[k] = 0.0
            sentence_start = True
            continue
        if end.endswith((",", ";", ":", "—", "–", "--")):
            costs[k] = 2.0
            sentence_start = False
            continue
        before = cores[k - 1] if k else ""
        modifier = k > 0 and (before in phrases.DETERMINERS or phrases._adjective(before))
        costs[k] = ENGLISH_PHRASES._glue(
            left, right, cores[k], cores[k + 1], modifier, sentence_start
        )
        sentence_start = False
    for k in range(n - 2):
        if (
            cores[k + 1] in ("and", "&")
            and phrases._named(words[k])
            and phrases._named(words[k + 2])
        ):
            if costs[k] > 2.0:
                costs[k] = max(costs[k], NAME)
            costs[k + 1] = max(costs[k + 1], NAME)
    return costs


def end_costs_gap_by_gap(words: list[str], breaks: list[float]) -> list[float]:
    out = list(breaks)
    for k in range(len(words) - 1):
        if 2.0 < out[k] <= PLAIN:
            after = phrases._core(words[k + 1])
            if after == "of" or (
                after in phrases.PREPOSITIONS and phrases._verb_past(phrases._core(words[k]))
            ):
                out[k] += OF_END
    return out


@settings(max_examples=300, deadline=None)
@given(words_lists)
@example(["the", "will", "help", "will", "help"])  # "will" a noun after a modifier only
@example(["New", "Guinea", "and", "New", "Guinea"])  # a name inside a sentence only
def test_break_and_end_costs_match_pricing_every_gap(words: list[str]) -> None:
    breaks = ENGLISH_PHRASES.break_costs(words)
    assert breaks == break_costs_gap_by_gap(words)
    assert ENGLISH_PHRASES.end_costs(words, breaks) == end_costs_gap_by_gap(words, breaks)


def boundary_costs_word_by_word(
    stream: WordStream, brk: list[float], ends: list[float], gaps: list[int], costs: Costs
) -> tuple[list[float], list[float]]:
    n = len(stream.texts)
    eob, eol = [0.0] * n, [0.0] * n
    for k in range(n - 1):
        glue = brk[k] - _SOFT if brk[k] > _SOFT else 0.0
        line = costs.line * (brk[k] - glue) + (costs.line_glue * glue if brk[k] < _LEAD else glue)
        glue = ends[k] - _SOFT if ends[k] > _SOFT else 0.0
        c = costs.end * (ends[k] - glue) + glue
        word = stream.texts[k]
        if ENGLISH_PHRASES.sentence_end(word):
            c += costs.sentence_end
            line += costs.line_sentence
        elif word.rstrip(phrases._CLOSERS).endswith((",", ";", ":", "—", "–", "--")):
            c += costs.clause_end
            line += costs.line_clause
        if stream.frag_end[k]:
            c += costs.fragment
        if gaps[k] > 0:
            c += costs.pause * min(gaps[k], 1000) / 100
        if stream.turns[k] != stream.turns[k + 1]:
            c += costs.speaker
        eob[k], eol[k] = c, line
    return eob, eol


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(VOCABULARY[:40]), st.integers(-50, 2000), st.booleans(), st.booleans()
        ),
        min_size=1,
        max_size=40,
    ),
    st.sampled_from([Costs(), Costs(line=0.7, line_glue=2.0, end=1.3, pause=2.5, speaker=-7)]),
)
def test_boundary_costs_match_pricing_every_word(
    rows: list[tuple[str, int, bool, bool]], costs: Costs
) -> None:
    texts = [word for word, _, _, _ in rows]
    turns = [0]
    for _, _, new_turn, _ in rows[1:]:
        turns.append(turns[-1] + new_turn)
    stream = WordStream(texts=texts, turns=turns, frag_end=[end for *_, end in rows])
    gaps = [gap for _, gap, _, _ in rows[:-1]] + [0]
    brk = ENGLISH_PHRASES.break_costs(texts)
    ends = ENGLISH_PHRASES.end_costs(texts, brk)
    sent = [ENGLISH_PHRASES.sentence_end(w) for w in texts]
    clause = [
        not s and w.rstrip(phrases._CLOSERS).endswith((",", ";", ":", "—", "–", "--"))
        for w, s in zip(texts, sent, strict=True)
    ]
    assert _boundary_costs(stream, brk, ends, sent, clause, gaps, costs) == (
        boundary_costs_word_by_word(stream, brk, ends, gaps, costs)
    )
