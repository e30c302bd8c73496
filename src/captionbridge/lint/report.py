"""The HTML report of ``captionbridge check --html``: one standalone page (inline CSS and SVG,
no script, no external asset) with a timeline of the subtitles coloured by their worst finding
and histograms of reading speed and line length."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ..helpers.render import cue_texts
from ..model import Transcript
from ..reflow.limits import Limits, visible_chars
from .check import Finding, summarize

__all__ = ["html_report"]

COLOURS = {"ok": "#4caf50", "warning": "#f0a030", "error": "#d0342c"}
ROW_MS = 300_000  # one timeline row per five minutes
WIDTH = 960


def html_report(
    files: Sequence[tuple[str, Transcript, list[Finding]]], limits: Limits, preset: str
) -> str:
    """The page for every checked file."""
    body = []
    for source, transcript, findings in files:
        body.append(_file_section(source, transcript, findings, limits))
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        f"<title>captionbridge check: {escape(preset)}</title><style>"
        "body{font:14px system-ui,sans-serif;margin:2em;color:#222}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px}"
        ".error{color:#d0342c}.warning{color:#b07010}svg{display:block;margin:1em 0}"
        "</style></head><body>"
        f"<h1>captionbridge check (preset {escape(preset)})</h1>" + "".join(body) + "</body></html>"
    )


def _file_section(
    source: str, transcript: Transcript, findings: list[Finding], limits: Limits
) -> str:
    worst: dict[int, str] = {}
    for finding in findings:
        if worst.get(finding.cue) != "error":
            worst[finding.cue] = finding.severity
    rows = "".join(
        f"<tr class={row['severity']}><td>{escape(rule)}</td><td>{row['severity']}</td>"
        f"<td>{row['count']}</td><td>{_number(row['worst'])}</td></tr>"
        for rule, row in summarize(findings).items()
    )
    listing = "".join(
        f"<li class={f.severity}>{escape(f.line(source))}</li>" for f in findings[:500]
    )
    more = f"<p>... and {len(findings) - 500} more</p>" if len(findings) > 500 else ""
    starts, ends, contents = transcript.columns()
    cps = [
        visible_chars(c) * 1000 / max(e - s, 1)
        for s, e, c in zip(starts, ends, contents, strict=True)
    ]
    lengths = [float(len(line)) for text in cue_texts(transcript) for line in text.split("\n")]
    return (
        f"<h2>{escape(source)}</h2><p>{len(transcript)} subtitles,"
        f" {sum(f.severity == 'error' for f in findings)} errors,"
        f" {sum(f.severity == 'warning' for f in findings)} warnings</p>"
        "<table><tr><th>rule</th><th>severity</th><th>count</th><th>worst</th></tr>"
        f"{rows}</table><h3>Timeline</h3>{_timeline(transcript, worst)}"
        f"<h3>Reading speed (characters per second)</h3>{_histogram(cps, limits.max_cps, 2)}"
        f"<h3>Line length (characters)</h3>{_histogram(lengths, limits.max_chars, 2)}"
        f"<h3>Findings</h3><ul>{listing}</ul>{more}"
    )


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _timeline(transcript: Transcript, worst: dict[int, str]) -> str:
    starts, ends, _ = transcript.columns()
    if not len(starts):
        return "<p>no subtitles</p>"
    rows = max(ends) // ROW_MS + 1
    height = 24
    rects = []
    for k, (start, end) in enumerate(zip(starts, ends, strict=True), 1):
        row = start // ROW_MS
        x = (start % ROW_MS) * WIDTH / ROW_MS
        w = max((end - start) * WIDTH / ROW_MS, 1)
        colour = COLOURS[worst.get(k, "ok")]
        rects.append(
            f'<rect x="{x:.1f}" y="{row * height + 2}" width="{w:.1f}" height="{height - 6}"'
            f' fill="{colour}"><title>cue {k}: {worst.get(k, "ok")}</title></rect>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{rows * height}"'
        f' role="img" aria-label="timeline, one row per 5 minutes">{"".join(rects)}</svg>'
    )


def _histogram(values: list[float], limit: float | None, step: float) -> str:
    if not values:
        return "<p>no data</p>"
    buckets: dict[int, int] = {}
    for value in values:
        buckets[int(value // step)] = buckets.get(int(value // step), 0) + 1
    top = max(buckets) + 1
    tallest = max(buckets.values())
    bar = WIDTH / max(top, 1)
    height = 120
    bars = []
    for bucket, count in sorted(buckets.items()):
        over = limit is not None and bucket * step >= limit
        h = count * height / tallest
        bars.append(
            f'<rect x="{bucket * bar:.1f}" y="{height - h:.1f}" width="{max(bar - 1, 1):.1f}"'
            f' height="{h:.1f}" fill="{COLOURS["error" if over else "ok"]}">'
            f"<title>{bucket * step:g}-{(bucket + 1) * step:g}: {count}</title></rect>"
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}"'
        f' role="img" aria-label="histogram">{"".join(bars)}</svg>'
    )
