"""Linting subtitles against a house style: what ``captionbridge check`` reports.

Errors break a hard limit (line length, line count, longest duration, overlaps, gaps under
the minimum, times off the frame grid, empty subtitles, cues out of order); warnings are
guidelines (reading speed, shortest duration, unchained gaps, a line ending in an article or
preposition) that the speech itself sometimes makes impossible to meet.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from ..helpers.render import cue_texts
from ..helpers.timecode import clock, fps_name, ms_to_frames, on_grid
from ..model import Transcript
from ..reflow.breakrules import BreakRules, rules_for
from ..reflow.limits import Limits, visible_chars

__all__ = ["RULES", "Finding", "lint", "summarize"]

#: Every rule with its severity, in report order.
RULES: dict[str, str] = {
    "empty": "error",
    "order": "error",
    "overlap": "error",
    "line-length": "error",
    "line-count": "error",
    "max-duration": "error",
    "min-gap": "error",
    "frames": "error",
    "reading-speed": "warning",
    "min-duration": "warning",
    "chain-gap": "warning",
    "line-break": "warning",
}


@dataclass(frozen=True)
class Finding:
    """One problem of one subtitle (``cue`` counts from 1)."""

    cue: int
    start: int
    rule: str
    message: str
    value: float | None = None
    limit: float | None = None

    @property
    def severity(self) -> str:
        """``error`` or ``warning``."""
        return RULES[self.rule]

    def line(self, source: str) -> str:
        """``file:cue N (00:01:02.340): message``."""
        return f"{source}:cue {self.cue} ({clock(self.start)}): {self.severity}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        """The finding as plain values, severity included."""
        return {**asdict(self), "severity": self.severity}


def lint(transcript: Transcript, limits: Limits, rules: BreakRules | None = None) -> list[Finding]:
    """Every finding of a transcript against ``limits``, in cue order."""
    rules = rules or rules_for(limits.language or transcript.language)
    return sorted(
        _findings(transcript, limits, rules), key=lambda f: (f.cue, list(RULES).index(f.rule))
    )


def _findings(transcript: Transcript, limits: Limits, rules: BreakRules) -> Iterator[Finding]:
    starts, ends, contents = transcript.columns()
    texts = cue_texts(transcript, "auto")
    fps = limits.fps
    gap_frames = limits.gap_in_frames() if fps else 0
    chain_frames = limits.chain_gap * fps / 1000 if fps else 0
    grid = fps is not None and not limits.fps_assumed
    previous_start = previous_end = None
    for k, (start, end, content, text) in enumerate(
        zip(starts, ends, contents, texts, strict=True), 1
    ):
        lines = text.split("\n")
        if not text.strip():
            yield Finding(k, start, "empty", "empty subtitle")
        if previous_start is not None and start < previous_start:
            yield Finding(k, start, "order", "starts before the previous subtitle")
        if previous_end is not None:
            gap = start - previous_end
            if gap < 0:
                yield Finding(k, start, "overlap", f"overlaps the previous subtitle by {-gap} ms")
            elif fps:
                # frames are counted the way writers lay them: each time to its nearest frame
                frames = ms_to_frames(start, fps) - ms_to_frames(previous_end, fps)
                if frames < gap_frames:
                    yield Finding(
                        k,
                        start,
                        "min-gap",
                        f"gap of {frames} frames ({gap} ms) < {gap_frames}",
                        frames,
                        gap_frames,
                    )
                elif frames > gap_frames and frames < chain_frames:
                    yield Finding(
                        k,
                        start,
                        "chain-gap",
                        f"gap of {frames} frames ({gap} ms) should close to {gap_frames}",
                        frames,
                        gap_frames,
                    )
            elif gap < limits.min_gap:
                yield Finding(
                    k, start, "min-gap", f"gap {gap} ms < {limits.min_gap}", gap, limits.min_gap
                )
            elif limits.chain_gap and gap < limits.chain_gap and gap > limits.min_gap + 1:
                yield Finding(
                    k,
                    start,
                    "chain-gap",
                    f"gap {gap} ms should close to {limits.min_gap} ms",
                    gap,
                    limits.min_gap,
                )
        previous_start, previous_end = start, end
        yield from _cue_findings(k, start, end, content, lines, limits, rules)
        if grid and fps and not (on_grid(start, fps) and on_grid(end, fps)):
            yield Finding(k, start, "frames", f"time off the {fps_name(fps)} fps frame grid")


def _cue_findings(
    k: int,
    start: int,
    end: int,
    content: Any,
    lines: list[str],
    limits: Limits,
    rules: BreakRules,
) -> Iterator[Finding]:
    if limits.max_chars:
        longest = max(len(line) for line in lines)
        if longest > limits.max_chars:
            yield Finding(
                k,
                start,
                "line-length",
                f"line of {longest} characters > {limits.max_chars}",
                longest,
                limits.max_chars,
            )
    if limits.max_lines and len(lines) > limits.max_lines:
        yield Finding(
            k,
            start,
            "line-count",
            f"{len(lines)} lines > {limits.max_lines}",
            len(lines),
            limits.max_lines,
        )
    duration = end - start
    if limits.max_duration and duration > limits.max_duration:
        yield Finding(
            k,
            start,
            "max-duration",
            f"duration {duration} ms > {limits.max_duration}",
            duration,
            limits.max_duration,
        )
    if limits.min_duration and duration < limits.min_duration:
        yield Finding(
            k,
            start,
            "min-duration",
            f"duration {duration} ms < {limits.min_duration}",
            duration,
            limits.min_duration,
        )
    seconds = max(duration, 1) / 1000
    chars = visible_chars(content)
    if limits.max_cps and chars / seconds > limits.max_cps + 0.05:
        cps = chars / seconds
        yield Finding(
            k, start, "reading-speed", f"CPS {cps:.1f} > {limits.max_cps:g}", cps, limits.max_cps
        )
    words = sum(len(line.split()) for line in lines)
    if limits.max_wpm and words * 60 / seconds > limits.max_wpm + 0.5:
        wpm = words * 60 / seconds
        yield Finding(
            k, start, "reading-speed", f"WPM {wpm:.0f} > {limits.max_wpm:g}", wpm, limits.max_wpm
        )
    for line in lines[:-1]:
        last = line.rsplit(None, 1)[-1] if line.strip() else ""
        if last and rules.after_cost(last) >= 300:
            yield Finding(k, start, "line-break", f"line ends with {last!r}")


def summarize(findings: list[Finding]) -> dict[str, dict[str, Any]]:
    """Per rule: severity, count and the worst value seen."""
    table: dict[str, dict[str, Any]] = {}
    for finding in findings:
        row = table.setdefault(
            finding.rule, {"severity": finding.severity, "count": 0, "worst": None}
        )
        row["count"] += 1
        if finding.value is not None and finding.limit is not None:
            worse = (row["worst"] is None) or (
                abs(finding.value - finding.limit) > abs(row["worst"] - finding.limit)
            )
            if worse:
                row["worst"] = finding.value
    return table
