"""WebVTT cue timestamps become word timings; YouTube's rolling captions give each word once."""

from __future__ import annotations

from pathlib import Path

import captionbridge
from captionbridge.host.registry import PluginHost
from captionbridge.model import words_agree

YOUTUBE = Path(__file__).resolve().parent / "data" / "vttwords" / "youtube-auto.en.vtt"
SPOKEN = "so today we're going to talk about how captions work on the web and why it matters & more"


def read(text: str, host: PluginHost) -> captionbridge.Transcript:
    return captionbridge.loads(text, format="vtt", host=host)


def timings(t: captionbridge.Transcript) -> list[tuple[str, int, int]]:
    return [(w.text, w.start, w.end) for c in t.cues for w in c.words]


def test_youtube_rolling_captions_give_every_word_once_with_its_time(host: PluginHost) -> None:
    import webvtt

    assert len(webvtt.read(str(YOUTUBE)).captions) == 7  # the file as players see it
    t = captionbridge.load(YOUTUBE, host=host)
    assert [c.text for c in t.cues] == [
        "so today we're going to talk",
        "about how captions work",
        "on the web and why",
        "it matters & more",
    ]
    assert [w for w, _, _ in timings(t)] == SPOKEN.split()
    assert timings(t)[:3] == [("so", 0, 359), ("today", 359, 719), ("we're", 719, 960)]
    assert timings(t)[5] == ("talk", 1280, 2869)  # the last word ends with its cue
    assert timings(t)[6] == ("about", 2879, 3120)  # the first starts with its cue
    assert timings(t)[-2:] == [("&", 9000, 9200), ("more", 9200, 10_000)]
    assert all(words_agree(turn) for c in t.cues for turn in c.turns)
    (note,) = [n for n in t.notes if "rolling" in n.message]
    assert "6 line(s) repeated" in note.message and "3 cue(s) left with nothing new" in note.message


def test_plain_cue_timestamps_share_a_stretch_by_length(host: PluginHost) -> None:
    t = read(
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nNever<00:00:01.500> drink<00:00:02.000>"
        " liquid nitrogen.\n",
        host,
    )
    assert t.cues[0].text == "Never drink liquid nitrogen."
    assert timings(t) == [
        ("Never", 1000, 1500),
        ("drink", 1500, 2000),
        ("liquid", 2000, 2411),
        ("nitrogen.", 2411, 3000),
    ]
    assert not any("rolling" in n.message for n in t.notes)


def test_a_timestamp_inside_a_word_does_not_cut_it(host: PluginHost) -> None:
    t = read("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nhel<00:00:01.500>lo world\n", host)
    assert timings(t) == [("hello", 1000, 2000), ("world", 2000, 3000)]


def test_voices_and_turn_dashes_keep_their_words(host: PluginHost) -> None:
    t = read(
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n- Hi<00:00:01.500> there\n"
        "- Yes<00:00:02.500> indeed\n\n00:00:05.000 --> 00:00:06.000\n"
        "<v Bob>Fine<00:00:05.500> thanks</v>\n",
        host,
    )
    turns = [turn for c in t.cues for turn in c.turns]
    assert [(turn.text, [w.text for w in turn.words]) for turn in turns] == [
        ("Hi there", ["Hi", "there"]),
        ("Yes indeed", ["Yes", "indeed"]),
        ("Fine thanks", ["Fine", "thanks"]),
    ]
    assert turns[1].words[1].start == 2500 and turns[2].speaker == "Bob"


def test_times_stay_inside_the_cue_and_never_go_back(host: PluginHost) -> None:
    t = read("WEBVTT\n\n00:00:02.000 --> 00:00:03.000\na<00:00:01.000> b<00:00:09.000> c\n", host)
    # and the shared word repair gives the squeezed words their 40 ms, inside the cue
    assert timings(t) == [("a", 2000, 2040), ("b", 2040, 2960), ("c", 2960, 3000)]
    assert any("lengthened" in n.message for n in t.notes)


def test_a_file_without_timestamps_has_no_words(host: PluginHost) -> None:
    t = read(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello\n\n00:00:02.000 --> 00:00:03.000\nhello\n",
        host,
    )
    assert [c.text for c in t.cues] == ["hello", "hello"]  # a repeat is no rolling caption here
    assert not any(c.words for c in t.cues)


def test_timestamp_fast_path_agrees_with_the_specification_steps() -> None:
    from captionbridge.plugins.vtt.blocks import parse_timestamp
    from captionbridge.plugins.vtt.cuewords import _stamp

    for content in ("00:00:01.500", "01:02.003", "9999:59:59.999", "12:34:56.789", "1:02:03.004"):
        spec = parse_timestamp(content, 0)
        assert not isinstance(spec, str) and _stamp(content) == spec[0]
    for content in ("00:60.000", "1:02.003", "0:00:00.00", "00:00:01.5000", "c", "00:00:01.500 "):
        assert _stamp(content) is None


def test_rolling_captions_unroll_in_file_order(host: PluginHost) -> None:
    # the transition cue starts with the next line's cue: sorted, the longer would come first
    text = (
        "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n \none<00:00:00.500><c> two</c>\n\n"
        "00:00:01.000 --> 00:00:01.010\none two\n \n\n"
        "00:00:01.000 --> 00:00:02.000\none two\nthree<00:00:01.500><c> four</c>\n\n"
        "00:00:02.000 --> 00:00:02.010\nthree four\n \n\n"
        "00:00:02.000 --> 00:00:03.000\nthree four\nfive<00:00:02.500><c> six</c>\n"
    )
    t = read(text, host)
    assert [c.text for c in t.cues] == ["one two", "three four", "five six"]
    assert [w for w, _, _ in timings(t)] == ["one", "two", "three", "four", "five", "six"]
