"""Merge and split decisions of the resegmenter, through the reflow hook."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import captionbridge
from captionbridge.host.registry import PluginHost
from captionbridge.model import Cue, Transcript, Turn, turns_of


def reflow(host: PluginHost, cues: list[Cue], **options: object) -> Transcript:
    options.setdefault("preset", "netflix")
    return captionbridge.transform(Transcript(cues), host=host, **options)


def texts(t: Transcript) -> list[str]:
    return [c.text for c in t.cues]


def words(t: Transcript) -> list[str]:
    return [w for c in t.cues for turn in c.turns for w in turn.text.split()]


def test_fragments_merge_into_a_sentence(host: PluginHost) -> None:
    cues = [Cue.make(0, 1500, "and the seminal work"), Cue.make(1500, 3000, "that you have done.")]
    out = reflow(host, cues)
    assert texts(out) == ["and the seminal work that you have done."]
    # netflix's 2-frame gaps without an fps: snapped to the assumed 23.976 grid (frame 72)
    assert out.cues[0].start == 0 and out.cues[0].end == 3003


def test_split_at_sentence_end_inside_a_segment(host: PluginHost) -> None:
    first = "This is a fairly long sentence that fills most of a subtitle."
    cues = [Cue.make(0, 6000, f"{first} And this one goes on"), Cue.make(6000, 8000, "a bit.")]
    out = reflow(host, cues)
    assert out.cues[0].text.replace("\n", " ") == first
    assert out.cues[1].text.replace("\n", " ") == "And this one goes on a bit."
    # time moved with the text, in proportion to characters
    assert 3800 < out.cues[1].start < 4600


def test_pause_is_never_bridged(host: PluginHost) -> None:
    cues = [Cue.make(0, 1000, "Well then"), Cue.make(1600, 2600, "we went home")]
    assert len(reflow(host, cues)) == 2


def test_turn_is_a_hard_break_unless_a_dual_cue_fits(host: PluginHost) -> None:
    long_a = "I think the answer is that we simply trained a much bigger network"
    cues = [
        Cue(0, 3000, (Turn(long_a, None, True),)),
        Cue(3000, 4000, (Turn("Really?", None, True),)),
    ]
    out = reflow(host, cues)
    assert len(out) == 2
    short = [
        Cue(0, 1000, (Turn("Was it 2012?", None, True),)),
        Cue(1000, 2000, (Turn("Yes, 2012.", None, True),)),
    ]
    dual = reflow(host, short)
    assert len(dual) == 1
    assert [t.text for t in dual.cues[0].turns] == ["Was it 2012?", "Yes, 2012."]
    srt = captionbridge.dumps(dual, "srt", host=host)
    assert "- Was it 2012?\n- Yes, 2012." in srt


def test_300_character_segment_is_split(host: PluginHost) -> None:
    text = " ".join(["word"] * 10 + ["and", "then", "something", "else"] * 15)[:300].strip()
    out = reflow(host, [Cue.make(0, 20_000, text)])
    assert len(out) >= 4
    assert words(out) == text.split()
    for cue in out.cues:
        lines = cue.text.split("\n")
        assert len(lines) <= 2 and all(len(x) <= 42 for x in lines)
        assert cue.end - cue.start <= 7000
    assert [c.start for c in out.cues] == sorted(c.start for c in out.cues)


def test_single_sixty_character_word(host: PluginHost) -> None:
    url = "https://example.com/" + "a" * 40
    out = reflow(host, [Cue.make(0, 3000, f"Go to {url} for the details.")])
    assert words(out) == ["Go", "to", url, "for", "the", "details."]
    assert any(url in c.text.split("\n") for c in out.cues)
    assert any("wider than 42" in n.message for n in out.notes)


def test_empty_input(host: PluginHost) -> None:
    assert len(reflow(host, [])) == 0


def test_preset_none_costs_nothing(host: PluginHost) -> None:
    t = Transcript([Cue.make(0, 1000, "x " * 40)])
    assert captionbridge.transform(t, host=host) == t
    assert host.call_first("captionbridge_reflow", t, {"preset": "none"}) is t


def test_max_chars_alone_keeps_segmentation(host: PluginHost) -> None:
    cues = [Cue.make(0, 2000, "a short one"), Cue.make(2000, 5000, "word " * 12)]
    out = captionbridge.transform(Transcript(cues), host=host, max_chars=20)
    assert len(out) == 2 and out.cues[0].text == "a short one"
    assert all(len(x) <= 20 for x in out.cues[1].text.split("\n"))
    assert (out.cues[1].start, out.cues[1].end) == (2000, 5000)


def test_preset_values_are_overridable(host: PluginHost) -> None:
    cues = [Cue.make(i * 2000, i * 2000 + 2000, "some words here and there") for i in range(6)]
    out = reflow(host, cues, max_chars=30)
    assert all(len(x) <= 30 for c in out.cues for x in c.text.split("\n"))


def test_hostile_text(host: PluginHost) -> None:
    text = 'a < b && c --> d {\\an8} "quoted" 😀 שלום \x07 end'
    out = reflow(host, [Cue.make(0, 4000, text), Cue.make(4000, 4500, "")])
    assert words(out) == text.split()


SEGMENT = st.text(alphabet="abc ,.?-", min_size=0, max_size=120)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(SEGMENT, st.integers(0, 3000), st.integers(0, 9000), st.booleans()), max_size=25
    ),
    st.sampled_from(["netflix", "bbc", "cea608", "vertical"]),
)
def test_property_words_kept_no_overlap_limits(
    host: PluginHost, segments: list[tuple[str, int, int, bool]], preset: str
) -> None:
    cues, time = [], 0
    for text, gap, length, turn in segments:
        time += gap
        content = (Turn(text, None, True),) if turn else (Turn(text),)
        cues.append(Cue(time, time + length, content))
        time += length
    out = reflow(host, cues, preset=preset)
    expected = [w for c in cues for t in c.turns for w in t.text.split()]
    assert words(out) == expected
    width = {"netflix": 42, "bbc": 37, "cea608": 32, "vertical": 24}[preset]
    starts, ends = [c.start for c in out.cues], [c.end for c in out.cues]
    assert starts == sorted(starts)
    assert all(e <= s for e, s in zip(ends, starts[1:], strict=False))
    for cue in out.cues:
        assert cue.end > cue.start
        for turn in cue.turns:
            for line in turn.text.split("\n"):
                assert len(line) <= width or " " not in line
        assert sum(len(t.text.split("\n")) for t in turns_of(cue.content)) <= 2 or any(
            len(w) > width for t in cue.turns for w in t.text.split()
        )


def test_forced_bad_line_break_becomes_two_subtitles(host: PluginHost) -> None:
    # in 32 columns this segment only fits two lines as "...the big bang of / modern ...":
    # it is cut at a word where both halves break well, time in proportion to characters
    text = "that led to the big bang of modern artificial intelligence,"
    cues = [Cue.make(0, 5600, text), Cue.make(8000, 9000, "Yes.")]
    out = reflow(host, cues, preset="cea608")
    assert words(out) == [*text.split(), "Yes."]
    assert len(out) == 3
    glue = {"of", "the", "to", "and"}
    for cue in out.cues:
        for line in cue.text.split("\n")[:-1]:
            assert line.split()[-1] not in glue
    assert out.cues[0].text.split()[-1] not in glue  # nor does the first subtitle end on one
    assert 2000 < out.cues[1].start < 3000
    # shorter: still cut where both halves break well, and the free time after the speech
    # lets both halves last the minimum duration (the older resegmenter kept the bad break)
    short = reflow(host, [Cue.make(0, 1800, text), Cue.make(8000, 9000, "Yes.")], preset="cea608")
    assert words(short) == [*text.split(), "Yes."]
    assert all(cue.end - cue.start >= 1000 for cue in short.cues)
    for cue in short.cues:
        for line in cue.text.split("\n")[:-1]:
            assert line.split()[-1] not in glue
