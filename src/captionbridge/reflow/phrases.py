"""A compact phrase model: what it costs to break between two words, per language.

English ships built in and needs no download: a lexicon of function words, suffix rules for
adjectives and context rules (``will`` after a determiner or an adjective is a noun, an
auxiliary before a verb keeps it, a capitalised word inside a sentence is a name). Each gap
between two words gets one number, the cost of breaking there (a subtitle end or a line
break): 0 after a sentence end, 2 after clause punctuation, :data:`PLAIN` between two
ordinary words, less before a clause or phrase word, much more inside a phrase (after an
article, preposition, conjunction or subject pronoun; between an adjective and its noun, a
first and last name, a number and its unit, an auxiliary and its verb, a verb and its
particle). One pass over the words: linear, a few dictionary look-ups per word.

Another language plugs in a :class:`PhraseModel` of its own: :func:`register_phrase_model`,
or the ``captionbridge_register_phrase_models`` hook (see ``docs/plugins.md``).
"""

from __future__ import annotations

from collections.abc import Sequence

from .breakrules import primary_subtag

__all__ = [
    "CLAUSE_MARKS",
    "ENGLISH_PHRASES",
    "PLAIN",
    "EnglishPhrases",
    "PhraseModel",
    "phrase_model_for",
    "register_phrase_model",
]

#: Cost of breaking between two words that have no reason to stay together or to part.
PLAIN = 10.0
#: Cost of breaking inside a name ("Geoffrey Hinton", "Alex and Jeb Hinton").
NAME = 500.0
#: What a subtitle end before "of" costs more than a line break there.
OF_END = 10.0
_CLOSERS = "\"'”’)]»"
_OPENERS = "\"'“‘([«¿¡"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


class PhraseModel:
    """The break costs of one language (subclass it and override :meth:`break_costs`)."""

    language = "und"

    def break_costs(self, words: Sequence[str]) -> list[float]:
        """The cost of a break after each word (the last entry, after the last word, is 0)."""
        return [PLAIN] * (len(words) - 1) + [0.0] if words else []

    def end_costs(self, words: Sequence[str], breaks: Sequence[float]) -> list[float]:
        """The cost of a subtitle end after each word, given the :meth:`break_costs`.

        By default a subtitle end costs what a line break does; a model raises it where a
        phrase may go on in the next line but should not go on in the next subtitle (once the
        subtitle is gone, its reader cannot look back)."""
        return list(breaks)

    def sentence_end(self, word: str) -> bool:
        """True when ``word`` ends a sentence."""
        return word.rstrip(_CLOSERS).endswith((".", "?", "!", "…"))


DETERMINERS = _words(
    "a an the this that these those my your his her its our their whose every each either"
    " neither another no some any such"
)
PREPOSITIONS = _words(
    "about above across after against along amid among around at before behind below beneath"
    " beside besides between beyond by despite during except for from in inside into like"
    " near of off on onto outside over past per since than through throughout to toward"
    " towards under underneath unlike until unto upon via with within without"
)
CONJUNCTIONS = _words(
    "and but or nor yet so because although though while whereas if unless whether when"
    " whenever where wherever once till as"
)
RELATIVES = _words("that which who whom what how why")
SUBJECTS = _words(
    "i we they he she you it i'm we're they're he's she's you're it's i've we've you've"
    " they've i'll we'll you'll they'll he'll she'll i'd we'd you'd they'd"
)
AUXILIARIES = _words(
    "am is are was were be been being have has had do does did will would shall should can"
    " could may might must don't doesn't didn't won't can't couldn't wouldn't shouldn't"
    " isn't aren't wasn't weren't haven't hasn't hadn't"
)
PARTICLES = _words("up out off down away back")
#: words that lean on the next one: "just because", "not only", "almost everyone"
INTENSIFIERS = _words(
    "very too so quite rather really more most less least much such not just even also"
    " still almost nearly always never ever"
)
NUMBERS = _words(
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty"
    " hundred thousand million billion several few"
)
UNITS = _words(
    "percent per cent hundred thousand million billion trillion dollars dollar euros euro"
    " pounds pound cents years year months month weeks week days day hours hour minutes"
    " minute seconds second km kg g mg m cm mm mph kph miles mile feet foot inches inch"
    " meters metres kilometers kilometres gb mb tb kb ghz mhz khz hz degrees am pm a.m. p.m."
    " bc ad x times"
)
ABBREVIATIONS = _words("mr. mrs. ms. dr. prof. st. vs. etc. e.g. i.e. jr. sr.")
#: nouns of quantity that keep their "of": "the majority of", "a number of"
QUANTITIES = _words(
    "majority minority lot lots number part rest kind sort type half most some all none one"
    " each many couple bunch piece bit amount range variety series group percent out"
)
#: adjectives no suffix rule finds
ADJECTIVES = _words(
    "good bad big small large long short old new young high low free great little own same"
    " other whole real full deep hard strong open true false main early late next last first"
    " second third few many several human public social general special major modern"
)
ADJECTIVE_SUFFIXES = (
    "al", "ic", "ous", "ive", "ful", "less", "able", "ible", "ary", "ish", "ent", "ant", "ial",
    "ical", "est",
)  # fmt: skip
#: nouns that are also function words, read as nouns after a determiner or an adjective
NOUN_AFTER_MODIFIER = _words("will can may might must need")


def _core(word: str) -> str:
    return word.strip(_CLOSERS + _OPENERS).lower()


class EnglishPhrases(PhraseModel):
    """The built-in English phrase model."""

    language = "en"

    def break_costs(self, words: Sequence[str]) -> list[float]:
        n = len(words)
        if n == 0:
            return []
        # what a word is does not depend on where it stands: worked out once per distinct word
        distinct = set(words)
        number = {word: k for k, word in enumerate(distinct)}
        core_of = {word: _core(word) for word in distinct}
        end_of = {word: _ending(word, core_of[word]) for word in distinct}
        modifies = {word: _modifies(core_of[word]) for word in distinct}
        # nor does a gap's cost depend on more than its two words, whether a modifier stands
        # before them and whether they start a sentence: each distinct gap is priced once.
        # A gap is keyed by one integer (a tuple per gap costs more in garbage collection
        # than the pricing it saves).
        size = len(distinct)
        after_modifier = [False, *map(modifies.__getitem__, words)]
        at_start = [True, *(end_of[word] is _SENTENCE for word in words)]
        ids = list(map(number.__getitem__, words))
        gaps = [
            4 * (size * a + b) + 2 * modifier + first
            for a, b, modifier, first in zip(ids, ids[1:], after_modifier, at_start, strict=False)
        ]
        prices: dict[int, float] = {}
        for gap, k in {gap: k for k, gap in enumerate(gaps)}.items():
            left, right = words[k], words[k + 1]
            end = end_of[left]
            if end is _INNER:
                a, b = core_of[left], core_of[right]
                prices[gap] = self._glue(left, right, a, b, after_modifier[k], at_start[k])
            else:
                prices[gap] = 0.0 if end is _SENTENCE else 2.0
        costs = [*map(prices.__getitem__, gaps), 0.0]
        # names joined by "and": "Alex and Jeb Hinton", "Procter & Gamble" are one name
        for k in [k for k, word in enumerate(words) if core_of[word] in _NAME_JOINERS]:
            if 0 < k < n - 1 and _named(words[k - 1]) and _named(words[k + 1]):
                if costs[k - 1] > 2.0:
                    costs[k - 1] = max(costs[k - 1], NAME)
                costs[k] = max(costs[k], NAME)
        return costs

    def end_costs(self, words: Sequence[str], breaks: Sequence[float]) -> list[float]:
        """A noun phrase continued by "of" ("the big bang / of modern ...") may part at a line
        break, as people do, but not across subtitles: on the human references they end a
        subtitle before "of" 2 % of the time, before another preposition, an article or a
        conjunction 8 %, and break a line there as often (19 % and 21 %). A verb in the past
        keeps its preposition the same way ("that led / to the big bang", "coated / in")."""
        out = list(breaks)
        core_of = {word: _core(word) for word in set(words)}
        for k in [k for k in range(len(words) - 1) if 2.0 < out[k] <= PLAIN]:
            after = core_of[words[k + 1]]
            if after == "of" or (after in PREPOSITIONS and _verb_past(core_of[words[k]])):
                out[k] += OF_END
        return out

    @staticmethod
    def _glue(left: str, right: str, a: str, b: str, modifier: bool, first: bool) -> float:
        """The cost of parting ``left`` and ``right`` (no punctuation between them)."""
        if a in NOUN_AFTER_MODIFIER and modifier:
            a = "(noun)"  # "political will", "the will": a noun, it ends a phrase
        if a in DETERMINERS:
            return 1000.0
        if a in PREPOSITIONS:
            return 400.0
        if a in SUBJECTS and (a not in ("it", "you") or b in AUXILIARIES):
            return 300.0
        if a in CONJUNCTIONS or a in RELATIVES:
            return 250.0
        if a in AUXILIARIES:
            # an auxiliary keeps its verb ("will help"); before a determiner it is the verb
            return 40.0 if b in DETERMINERS or b in PREPOSITIONS else 150.0
        if a in PARTICLES and (b in PREPOSITIONS or b in DETERMINERS):
            return 60.0  # "out of", "up to", "down the": the particle leads a phrase
        if a in INTENSIFIERS:
            return 120.0
        if left[-1:].isdigit() and (b in UNITS or right[:1] in "%‰°" or right[:1].isdigit()):
            return 1000.0
        if (left[-1:].isdigit() or a in NUMBERS) and b.isalpha() and b not in CONJUNCTIONS:
            return 60.0  # a number and what it counts: "two consecutive weeks"
        if left[:1].isupper() and right[:1].isupper() and a != "i" and not first:
            return NAME  # a name: "Geoffrey Hinton", "New Guinea"
        if b in PARTICLES:
            return 25.0  # a verb and its particle: "pick up", "turn off"
        if b == "of":
            if a in QUANTITIES:
                return 40.0  # "the majority of the time", "a lot of", "most of them"
            return 7.0  # "of" leans on its noun a little more (and see end_costs)
        if b in DETERMINERS or b in CONJUNCTIONS or b in PREPOSITIONS or b in RELATIVES:
            return 4.0
        if b in SUBJECTS:
            return 6.0
        if _adjective(a) and b not in AUXILIARIES:
            # an adjective and its noun: "neural network"; and the next adjective before it:
            # "modern / artificial intelligence" parts a noun phrase as well
            return 100.0 if not _adjective(b) else 30.0
        if len(b) > 5 and b.endswith("ing") and b.isalpha():
            return 6.0  # a participle opens a phrase: "someone / struggling with"
        if len(b) > 4 and b.endswith("ly") and b.isalpha():
            return 8.0  # an adverb opens one: "the cells / normally present"
        if b in AUXILIARIES:
            return 8.0  # a new clause or a question: "kitty litter / did I ..."
        return PLAIN + 6.0 if b.isalpha() and not b.endswith("ly") else PLAIN


_NAME_JOINERS = frozenset(("and", "&"))
#: irregular past tenses that no "-ed" rule finds
_PAST = _words("led made went came took gave got brought thought found left kept held felt told")


#: what the punctuation at a word's end ends: a sentence, a clause, or neither
_SENTENCE, _CLAUSE, _INNER = "sentence", "clause", "inner"
#: the punctuation that ends a clause (after the closing quotes and brackets are stripped)
CLAUSE_MARKS = (",", ";", ":", "—", "–", "--")


def _ending(word: str, core: str) -> str:
    """What ``word`` ends (``core``: its :func:`_core`)."""
    end = word.rstrip(_CLOSERS)
    if end.endswith((".", "?", "!", "…")) and core not in ABBREVIATIONS:
        return _SENTENCE
    if end.endswith(CLAUSE_MARKS):
        return _CLAUSE
    return _INNER


def _modifies(core: str) -> bool:
    """A determiner or an adjective: the word after it is read as a noun."""
    return core in DETERMINERS or _adjective(core)


def _verb_past(word: str) -> bool:
    """A past tense or participle (``word`` lower case, bare): "led", "coated"."""
    return word in _PAST or (len(word) > 4 and word.endswith("ed") and word.isalpha())


def _named(word: str) -> bool:
    """A capitalised word other than "I": a name, inside a sentence."""
    core = word.lstrip(_OPENERS)
    return core[:1].isupper() and core.rstrip(_CLOSERS + ",;:.?!…") != "I"


def _adjective(word: str) -> bool:
    if word in ADJECTIVES:
        return True
    return len(word) > 4 and word.isalpha() and word.endswith(ADJECTIVE_SUFFIXES)


#: The built-in English model.
ENGLISH_PHRASES = EnglishPhrases()

_REGISTRY: dict[str, PhraseModel] = {"en": ENGLISH_PHRASES}


def register_phrase_model(model: PhraseModel) -> None:
    """Make ``model`` the phrase model of ``model.language`` (a primary subtag: ``de``)."""
    _REGISTRY[model.language.lower()] = model


def phrase_model_for(language: str | None) -> PhraseModel:
    """The phrase model for a BCP 47 language code; English when unknown or not given."""
    return _REGISTRY.get(primary_subtag(language), ENGLISH_PHRASES)
