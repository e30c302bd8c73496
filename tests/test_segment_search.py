"""The joint segmentation search and its phrase model: the bad breaks of issue 16 are gone,
speaker changes fall between subtitles (or make a two-speaker subtitle), costs are tunable."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from pathlib import Path

import pysubs2
import pytest

import captionbridge
from captionbridge.host.registry import PluginHost
from captionbridge.model import Cue, Transcript, Turn
from captionbridge.reflow.costs import Costs, parse_costs
from captionbridge.reflow.phrases import ENGLISH_PHRASES, PLAIN, PhraseModel, phrase_model_for


def reflow(host: PluginHost, cues: list[Cue], **options: object) -> Transcript:
    options.setdefault("preset", "netflix")
    return captionbridge.transform(Transcript(cues), host=host, **options)


def lines_of(t: Transcript) -> list[list[str]]:
    return [[line for turn in c.turns for line in turn.text.split("\n")] for c in t.cues]


def breaks(t: Transcript) -> set[tuple[str, str]]:
    """Every (last word, next word) pair where a line or a subtitle ends."""
    out = set()
    flat = [line.split() for lines in lines_of(t) for line in lines]
    for a, b in itertools.pairwise(flat):
        out.add((a[-1], b[0]))
    return out


@pytest.mark.parametrize(
    ("preset", "text", "left", "right"),
    [
        ("netflix", "With no political will or international pressure,", "political", "will"),
        ("netflix", "Then whose kitty litter did I just shit in?", "kitty", "litter"),
        ("netflix", "But the majority of the time entoptic phenomena,", "majority", "of"),
        ("cea608", "If your neural network is deep and large,", "neural", "network"),
        (
            "netflix",
            "and it felt like progress in artificial intelligence will help with that.",
            "artificial",
            "intelligence",
        ),
    ],
)
def test_issue_16_bad_breaks_are_gone(
    host: PluginHost, preset: str, text: str, left: str, right: str
) -> None:
    out = reflow(host, [Cue.make(0, 5000, text)], preset=preset)
    assert (left, right) not in breaks(out), lines_of(out)
    assert " ".join(w for ls in lines_of(out) for line in ls for w in line.split()) == text


def subtitle_ends(t: Transcript) -> set[tuple[str, str]]:
    """Every (last word, next word) pair where a subtitle ends."""
    words = [[w for turn in c.turns for w in turn.text.split()] for c in t.cues]
    return {(a[-1], b[0]) for a, b in itertools.pairwise(words) if a and b}


@pytest.mark.parametrize(("left", "right"), [("Alex", "and"), ("bang", "of")])
def test_on_the_seed_names_and_of_phrases_stay_in_one_subtitle(
    seed_path: Path, host: PluginHost, left: str, right: str
) -> None:
    """ "the co-invention of AlexNet with Alex and Jeb Hinton / that led to the big bang of
    modern artificial intelligence,": no subtitle ends inside "Alex and Jeb Hinton" nor
    before "of modern" (the phrases of docs/reflow.md's former known weaknesses)."""
    source = captionbridge.load(seed_path, host=host)
    for preset in ("netflix", "bbc"):
        out = captionbridge.transform(source, host=host, preset=preset)
        text = " ".join(w for c in out.cues for t in c.turns for w in t.text.split())
        assert "with Alex and Jeb Hinton that led to the big bang of modern" in text
        ends = subtitle_ends(out)
        assert (left, right) not in ends, preset
        assert ("and", "Jeb") not in ends and ("Jeb", "Hinton") not in ends
        assert ("led", "to") not in ends


def test_names_joined_by_and_are_one_name() -> None:
    words = ["with", "Alex", "and", "Jeb", "Hinton", "that", "led"]
    costs = ENGLISH_PHRASES.break_costs(words)
    assert costs[1] >= 500 and costs[2] >= 500  # "Alex / and", "and / Jeb"
    assert costs[4] < PLAIN  # "Hinton / that": the name ends
    # but not words parted by a comma, nor common nouns
    assert ENGLISH_PHRASES.break_costs(["Rome,", "and", "Paris"])[0] == 2.0
    assert ENGLISH_PHRASES.break_costs(["cats", "and", "dogs"])[0] < PLAIN


def test_a_subtitle_end_before_of_costs_more_than_a_line_break() -> None:
    words = [
        "that",
        "led",
        "to",
        "the",
        "big",
        "bang",
        "of",
        "modern",
        "artificial",
        "intelligence,",
    ]
    breaks_ = ENGLISH_PHRASES.break_costs(words)
    ends = ENGLISH_PHRASES.end_costs(words, breaks_)
    at = words.index("bang")
    assert ends[at] >= breaks_[at] + PLAIN
    led = words.index("led")  # a verb in the past keeps its preposition: "led / to"
    assert ends[led] >= breaks_[led] + PLAIN
    assert [e for k, e in enumerate(ends) if k not in (at, led)] == [
        b for k, b in enumerate(breaks_) if k not in (at, led)
    ]
    # a model that does not override end_costs prices both alike
    assert PhraseModel().end_costs(words, breaks_) == breaks_


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        (
            "Depression can have a lot of different symptoms:",
            ["Depression can have a lot", "of different symptoms:"],
        ),
        (
            "If you have at least five of those symptoms,",
            ["If you have at least five", "of those symptoms,"],
        ),
    ],
)
def test_a_phrase_glue_weighs_less_at_a_line_break(
    host: PluginHost, text: str, lines: list[str]
) -> None:
    """ "a lot of", "five of": a line may part them, as the TED-Ed subtitlers do (line_glue);
    with the glue counted whole, the shape loses to it ("Depression / can have a lot of...")."""
    out = reflow(host, [Cue.make(0, 3000, text)])
    assert lines_of(out) == [lines]
    whole = reflow(host, [Cue.make(0, 3000, text)], segment_costs="line_glue=1")
    assert lines_of(whole) != [lines]


def test_will_is_a_noun_after_an_adjective() -> None:
    words = ["no", "political", "will", "or", "pressure"]
    costs = ENGLISH_PHRASES.break_costs(words)
    # parting "political" from "will" costs more than parting "will" from "or"
    assert costs[1] > costs[2]
    aux = ENGLISH_PHRASES.break_costs(["progress", "will", "help"])
    assert aux[1] > PLAIN  # "will help": an auxiliary keeps its verb


def test_short_dialogue_replies_get_their_own_subtitle(host: PluginHost) -> None:
    cues = [
        Cue.make(0, 2500, "How much are you worth, by the way?"),
        Cue.make(2500, 3500, "I don't know."),
        Cue.make(3500, 4800, "Over ten million?"),
        Cue.make(4800, 6000, "Yeah, I guess so."),
    ]
    out = reflow(host, cues)
    joined = [" ".join(ls) for ls in lines_of(out)]
    assert not any("know." in s and "Over" in s for s in joined), joined
    assert not any("way?" in s and "I don't" in s for s in joined), joined


def test_a_speaker_change_is_a_boundary_or_a_two_speaker_subtitle(host: PluginHost) -> None:
    cues = [
        Cue.make(0, 3000, "So what did you think after all these years?"),
        Cue.make(
            3000,
            7000,
            (Turn("Well, I thought that it was going to be a very long road", "bob", True),),
        ),
        Cue.make(7000, 9000, (Turn("and it was.", "bob"),)),
    ]
    out = reflow(host, cues)
    for cue in out.cues:
        speakers = [t.speaker for t in cue.turns]
        if len(set(speakers)) > 1:  # a two-speaker subtitle: one line each, Bob's ends his turn
            assert all("\n" not in t.text for t in cue.turns)
    # Bob's "Well," never ends a subtitle that his sentence then leaves for the next one
    assert not any(cue.turns[-1].text.endswith("Well,") for cue in out.cues), out.cues


def test_on_the_seed_speaker_changes_fall_between_subtitles(
    seed_path: Path, host: PluginHost
) -> None:
    source = captionbridge.load(seed_path, host=host)
    out = captionbridge.transform(source, host=host, preset="netflix")
    duals = 0
    for cue in out.cues:
        turns = cue.turns
        assert len(turns) <= 2
        if len(turns) == 2:
            duals += 1
            assert all("\n" not in t.text for t in turns), turns
    # and a turn that starts inside a subtitle is never cut off at the subtitle's end,
    # unless the cut falls at a sentence end
    cues = out.cues
    for a, b in itertools.pairwise(cues):
        last, first = a.turns[-1], b.turns[0]
        if len(a.turns) == 2 and not first.change:
            assert last.text.rstrip().endswith((".", "?", "!", "…", ",", '"')) or (
                first.speaker != last.speaker
            ), (a.turns, b.turns)
    assert duals > 0


def test_costs_parse_and_change_the_result(host: PluginHost) -> None:
    assert parse_costs("cue=6, line-sentence=-3") == Costs(cue=6.0, line_sentence=-3.0)
    with pytest.raises(ValueError, match="unknown cost"):
        parse_costs("cheap=1")
    text = "one two three four five six seven eight nine ten eleven twelve thirteen."
    cues = [Cue.make(0, 6000, text)]
    fewer = reflow(host, cues, segment_costs="cue=1000")
    more = reflow(host, cues, segment_costs="cue=-1000")
    assert len(fewer.cues) == 1 < len(more.cues)


def test_another_language_plugs_in_through_captionbridge_register_phrase_models() -> None:
    """A plugin's phrase model decides the breaks of its language (here: never after "zz")."""
    from captionbridge import hookimpl
    from captionbridge.host.registry import make_host
    from captionbridge.reflow import phrases

    class Glue(PhraseModel):
        language = "xx"

        def break_costs(self, words: Sequence[str]) -> list[float]:
            return [1000.0 if w == "zz" else 0.0 for w in words[:-1]] + [0.0]

    class Plugin:
        @hookimpl
        def captionbridge_register_phrase_models(self, register: Callable[[object], None]) -> None:
            register(Glue())

    try:
        host = make_host(entry_points=False, plugins={"xx-phrases": Plugin()})
        assert not host.broken
        assert phrase_model_for("xx-YY").language == "xx"
        text = "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii zz jjjj kkkk llll mmmm nnnn oooo"
        t = Transcript([Cue.make(0, 20000, text)], language="xx")
        out = captionbridge.transform(t, host=host, preset="netflix")
        assert ("zz", "jjjj") not in breaks(out)
        assert breaks(out)
    finally:
        phrases._REGISTRY.pop("xx", None)
    assert phrase_model_for("zz") is ENGLISH_PHRASES


def test_search_is_linear() -> None:
    """Count the windows the search looks at: ten times the words, ten times the work."""
    from captionbridge.reflow.limits import Limits
    from captionbridge.reflow.reflower import shape_for
    from captionbridge.reflow.search import search
    from captionbridge.reflow.wordstream import word_stream

    text = "the cat sat on the mat, and then it ran off to see the big dog next door."
    limits = Limits(max_chars=42, max_lines=2, max_cps=20, resegment=True)
    pairs = []
    for copies in (50, 500):
        cues = [Cue.make(k * 4000, k * 4000 + 3900, text) for k in range(copies)]
        t = Transcript(cues)
        starts, ends, contents = t.columns()
        stats: dict[str, int] = {}
        search(
            word_stream(starts, ends, contents),
            shape_for(t, limits),
            limits,
            Costs(),
            ENGLISH_PHRASES,
            stats,
        )
        pairs.append(stats["pairs"])
    assert 9.9 * pairs[0] <= pairs[1] <= 10.1 * pairs[0]  # the start of the input aside


def test_word_timings_give_the_pauses_inside_a_fragment(host: PluginHost) -> None:
    """With word times (Turn.words), a silence inside one fragment is a subtitle end."""
    from captionbridge.model import Word

    text = "we trained it for weeks and then it finally worked on the hard task"
    spoken = text.split()
    words = [Word(w, k * 300, k * 300 + 250) for k, w in enumerate(spoken[:6])]
    words += [Word(w, 4000 + k * 300, 4000 + k * 300 + 250) for k, w in enumerate(spoken[6:])]
    cue = Cue(0, words[-1].end, (Turn(text, None, False, tuple(words)),))
    out = reflow(host, [cue])
    assert [c.text.replace("\n", " ") for c in out.cues] == [
        "we trained it for weeks and",
        "then it finally worked on the hard task",
    ]
    assert out.cues[1].start >= 4000
    # without the word times the same text is one subtitle
    plain = reflow(host, [Cue.make(0, words[-1].end, text)])
    assert len(plain.cues) == 1


def test_segmenter_rules_keeps_the_older_grouping(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from captionbridge.cli.app import cli

    seed = Path(__file__).resolve().parents[1] / "seeds" / "fireside-chat.txt"
    counts = {}
    for segmenter in ("rules", "search"):
        out = tmp_path / f"{segmenter}.srt"
        result = CliRunner().invoke(
            cli,
            ["convert", str(seed), "--preset", "netflix", "--segmenter", segmenter, "-o", str(out)],
        )
        assert result.exit_code == 0, result.output
        subtitles = pysubs2.load(str(out))
        assert all(len(line) <= 42 for event in subtitles for line in event.plaintext.split("\n"))
        counts[segmenter] = len(subtitles)
    assert counts["rules"] < counts["search"]  # the older grouping packs fuller subtitles
