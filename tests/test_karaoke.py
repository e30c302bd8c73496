"""Karaoke output (``--karaoke``): ASS ``\\kf`` per word, checked with pysubs2 and rendered by
ffmpeg/libass; WebVTT cue timestamps, checked with the W3C parser and in Chromium."""

from __future__ import annotations

import html
import json
import random
import re
import subprocess
from pathlib import Path
from typing import Any

import pysubs2
import pytest
from chromium import page_result, serve
from conftest import require_tool
from hypothesis import given
from hypothesis import strategies as st

from captionbridge import api
from captionbridge.flow.pipeline import render
from captionbridge.host.registry import PluginHost
from captionbridge.model import Cue, Note, Speaker, Transcript, Turn, Word

_TAG = re.compile(r"\{\\(kf?)(\d+)\}")
WEBVTT_FILES = Path(__file__).resolve().parents[1].parent / "shared" / "conformance" / "webvtt"


def _turn(*words: tuple[str, int, int], speaker: str | None = None) -> Turn:
    return Turn(" ".join(w for w, _, _ in words), speaker, words=tuple(Word(*w) for w in words))


SONG = Transcript(
    [
        Cue(1000, 3000, (_turn(("AAAA", 1000, 2000), ("BBBB", 2000, 3000)),)),
        Cue(
            3500, 6000, (_turn(("one", 3600, 3900), ("two", 4500, 5001), ("{three}", 5003, 5800)),)
        ),
        Cue(6500, 7000, (Turn("no words here"),)),
    ]
)


def _ass(transcript: Transcript, host: PluginHost, **options: Any) -> pysubs2.SSAFile:
    text = api.dumps(transcript, "ass", host=host, karaoke=True, **options)
    assert isinstance(text, str)
    return pysubs2.SSAFile.from_string(text)


def test_ass_karaoke_tags_words_and_pauses(host: PluginHost) -> None:
    events = _ass(SONG, host).events
    assert events[0].text == r"{\kf100}AAAA {\kf100}BBBB"
    # a pause before a word is an empty \k syllable; the time after the last word is one too
    assert events[1].text == r"{\k10}{\kf30}one {\k60}{\kf50}two {\kf80}\{three\}{\k20}"
    # no words: an empty syllable as long as the event, then the text, sung as the cue ends
    assert events[2].text == r"{\k50}{\k0}no words here"


@given(
    st.integers(0, 10_000),
    st.lists(st.tuples(st.integers(0, 997), st.integers(0, 997)), min_size=1, max_size=40),
    st.integers(0, 999),
)
def test_ass_karaoke_durations_add_up_to_the_event(
    host: PluginHost, start: int, steps: list[tuple[int, int]], tail: int
) -> None:
    """Odd millisecond times, many words: the tags still sum to the event's centiseconds."""
    words, at = [], start
    for i, (pause, length) in enumerate(steps):
        words.append((f"w{i}", at + pause, at + pause + length))
        at += pause + length
    cue = Cue(start, at + tail + 1, (_turn(*words),))
    event = _ass(Transcript([cue]), host).events[0]
    tags = _TAG.findall(event.text)
    assert [kind for kind, _ in tags].count("kf") == len(words)
    assert sum(int(cs) for _, cs in tags) * 10 == event.end - event.start
    assert event.plaintext == " ".join(w for w, _, _ in words)


def test_ass_karaoke_colours_follow_the_ass_convention(host: PluginHost) -> None:
    """Sung syllables take PrimaryColour, unsung ones SecondaryColour (the style's own)."""
    speakers = {"S1": Speaker("S1", "Ann", "#00ffff")}
    two = Transcript([Cue(0, 2000, (_turn(("hi", 0, 500), speaker="S1"),))], speakers=speakers)
    subs = _ass(two, host, ass_highlight="#ff0000")
    assert subs.styles["Default"].primarycolor == pysubs2.Color(255, 0, 0)
    assert subs.styles["Default"].secondarycolor == pysubs2.Color(255, 255, 255)
    assert subs.styles["Ann"].primarycolor == pysubs2.Color(255, 0, 0)
    assert subs.styles["Ann"].secondarycolor == pysubs2.Color(0, 255, 255)
    with pytest.raises(Exception, match="ass-highlight"):
        api.dumps(two, "ass", host=host, karaoke=True, ass_highlight="reddish")


def test_ass_karaoke_reads_back_and_is_off_by_default(host: PluginHost) -> None:
    plain = api.dumps(SONG, "ass", host=host)
    assert isinstance(plain, str) and r"\k" not in plain
    text = api.dumps(SONG, "ass", host=host, karaoke=True)
    assert isinstance(text, str)
    back = api.loads(text, host=host)
    assert [c.text for c in back] == [c.text for c in SONG]


def test_ass_karaoke_notes_cues_without_words(host: PluginHost) -> None:
    notes: list[Note] = []
    render(SONG, host.writer("ass"), host, {"karaoke": True}, "song", notes)
    assert [n.message for n in notes] == [
        "karaoke: 1 of 3 cue(s) have no word timings; they are shown without highlighting"
    ]


def _frame(folder: Path, ass: str, seconds: float, size: str = "640x360") -> tuple[int, bytes]:
    """One frame of ``ass`` burnt onto black by ffmpeg/libass, as raw RGB24 (width, bytes)."""
    ffmpeg = require_tool("ffmpeg")
    (folder / "k.ass").write_text(ass, encoding="utf-8")
    command = [ffmpeg, "-v", "error", "-f", "lavfi", "-i", f"color=black:s={size}:r=25:d=8"]
    command += ["-vf", "subtitles=k.ass", "-ss", f"{seconds}", "-frames:v", "1"]
    command += ["-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    done = subprocess.run(
        command,
        cwd=folder,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return int(size.split("x")[0]), done.stdout


def _pixels(width: int, data: bytes, test: Any) -> list[tuple[int, int]]:
    found = []
    for i in range(0, len(data) - 2, 3):
        if test(data[i], data[i + 1], data[i + 2]):
            found.append(((i // 3) % width, (i // 3) // width))
    return found


def _yellow(r: int, g: int, b: int) -> bool:
    return r > 200 and g > 200 and b < 80


def _white(r: int, g: int, b: int) -> bool:
    return r > 200 and g > 200 and b > 200


def test_libass_draws_the_highlight_moving(host: PluginHost, tmp_path: Path) -> None:
    text = api.dumps(SONG, "ass", host=host, karaoke=True)
    assert isinstance(text, str)
    width, early = _frame(tmp_path, text, 1.04)
    _, middle = _frame(tmp_path, text, 1.96)
    _, late = _frame(tmp_path, text, 2.96)
    yellow = [_pixels(width, frame, _yellow) for frame in (early, middle, late)]
    white = [_pixels(width, frame, _white) for frame in (early, middle, late)]
    # before: almost all white; half way: the first word sung; at the end: all yellow
    assert len(white[0]) > 10 * max(1, len(yellow[0]))
    assert len(yellow[0]) < len(yellow[1]) < len(yellow[2])
    assert len(white[2]) < len(white[1]) < len(white[0])
    sung_x = [sum(x for x, _ in found) / len(found) for found in yellow[1:]]
    unsung_x = sum(x for x, _ in white[1]) / len(white[1])
    assert sung_x[0] < unsung_x  # the first word is sung, the second still waits on its right
    assert sung_x[0] < sung_x[1]  # the highlight moved right
    # a cue without words stays in the style's colour all the time it is shown
    _, plain = _frame(tmp_path, text, 6.9)
    assert _pixels(width, plain, _white) and not _pixels(width, plain, _yellow)


# -- WebVTT ----------------------------------------------------------------------------------


def _w3c(texts: list[str]) -> list[dict[str, Any]]:
    node = require_tool("node")
    files = WEBVTT_FILES / "files"
    request = {
        "parser": str(files / "parser.js"),
        "entities": str(files / "html-entities.json"),
        "texts": texts,
    }
    done = subprocess.run(
        [node, str(Path(__file__).with_name("vtt_timestamps.js"))],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answer: list[dict[str, Any]] = json.loads(done.stdout)
    return answer


SPOKEN = Transcript(
    [
        Cue(
            1000,
            3000,
            (_turn(("Hello", 1000, 1400), ("<big>", 1600, 2000), ("world", 2000, 2900)),),
        ),
        Cue(
            3000,
            5000,
            (
                _turn(("Yes", 2900, 3200), ("&", 3300, 3400), speaker="A"),
                _turn(("no", 4000, 4400), ("way", 5000, 5100), speaker="B"),
            ),
        ),
        Cue(5000, 6000, (Turn("plain"),)),
    ],
    speakers={"A": Speaker("A", "Ann"), "B": Speaker("B", "Bob")},
)


@pytest.mark.parametrize("style", ["auto", "dash", "label", "none"])
def test_vtt_cue_timestamps_pass_the_w3c_parser(host: PluginHost, style: str) -> None:
    vtt = api.dumps(SPOKEN, "vtt", host=host, karaoke=True, speaker_style=style)
    assert isinstance(vtt, str)
    (parsed,) = _w3c([vtt])
    assert parsed["errors"] == []
    stamps = [[v for kind, v in cue["nodes"] if kind == "timestamp"] for cue in parsed["cues"]]
    # strictly inside the cue and increasing: a word at the cue's start or end gets none
    assert stamps == [[1.6, 2.0], [3.3, 4.0], []]
    texts = ["".join(v for kind, v in cue["nodes"] if kind == "text") for cue in parsed["cues"]]
    assert texts[0] == "Hello <big> world"
    assert (
        texts[1]
        == {
            "auto": "- Yes &\n- no way",
            "dash": "- Yes &\n- no way",
            "label": "Ann: Yes &\nBob: no way",
            "none": "Yes &\nno way",
        }[style]
    )
    plain = api.dumps(SPOKEN, "vtt", host=host, speaker_style=style)
    assert isinstance(plain, str) and "<00:" not in plain


def test_vtt_karaoke_reads_back(host: PluginHost) -> None:
    import webvtt

    vtt = api.dumps(SPOKEN, "vtt", host=host, karaoke=True)
    assert isinstance(vtt, str)
    assert api.loads(vtt, host=host).cues[0].text == "Hello <big> world"
    captions = webvtt.from_string(vtt).captions  # tags stripped, entities left as they are
    assert html.unescape(captions[0].text) == "Hello <big> world"


_PAGE = """<!doctype html><meta charset="utf-8"><video><track id="t" kind="subtitles"
src="captions.vtt" srclang="en" default></video><pre id="out">pending</pre><script>
function walk(node, out) {
  for (const child of node.childNodes) {
    if (child.nodeType === Node.PROCESSING_INSTRUCTION_NODE) out.push([child.target, child.data]);
    else if (child.nodeType === Node.TEXT_NODE) out.push(["#text", child.data]);
    else walk(child, out);
  }
  return out;
}
const element = document.getElementById("t");
element.track.mode = "hidden";
element.addEventListener("load", () => {
  const cues = Array.from(element.track.cues, cue => walk(cue.getCueAsHTML(), []));
  document.getElementById("out").textContent = JSON.stringify(cues);
});
element.addEventListener("error", () => { document.getElementById("out").textContent = "error"; });
</script>"""


def test_chromium_exposes_the_timestamps(host: PluginHost, tmp_path: Path) -> None:
    vtt = api.dumps(SPOKEN, "vtt", host=host, karaoke=True)
    assert isinstance(vtt, str)
    (tmp_path / "captions.vtt").write_text(vtt, encoding="utf-8")
    with serve(tmp_path) as url:
        cues = page_result(tmp_path, url, _PAGE)
    assert cues[0] == [
        ["#text", "Hello "],
        ["timestamp", "00:00:01.600"],
        ["#text", "<big> "],
        ["timestamp", "00:00:02.000"],
        ["#text", "world"],
    ]
    assert [n for n in cues[1] if n[0] == "timestamp"] == [
        ["timestamp", "00:00:03.300"],
        ["timestamp", "00:00:04.000"],
    ]
    assert cues[2] == [["#text", "plain"]]


def _random_timed(seed: int, count: int) -> Transcript:
    """Cues whose words start before, at, inside and after their cue, overlap and repeat times."""
    rng = random.Random(seed)
    cues, at = [], 0
    for _ in range(count):
        start, end = at, at + rng.randint(1, 4000)
        words = []
        for n in range(rng.randint(1, 7)):
            begin = rng.randint(start - 300, end + 300)
            words.append(
                Word(
                    rng.choice(["a", "<b>", "&c", "-d", "e.", "0:10:00.00"]) + str(n),
                    begin,
                    begin + rng.randint(0, 500),
                )
            )
        text = (
            "\n".join(w.text for w in words)
            if rng.random() < 0.2
            else " ".join(w.text for w in words)
        )
        speaker = rng.choice([None, "A"])
        cues.append(
            Cue(start, end, (Turn(text, speaker, change=rng.random() < 0.3, words=tuple(words)),))
        )
        at = end + rng.randint(0, 50)
    return Transcript(cues, speakers={"A": Speaker("A", "Ann")})


def test_vtt_timestamps_of_disorderly_words_stay_valid(host: PluginHost) -> None:
    """Words out of order or outside their cue never give a timestamp the W3C parser refuses."""
    transcript = _random_timed(15, 300)
    texts = [
        api.dumps(transcript, "vtt", host=host, karaoke=True, speaker_style=s)
        for s in ("auto", "dash")
    ]
    assert all(isinstance(t, str) for t in texts)
    parsed = _w3c([str(t) for t in texts])
    for result in parsed:
        assert result["errors"] == []
        assert len(result["cues"]) == 300
        stamps = sum(1 for cue in result["cues"] for kind, _ in cue["nodes"] if kind == "timestamp")
        assert stamps > 300  # most cues have words inside them
        for cue, source in zip(result["cues"], transcript, strict=True):
            shown = "".join(v for kind, v in cue["nodes"] if kind == "text")
            tokens = shown.replace("\u2060", "").split()
            assert tokens in (source.text.split(), ["-", *source.text.split()])


def test_ass_karaoke_of_disorderly_words_adds_up(host: PluginHost) -> None:
    transcript = _random_timed(16, 200)
    for event in _ass(transcript, host).events:
        assert sum(int(cs) for _, cs in _TAG.findall(event.text)) * 10 == event.end - event.start


def test_words_that_do_not_spell_the_text_are_not_shown(host: PluginHost) -> None:
    stale = Transcript([Cue(0, 2000, (Turn("new text", words=(Word("old", 500, 900),)),))])
    notes: list[Note] = []
    ass = render(stale, host.writer("ass"), host, {"karaoke": True}, "x", notes)[""].decode()
    assert r"{\k200}{\k0}new text" in ass
    vtt = render(stale, host.writer("vtt"), host, {"karaoke": True}, "x")[""].decode()
    assert "<00:" not in vtt and "new text" in vtt


def test_two_speakers_in_one_karaoke_event(host: PluginHost) -> None:
    duo = Transcript(
        [
            Cue(
                0,
                3000,
                (_turn(("Hi", 0, 500), speaker="A"), _turn(("there", 1500, 2000), speaker="B")),
            )
        ],
        speakers={"A": Speaker("A", "Ann"), "B": Speaker("B", "Bob")},
    )
    subs = _ass(duo, host)
    (event,) = subs.events
    # the dash before each turn is not a word; the timing runs on across the style reset
    assert event.text == r"- {\kf50}Hi\N{\rBob}- {\k100}{\kf50}there{\k100}"
    # Bob's colour is yellow, the default highlight: his words are highlighted in orange
    assert subs.styles["Bob"].secondarycolor == pysubs2.Color(255, 255, 0)
    assert subs.styles["Bob"].primarycolor == pysubs2.Color(255, 128, 0)
    assert subs.styles["Ann"].primarycolor == pysubs2.Color(255, 255, 0)


@pytest.mark.parametrize("text", ["{\\an8} a\\N b} \\ {\\k50}x", "ends with \\", "{\\k10}"])
def test_karaoke_text_shows_as_typed(host: PluginHost, text: str) -> None:
    """Text that looks like tags stays text; a trailing backslash cannot escape a tag."""
    words = tuple(Word(t, 100 * i, 100 * i + 80) for i, t in enumerate(text.split()))
    transcript = Transcript([Cue(0, 2000, (Turn(text, words=words),))])
    for format_ in ("ass", "vtt"):
        written = api.dumps(transcript, format_, host=host, karaoke=True)
        assert isinstance(written, str)
        assert api.loads(written, host=host).cues[0].text == text
    (event,) = _ass(transcript, host).events
    assert sum(int(cs) for _, cs in _TAG.findall(event.text)) == 200


# -- reading karaoke back ----------------------------------------------------------------------


def test_karaoke_ass_reads_back_its_words(host: PluginHost) -> None:
    text = api.dumps(SONG, "ass", host=host, karaoke=True)
    assert isinstance(text, str)
    back = api.loads(text, host=host)
    assert [[(w.text, w.start, w.end) for w in cue.words] for cue in back] == [
        [("AAAA", 1000, 2000), ("BBBB", 2000, 3000)],
        # ASS counts centiseconds: 5001 and 5003 ms come back as 5000
        [("one", 3600, 3900), ("two", 4500, 5000), ("{three}", 5000, 5800)],
        [],  # written without words (a syllable of no length), read without words
    ]


def test_syllables_of_other_karaoke_tools_make_words(host: PluginHost) -> None:
    header = str(api.dumps(Transcript([Cue(0, 1, (Turn("x"),))]), "ass", host=host))
    header = header.rsplit("Dialogue", 1)[0]
    events = [
        r"0:00:01.00,0:00:03.00,Default,,0,0,0,,{\k20}Hel{\k30}lo {\K50}world{\k10}",
        r"0:00:04.00,0:00:05.00,Default,,0,0,0,,- {\ko20}Hi",
        r"0:00:06.00,0:00:07.00,Default,,0,0,0,,not {\k20}timed",
        r"0:00:08.00,0:00:09.00,Default,,0,0,0,,{\an8\kf40}top {\k60\b1}bold",
    ]
    text = header + "".join(f"Dialogue: 0,{e}\n" for e in events)
    cues = api.loads(text, host=host).cues
    assert [[(w.text, w.start, w.end) for w in cue.words] for cue in cues] == [
        [("Hello", 1000, 1500), ("world", 1500, 2000)],  # sub-word syllables make one word
        [("Hi", 4000, 4200)],  # the turn dash before the first tag is not a word
        [],  # "not" has no time: the cue keeps its text and no words
        [("top", 8000, 8400), ("bold", 8400, 9000)],
    ]
    assert [c.text for c in cues] == ["Hello world", "Hi", "not timed", "top bold"]


def test_karaoke_ass_becomes_karaoke_vtt(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from captionbridge.cli.app import cli

    source = tmp_path / "song.ass"
    source.write_text(str(api.dumps(SONG, "ass", karaoke=True)))
    result = CliRunner().invoke(cli, ["convert", str(source), "-t", "vtt", "--karaoke", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert "AAAA <00:00:02.000>BBBB" in result.output
    assert "one <00:00:04.500>two <00:00:05.000>{three}" in result.output
