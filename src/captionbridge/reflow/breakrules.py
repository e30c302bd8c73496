"""Where a subtitle line may end, per language: word lists as data, and the costs they imply.

The line breaker (:mod:`captionbridge.reflow.linebreak`) and the resegmenter ask a
:class:`BreakRules` what it costs to end a line (or a cue) after a word and to start one before
the next. English is built in; a plugin adds a language with :func:`register_rules`
(``register_rules(GERMAN)``), usually at import time. :func:`rules_for` picks by the primary
subtag of a BCP 47 code (``en-GB`` -> ``en``) and falls back to English.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "BAD_BREAK",
    "ENGLISH",
    "BreakRules",
    "primary_subtag",
    "register_rules",
    "rules_for",
]

#: Cost of ending a line after a word that has no reason to end one.
PLAIN = 10.0
#: Cost of a break that is worse than any other choice but still possible.
NEVER = 1000.0
#: Ending a line after a word whose :meth:`BreakRules.after_cost` is at least this is a bad
#: break (the word is an article, preposition, conjunction or subject pronoun).
BAD_BREAK = 300.0

_CLOSERS = "\"'”’)]»"
_SENTENCE_END = ".?!…"
_CLAUSE_END = ",;:—–"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True)
class BreakRules:
    """The words of one language that glue a line to the next.

    ``articles`` (determiners and possessives), ``prepositions``, ``subject_pronouns`` and
    ``conjunctions`` should not end a line; ``auxiliaries`` better not; ``units`` never start a
    line after a number; ``abbreviations`` end with a dot without ending a sentence. Lines are
    broken preferably before ``conjunctions`` and ``prepositions``.
    """

    language: str
    articles: frozenset[str]
    prepositions: frozenset[str]
    conjunctions: frozenset[str]
    subject_pronouns: frozenset[str]
    auxiliaries: frozenset[str]
    units: frozenset[str]
    abbreviations: frozenset[str] = frozenset()
    _after: dict[str, float] = field(default_factory=dict, repr=False, compare=False)
    _before: dict[str, float] = field(default_factory=dict, repr=False, compare=False)

    def after_cost(self, word: str) -> float:
        """What ending a line (or a cue) right after ``word`` costs: 0 after a sentence end,
        2 after clause punctuation, :data:`PLAIN` for an ordinary word, much more after an
        article, preposition, conjunction or subject pronoun."""
        cost = self._after.get(word)
        if cost is None:
            cost = self._after[word] = self._compute_after(word)
        return cost

    def _compute_after(self, word: str) -> float:
        core = word.rstrip(_CLOSERS)
        if core.endswith(tuple(_SENTENCE_END)):
            if core.lower() in self.abbreviations:
                return PLAIN * 3
            return 0.0
        if core.endswith(tuple(_CLAUSE_END)) or core.endswith("--"):
            return 2.0
        key = core.lower()
        if key in self.articles:
            return NEVER
        if key in self.prepositions or key in self.subject_pronouns:
            return 400.0
        if key in self.conjunctions:
            return 300.0
        if key in self.auxiliaries:
            return 150.0
        return PLAIN

    def before_cost(self, word: str) -> float:
        """An adjustment for starting a line with ``word``: negative before a conjunction or
        preposition (a good place to break)."""
        cost = self._before.get(word)
        if cost is None:
            key = word.strip(_CLOSERS + "\"'(¿¡").lower()
            good = key in self.conjunctions or key in self.prepositions
            cost = self._before[word] = -6.0 if good else 0.0
        return cost

    def pair_cost(self, left: str, right: str) -> float:
        """Extra cost of separating two neighbours that belong together: a first and last
        name (two capitalised words) or a number and its unit."""
        end = left[-1:]
        if not (end.isalpha() or end.isdigit()) or not right:
            return 0.0
        if left[0].isupper() and right[0].isupper() and left != "I" and left.isalpha():
            return 500.0
        if left[-1].isdigit() and (
            right[0] in "%‰°" or right.rstrip(".,;:!?").lower() in self.units or right[0].isdigit()
        ):
            return NEVER
        return 0.0

    def break_cost(self, left: str, right: str) -> float:
        """The cost of a line break between ``left`` and ``right``."""
        cost = self._after.get(left)
        if cost is None:
            cost = self.after_cost(left)
        if cost == PLAIN:
            before = self._before.get(right)
            cost += self.before_cost(right) if before is None else before
            return cost + self.pair_cost(left, right)
        return cost if cost else 0.0


ENGLISH = BreakRules(
    language="en",
    articles=_words(
        "a an the this that these those my your his her its our their whose every each"
        " either neither another no some any such what which"
    ),
    prepositions=_words(
        "about above across after against along amid among around at before behind below"
        " beneath beside besides between beyond by despite down during except for from in"
        " inside into like near of off on onto out outside over past per since than through"
        " throughout to toward towards under underneath unlike until unto up upon via with"
        " within without"
    ),
    conjunctions=_words(
        "and but or nor so yet because although though while whereas if unless whether"
        " when whenever where wherever as once till"
    ),
    subject_pronouns=_words("i we they he she i'm we're they're he's she's i've we've"),
    auxiliaries=_words(
        "am is are was were be been being have has had do does did will would shall should"
        " can could may might must i'll you'll we'll they'll i'd you'd we'd they'd"
        " don't doesn't didn't won't can't couldn't wouldn't shouldn't isn't aren't wasn't"
        " weren't"
    ),
    units=_words(
        "percent per cent hundred thousand million billion trillion dollars dollar euros euro"
        " pounds pound cents years year months month weeks week days day hours hour minutes"
        " minute seconds second km kg g mg m cm mm mph kph miles mile feet foot inches inch"
        " meters metres kilometers kilometres gb mb tb kb ghz mhz khz hz degrees"
        " am pm a.m. p.m. bc ad x"
    ),
    abbreviations=_words("mr. mrs. ms. dr. prof. st. vs. etc. e.g. i.e. jr. sr."),
)

_REGISTRY: dict[str, BreakRules] = {"en": ENGLISH}


def register_rules(rules: BreakRules) -> None:
    """Make ``rules`` the break rules of ``rules.language`` (a primary subtag: ``de``)."""
    _REGISTRY[rules.language.lower()] = rules


def primary_subtag(language: str | None) -> str:
    """The primary subtag of a BCP 47 code, lower case (``en-GB`` -> ``en``; ``""`` for none)."""
    return (language or "").replace("_", "-").split("-", 1)[0].lower()


def rules_for(language: str | None) -> BreakRules:
    """The rules for a BCP 47 language code; English when unknown or not given."""
    return _REGISTRY.get(primary_subtag(language), ENGLISH)
