"""The review page of ``check --html``: what a subtitler sees, driven in headless Chromium."""

from __future__ import annotations

import json
import struct
import wave
from pathlib import Path

import pytest
from chromium import wait_for_value
from click.testing import CliRunner
from conftest import require_tool
from lxml import etree

from captionbridge.cli.app import cli

SRT = """1
00:00:01,000 --> 00:00:03,000
<i>First</i> line & more

2
00:00:04,000 --> 00:00:06,000
This line is far too long to fit inside forty-two characters.

3
00:00:12,500 --> 00:00:14,000
Short.

4
00:00:15,000 --> 00:00:15,400
A great many words far too fast to read.

5
00:05:20,000 --> 00:05:22,000
Bob: In the second row of the timeline.
"""


def _silence(path: Path, seconds: int) -> None:
    with wave.open(str(path), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(8000)
        audio.writeframes(struct.pack("<h", 0) * 8000 * seconds)


def _report(folder: Path, *extra: str) -> tuple[int, str]:
    subtitles = folder / "talk.srt"
    subtitles.write_text(SRT, encoding="utf-8")
    page = folder / "review" / "talk.html"
    page.parent.mkdir(exist_ok=True)
    result = CliRunner().invoke(
        cli, ["check", str(subtitles), "--preset", "netflix", "--html", str(page), *extra]
    )
    return result.exit_code, page.read_text(encoding="utf-8")


def test_the_page_lists_every_subtitle_as_shown_with_its_findings(tmp_path: Path) -> None:
    code, page = _report(tmp_path)
    assert code == 1  # the long line is an error
    tree = etree.fromstring(page.split("<!DOCTYPE html>\n", 1)[1].encode(), etree.HTMLParser())
    rows = tree.xpath("//table[@class='cues']/tr[@data-start]")
    assert [row.get("data-start") for row in rows] == [
        "1.000",
        "4.000",
        "12.500",
        "15.000",
        "320.000",
    ]
    shown = [row.xpath("string(.//pre)") for row in rows]
    assert shown[0] == "First line & more"  # escaped in the page, intact when parsed
    assert shown[4] == "Bob: In the second row of the timeline."
    assert rows[1].xpath(".//li/text()") == ["line of 61 characters > 42", "CPS 30.5 > 20"]
    assert rows[1].xpath("string(td[7])") == "61"
    assert rows[1].get("class") == "error" and rows[3].get("class") == "warning"
    assert rows[2].get("class") == "ok" and not rows[2].xpath(".//li")
    # the timeline has one rectangle per subtitle, pointing at its row, on two rows of 5 minutes
    rects = tree.xpath("//svg[@class='timeline']//rect")
    assert [r.get("data-row") for r in rects] == [r.get("id") for r in rows]
    assert float(rects[4].get("y")) > float(rects[0].get("y"))
    # the histograms have axes: tick labels and the limit
    histograms = tree.xpath("//svg[@class='histogram']")
    assert len(histograms) == 2
    labels = [histogram.xpath(".//text/text()") for histogram in histograms]
    assert "limit 20" in labels[0] and "characters per second" in labels[0]
    assert "limit 42" in labels[1] and "characters per line" in labels[1]
    assert "0" in labels[1] and "40" in labels[1]
    assert "<audio" not in page and "<video" not in page


def test_media_needs_html(tmp_path: Path) -> None:
    (tmp_path / "talk.srt").write_text(SRT, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "talk.srt"), "--media", "a.mp4"])
    assert result.exit_code == 2 and "--media needs --html" in result.output


# Drives the page as a subtitler would: clicks the third subtitle's row, then the fifth's
# rectangle on the timeline, and reports where the player went.
_DRIVER = """<script>
const out = document.createElement("pre"); out.id = "out"; out.textContent = "pending";
document.body.append(out);
const audio = document.getElementById("player");
const seekedTo = () => new Promise(done => audio.addEventListener("seeked",
  () => done(audio.currentTime), {once: true}));
async function drive() {
  const rows = document.querySelectorAll("table.cues tr[data-start]");
  let seek = seekedTo();
  rows[2].querySelector("pre").click();
  const first = await seek;
  const picked = document.querySelector("tr.picked").id;
  seek = seekedTo();
  document.querySelectorAll("svg.timeline rect")[4].dispatchEvent(
    new MouseEvent("click", {bubbles: true}));
  const second = await seek;
  out.textContent = JSON.stringify({rows: rows.length,
    cues: Number(document.querySelector("section.file").dataset.cues),
    first, picked, second, duration: audio.duration});
}
if (audio.readyState >= 1) drive(); else audio.addEventListener("loadedmetadata", drive);
audio.addEventListener("error", () => { out.textContent = "error"; });
</script>"""


def test_clicking_a_subtitle_seeks_the_player_in_chromium(tmp_path: Path) -> None:
    require_tool("chromium")
    folder = tmp_path  # file:// (Python's http.server cannot serve byte ranges, so no seeking)
    _silence(folder / "talk audio.wav", 330)
    _, page = _report(folder, "--media", str(folder / "talk audio.wav"))
    assert 'id="player"' in page and 'src="../talk%20audio.wav"' in page
    (folder / "review" / "driven.html").write_text(
        page.replace("</body>", _DRIVER + "</body>"), encoding="utf-8"
    )
    payload = wait_for_value(
        (folder / "review" / "driven.html").as_uri(),
        '(document.getElementById("out") || {}).textContent || "pending"',
        pending="pending",
    )
    assert payload != "error"
    state = json.loads(payload)
    assert state["rows"] == state["cues"] == 5
    assert state["first"] == pytest.approx(12.5)
    assert state["picked"] == "f0-cue-3"
    assert state["second"] == pytest.approx(320.0)
    assert state["duration"] == pytest.approx(330.0)
