"""Tests of the sdh transform, through captionbridge's public API; SRT output read by pysubs2."""

from __future__ import annotations

import re
from pathlib import Path

import pysubs2
import pytest
from captionbridge_sdh import remove_annotations
from hypothesis import given, settings
from hypothesis import strategies as st

import captionbridge
from captionbridge import Cue, Transcript, Turn, Word, hookimpl
from captionbridge.testing import plugin_host, sample_transcripts

pytest_plugins = ["captionbridge.testing"]

SEED = Path(__file__).resolve().parents[3] / "seeds" / "fireside-chat.txt"


def _words(transcript: Transcript) -> list[str]:
    return " ".join(c.text for c in transcript.cues).split()


@pytest.mark.parametrize(
    ("text", "kinds", "expected"),
    [
        ("(laughs)", "sounds", ""),
        ("That is funny (laughs) yes.", "sounds", "That is funny yes."),
        ("Yes (LAUGHTER).", "sounds", "Yes."),
        ("(audience applauding) Thank you.", "sounds", "Thank you."),
        ("[MUSIC] Hello [BLANK_AUDIO]", "sounds", "Hello"),
        ("(which is true) indeed", "sounds", "(which is true) indeed"),
        ("♪ la la la ♪\nWell then.", "music", "Well then."),
        ("♪ a lone note", "music", "a lone note"),
        ("JOHN: Hi.\nDR. SMITH: Hello.", "speakers", "Hi.\nHello."),
        ("[SPEAKER_00]: hi", "speakers", "hi"),
        ("OK: fine, at 10:30: sharp", "speakers", "OK: fine, at 10:30: sharp"),
        ("JOHN: (laughs) ♪ tra ♪ ok", "music", "JOHN: (laughs) ok"),
        # a label after a removed sound tag starts its line then, and goes too
        ("(laughs) MARY: Hi.", "sounds,speakers", "Hi."),
        ("[APPLAUSE] - MARY: Thanks.\n♪ ♪ BOB: Sure.", "sounds,music,speakers", "Thanks.\nSure."),
        ("(laughs) MARY: Hi.", "sounds", "MARY: Hi."),
    ],
)
def test_each_kind_alone(text: str, kinds: str, expected: str) -> None:
    assert remove_annotations(text, kinds.split(",")) == expected


def test_seed_loses_only_the_sound_tags() -> None:
    kept = captionbridge.transform(captionbridge.load(SEED))
    removed = captionbridge.transform(captionbridge.load(SEED), sdh="remove")
    tags = {"(laughs)", "(laughing)", "(laughs).", "(laughing)."}
    expected = [w for w in _words(kept) if w not in tags]
    assert _words(removed) == expected
    assert len(_words(kept)) - len(expected) == 4  # the seed's four laugh tags
    assert len(removed) == len(kept) - 4  # each tag was a cue of its own: all four are dropped
    assert any("sdh: removed 4 annotation(s); dropped 4 cue(s)" in n.message for n in removed.notes)


def test_seed_srt_read_back_by_pysubs2(tmp_path: Path) -> None:
    out = tmp_path / "seed.srt"
    captionbridge.convert(SEED, out, sdh="remove")
    subs = pysubs2.load(str(out))
    text = " ".join(e.plaintext for e in subs)
    assert "laugh" not in text and "Ilya, unbelievable." in text
    first = [(e.start, e.plaintext) for e in subs[:3]]
    assert first[2] == (7300, "It's great to have you here.")


def test_keep_is_the_default_and_changes_nothing() -> None:
    transcript = captionbridge.load(SEED)
    assert captionbridge.transform(transcript) == captionbridge.transform(transcript, sdh="keep")
    assert any("(laughs)" in c.text for c in captionbridge.transform(transcript).cues)


def test_dual_speaker_cue_keeps_its_other_turn() -> None:
    transcript = Transcript(
        [Cue(0, 2000, (Turn("(laughs)", None, True), Turn("You're right.", None, True)))]
    )
    (cue,) = captionbridge.transform(transcript, sdh="remove").cues
    assert cue.turns == (Turn("You're right.", None, True),)


def test_label_after_a_sound_tag_becomes_a_turn_change() -> None:
    transcript = Transcript([Cue.make(0, 2000, "Well, then.\n(laughs) MARY: Hi.")])
    (cue,) = captionbridge.transform(transcript, sdh="remove").cues
    assert cue.turns == (Turn("Well, then."), Turn("Hi.", None, True))


def test_speaker_label_becomes_a_turn_change() -> None:
    transcript = Transcript([Cue.make(0, 2000, "JOHN: Hi there.\nMARY: Hello.")])
    (cue,) = captionbridge.transform(transcript, sdh="remove", sdh_kinds="speakers").cues
    assert cue.turns == (Turn("Hi there.", None, True), Turn("Hello.", None, True))
    assert captionbridge.dumps(Transcript([cue]), "srt").splitlines()[2:] == [
        "- Hi there.",
        "- Hello.",
    ]


def test_hostile_sample_is_untouched() -> None:
    hostile = sample_transcripts()["hostile"]
    assert captionbridge.transform(hostile, sdh="remove", overlaps="keep") == hostile


def test_unknown_kind_is_a_usage_error() -> None:
    with pytest.raises(captionbridge.CaptionbridgeError, match="unknown SDH kind 'lyrics'"):
        captionbridge.transform(Transcript([]), sdh="remove", sdh_kinds="music,lyrics")


def test_runs_in_the_clean_stage_before_reflow() -> None:
    seen: list[str] = []

    class Spy:
        @hookimpl
        def captionbridge_reflow(
            self, transcript: Transcript, options: captionbridge.Options
        ) -> None:
            seen.extend(c.text for c in transcript.cues)

    host = plugin_host(plugins={"spy": Spy()})
    (spec,) = [t for t in host.transforms if t.name == "sdh"]
    assert spec.stage == "clean"
    assert host.describe_plugin(host.provider_of("transform", "sdh")) == "captionbridge-sdh 0.1.0"
    transcript = Transcript([Cue.make(0, 1000, "Sure (laughs) fine.")])
    captionbridge.transform(transcript, host=host, sdh="remove")
    assert seen == ["Sure fine."]


_ANNOTATION = st.sampled_from(["(laughs)", "[MUSIC]", "♪ la la ♪", "(SIGHS)", "[inaudible]"])
_WORD = st.from_regex(r"[A-Za-z][a-z']{0,8}[.,!?]?", fullmatch=True)


@settings(deadline=None, derandomize=True, database=None)  # no clock: a busy machine cannot fail it
@given(st.lists(st.one_of(_WORD, _ANNOTATION), min_size=1, max_size=20))
def test_never_loses_other_words(tokens: list[str]) -> None:
    text = " ".join(tokens)
    words = [t for t in tokens if not re.match(r"[(\[♪]", t)]
    assert remove_annotations(text, ["sounds", "music"]).split() == words


def _timed(text: str) -> Turn:
    return Turn(
        text, words=tuple(Word(w, i * 100, i * 100 + 90) for i, w in enumerate(text.split()))
    )


def test_word_timings_of_the_kept_words_stay() -> None:
    transcript = Transcript([Cue(0, 2000, (_timed("Yes (LAUGHTER). Well,\n(laughs) MARY: Hi."),))])
    result = captionbridge.transform(transcript, sdh="remove")
    turns = result.cues[0].turns
    assert [t.text for t in turns] == ["Yes. Well,", "Hi."]
    assert [[(w.text, w.start) for w in t.words] for t in turns] == [
        [("Yes.", 0), ("Well,", 200)],
        [("Hi.", 500)],
    ]
    assert not any("word timings were dropped" in n.message for n in result.notes)
    # a word the annotation repeats keeps its own time, not the annotation's
    sung = captionbridge.transform(
        Transcript([Cue(0, 900, (_timed("♪ la la ♪ la"),))]), sdh="remove"
    )
    assert [(w.text, w.start) for w in sung.cues[0].words] == [("la", 400)]


@settings(deadline=None, derandomize=True, database=None)
@given(st.lists(st.one_of(_WORD, _ANNOTATION), min_size=1, max_size=20))
def test_the_kept_words_keep_their_times(tokens: list[str]) -> None:
    turn = _timed(" ".join(tokens))
    times = {i: w for i, w in enumerate(turn.words)}
    expected, index = [], 0
    for token in tokens:  # the words of each token, in order; annotations are several words
        count = len(token.split())
        if not re.match(r"[(\[♪]", token):
            expected.append(times[index])
        index += count
    result = captionbridge.transform(Transcript([Cue(0, 9000, (turn,))]), sdh="remove")
    assert [w for c in result.cues for w in c.words] == expected
    assert not any("word timings were dropped" in n.message for n in result.notes)


def test_live_captions_drop_sdh_annotations(tmp_path: Path) -> None:
    import subprocess
    import sys

    import srt

    out = tmp_path / "o.srt"
    command = [sys.executable, "-m", "captionbridge", "live", "--srt", str(out)]
    process = subprocess.run(
        [*command, "--sdh", "remove", "--max-chars", "20"],
        input=b"[00:00:00.000 --> 00:00:03.000]  (laughs) That was a very good question.\n",
        capture_output=True,
        timeout=60,
    )
    assert process.returncode == 0, process.stderr.decode()
    (cue,) = srt.parse(out.read_text(encoding="utf-8"))
    assert "laughs" not in cue.content
    assert cue.content.split() == ["That", "was", "a", "very", "good", "question."]
    assert all(len(line) <= 20 for line in cue.content.splitlines())
