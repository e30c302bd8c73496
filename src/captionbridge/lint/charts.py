"""The SVG charts of the review page: a timeline of the subtitles and histograms with axes.

Everything is inline SVG so the page stays one standalone file. Timeline rectangles carry
``data-row`` so the page's script can seek the player to a subtitle when one is clicked.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..helpers.timecode import clock

__all__ = ["COLOURS", "histogram", "timeline"]

COLOURS = {"ok": "#4caf50", "warning": "#f0a030", "error": "#d0342c"}
ROW_MS = 300_000  # one timeline row per five minutes
TICK_MS = 60_000
WIDTH = 960
LEFT = 64  # room for the axis labels
_SVG = 'xmlns="http://www.w3.org/2000/svg"'


def timeline(starts: Sequence[int], ends: Sequence[int], worst: dict[int, str], row_id: str) -> str:
    """One row per five minutes, a tick per minute, a rectangle per subtitle coloured by its
    worst finding; ``row_id`` is the prefix of the subtitle rows' ids (``{row_id}{k}``)."""
    if not starts:
        return "<p>no subtitles</p>"
    rows = max(ends) // ROW_MS + 1
    height = 30
    scale = (WIDTH - LEFT) / ROW_MS
    parts = []
    for row in range(rows):
        top = row * height
        parts.append(
            f'<text x="{LEFT - 6}" y="{top + 17}" text-anchor="end" class="axis">'
            f"{clock(row * ROW_MS)[:8]}</text>"
        )
        for tick in range(0, ROW_MS + 1, TICK_MS):
            x = LEFT + tick * scale
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top + 22}" y2="{top + 27}" class="tick"/>'
            )
            if tick and tick < ROW_MS:
                parts.append(
                    f'<text x="{x:.1f}" y="{top + 29}" text-anchor="middle" class="minor">'
                    f"+{tick // TICK_MS}m</text>"
                )
    for k, (start, end) in enumerate(zip(starts, ends, strict=True), 1):
        severity = worst.get(k, "ok")
        x = LEFT + (start % ROW_MS) * scale
        w = max((end - start) * scale, 1)
        parts.append(
            f'<rect x="{x:.1f}" y="{(start // ROW_MS) * height + 4}" width="{w:.1f}"'
            f' height="16" fill="{COLOURS[severity]}" data-row="{row_id}{k}">'
            f"<title>subtitle {k} at {clock(start)}: {severity}</title></rect>"
        )
    return (
        f'<svg {_SVG} width="{WIDTH + 24}" height="{rows * height + 4}" class="timeline" role="img"'
        f' aria-label="timeline, one row per 5 minutes">{"".join(parts)}</svg>'
    )


def histogram(values: Sequence[float], limit: float | None, step: float, unit: str) -> str:
    """Bars of ``step``-wide buckets, an x axis in ``unit``, a y axis in subtitles or lines,
    and the limit as a dashed line; a bucket holding any value over the limit is drawn red."""
    if not values:
        return "<p>no data</p>"
    buckets: dict[int, int] = {}
    over_limit: set[int] = set()
    for value in values:
        bucket = int(value // step)
        buckets[bucket] = buckets.get(bucket, 0) + 1
        if limit is not None and value > limit:
            over_limit.add(bucket)
    top = max(max(buckets) + 1, int((limit or 0) // step) + 2)
    tallest = max(buckets.values())
    plot_w, plot_h, base = WIDTH - LEFT, 120, 130
    bar = plot_w / top
    parts = [
        f'<line x1="{LEFT}" x2="{WIDTH}" y1="{base}" y2="{base}" class="tick"/>',
        f'<line x1="{LEFT}" x2="{LEFT}" y1="{base - plot_h}" y2="{base}" class="tick"/>',
        f'<text x="{LEFT - 6}" y="{base - plot_h + 10}" text-anchor="end" class="axis">'
        f"{tallest}</text>",
        f'<text x="{LEFT - 6}" y="{base}" text-anchor="end" class="axis">0</text>',
    ]
    label_every = max(1, top // 12)
    for bucket in range(0, top + 1, label_every):
        x = LEFT + bucket * bar
        parts.append(
            f'<text x="{x:.1f}" y="{base + 14}" text-anchor="middle" class="axis">'
            f"{bucket * step:g}</text>"
        )
    for bucket, count in sorted(buckets.items()):
        h = count * plot_h / tallest
        colour = COLOURS["error" if bucket in over_limit else "ok"]
        parts.append(
            f'<rect x="{LEFT + bucket * bar:.1f}" y="{base - h:.1f}" width="{max(bar - 1, 1):.1f}"'
            f' height="{h:.1f}" fill="{colour}">'
            f"<title>{bucket * step:g} to {(bucket + 1) * step:g} {unit}: {count}</title></rect>"
        )
    if limit is not None:
        x = LEFT + limit / step * bar
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{base - plot_h}" y2="{base}" class="limit"/>'
            f'<text x="{x + 4:.1f}" y="{base - plot_h + 10}" class="axis">limit {limit:g}</text>'
        )
    parts.append(
        f'<text x="{(LEFT + WIDTH) / 2:.0f}" y="{base + 30}" text-anchor="middle"'
        f' class="axis">{unit}</text>'
    )
    return (
        f'<svg {_SVG} width="{WIDTH + 24}" height="{base + 36}" class="histogram" role="img"'
        f' aria-label="histogram of {unit}">{"".join(parts)}</svg>'
    )
