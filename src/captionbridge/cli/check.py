"""``captionbridge check FILE... [--preset P]``: lint subtitle files against a house style.

One line per finding, a summary table, exit code 1 when any file breaks a hard limit (or any
warning too with ``--strict``); ``--json`` for machines, ``--html REPORT.html`` for people.
"""

from __future__ import annotations

import sys
from typing import Any


def add_check_command(cli: Any) -> None:
    """Add ``check`` to the click group ``cli``."""
    import click

    @cli.command("check")  # type: ignore[untyped-decorator]
    @click.argument("files", nargs=-1, required=True)
    @click.option("--preset", default="netflix", show_default=True, help="House style.")
    @click.option(
        "--fps",
        metavar="RATE",
        help="The project frame rate (as convert's --fps): gaps are counted in frames and every"
        " time must be on its frame grid. Without it, gaps given in frames are counted at 23.976.",
    )
    @click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
    @click.option(
        "--html",
        "html_path",
        metavar="REPORT.html",
        help="Write a review page: a timeline, histograms and every subtitle with its findings.",
    )
    @click.option(
        "--media",
        metavar="FILE",
        help="With --html: a video or audio file (or URL) the page plays; clicking a subtitle"
        " seeks to it.",
    )
    @click.option("--strict", is_flag=True, help="Warnings fail the check too.")
    def check(**arguments: Any) -> None:
        """Lint subtitle files (any readable format) against a preset's limits."""
        run_check(**arguments)


def run_check(
    files: tuple[str, ...],
    preset: str,
    fps: str | None,
    as_json: bool,
    html_path: str | None,
    strict: bool,
    media: str | None = None,
) -> None:
    """Check the files and exit: 0 when all pass, 1 when any fails, 2 for usage errors."""
    import click

    from captionbridge.api import load
    from captionbridge.errors import CaptionbridgeError
    from captionbridge.files.output import write_atomic
    from captionbridge.flow.pipeline import resolve_options
    from captionbridge.helpers.timecode import fps_name
    from captionbridge.host.registry import default_host
    from captionbridge.lint.check import lint, summarize
    from captionbridge.reflow.limits import Limits

    if media and not html_path:
        raise click.UsageError("--media needs --html: the player is part of the review page")
    host = default_host()
    try:
        options = resolve_options(host, {"preset": preset, "fps": fps})
    except CaptionbridgeError as exc:
        raise click.UsageError(str(exc)) from None
    limits = Limits.from_options(options)
    if limits.fps_assumed and limits.fps:
        click.echo(
            f"captionbridge check: warning: no --fps given: the {limits.gap_frames:g}-frame gaps"
            f" of --preset {preset} are counted at {fps_name(limits.fps)} fps and the frame grid"
            " is not checked; give --fps with the project's frame rate",
            err=True,
        )
    failed = False
    checked = []
    documents = []
    for source in files:
        try:
            transcript = load(source, host=host, fps=fps)
        except CaptionbridgeError as exc:
            click.echo(str(exc) if exc.source else f"{source}: {exc}", err=True)
            failed = True
            continue
        findings = lint(transcript, limits)
        checked.append((source, transcript, findings))
        errors = sum(f.severity == "error" for f in findings)
        warnings = len(findings) - errors
        failed = failed or errors > 0 or (strict and warnings > 0)
        summary = summarize(findings)
        if as_json:
            documents.append(
                {
                    "file": source,
                    "cues": len(transcript),
                    "errors": errors,
                    "warnings": warnings,
                    "summary": summary,
                    "findings": [f.as_dict() for f in findings],
                }
            )
            continue
        for finding in findings:
            click.echo(finding.line(source))
        click.echo(f"\n{source}: {len(transcript)} subtitles, {errors} errors, {warnings} warnings")
        if summary:
            click.echo(f"  {'rule':<14} {'severity':<8} {'count':>6} {'worst':>8}")
            for rule, row in summary.items():
                worst = "" if row["worst"] is None else f"{row['worst']:.1f}"
                click.echo(f"  {rule:<14} {row['severity']:<8} {row['count']:>6} {worst:>8}")
    if as_json:
        import json  # not loaded at start-up

        document = {"preset": preset, "limits": limits.describe(), "files": documents}
        click.echo(json.dumps(document, indent=2))
    if html_path:
        from pathlib import Path

        from captionbridge.lint.report import html_report

        page = html_report(checked, limits, preset, _media_url(media, Path(html_path)))
        write_atomic(Path(html_path), page.encode(), force=True)
    sys.exit(1 if failed else 0)


def _media_url(media: str | None, page: Any) -> str | None:
    """The player's ``src``: a URL as given, a file relative to the page's folder."""
    if media is None or "://" in media:
        return media
    import os
    from pathlib import Path
    from urllib.parse import quote

    relative = os.path.relpath(Path(media).resolve(), page.resolve().parent)
    return quote(Path(relative).as_posix())
