"""Markdown and HTML transcripts (plugins/readable.py), parsed by html5lib, lxml, html.parser
and markdown-it."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import html5lib
import pytest
from lxml import etree
from markdown_it import MarkdownIt
from textcases import all_words, converted, words

import captionbridge
from captionbridge import Cue, Speaker, Transcript, Turn
from captionbridge.plugins.readable import PARAGRAPH_CHARS, clock_label, fragment

__all__ = ["converted"]  # the session fixture, imported so pytest finds it


class Paragraphs(HTMLParser):
    """Collects each <p>: its id, its time link, its speaker label and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[dict[str, Any]] = []
        self.inside: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "p":
            self.found.append({"id": attributes.get("id"), "text": "", "speaker": None})
        elif self.found and tag == "a":
            self.found[-1]["href"] = attributes["href"]
            self.inside = "time"
        elif self.found and tag in ("bdi", "strong"):
            self.inside = "speaker"
            self.found[-1]["speaker"] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("a", "bdi", "strong"):
            self.inside = None

    def handle_data(self, data: str) -> None:
        if not self.found:
            return
        key = {"time": "label", "speaker": "speaker"}.get(self.inside or "", "text")
        self.found[-1][key] = self.found[-1].get(key, "") + data


def _paragraphs(html: str) -> list[dict[str, Any]]:
    parser = Paragraphs()
    parser.feed(html)
    parser.close()
    return parser.found


def _check(transcript: Transcript, html: str, base: str = "") -> list[dict[str, Any]]:
    found = _paragraphs(html)
    assert [w for p in found for w in words(p["text"])] == all_words(transcript)
    starts = [cue.start for cue in transcript.cues]
    previous = -1
    for paragraph in found:
        href = paragraph["href"]
        assert href.startswith(base + "#t=")
        ms = round(float(href.split("#t=")[1]) * 1000)
        assert ms in starts and ms >= previous  # two turns of one cue share its start
        assert paragraph["label"] == clock_label(ms)
        previous = ms
    return found


@pytest.mark.parametrize("name", ["seed", "hostile"])
def test_html_is_valid_and_complete(converted: dict[str, Any], name: str) -> None:
    transcript, paths = converted[name]
    html = paths["html"].read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>\n<html")
    html5lib.HTMLParser(strict=True).parse(html)  # raises on any HTML5 parse error
    root = etree.fromstring(html.split("\n", 1)[1].encode())  # well-formed XML too
    assert root.find("head/title").text == ("fireside-chat" if name == "seed" else "hostile")
    found = _check(transcript, html)
    ids = [p["id"] for p in found if p["id"]]
    assert len(ids) == len(set(ids)) == len({p["href"] for p in found})
    if name == "hostile":
        assert [p["speaker"] for p in found][:4] == ["SPEAKER_00", "SPEAKER_01"] * 2
        assert "Less < than & more > \"quotes\" 'single'" in found[0]["text"]
        assert "{\\an8} and \\N literal" in found[1]["text"]
        assert "*bold* _u_ [l](x) `c` #t |p| $5 &amp;" in found[-1]["text"]
        assert found[-1]["label"] == "59:59" and found[-1]["href"] == "#t=3599.99"
        assert "\x07" not in html


@pytest.mark.parametrize("name", ["seed", "hostile"])
def test_markdown_renders_to_the_same_text(converted: dict[str, Any], name: str) -> None:
    transcript, paths = converted[name]
    markdown = paths["md"].read_text(encoding="utf-8")
    html = MarkdownIt("commonmark").render(markdown)
    found = _check(transcript, html.split("</h1>", 1)[1])
    if name == "hostile":
        assert markdown.split("\n")[2].startswith("**SPEAKER\\_00** [00:00](#t=0) Less \\< than")
        assert found[-1]["text"].strip() == (
            "Past the hour: 50% *bold* _u_ [l](x) `c` #t |p| $5 &amp;"
        )
        assert found[0]["speaker"] == "SPEAKER_00"


def test_media_url_and_paragraphs() -> None:
    long_turn = "This is a sentence that goes on. " * 3
    cues = [Cue(i * 2000, i * 2000 + 2000, (Turn(long_turn.strip(), "A"),)) for i in range(10)]
    cues.append(Cue(20_000, 21_000, (Turn("Reply", "B"), Turn("and more", "B"))))
    cues.append(Cue(3_723_450, 3_724_000, (Turn("Later.", None, True),)))
    t = Transcript(cues, speakers={"A": Speaker("A", "Ada <Host>")}, language="en")
    url = "https://example.com/talk (1).mp4#t=5"
    base = "https://example.com/talk%20%281%29.mp4"
    html = str(captionbridge.dumps(t, "html", media_url=url))
    assert '<html lang="en">' in html
    found = _check(t, html, base=base)
    # a long monologue is split at sentence ends; the name shows only where Ada starts
    assert [p["speaker"] for p in found] == ["Ada <Host>", None, "B", None]
    assert all(len(p["text"]) < PARAGRAPH_CHARS + len(long_turn) + 2 for p in found)
    assert found[-1]["label"] == "1:02:03" and found[-1]["href"].endswith("#t=3723.45")
    markdown = str(captionbridge.dumps(t, "md", media_url=url))
    assert f"**Ada \\<Host\\>** [00:00]({base}#t=0)" in markdown
    _check(t, MarkdownIt("commonmark").render(markdown).split("</h1>", 1)[1], base=base)
    assert "Ada" not in str(captionbridge.dumps(t, "md", speaker_style="none"))


def test_fragment_and_clock() -> None:
    assert [fragment(ms) for ms in (0, 83_000, 83_500, 83_050, 83_001)] == [
        "t=0",
        "t=83",
        "t=83.5",
        "t=83.05",
        "t=83.001",
    ]
    assert clock_label(83_500) == "01:23" and clock_label(3_600_000) == "1:00:00"


def test_empty_transcript_is_still_a_page() -> None:
    html = str(captionbridge.dumps(Transcript(), "html"))
    html5lib.HTMLParser(strict=True).parse(html)
    assert re.search(r"<title>Transcript</title>", html)
    assert captionbridge.dumps(Transcript(), "md") == "# Transcript\n"


def test_python_api_matches_the_cli(converted: dict[str, Any]) -> None:
    for name in ("seed", "hostile"):
        transcript, paths = converted[name]
        for fmt in ("md", "html"):
            assert captionbridge.dumps(transcript, fmt) == paths[fmt].read_text("utf-8")
