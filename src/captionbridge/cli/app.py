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
from typing import TYPE_CHECKING, Any, NoReturn

import click

from .. import __version__
from ..errors import CaptionbridgeError, FormatError

if TYPE_CHECKING:
    from ..host.registry import PluginHost
    from ..model import Note
    from ..specs import OptionSpec, ResolvedOptions

__all__ = ["cli", "main"]

_BUILTIN_COMMANDS = ("convert", "formats", "plugins")


def default_host() -> PluginHost:
    """The shared plugin host, imported only when a command needs it."""
    from ..host.registry import default_host as shared

    return shared()


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


class _OptionType(click.ParamType):  # type: ignore[type-arg]
    """A click type made from an :class:`OptionSpec`: the value is parsed by the option's own
    parser, so a refused value is a usage error naming the option (exit 2)."""

    def __init__(self, spec: OptionSpec) -> None:
        self.spec = spec
        self.name = spec.metavar or getattr(spec.type, "__name__", "value").upper()

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            parsed = self.spec.convert(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)
        # None would read as "not given" (a parser may map "off" to None): keep what was typed
        return value if parsed is None else parsed


def _click_option(spec: OptionSpec) -> click.Option:
    if spec.is_bool:
        name = spec.cli_flag[2:]
        return click.Option(
            [f"--{name}/--no-{name}", spec.name], default=None, help=spec.help, show_default=False
        )
    metavar = spec.metavar or ("[" + "|".join(spec.choices) + "]" if spec.choices else None)
    return click.Option(
        [spec.cli_flag, spec.name],
        type=_OptionType(spec),
        default=None,
        help=spec.help,
        metavar=metavar,
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
        click.Option(
            ["-r", "--recursive"], is_flag=True, help="Convert the files of sub-folders too."
        ),
        click.Option(
            ["-j", "--jobs"],
            type=click.IntRange(min=1),
            help="Files converted in parallel (default: the number of CPUs).",
        ),
        click.Option(
            ["--follow-symlinks"], is_flag=True, help="Follow symbolic links out of the tree."
        ),
        click.Option(
            ["--skip-existing"], is_flag=True, help="Leave files whose outputs exist alone."
        ),
        click.Option(["--fail-fast"], is_flag=True, help="Stop at the first file that fails."),
        click.Option(
            ["--json", "as_json"], is_flag=True, help="Print one JSON record per file on stdout."
        ),
        click.Option(
            ["--config", "config"],
            type=click.Path(dir_okay=False, path_type=Path),
            help="Read options from this TOML file (default: ./captionbridge.toml or"
            " [tool.captionbridge] in ./pyproject.toml).",
        ),
        click.Option(["--profile"], help="Use the [profile.NAME] table of the configuration."),
    ]
    params += [_click_option(spec) for spec in host.options.values()]

    def run(**kwargs: Any) -> None:
        _run_convert(host, **kwargs)

    return click.Command(
        "convert",
        params=params,
        callback=run,
        help="Convert transcripts and subtitle files: files, folders, glob patterns or - for"
        " standard input. Folders are mirrored under --out-dir.",
        context_settings={"help_option_names": ["-h", "--help"]},
    )


def _usage_error(message: str) -> NoReturn:
    raise click.UsageError(message)


def _with_config(host: PluginHost, given: dict[str, Any]) -> dict[str, Any]:
    """Fill what the command line left unset from the configuration file and profile."""
    from .config import load_config

    values = load_config(given.pop("config"), profile=given.pop("profile"), specs=host.options)
    if "from" in values:
        values["from_format"] = values.pop("from")
    if "json" in values:
        values["as_json"] = values.pop("json")
    for key, value in values.items():  # option values are already parsed by load_config
        if given.get(key) in (None, False):
            given[key] = value
    return given


def _run_convert(host: PluginHost, **given: Any) -> None:
    from ..flow.options import OptionError, resolve_options
    from ..flow.pipeline import target_formats
    from .config import ConfigError

    _report_broken(host)
    try:
        given = _with_config(host, given)
        command = {k: given.pop(k) for k in list(given) if k not in host.options}
        options = resolve_options(host, given)
        to = command["to"]
        formats = list(dict.fromkeys(p.strip() for p in to.split(",") if p.strip())) if to else []
        if not formats and options.get("target"):
            formats = target_formats(host, options["target"])
        if command["force"] and command["skip_existing"]:
            _usage_error("--force and --skip-existing contradict each other; give one")
        if command["from_format"]:
            host.reader(command["from_format"])
        extensions: dict[str, str] = {}
        for name in formats:
            writer = host.writer(name)
            other = extensions.setdefault(writer.extension, writer.name)
            if other != writer.name:
                _usage_error(
                    f"--to {other} and {writer.name} both write <name>{writer.extension};"
                    " convert them in two runs or to two folders"
                )
    except (OptionError, FormatError, ConfigError) as exc:
        _usage_error(str(exc))
    inputs: Sequence[str] = command["inputs"]
    if command["output"] is not None or "-" in inputs:
        _convert_files(host, options, formats, command)
    else:
        _convert_batch(host, options, formats, command)


def _streamed(
    source: str,
    outputs: Any,
    host: PluginHost,
    options: ResolvedOptions,
    command: dict[str, Any],
    report: Any,
) -> bool:
    """A huge bracket file is converted in chunks when its options allow (see streaming.py)."""
    from ..flow.streaming import stream_convert

    done = stream_convert(
        source, outputs, host, options, command["from_format"], force=command["force"],
        report=report,
    )  # fmt: skip
    return done is not None


def _convert_files(
    host: PluginHost, options: ResolvedOptions, formats: list[str], command: dict[str, Any]
) -> None:
    """One file to a named output or standard output, or standard input."""
    from ..flow.pipeline import OptionError, plan_outputs, read_bytes, transform, write_outputs

    inputs, output, from_format = command["inputs"], command["output"], command["from_format"]
    try:
        if output is not None and len(inputs) > 1:
            _usage_error("--output names one file; use --out-dir with several inputs")
        plans = [
            (
                source,
                plan_outputs(host, source, to=formats, output=output, out_dir=command["out_dir"]),
            )
            for source in inputs
        ]
    except (OptionError, FormatError) as exc:
        _usage_error(str(exc))
    failed = 0
    stdout = sys.stdout.buffer
    for source, outputs in plans:
        try:
            report = None if command["quiet"] else functools.partial(_report_note, source)
            if source != "-" and _streamed(source, outputs, host, options, command, report):
                continue
            name = "<stdin>" if source == "-" else source
            transcript = read_bytes(_read_input(source), name, host, options, from_format)
            transcript = transform(transcript, host, options)
            if not command["quiet"]:
                for note in transcript.notes:
                    _echo_error(_warning(note.source or name, note.line, note.message))
            write_outputs(
                transcript,
                outputs,
                host,
                options,
                force=command["force"],
                stdout=stdout,
                report=None if command["quiet"] else functools.partial(_report_note, name),
                source=None if source == "-" else source,
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


#: Below this many files a batch runs in this process unless --jobs is given: starting worker
#: processes would cost more than it saves.
SERIAL_BELOW = 32


def _convert_batch(
    host: PluginHost, options: ResolvedOptions, formats: list[str], command: dict[str, Any]
) -> None:
    """Files, folders and glob patterns, converted in parallel and mirrored under --out-dir."""
    from ..batch.discover import discover, has_magic
    from ..batch.run import BatchRun, Existing, Settings, collect, cpu_count, rejected_results
    from ..files.fsio import is_url
    from .progress import Reporter

    inputs: Sequence[str] = command["inputs"]
    plan = discover(
        inputs,
        extensions=[e for spec in host.readers.values() for e in spec.extensions],
        out_dir=command["out_dir"],
        recursive=bool(command["recursive"]),
        follow_symlinks=bool(command["follow_symlinks"]),
    )
    jobs = command["jobs"]
    workers = jobs or (cpu_count() if len(plan.jobs) >= SERIAL_BELOW else 1)
    existing: Existing = (
        "overwrite" if command["force"] else "skip" if command["skip_existing"] else "fail"
    )
    settings = Settings(
        host=host,
        formats=tuple(formats or ["srt"]),
        options=options,
        from_format=command["from_format"],
        existing=existing,
        fail_fast=bool(command["fail_fast"]),
    )
    stderr = sys.stderr
    bar = stderr.isatty()  # kept with -q: quiet means no warnings, not no progress
    batch_mode = (
        bar
        or len(plan.jobs) + len(plan.rejected) > 1
        or any(has_magic(a) or is_url(a) or Path(a).is_dir() for a in inputs)
    )
    reporter = Reporter(
        len(plan.jobs) + len(plan.rejected),
        err=stderr,
        out=sys.stdout,
        bar=bar,
        warnings=not command["quiet"],
        as_json=bool(command["as_json"]),
    )
    refused = rejected_results(plan.rejected)
    for result in refused:
        reporter.add(result)
    run = BatchRun(plan.jobs, settings, workers=workers)
    try:
        collect(run, lambda index, results: reporter.chunk(index, results))
    except BrokenPipeError:
        _quiet_broken_pipe()
    if command["as_json"]:
        reporter.emit(refused)
    if batch_mode or run.interrupted:
        reporter.summary(interrupted=run.interrupted)
    if run.interrupted:
        sys.exit(130)
    if reporter.counts["failed"]:
        sys.exit(1)


def _warning(source: str, line: int | None, message: str) -> str:
    where = f"{source}:{line}" if line is not None else source
    return f"{where}: warning: {message}"


def _read_input(source: str) -> bytes:
    if source == "-":
        from ..files.fsio import read_stream

        return read_stream(sys.stdin.buffer, "<stdin>")
    from ..files.fsio import read_bytes

    return read_bytes(source)


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
    """Run the command line (the ``captionbridge`` script).

    A Ctrl-C anywhere, also while plugins are still being imported, ends with ``captionbridge:
    interrupted`` and exit status 130 (click alone would print ``Aborted!`` and exit 1)."""
    try:
        code = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="captionbridge",
            standalone_mode=False,
        )
    except (KeyboardInterrupt, click.exceptions.Abort):
        _echo_error("captionbridge: interrupted")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        _quiet_broken_pipe()
    sys.exit(code if isinstance(code, int) else 0)
