"""Every VTT captionbridge writes, read by the W3C reference parser, holds the cues intended;
and independent line readers (pysubs2, ttconv) find no structure in its text."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pysubs2
import pytest
from textcases import HOSTILE, hostile_voiced
from vttref import reference_parse

import captionbridge
from captionbridge.helpers.render import cue_texts
from captionbridge.host.registry import PluginHost
from captionbridge.model import Speaker, Transcript

CLOCKS = "meeting moved from 0:10:00.00 to 0:20:00.00 today"
NASTY = [
    CLOCKS,
    "00:00:01.000 --> 00:00:02.000",
    "at 12:34.567 and 01:02:03.456 --> 04:05.678 again",
    "  leading spaces and trailing  ",
    "NOTE not a comment\nSTYLE not a style",
    "<" * 300 + " & " + ">" * 300,
    "<v " * 50 + "voices",
    "<v." * 50 + "classes",
    "&amp; &lt;already&gt; &#x3C; &nbsp",
    "line one\n\n\nline three after blank lines",
    "- dash line\n-- double dash\n-3 degrees",
    "back\\Nslash \\h and \\{",
    "\ufeff\u2028\u2029 odd separators",
    "\r\ncarriage\rreturns\r",
]


def _nasty() -> Transcript:
    return hostile_voiced(NASTY, {"a": "a</v&gt;b c", "b": "Ann & <Co>", "c": "  spaced \t name  "})


def _transcripts(seed_path: Path, host: PluginHost) -> dict[str, Transcript]:
    hostile = captionbridge.transform(captionbridge.loads(HOSTILE, host=host), host=host)
    seed = captionbridge.transform(captionbridge.load(seed_path, host=host), host=host)
    return {"nasty": _nasty(), "hostile": hostile, "seed": seed}


def _visible(text: str) -> str:
    """Text as a viewer compares it: word joiners and control characters (which the pipeline
    drops before writing) out, dashes and whitespace runs as one space."""
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2060]", "", text)
    return re.sub(r"[\s-]+", " ", text).strip()


@pytest.mark.parametrize("style", ["auto", "dash", "label", "none"])
def test_reference_parser_reads_the_cues_we_meant(
    seed_path: Path, host: PluginHost, style: str
) -> None:
    transcripts = _transcripts(seed_path, host)
    texts = [
        captionbridge.dumps(t, "vtt", host=host, speaker_style=style) for t in transcripts.values()
    ]
    for (name, transcript), theirs in zip(transcripts.items(), reference_parse(texts), strict=True):
        assert [(round(c["startTime"] * 1000), round(c["endTime"] * 1000)) for c in theirs] == [
            (c.start, c.end) for c in transcript.cues
        ], name
        # what the writer means to show, before escaping: the escaping must be transparent
        plain = cue_texts(transcript, "dash" if style == "auto" else style)
        for cue, intended, got in zip(transcript.cues, plain, theirs, strict=True):
            assert "-->" not in got["text"]
            shown = "".join(p["text"] for p in got["pieces"])
            # the spec decodes character references in annotations; the reference parser
            # keeps them as written
            voices = [html.unescape(p["voice"]) for p in got["pieces"] if p["voice"] is not None]
            named = [t for t in cue.turns if t.speaker is not None]
            if style == "auto" and named:
                labels = [" ".join(str(transcript.speaker_label(t.speaker)).split()) for t in named]
                assert list(dict.fromkeys(voices)) == list(dict.fromkeys(labels)), name
                assert _visible(shown) == _visible(" ".join(t.text for t in cue.turns)), name
            else:
                assert voices == [], name
                assert _visible(shown) == _visible(intended), (name, cue)


def test_our_reader_and_the_reference_parser_agree_on_our_output(
    seed_path: Path, host: PluginHost
) -> None:
    transcripts = _transcripts(seed_path, host)
    texts = [captionbridge.dumps(t, "vtt", host=host) for t in transcripts.values()]
    for text, theirs in zip(texts, reference_parse(texts), strict=True):
        back = captionbridge.loads(text, format="vtt", host=host, keep_empty=True)
        assert len(back.cues) == len(theirs)
        for cue, got in zip(back.cues, theirs, strict=True):
            shown = "".join(p["text"] for p in got["pieces"])
            assert _visible(cue.text) == _visible(shown)
            voices = {html.unescape(p["voice"]) for p in got["pieces"] if p["voice"]}
            assert {t.speaker for t in cue.turns} - {None} == voices


def test_pysubs2_reads_no_bogus_cue_from_clock_times(host: PluginHost) -> None:
    transcript = _nasty()
    text = captionbridge.dumps(transcript, "vtt", host=host)
    subs = pysubs2.SSAFile.from_string(text)
    assert [(e.start, e.end) for e in subs] == [(c.start, c.end) for c in transcript.cues]
    assert "from 0:10:00.00 to 0:20:00.00" in subs[0].plaintext.replace("\u2060", "")
    # the guard is invisible to our reader
    assert captionbridge.loads(text, host=host).cues[0].text == CLOCKS


def test_ttconv_reads_our_text(host: PluginHost) -> None:
    """ttconv 1.x reads every hostile text we write. (Voice names that need a character
    reference are left out: ttconv appends a reference in an annotation to the tag name and
    then fails on the end tag; the references are what the specification asks for.)"""
    from ttconv.vtt import reader

    nasty = _nasty()
    plain_names = {key: Speaker(key, f"Speaker {key}") for key in nasty.speakers}
    text = captionbridge.dumps(nasty.replace(speakers=plain_names), "vtt", host=host)
    doc = reader.to_model(io.StringIO(text))
    assert doc is not None
    body = doc.get_body()
    assert body is not None
    paragraphs = [p for div in body for p in div]
    assert len(paragraphs) == len(nasty.cues)
