"""The ``captionbridge`` command line: convert, formats, plugins.

Exit codes: 0 success, 1 when any input failed, 2 for usage errors. Bad input is reported as one
line ``path:line:col: message`` on standard error, never as a traceback.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from . import __version__
from .errors import CaptionbridgeError, FormatError
from .model import Note
from .registry import PluginHost, default_host
from .specs import OptionSpec

__all__ = ["cli", "main"]

_BUILTIN_COMMANDS = ("convert", "formats", "plugins")


def _echo_error(message: str) -> None:
    click.echo(message, err=True)


def _report_broken(host: PluginHost) -> None:
    for broken in host.broken:
        _echo_error(
            f"captionbridge: plugin {broken.name!r} ({broken.distribution}) is broken and was"
            f" skipped: {broken.error}"
        )


class _LazyGroup(click.Group):
    """Builds the plugin host only when a command needs it, so ``--version`` and ``--help``
    stay fast; adds the commands plugins register."""

    _plugin_commands_loaded = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_plugin_commands()
        return sorted(set(_BUILTIN_COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name == "convert":
            return _convert_command(default_host())
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        self._load_plugin_commands()
        return self.commands.get(cmd_name)

    def _load_plugin_commands(self) -> None:
        if self._plugin_commands_loaded:
            return
        self._plugin_commands_loaded = True
        host = default_host()
        for impl in reversed(host.pm.hook.captionbridge_register_commands.get_hookimpls()):
            try:
                impl.function(cli=self)
            except Exception as exc:
                _echo_error(
                    f"captionbridge: plugin {impl.plugin_name!r} failed in"
                    f" captionbridge_register_commands: {type(exc).__name__}: {exc}"
                )


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="captionbridge")
def cli() -> None:
    """Turn speech-to-text transcripts into caption files that editors and players accept."""


def _click_option(spec: OptionSpec) -> click.Option:
    if spec.is_bool:
        name = spec.cli_flag[2:]
        return click.Option(
            [f"--{name}/--no-{name}", spec.name], default=None, help=spec.help, show_default=False
        )
    kind: Any = click.Choice(list(spec.choices)) if spec.choices else str
    return click.Option(
        [spec.cli_flag, spec.name], type=kind, default=None, help=spec.help, metavar=spec.metavar
    )


def _convert_command(host: PluginHost) -> click.Command:
    params: list[click.Parameter] = [
        click.Argument(["inputs"], nargs=-1, required=True),
        click.Option(["-t", "--to", "to"], help="Output formats, comma-separated (srt,vtt,...)."),
        click.Option(["-o", "--output", "output"], help="Output file, or - for standard output."),
        click.Option(["-d", "--out-dir", "out_dir"], help="Folder for <stem>.<ext> per format."),
        click.Option(["--from", "from_format"], help="Input format (default: recognised)."),
        click.Option(["--force"], is_flag=True, help="Overwrite existing output files."),
        click.Option(["-q", "--quiet"], is_flag=True, help="Do not print warnings and repairs."),
    ]
    params += [_click_option(spec) for spec in host.options.values()]

    def run(**kwargs: Any) -> None:
        _run_convert(host, **kwargs)

    return click.Command(
        "convert",
        params=params,
        callback=run,
        help="Convert transcripts and subtitle files (INPUTS, or - for standard input).",
        context_settings={"help_option_names": ["-h", "--help"]},
    )


def _usage_error(message: str) -> NoReturn:
    raise click.UsageError(message)


def _run_convert(
    host: PluginHost,
    *,
    inputs: Sequence[str],
    to: str | None,
    output: str | None,
    out_dir: str | None,
    from_format: str | None,
    force: bool,
    quiet: bool,
    **option_values: Any,
) -> None:
    from .pipeline import (
        OptionError,
        plan_outputs,
        read_bytes,
        resolve_options,
        transform,
        write_outputs,
    )

    _report_broken(host)
    try:
        options = resolve_options(host, option_values)
        formats = [p.strip() for p in to.split(",") if p.strip()] if to else []
        if not formats and options.get("target"):
            formats = list(host.targets[options["target"]].formats)
        if output is not None and len(inputs) > 1:
            _usage_error("--output names one file; use --out-dir with several inputs")
        if from_format:
            host.reader(from_format)
        plans = [
            (source, plan_outputs(host, source, to=formats, output=output, out_dir=out_dir))
            for source in inputs
        ]
    except (OptionError, FormatError) as exc:
        _usage_error(str(exc))
    failed = 0
    stdout = sys.stdout.buffer
    for source, outputs in plans:
        try:
            data = _read_input(source)
            name = "<stdin>" if source == "-" else source
            transcript = read_bytes(data, name, host, options, from_format)
            transcript = transform(transcript, host, options)
            if not quiet:
                for note in transcript.notes:
                    _echo_error(_warning(note.source or name, note.line, note.message))
            write_outputs(
                transcript,
                outputs,
                host,
                options,
                force=force,
                stdout=stdout,
                report=None if quiet else functools.partial(_report_note, name),
            )
        except CaptionbridgeError as exc:
            failed += 1
            if exc.source is None:
                exc.source = source
            _echo_error(str(exc))
        except BrokenPipeError:
            _quiet_broken_pipe()
    if failed:
        sys.exit(1)


def _report_note(source: str, note: Note) -> None:
    _echo_error(_warning(note.source or source, note.line, note.message))


def _warning(source: str, line: int | None, message: str) -> str:
    where = f"{source}:{line}" if line is not None else source
    return f"{where}: warning: {message}"


def _read_input(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except FileNotFoundError:
        raise CaptionbridgeError("no such file", source=source) from None
    except IsADirectoryError:
        raise CaptionbridgeError("is a directory", source=source) from None
    except OSError as exc:
        raise CaptionbridgeError(f"cannot read: {exc.strerror or exc}", source=source) from None


def _quiet_broken_pipe() -> NoReturn:
    # the reader of our standard output went away (``| head``): stop quietly
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(0)


@cli.command()
def formats() -> None:
    """List every reader and writer with the plugin that provides it, plus presets and targets."""
    host = default_host()
    _report_broken(host)
    rows = []
    for name, reader in sorted(host.readers.items()):
        rows.append(
            (
                "read",
                name,
                " ".join(reader.extensions),
                "",
                host.describe_plugin(host.provider_of("reader", name)),
                reader.description,
            )
        )
    for name, writer in sorted(host.writers.items()):
        extensions = " ".join(dict.fromkeys((writer.extension, *writer.claimed_extensions)))
        rows.append(
            (
                "write",
                name,
                extensions,
                "frames" if writer.frame_based else "",
                host.describe_plugin(host.provider_of("writer", name)),
                writer.description,
            )
        )
    header = ("dir", "format", "extensions", "timing", "plugin", "description")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(5)]
    for row in [header, *rows]:
        click.echo(
            "  ".join(str(c).ljust(w) for c, w in zip(row[:5], widths, strict=True)) + "  " + row[5]
        )
    if host.presets:
        click.echo("\npresets: " + ", ".join(sorted(host.presets)))
    if host.targets:
        click.echo("editor targets (--for): " + ", ".join(sorted(host.targets)))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def plugins(as_json: bool) -> None:
    """List installed plugins, their versions and hooks, and any that are broken."""
    host = default_host()
    infos = host.plugin_infos()
    if as_json:
        document = {
            "plugins": [
                {
                    "name": i.name,
                    "distribution": i.distribution,
                    "version": i.version,
                    "builtin": i.builtin,
                    "hooks": list(i.hooks),
                }
                for i in infos
            ],
            "broken": [
                {"name": b.name, "distribution": b.distribution, "error": b.error}
                for b in host.broken
            ],
        }
        click.echo(json.dumps(document, indent=2))
        return
    for info in infos:
        kind = "built in" if info.builtin else f"{info.distribution} {info.version}".strip()
        click.echo(f"{info.name}  ({kind})  {', '.join(info.hooks)}")
    for broken in host.broken:
        click.echo(f"{broken.name}  ({broken.distribution})  BROKEN: {broken.error}")


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line (the ``captionbridge`` script)."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="captionbridge")
    except KeyboardInterrupt:
        _echo_error("captionbridge: interrupted")
        sys.exit(130)
