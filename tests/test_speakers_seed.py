"""Acceptance on the seed: --speakers over its turn dashes, checked by webvtt-py and Chromium."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from chromium import page_result, serve

from captionbridge import api
from captionbridge.host.registry import PluginHost
from captionbridge.model import Transcript, turns_of

NAMES = ("Jensen Huang", "Ilya Sutskever")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]+)>(.*?)</v>")


@pytest.fixture(scope="module")
def labelled(seed_path: Path, host: PluginHost) -> Transcript:
    transcript = api.load(seed_path, host=host)
    return api.transform(transcript, host=host, speakers=",".join(NAMES))


@pytest.fixture(scope="module")
def seed_vtt(labelled: Transcript, host: PluginHost) -> str:
    text = api.dumps(labelled, "vtt", host=host)
    assert isinstance(text, str)
    return text


def _seed_words(seed_path: Path) -> list[str]:
    words = []
    for line in seed_path.read_text(encoding="utf-8").splitlines():
        if "]" in line:
            words += [w for w in line.split("]", 1)[1].split() if w not in ("-", ">>")]
    return words


def test_every_turn_is_named_in_alternation(labelled: Transcript) -> None:
    turns = [t for c in labelled.columns().contents for t in turns_of(c)]
    assert all(t.speaker in NAMES for t in turns)
    assert turns[0].speaker == NAMES[0]
    for previous, turn in pairwise(turns):
        assert (turn.speaker != previous.speaker) == turn.change
    assert {k: v.name for k, v in labelled.speakers.items()} == {n: n for n in NAMES}


def test_vtt_voices_parse_back_through_webvtt_py(seed_vtt: str, seed_path: Path) -> None:
    import webvtt

    captions = webvtt.from_string(seed_vtt).captions
    assert len(captions) == 1106
    words: list[str] = []
    for caption in captions:
        assert caption.voice in NAMES, caption.raw_text
        lines = caption.raw_text.split("\n")
        voiced = [_VOICE.fullmatch(line) for line in lines]
        assert all(voiced), caption.raw_text  # one voice span per line, every line
        for match in voiced:
            assert match is not None
            text = html.unescape(match.group(2))
            if len(lines) > 1:  # a dual-speaker cue: each voice starts with the dash players show
                assert text.startswith("- ") and not text.startswith("- -"), caption.raw_text
                text = text[2:]
            assert not text.startswith(("-", ">>")), caption.raw_text
            words += text.split()
    assert words == [w.replace("â€”", "—") for w in _seed_words(seed_path)]
    by_start = {c.start: c for c in captions}
    dual = by_start["00:04:59.780"]  # "- Yes. - 2012."
    assert _VOICE.findall(dual.raw_text) == [(NAMES[0], "- Yes."), (NAMES[1], "- 2012.")]
    gpus = by_start["00:07:35.980"]  # "- GPUs came out. - you and I,"
    assert [v for v, _ in _VOICE.findall(gpus.raw_text)] == [NAMES[0], NAMES[1]]


def test_srt_and_txt_show_names_without_stray_dashes(
    labelled: Transcript, host: PluginHost
) -> None:
    import pysubs2

    srt_text = api.dumps(labelled, "srt", host=host)
    assert isinstance(srt_text, str)
    events = pysubs2.SSAFile.from_string(srt_text, format_="srt").events
    assert len(events) == 1106
    assert events[0].plaintext.startswith("Jensen Huang: Ilya, unbelievable.")
    lines = [line for e in events for line in e.plaintext.split("\n")]
    assert not any(line.startswith("-") for line in lines)
    labels = [line.split(":", 1)[0] for line in lines if line.startswith(NAMES)]
    changes = sum(t.change for c in labelled.columns().contents for t in turns_of(c))
    assert len(labels) == changes + 1  # a label where the speaker changes, and at the start
    dual = next(e for e in events if e.start == 299780)
    assert dual.plaintext == "Jensen Huang: Yes.\nIlya Sutskever: 2012."
    txt = api.dumps(labelled, "txt", host=host)
    assert isinstance(txt, str)
    paragraphs = txt.strip().split("\n\n")
    assert len(paragraphs) == changes + 1
    assert all(p.startswith((f"{NAMES[0]}: ", f"{NAMES[1]}: ")) for p in paragraphs)
    assert not any(" - " in p or p.split(": ", 1)[1].startswith("-") for p in paragraphs)


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    with serve(tmp_path) as url:
        yield tmp_path, url


# A <video> without media still loads a <track> once the track is "hidden"; its "load" event
# fires when the browser's WebVTT parser is done. The cues go into the DOM for --dump-dom.
_PAGE = """<!doctype html><meta charset="utf-8"><video><track id="t" kind="subtitles"
src="captions.vtt" srclang="en" default></video><pre id="out">pending</pre><script>
const element = document.getElementById("t");
element.track.mode = "hidden";
element.addEventListener("load", () => {
  const cues = Array.from(element.track.cues).map(cue => ({
    start: cue.startTime, end: cue.endTime, text: cue.text,
    shown: cue.getCueAsHTML().textContent,
    voices: Array.from(cue.getCueAsHTML().querySelectorAll("span[title]"), s => s.title)}));
  document.getElementById("out").textContent = JSON.stringify(cues);
});
element.addEventListener("error", () => { document.getElementById("out").textContent = "error"; });
</script>"""


def _chromium_cues(folder: Path, url: str, vtt: str) -> list[dict[str, object]]:
    (folder / "captions.vtt").write_text(vtt, encoding="utf-8")
    cues: list[dict[str, object]] = page_result(folder, url, _PAGE)
    return cues


def test_chromium_parses_the_voices(seed_vtt: str, served: tuple[Path, str]) -> None:
    folder, url = served
    cues = _chromium_cues(folder, url, seed_vtt)
    assert len(cues) == 1106
    for cue in cues:
        voices = cue["voices"]
        assert isinstance(voices, list) and voices and set(voices) <= set(NAMES), cue
        text = str(cue["text"])
        assert text.startswith("<v ") and text.endswith("</v>"), cue
    dual = next(c for c in cues if c["start"] == pytest.approx(299.78))
    assert dual["voices"] == list(NAMES)
    assert dual["text"] == "<v Jensen Huang>- Yes.</v>\n<v Ilya Sutskever>- 2012.</v>"
    # what a browser shows (it draws no voice names): the dual-speaker dashes mark the change
    assert dual["shown"] == "- Yes.\n- 2012."
    singles = [c for c in cues if len(c["voices"]) == 1]  # type: ignore[arg-type]
    assert singles and not any(str(c["shown"]).startswith("- ") for c in singles)


def test_chromium_reads_hostile_names_and_text(host: PluginHost, served: tuple[Path, str]) -> None:
    hostile = (
        '[00:00:01.000 --> 00:00:03.000]   SPEAKER_00: a <b> & c --> d {\\an8} "q" 🎉\n'
        "[00:00:03.000 --> 00:00:05.000]   SPEAKER_01: שלום עולם - و <i>x</i>\n"
        "[00:00:05.000 --> 00:00:07.000]   SPEAKER_00: " + "long " * 40 + "\n"
        "[00:00:07.000 --> 00:00:08.000]\n"  # an empty segment (dropped by the reader)
        "[00:00:08.000 --> 00:00:09.000]   SPEAKER_01: bell\x07 ring\n"
    )
    names = ["A&B <Co> --> x", 'Zoë "Z" >']
    transcript = api.transform(api.loads(hostile, host=host), host=host, speakers=names)
    vtt = api.dumps(transcript, "vtt", host=host)
    assert isinstance(vtt, str)
    folder, url = served
    cues = _chromium_cues(folder, url, vtt)
    assert [c["voices"] for c in cues] == [[names[0]], [names[1]], [names[0]], [names[1]]]
    assert "a <b> & c --> d" not in vtt  # escaped in the file...
    rendered = html.unescape(re.sub(r"<[^>]+>", "", str(cues[0]["text"])))
    assert rendered == 'a <b> & c --> d {\\an8} "q" 🎉'  # ...and intact in the browser
    import webvtt

    assert [html.unescape(c.voice or "") for c in webvtt.from_string(vtt).captions] == [
        names[0],
        names[1],
        names[0],
        names[1],
    ]
