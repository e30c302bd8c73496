"""Built-in transforms carry word timings along: every word stays, in order, with its times,
and the pipeline never has to drop stale words for them."""

from __future__ import annotations

from diarization_fixture import conversation, rttm

import captionbridge
from captionbridge.helpers.words import WordFeed, carry_words, with_text
from captionbridge.host.registry import PluginHost
from captionbridge.model import Cue, Transcript, Turn, Word, turns_of, words_agree
from captionbridge.speakers.align import assign_speakers
from captionbridge.speakers.rttm import Segment, parse_rttm


def timed(text: str, start: int, step: int = 300) -> tuple[Word, ...]:
    return tuple(
        Word(w, start + i * step, start + (i + 1) * step) for i, w in enumerate(text.split())
    )


def turn(text: str, start: int, speaker: str | None = None, change: bool = False) -> Turn:
    return Turn(text, speaker, change, timed(text, start))


def all_words(t: Transcript) -> list[Word]:
    return [w for c in t.cues for w in c.words]


def agree(t: Transcript) -> bool:
    return all(words_agree(x) for c in t.cues for x in c.turns)


def stale_notes(t: Transcript) -> list[str]:
    return [n.message for n in t.notes if "word timings were dropped" in n.message]


def test_word_feed_cuts_removes_and_edits() -> None:
    words = timed("Hello (laughs) , my friend", 0)
    feed = WordFeed(words)
    assert feed.take("Hello,") == (Word("Hello,", 0, 300),)
    assert feed.take("my friend") == words[3:]
    assert carry_words("HELLO (LAUGHS) , MY FRIEND", words)[4] == Word("FRIEND", 1200, 1500)
    # nothing spells "bye": the words left come back, stale on purpose
    assert not words_agree(Turn("bye", words=carry_words("bye", words)))
    plain = Turn("no words")
    assert with_text(plain, "new") == Turn("new")


def test_fix_overlaps_joins_cues_and_keeps_both_words() -> None:
    first = Cue(0, 2000, (turn("one two three", 0),))
    second = Cue(500, 2500, (turn("four five", 900),))
    fixed = captionbridge.transform(Transcript([first, second]))
    assert len(fixed) == 1 and len(fixed.cues[0].turns) == 2
    assert all_words(fixed) == [*first.words, *second.words]
    assert fixed.cues[0].turns[1].change and agree(fixed)


def test_speaker_names_in_alternation_keep_the_words() -> None:
    t = Transcript([Cue(0, 900, (turn("Hi there", 0), turn("Hello", 600, change=True)))])
    named = captionbridge.transform(t, speakers="Ann,Bo")
    assert [x.speaker for x in named.cues[0].turns] == ["Ann", "Bo"]
    assert all_words(named) == all_words(t) and not stale_notes(named)


def test_rttm_split_falls_on_the_word_boundary_nearest_the_change() -> None:
    text = "one two three four five six seven eight nine ten"
    t = Transcript([Cue(0, 3000, (turn(text, 0),))])
    # B takes over at 1700 ms: "six" (1500-1800) is mostly A's
    out = assign_speakers(t, [Segment(0, 1700, "A"), Segment(1700, 3000, "B")])
    assert [(c.start, c.end, c.text) for c in out.cues] == [
        (0, 1800, "one two three four five six"),
        (1800, 3000, "seven eight nine ten"),
    ]
    assert all_words(out) == list(t.cues[0].words) and agree(out)
    # at 1600 ms the change is nearer the boundary before "six"
    out = assign_speakers(t, [Segment(0, 1600, "A"), Segment(1600, 3000, "B")])
    assert out.cues[0].text == "one two three four five" and out.cues[1].start == 1500


def test_rttm_on_a_word_timed_conversation_gives_every_word_its_speaker() -> None:
    conv = conversation(seed=3)
    contents = [
        (Turn(" ".join(w.text for w in ws), words=tuple(Word(w.text, w.start, w.end) for w in ws)),)
        for _, _, ws in conv.segments
    ]
    t = Transcript.from_columns(
        [s for s, _, _ in conv.segments], [e for _, e, _ in conv.segments], contents
    )
    out = assign_speakers(t, parse_rttm(rttm(conv.turns))["talk"])
    got = [(w, x.speaker) for c in out.cues for x in c.turns for w in x.words]
    assert [(w.text, w.start, w.end) for w, _ in got] == [
        (w.text, w.start, w.end) for w in conv.words
    ]
    right = sum(s == w.speaker for (_, s), w in zip(got, conv.words, strict=True))
    assert right / len(conv.words) >= 0.99
    assert agree(out) and all(len(turns_of(c)) <= 2 for c in out.columns().contents)


def test_line_breaks_of_reflow_keep_the_words() -> None:
    text = "a fairly long sentence that needs to be broken into lines somewhere"
    t = Transcript([Cue(0, 6000, (turn(text, 0),))])
    out = captionbridge.transform(t, max_chars=20)
    assert "\n" in out.cues[0].text
    assert all_words(out) == all_words(t) and agree(out) and not stale_notes(out)


def test_control_characters_mapped_for_writers_keep_the_words(host: PluginHost) -> None:
    t = Transcript(
        [
            Cue(
                0,
                900,
                (Turn("bad\x07 word", words=(Word("bad\x07", 0, 300), Word("word", 300, 900))),),
            )
        ]
    )
    srt = captionbridge.dumps(t, "srt", host=host)
    assert "\x07" not in srt
    from captionbridge.flow.textsafety import safe_for_writers

    safe = safe_for_writers(t)
    assert [(w.start, w.end) for w in all_words(safe)] == [(0, 300), (300, 900)] and agree(safe)


def test_word_feed_work_stays_linear_when_every_word_was_edited() -> None:
    class Counted(str):
        compared = 0

        def __eq__(self, other: object) -> bool:
            Counted.compared += 1
            return str.__eq__(self, other)

        __hash__ = str.__hash__

    count = 3000
    words = (Word(Counted("(laughs)"), 0, 1),)
    words += tuple(Word(Counted(f"w{i},"), i + 1, i + 2) for i in range(count))
    edited = " ".join(f"w{i}" for i in range(count))  # the sound and every comma gone
    taken = WordFeed(words).take(edited)
    assert [w.text for w in taken[:2]] == ["w0", "w1"]  # containment: the word, edited
    assert [w.start for w in taken] == list(range(1, count + 1))
    assert Counted.compared <= 300 * count  # a bounded look ahead per token, not count**2
