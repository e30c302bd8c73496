"""``captionbridge live [INPUT]``: captions from a transcript that is still being written.

A command of its own rather than ``convert --follow``: a live run has outputs of its own
(rolling HLS, files rewritten cue by cue, SCC roll-up, a web overlay) instead of ``--to`` and
``--out-dir``, it never ends by itself (Ctrl-C is its normal end, not a failure), and a bad
line is a warning instead of a failed file. ``convert``'s transform and writer options apply.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

__all__ = ["add_live_command"]


def add_live_command(cli: click.Group) -> None:
    """Add ``live`` to the click group ``cli`` (the host's options are added when it runs)."""
    cli.add_command(_LiveCommand("live"))


class _LiveCommand(click.Command):
    """Builds its parameters from the plugin host only when used (``--help`` or a run)."""

    def __init__(self, name: str) -> None:
        super().__init__(
            name,
            callback=_run,
            help="Follow a live transcript (standard input, or a file that keeps growing) and"
            " keep caption outputs up to date: growing SRT/WebVTT files, an HLS subtitle"
            " playlist, SCC roll-up and a browser overlay. Ctrl-C or the end of the input"
            " finishes every output.",
            context_settings={"help_option_names": ["-h", "--help"]},
        )
        self._loaded = False

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        if not self._loaded:
            self._loaded = True
            self.params = _params()
        return super().get_params(ctx)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        self.get_params(ctx)
        return super().parse_args(ctx, args)


def _params() -> list[click.Parameter]:
    from .app import _click_option, default_host

    params: list[click.Parameter] = [
        click.Argument(["source"], default="-", required=False),
        _option("--srt", "SRT file that grows cue by cue.", metavar="PATH"),
        _option("--vtt", "WebVTT file that grows cue by cue.", metavar="PATH"),
        _option("--hls", "Folder for an HLS subtitle playlist.", metavar="DIR"),
        _option("--hls-segment", "HLS segment length in whole seconds.", type=_POSITIVE, default=6),
        _option(
            "--hls-window",
            "Keep only the last N segments in the playlist (default: an EVENT playlist that"
            " keeps them all).",
            type=_POSITIVE,
        ),
        _option(
            "--hls-timestamp-map",
            "MPEG-TS time (90 kHz ticks) of cue time 0 in each segment's X-TIMESTAMP-MAP.",
            default="900000",
            metavar="TICKS|off",
        ),
        _option("--scc", "SCC roll-up captions (CEA-608).", metavar="PATH"),
        _option("--rollup-rows", "Roll-up rows of the SCC output.", type=_ROWS, default="2"),
        _option(
            "--serve",
            "Serve a caption overlay page (for OBS's browser source) at this address.",
            metavar="HOST:PORT",
        ),
        _option(
            "--chunk-offset",
            "Each time the times start again, the new chunk starts MS later than the one before"
            " (default: where the last cue of the chunk before ended).",
            type=_POSITIVE,
            metavar="MS",
        ),
        _option(
            "--settle",
            "When the input has been quiet for SECONDS, the cues of ended lines become final"
            " (default: only when the stream moves past them).",
            type=click.FloatRange(min=0.1),
            metavar="SECONDS",
        ),
        _option(
            "--merge",
            "Join a cue to the next when it does not end a sentence and both fit the limits"
            " (--max-chars x --max-lines, --max-duration): forward only.",
            is_flag=True,
        ),
        _option("--from", "Reader of the input lines.", default="bracket"),
        _option("--force", "Overwrite existing output files.", is_flag=True),
        click.Option(["-q", "--quiet"], is_flag=True, help="Do not print warnings."),
    ]
    host = default_host()
    params += [_click_option(spec) for spec in host.options.values()]
    return params


_POSITIVE = click.IntRange(min=1)
_ROWS = click.Choice(["2", "3"])


def _option(flag: str, help: str, **settings: Any) -> click.Option:
    """``--some-flag`` with the value named ``some_flag``; a default is shown in the help."""
    name = flag[2:].replace("-", "_")
    return click.Option([flag, name], help=help, show_default="default" in settings, **settings)


def _echo(message: str) -> None:
    click.echo(message, err=True)


def _run(**given: Any) -> None:
    from ..errors import CaptionbridgeError
    from ..flow.options import OptionError, resolve_options
    from ..host.registry import default_host
    from ..live.engine import LiveEngine
    from ..live.run import LiveRun

    host = default_host()
    command = {k: given.pop(k) for k in list(given) if k not in host.options}
    quiet = bool(command["quiet"])
    try:
        options = resolve_options(host, given)
        reader = host.reader(command["from"])
        mpegts = _mpegts(command["hls_timestamp_map"])
    except (OptionError, CaptionbridgeError, ValueError) as exc:
        raise click.UsageError(str(exc)) from None
    if not any(command[k] for k in ("srt", "vtt", "hls", "scc", "serve")):
        raise click.UsageError("name at least one output: --srt, --vtt, --hls, --scc or --serve")
    report = (lambda message: None) if quiet else _echo
    source = command["source"]
    engine = LiveEngine(
        host,
        options,
        reader,
        source="<stdin>" if source == "-" else source,
        report=report,
        chunk_offset=command["chunk_offset"],
    )
    try:
        sinks = _sinks(host, options, command, mpegts, report, lambda: engine.floor)
    except CaptionbridgeError as exc:
        _echo(str(exc))
        sys.exit(1)
    except OSError as exc:  # the overlay's address is in use, say
        _echo(f"captionbridge: cannot serve {command['serve']}: {exc.strerror or exc}")
        sys.exit(1)
    if command["merge"]:
        from ..live.merge import MergeStage
        from ..reflow.limits import Limits

        sinks = [MergeStage(sinks, Limits.from_options(options), engine.transform_cue)]
    run = LiveRun(engine, sinks, report, settle=command["settle"])
    try:
        run.run(source)
    except OSError as exc:
        _echo(f"{source}: cannot read: {exc.strerror or exc}")
        sys.exit(1)
    if not quiet:
        how = "interrupted" if run.interrupted else "end of input"
        _echo(
            f"captionbridge: {how}: {engine.finalised_count} cue(s) read, all final in every output"
        )
    if run.failed:
        sys.exit(1)


def _mpegts(value: str) -> int | None:
    if value.strip().lower() in ("off", "none"):
        return None
    ticks = int(value) if value.strip().isdigit() else -1
    if not 0 <= ticks < 2**33:
        raise ValueError(f"--hls-timestamp-map must be from 0 to {2**33 - 1} or 'off': {value}")
    return ticks


def _sinks(
    host: Any,
    options: Any,
    command: dict[str, Any],
    mpegts: int | None,
    report: Any,
    floor: Callable[[], int],
) -> list[Any]:
    from ..files.output import check_writable
    from ..helpers.options import SPEAKER_STYLE
    from ..live.hls import HLS_STEM, HlsSink
    from ..live.sinks import GrowingFileSink

    force = bool(command["force"])
    # the SCC roll-up and overlay sinks come from their own modules (written against LiveSink
    # in parallel), imported only when asked for, and before any file is made
    rollup = _sink_module("rollup", "--scc") if command["scc"] else None
    overlay = _sink_module("overlay", "--serve") if command["serve"] else None
    if overlay is not None:
        host_name, _, port = command["serve"].rpartition(":")
        if not host_name or not port.isdigit():
            raise click.UsageError(f"--serve wants HOST:PORT, not {command['serve']!r}")
    # every file is checked before anything starts: a refused one leaves nothing behind
    files = [Path(command[name]) for name in ("srt", "vtt", "scc") if command[name]]
    if command["hls"]:
        files.append(Path(command["hls"]) / f"{HLS_STEM}.m3u8")
    check_writable(files, force=force)
    sinks: list[Any] = []
    if overlay is not None:  # first: a port in use must stop the run before files are made
        style = SPEAKER_STYLE.value(options)  # marked as the files mark them
        served = overlay.OverlaySink(host_name, int(port), speaker_style=style)
        report(f"captionbridge: overlay at {served.url}")
        sinks.append(served)
    for name in ("srt", "vtt"):
        if command[name]:
            path = Path(command[name])
            writer = host.writer(name)
            sinks.append(GrowingFileSink(path, writer, host, options, force=force, report=report))
    if command["hls"]:
        sinks.append(
            HlsSink(
                Path(command["hls"]),
                host.writer("vtt"),
                host,
                options,
                seconds=command["hls_segment"],
                window=command["hls_window"],
                mpegts=mpegts,
                stem=HLS_STEM,
                force=force,
                floor=floor,
            )
        )
    if rollup is not None:
        sinks.append(
            rollup.RollUpSink(
                Path(command["scc"]),
                rows=int(command["rollup_rows"]),
                host=host,
                options=options,
                force=force,
                report=report,
            )
        )
    return sinks


def _sink_module(name: str, flag: str) -> Any:
    try:
        return importlib.import_module(f"..live.{name}", __package__)
    except ImportError as exc:
        raise click.UsageError(f"{flag} is not available in this installation: {exc}") from None
