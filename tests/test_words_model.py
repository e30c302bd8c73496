"""Word timings in the model: agreement with the text, compact columns, stale words dropped."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable

import pytest

import captionbridge
from captionbridge import Cue, Transcript, TransformSpec, Turn, Word, hookimpl
from captionbridge.flow.wordcheck import drop_stale_words
from captionbridge.helpers.words import has_words
from captionbridge.host.registry import make_host
from captionbridge.model import words_agree

WORDS = (Word("Today", 3000, 3400, 0.9), Word("is", 3400, 3600), Word("GPT-4.", 3600, 4200))


def test_a_word_is_an_immutable_value_with_its_four_fields() -> None:
    word = Word("GPT-4.", 3600, 4200, 0.93)
    assert (word.text, word.start, word.end, word.confidence) == ("GPT-4.", 3600, 4200, 0.93)
    assert Word("is", 3400, 3600).confidence is None
    assert repr(word) == "Word(text='GPT-4.', start=3600, end=4200, confidence=0.93)"
    with pytest.raises(AttributeError):
        word.text = "GPT-5."  # type: ignore[misc]
    assert word._replace(text="GPT-5.") == Word("GPT-5.", 3600, 4200, 0.93)
    same = Word("GPT-4.", 3600, 4200, 0.93)
    assert word == same and hash(word) == hash(same)
    for copied in (pickle.loads(pickle.dumps(word)), copy.deepcopy(word)):
        assert copied == word and type(copied) is Word


def test_words_agree_up_to_whitespace_and_reflow_breaks() -> None:
    assert words_agree(Turn("Today is\nGPT-4.", words=WORDS))
    assert words_agree(Turn("  Today  is GPT-4. ", words=WORDS))
    assert not words_agree(Turn("Today was GPT-4.", words=WORDS))
    assert words_agree(Turn("anything at all"))


def test_a_turn_with_words_is_never_compacted_to_a_plain_string() -> None:
    cue = Cue(3000, 4200, (Turn("Today is GPT-4.", words=WORDS),))
    transcript = Transcript([cue])
    assert not isinstance(transcript.columns().contents[0], str)
    assert transcript.cues[0].words == WORDS
    assert transcript.turned_indexes() == [0]


def test_cue_words_join_the_words_of_every_turn() -> None:
    first = Turn("Today is", "A", words=WORDS[:2])
    second = Turn("GPT-4.", "B", words=WORDS[2:])
    assert Cue(3000, 4200, (first, second)).words == WORDS


def test_stale_words_are_dropped_with_a_note_and_good_ones_kept() -> None:
    good = Cue(0, 1000, (Turn("Today is GPT-4.", words=WORDS),))
    stale = Cue(5000, 6000, (Turn("changed text", words=WORDS),))
    transcript = Transcript([good, stale], source="talk.json")
    fixed = drop_stale_words(transcript, "transform 'sdh'")
    assert fixed.cues[0].words == WORDS
    assert fixed.cues[1].words == ()
    assert fixed.cues[1].text == "changed text"
    assert len(fixed.notes) == 1
    assert "transform 'sdh'" in fixed.notes[0].message
    assert "1 turn(s)" in fixed.notes[0].message


def test_nothing_to_drop_returns_the_same_transcript() -> None:
    transcript = Transcript([Cue.make(0, 1000, "plain"), Cue(0, 1000, (Turn("a", "S"),))])
    assert drop_stale_words(transcript, "reflow") is transcript


def test_map_texts_that_changes_text_leaves_words_the_pipeline_will_drop() -> None:
    transcript = Transcript([Cue(0, 1000, (Turn("Today is GPT-4.", words=WORDS),))])
    upper = transcript.map_texts(str.upper)
    assert not words_agree(upper.cues[0].turns[0])
    assert drop_stale_words(upper, "upper").cues[0].words == ()


class _Shout:
    """A plugin transform that rewrites text and knows nothing of word timings."""

    @hookimpl
    def captionbridge_register_transforms(self, register: Callable[[TransformSpec], None]) -> None:
        register(TransformSpec("shout", "clean", lambda t, _options: t.map_texts(str.upper)))


def test_the_pipeline_drops_words_a_transform_made_stale() -> None:
    host = make_host(entry_points=False, plugins={"shout": _Shout()})
    transcript = Transcript([Cue(0, 1000, (Turn("Today is GPT-4.", words=WORDS),))])
    result = captionbridge.transform(transcript, host=host)
    assert result.cues[0].text == "TODAY IS GPT-4."
    assert result.cues[0].words == ()
    assert any("transform 'shout'" in note.message for note in result.notes)


def _has_words(transcript: Transcript) -> bool:
    return has_words(transcript.columns().contents, transcript.turned_indexes())


def test_has_words_looks_at_the_turns_only_when_there_are_any() -> None:
    assert not _has_words(Transcript([Cue.make(0, 1, "plain"), Cue(0, 1, (Turn("a", "S"),))]))
    assert _has_words(
        Transcript([Cue.make(0, 1, "plain"), Cue(0, 1, (Turn("a", words=WORDS[:1]),))])
    )
