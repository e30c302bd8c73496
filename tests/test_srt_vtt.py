"""SRT and WebVTT written on the fast path, checked by independent parsers."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pysubs2
import pytest
import webvtt
from conftest import require_tool

import captionbridge
from captionbridge.helpers.render import cue_texts
from captionbridge.host.registry import PluginHost
from captionbridge.model import Cue, Speaker, Transcript, Turn


def words(texts: list[str]) -> list[str]:
    return " ".join(texts).split()


@pytest.fixture(scope="module")
def seed(seed_path: Path, host: PluginHost) -> Transcript:
    return captionbridge.load(seed_path, host=host)


def expected(seed: Transcript) -> tuple[list[tuple[int, int]], list[str]]:
    return [(c.start, c.end) for c in seed.cues], words(
        [t.text for c in seed.cues for t in c.turns]
    )


def tokens(text: str) -> list[str]:
    """Word characters only: tags and escapes are the format's business, words are ours.

    SRT has no escaping: ``<tags>`` and ``{\\overrides}`` in cue text are markup to every
    player, so they are compared without their contents."""
    # the writers defuse markup with word joiners and fullwidth braces: undo that first
    text = text.replace("\u2060", "").replace("\uff5b", "{").replace("\uff5d", "}")
    text = re.sub(r"\{[^}]*\}|\\N", " ", text)
    text = html.unescape(re.sub(r"<[^>]*>", " ", html.unescape(text)))
    return re.findall(r"[^\W_]+", text.replace("\u2060", ""))


def clock_ms(text: str) -> int:
    h, m, s = text.split(":")
    return round((int(h) * 3600 + int(m) * 60 + float(s)) * 1000)


def ffmpeg_cues(path: Path, fmt: str) -> list[tuple[int, int, str]]:
    """Let ffmpeg read a subtitle file and write it as SRT; parse that back."""
    ffmpeg = require_tool("ffmpeg")
    result = subprocess.run(
        [ffmpeg, "-v", "error", "-i", str(path), "-f", "srt", "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    assert result.stderr == b"", result.stderr
    blocks = result.stdout.decode("utf-8").strip().split("\n\n")
    cues = []
    stamp = r"(\d+):(\d\d):(\d\d),(\d\d\d)"
    for block in blocks:
        lines = block.split("\n")
        m = re.match(rf"{stamp} --> {stamp}", lines[1])
        assert m, block
        g = [int(x) for x in m.groups()]
        start = ((g[0] * 60 + g[1]) * 60 + g[2]) * 1000 + g[3]
        end = ((g[4] * 60 + g[5]) * 60 + g[6]) * 1000 + g[7]
        text = re.sub(r"<[^>]+>", "", "\n".join(lines[2:]))
        cues.append((start, end, text))
    return cues


def test_seed_srt_read_back_by_pysubs2_webvtt_and_ffmpeg(
    seed: Transcript, tmp_path: Path, host: PluginHost
) -> None:
    out = tmp_path / "seed.srt"
    captionbridge.save(seed, out, host=host)
    times, seed_words = expected(seed)
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")

    subs = pysubs2.load(str(out))
    assert [(e.start, e.end) for e in subs] == times
    assert words([e.plaintext.replace("\n", " ").replace("- ", "", 1) for e in subs]) != []
    assert [w for w in words([e.plaintext for e in subs]) if w != "-"] == seed_words

    vtt = webvtt.from_srt(str(out))
    assert len(vtt.captions) == 1106
    assert [w for w in words([c.text for c in vtt.captions]) if w != "-"] == seed_words

    cues = ffmpeg_cues(out, "srt")
    assert [(s, e) for s, e, _ in cues] == times
    assert [w for w in words([t for _, _, t in cues]) if w != "-"] == seed_words


def test_seed_vtt_read_back_by_webvtt_pysubs2_and_ffmpeg(
    seed: Transcript, tmp_path: Path, host: PluginHost
) -> None:
    out = tmp_path / "seed.vtt"
    captionbridge.save(seed, out, host=host)
    times, seed_words = expected(seed)

    vtt = webvtt.read(str(out))
    assert [(clock_ms(c.start), clock_ms(c.end)) for c in vtt.captions] == times
    assert [w for w in words([c.text for c in vtt.captions]) if w != "-"] == seed_words

    subs = pysubs2.load(str(out))
    assert [(e.start, e.end) for e in subs] == times

    cues = ffmpeg_cues(out, "webvtt")
    assert [(s, e) for s, e, _ in cues] == times
    assert [w for w in words([t for _, _, t in cues]) if w != "-"] == seed_words


HOSTILE = [
    "arrow --> inside",
    "<script>alert(1)</script> & &amp; already",
    "first line\n\nafter a blank line",
    "carriage\rreturn",
    "1\n00:00:01,000 --> 00:00:02,000\nfake cue",
    "{\\an8}override \\N literal",
    "emoji 👩‍👩‍👧 and RTL שלום עליכם",
]


def hostile_transcript() -> Transcript:
    cues = [Cue.make(i * 2000, i * 2000 + 1500, text) for i, text in enumerate(HOSTILE)]
    cues.append(Cue(20_000, 22_000, (Turn("Hi & bye >", "a", True), Turn("Yo <3", "b", True))))
    return Transcript(cues, speakers={"a": Speaker("a", "Ann & <Co>"), "b": Speaker("b", "Bob")})


@pytest.mark.parametrize("fmt", ["srt", "vtt"])
def test_hostile_text_stays_inside_its_cue(fmt: str, tmp_path: Path, host: PluginHost) -> None:
    transcript = hostile_transcript()
    out = tmp_path / f"hostile.{fmt}"
    captionbridge.save(transcript, out, host=host)
    subs = pysubs2.load(str(out))
    assert [(e.start, e.end) for e in subs] == [(c.start, c.end) for c in transcript.cues]
    # SRT shows speakers as "Name: " labels inside the text; VTT as <v> voices
    shown = cue_texts(transcript) if fmt == "srt" else [c.text for c in transcript.cues]
    for event, text in zip(subs, shown, strict=True):
        assert tokens(event.plaintext) == tokens(text)
    cues = ffmpeg_cues(out, fmt)
    assert [(s, e) for s, e, _ in cues] == [(c.start, c.end) for c in transcript.cues]
    for (_, _, text), want in zip(cues, shown, strict=True):
        assert tokens(text) == tokens(want)


def test_vtt_escapes_and_voices(host: PluginHost) -> None:
    text = captionbridge.dumps(hostile_transcript(), "vtt", host=host)
    assert "-->" not in text.split("\n\n", 1)[1].replace(" --> ", "")
    assert "&lt;script&gt;" in text
    assert "&amp;amp; already" in text
    assert "<v Ann &amp; &lt;Co&gt;>- Hi &amp; bye &gt;</v>\n<v Bob>- Yo &lt;3</v>" in text
    parsed = webvtt.from_string(text)
    assert parsed.captions[-1].voice == "Ann &amp; &lt;Co&gt;"


def test_srt_dual_speaker_cue_and_labels(host: PluginHost) -> None:
    transcript = Transcript(
        [
            Cue(0, 1000, (Turn("Yes.", None, True), Turn("2012.", None, True))),
            Cue(1000, 2000, (Turn("Hello.", "a", True),)),
            Cue(2000, 3000, (Turn("Again.", "a"),)),
        ],
        speakers={"a": Speaker("a", "Ann")},
    )
    text = captionbridge.dumps(transcript, "srt", host=host)
    assert text == (
        "1\n00:00:00,000 --> 00:00:01,000\n- Yes.\n- 2012.\n\n"
        "2\n00:00:01,000 --> 00:00:02,000\nAnn: Hello.\n\n"
        "3\n00:00:02,000 --> 00:00:03,000\nAgain.\n"
    )
    back = captionbridge.loads(text, host=host)
    assert back.cues[0].turns == (Turn("Yes.", None, True), Turn("2012.", None, True))


def test_srt_reader_reads_back_what_we_write(seed: Transcript, host: PluginHost) -> None:
    text = captionbridge.dumps(seed, "srt", host=host)
    back = captionbridge.loads(text, format="srt", host=host)
    assert [(c.start, c.end) for c in back.cues] == [(c.start, c.end) for c in seed.cues]
    assert [c.turns for c in back.cues] == [
        tuple(Turn(t.text, None, t.change or len(c.turns) > 1) for t in c.turns) for c in seed.cues
    ]


def test_vtt_reader_keeps_voices(host: PluginHost) -> None:
    text = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.500\n<v Jensen Huang>Hi &amp; bye</v>\n"
        "<v.loud Ilya>Yo</v>\n\n00:01:02.000 --> 00:01:03.000\nplain <i>italic</i>\n"
    )
    t = captionbridge.loads(text, host=host)
    assert t.cues[0].turns == (Turn("Hi & bye", "Jensen Huang", False), Turn("Yo", "Ilya", True))
    assert t.cues[1].text == "plain italic"
    assert t.speakers["Ilya"].label == "Ilya"
    assert captionbridge.dumps(t, "vtt", host=host).count("<v ") == 2
