"""The review page of ``captionbridge check --html``: one standalone file a subtitler works from.

Per checked file: the findings summary, a timeline of the subtitles coloured by their worst
finding, histograms of reading speed and line length with axes and the preset's limits, and a
table of every subtitle with its times, reading speed, the text as it will be shown (speaker
labels included, one line per row) and its findings. With a media file the page holds a player:
clicking a subtitle (in the table or on the timeline) seeks to it, and the subtitle being
played is highlighted. Inline CSS, SVG and script only; the page fetches nothing but the media.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ..helpers.render import cue_texts
from ..helpers.timecode import clock
from ..model import Transcript
from ..reflow.limits import Limits, visible_chars
from .charts import histogram, timeline
from .check import Finding, summarize

__all__ = ["html_report"]

AUDIO_SUFFIXES = (".wav", ".mp3", ".m4a", ".aac", ".flac", ".ogg", ".oga", ".opus")

_STYLE = (
    "body{font:14px system-ui,sans-serif;margin:2em;color:#222}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;"
    "vertical-align:top}.error{color:#d0342c}.warning{color:#b07010}"
    "svg{display:block;margin:1em 0}svg .axis{font-size:11px;fill:#444}"
    "svg .minor{font-size:9px;fill:#888}svg .tick{stroke:#888}"
    "svg .limit{stroke:#d0342c;stroke-dasharray:4 3}svg rect[data-row]{cursor:pointer}"
    "#media{position:sticky;top:0;background:#fff;padding:.5em 0;z-index:1}"
    "#media video{max-height:40vh}"
    "table.cues tr[data-start]{cursor:pointer}table.cues tr.current{background:#fff3c4}"
    "table.cues tr.picked{outline:2px solid #3070d0}"
    "pre.shown{margin:0;font:15px ui-monospace,monospace;white-space:pre}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}"
)

# Clicks seek; the played subtitle is highlighted (binary search over the start times).
_SCRIPT = """
const player = document.getElementById("player");
const rows = Array.from(document.querySelectorAll("table.cues tr[data-start]"));
const starts = rows.map(row => Number(row.dataset.start));
function pick(row) {
  document.querySelectorAll("tr.picked").forEach(r => r.classList.remove("picked"));
  row.classList.add("picked");
  row.scrollIntoView({block: "center"});
  if (player) { player.currentTime = Number(row.dataset.start); }
}
document.addEventListener("click", event => {
  const target = event.target.closest("[data-row]");
  if (!target) return;
  const row = document.getElementById(target.dataset.row);
  if (row) pick(row);
});
let current = null;
if (player) player.addEventListener("timeupdate", () => {
  const t = player.currentTime;
  let lo = 0, hi = starts.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (starts[mid] <= t) lo = mid + 1; else hi = mid; }
  const row = lo > 0 && t < Number(rows[lo - 1].dataset.end) ? rows[lo - 1] : null;
  if (row === current) return;
  if (current) current.classList.remove("current");
  if (row) row.classList.add("current");
  current = row;
});
"""


def html_report(
    files: Sequence[tuple[str, Transcript, list[Finding]]],
    limits: Limits,
    preset: str,
    media: str | None = None,
) -> str:
    """The review page for every checked file; ``media`` is the player's source URL (relative
    to the page), or ``None`` for a page without a player."""
    body = [_file_section(n, *checked, limits) for n, checked in enumerate(files)]
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        f"<title>captionbridge check: {escape(preset)}</title><style>{_STYLE}</style></head>"
        f"<body><h1>captionbridge check (preset {escape(preset)})</h1>{_player(media)}"
        + "".join(body)
        + f"<script>{_SCRIPT}</script></body></html>"
    )


def _player(media: str | None) -> str:
    if media is None:
        return ""
    tag = "audio" if media.lower().endswith(AUDIO_SUFFIXES) else "video"
    return (
        f'<div id="media"><{tag} id="player" controls preload="metadata"'
        f' src="{escape(media)}"></{tag}></div>'
    )


def _file_section(
    number: int, source: str, transcript: Transcript, findings: list[Finding], limits: Limits
) -> str:
    by_cue: dict[int, list[Finding]] = {}
    worst: dict[int, str] = {}
    for finding in findings:
        by_cue.setdefault(finding.cue, []).append(finding)
        if worst.get(finding.cue) != "error":
            worst[finding.cue] = finding.severity
    summary = "".join(
        f"<tr class={row['severity']}><td>{escape(rule)}</td><td>{row['severity']}</td>"
        f"<td class=num>{row['count']}</td><td class=num>{_number(row['worst'])}</td></tr>"
        for rule, row in summarize(findings).items()
    )
    starts, ends, contents = transcript.columns()
    cps = [
        visible_chars(c) * 1000 / max(e - s, 1)
        for s, e, c in zip(starts, ends, contents, strict=True)
    ]
    shown = cue_texts(transcript)
    lengths = [float(len(line)) for text in shown for line in text.split("\n")]
    row_id = f"f{number}-cue-"
    errors = sum(f.severity == "error" for f in findings)
    return (
        f'<section class="file" data-cues="{len(transcript)}"><h2>{escape(source)}</h2>'
        f"<p>{len(transcript)} subtitles, {errors} errors, {len(findings) - errors} warnings</p>"
        "<table><tr><th>rule</th><th>severity</th><th>count</th><th>worst</th></tr>"
        f"{summary}</table><h3>Timeline</h3>{timeline(starts, ends, worst, row_id)}"
        "<h3>Reading speed</h3>"
        f"{histogram(cps, limits.max_cps, 2, 'characters per second')}"
        "<h3>Line length</h3>"
        f"{histogram(lengths, limits.max_chars, 2, 'characters per line')}"
        "<h3>Subtitles</h3><table class=cues><tr><th>#</th><th>start</th><th>end</th>"
        "<th>seconds</th><th>cps</th><th>as shown</th><th>chars</th><th>findings</th></tr>"
        + "".join(
            _cue_row(row_id, k, starts[k - 1], ends[k - 1], cps[k - 1], shown[k - 1], by_cue, worst)
            for k in range(1, len(starts) + 1)
        )
        + "</table></section>"
    )


def _cue_row(
    row_id: str,
    k: int,
    start: int,
    end: int,
    cps: float,
    text: str,
    by_cue: dict[int, list[Finding]],
    worst: dict[int, str],
) -> str:
    lines = text.split("\n")
    notes = "".join(f"<li class={f.severity}>{escape(f.message)}</li>" for f in by_cue.get(k, ()))
    return (
        f'<tr id="{row_id}{k}" data-row="{row_id}{k}" data-start="{start / 1000:.3f}"'
        f' data-end="{end / 1000:.3f}" class="{worst.get(k, "ok")}"><td class=num>{k}</td>'
        f"<td>{clock(start)}</td><td>{clock(end)}</td>"
        f"<td class=num>{(end - start) / 1000:.2f}</td><td class=num>{cps:.1f}</td>"
        f'<td><pre class="shown">{escape(text)}</pre></td>'
        f"<td class=num>{'<br>'.join(str(len(line)) for line in lines)}</td>"
        f"<td><ul>{notes}</ul></td></tr>"
    )


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"
