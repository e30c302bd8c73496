"""The ``captionbridge`` command line: convert, formats, plugins.

Exit codes: 0 success, 1 when any input failed, 2 for usage errors (and when the run cannot
start where asked: a Dask scheduler that does not answer, a missing optional package). Bad input
is reported as one line ``path:line:col: message`` on standard error, never as a traceback.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from .._version import __version__
from ..errors import CaptionbridgeError, FormatError, SetupError
from .check import add_check_command
from .live import add_live_command

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from ..batch.run import BatchRun, FileResult
    from ..host.registry import PluginHost
    from ..model import Note
    from ..specs import OptionSpec, ResolvedOptions, WriterSpec

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
        if broken.skipped == "plugin":
            _echo_error(
                f"captionbridge: plugin {broken.name!r} ({broken.distribution}) is broken and"
                f" was skipped: {broken.error}"
            )
        else:
            _echo_error(
                f"captionbridge: plugin {broken.name!r} ({broken.distribution}): its"
                f" {broken.skipped} was skipped: {broken.error}"
            )


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:  # through the environment, so worker processes show tracebacks too
        import os

        from ..errors import DEBUG_ENV

        os.environ[DEBUG_ENV] = "1"


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

    def invoke(self, ctx: click.Context) -> Any:
        # click's standalone mode turns Ctrl-C into "Aborted!" and exit 1; a command stopped
        # by Ctrl-C says so and exits 130 like a shell does (its outputs are removed by then)
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            _echo_error("captionbridge: interrupted")
            sys.exit(130)

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
@click.option(
    "--traceback",
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=_set_debug,
    help="Show the traceback of a failing plugin (as CAPTIONBRIDGE_DEBUG=1 does).",
)
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
            ["--scheduler"],
            envvar="CAPTIONBRIDGE_SCHEDULER",
            metavar="tcp://HOST:PORT",
            help="Run the batch on this Dask scheduler's workers (default:"
            " $CAPTIONBRIDGE_SCHEDULER; needs captionbridge[cluster]).",
        ),
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
    from ..flow.framerate import settle_fps
    from ..flow.options import OptionError, resolve_options
    from ..flow.plan import check_request, existing_policy, requested_formats
    from .config import ConfigError

    _report_broken(host)
    try:
        given = _with_config(host, given)
        command = {k: given.pop(k) for k in list(given) if k not in host.options}
        options = resolve_options(host, given)
        formats = requested_formats(host, command["to"], options)
        command["existing"] = existing_policy(
            force=command["force"], skip_existing=command["skip_existing"]
        )
        check_request(host, formats, command["from_format"])
        writers = _writers(host, formats, command["output"])
        options, assumed = settle_fps(host, options, writers, given)
    except (OptionError, FormatError, ConfigError) as exc:
        _usage_error(str(exc))
    if assumed and not command["quiet"]:
        _echo_error(f"captionbridge: warning: {assumed}")
    inputs: Sequence[str] = command["inputs"]
    if command["output"] is not None or "-" in inputs:
        _convert_files(host, options, formats, command)
    else:
        _convert_batch(host, options, formats, command)


def _writers(host: PluginHost, formats: list[str], output: str | None) -> list[WriterSpec]:
    """The writers a run will use (``-o talk.itt`` names its writer by the extension)."""
    if formats:
        return [host.writer(name) for name in formats]
    if output not in (None, "-"):
        return [host.writer_for_path(output)]
    return [host.default_writer()]


def _convert_files(
    host: PluginHost, options: ResolvedOptions, formats: list[str], command: dict[str, Any]
) -> None:
    """One file to a named output or standard output, or standard input."""
    from ..files.fsio import read_stream
    from ..flow import convert as flow
    from ..flow.pipeline import OptionError
    from ..flow.plan import plan_outputs

    inputs, output = command["inputs"], command["output"]
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
    for source, outputs in plans:
        name = "<stdin>" if source == "-" else source
        try:
            data = read_stream(sys.stdin.buffer, name) if source == "-" else None
            converted = flow.convert_source(
                name, outputs, host, options, from_format=command["from_format"],
                existing=command["existing"], data=data,
            )  # fmt: skip
            _print_notes(name, converted.notes, command)
            if converted.skipped and not command["quiet"]:
                _echo_error(f"{name}: skipped: {converted.skipped} (--force replaces them)")
            done = flow.write_converted(
                converted, existing=command["existing"], stdout=sys.stdout.buffer
            )
            _print_notes(name, done.notes[len(converted.notes) :], command)  # from writing
            for line in done.failed:
                failed += 1
                _echo_error(line)
        except CaptionbridgeError as exc:
            failed += 1
            if exc.source is None:
                exc.source = source
            _echo_error(str(exc))
        except BrokenPipeError:
            _quiet_broken_pipe()
    if failed:
        sys.exit(1)


def _print_notes(source: str, notes: Sequence[Note], command: dict[str, Any]) -> None:
    if not command["quiet"]:
        for note in notes:
            _echo_error(_warning(note.source or source, note.line, note.message))


def _convert_batch(
    host: PluginHost, options: ResolvedOptions, formats: list[str], command: dict[str, Any]
) -> None:
    """Files, folders and glob patterns, converted in parallel (on this machine or a Dask
    cluster) and mirrored under --out-dir."""
    from ..batch.start import start_batch

    with contextlib.ExitStack() as stack:
        try:
            executor, jobs = _where_to_run(stack, command)
            run, refused = start_batch(
                host,
                command["inputs"],
                options,
                formats=formats,
                out_dir=command["out_dir"],
                from_format=command["from_format"],
                existing=command["existing"],
                recursive=bool(command["recursive"]),
                follow_symlinks=bool(command["follow_symlinks"]),
                fail_fast=bool(command["fail_fast"]),
                executor=executor,
                jobs=jobs,
            )
        except CaptionbridgeError as exc:
            _echo_error(str(exc) if exc.source else f"captionbridge: {exc}")
            sys.exit(2 if isinstance(exc, SetupError) else 1)
        _report_batch(run, refused, command)


def _where_to_run(
    stack: contextlib.ExitStack, command: dict[str, Any]
) -> tuple[Executor | None, int | None]:
    """The executor and the parallelism of a batch: a Dask cluster's when ``--scheduler`` (or
    its environment variable) names one, with the paths made fit for its workers; else none
    (this machine, ``--jobs``)."""
    if not command["scheduler"]:
        return None, command["jobs"]
    from ..batch.cluster import connect, worker_paths

    command["inputs"] = worker_paths(command["inputs"])
    if command["out_dir"] is not None:
        command["out_dir"] = worker_paths([command["out_dir"]])[0]
    cluster = stack.enter_context(connect(command["scheduler"]))
    return cluster.executor, command["jobs"] or cluster.threads


def _report_batch(run: BatchRun, refused: list[FileResult], command: dict[str, Any]) -> None:
    """Run the batch with its progress and summary; exit 1 when a file failed, 130 when
    interrupted."""
    from ..batch.discover import has_magic
    from ..batch.run import collect
    from ..files.fsio import is_url
    from .progress import Reporter

    inputs: Sequence[str] = command["inputs"]
    stderr = sys.stderr
    bar = stderr.isatty()  # kept with -q: quiet means no warnings, not no progress
    batch_mode = (
        bar
        or len(run.jobs) + len(refused) > 1
        or any(has_magic(a) or is_url(a) or Path(a).is_dir() for a in inputs)
    )
    reporter = Reporter(
        len(run.jobs) + len(refused),
        err=stderr,
        out=sys.stdout,
        bar=bar,
        warnings=not command["quiet"],
        as_json=bool(command["as_json"]),
    )
    for result in refused:
        reporter.add(result)
    try:
        collect(run, lambda index, results: reporter.chunk(index, results))
    except BrokenPipeError:
        _quiet_broken_pipe()
    if command["as_json"]:
        reporter.emit(refused)
    interrupted = run.interrupted or reporter.interrupted
    if batch_mode or interrupted:
        reporter.summary(interrupted=interrupted)
    if interrupted:
        sys.exit(130)
    if reporter.counts["failed"]:
        sys.exit(1)


def _warning(source: str, line: int | None, message: str) -> str:
    where = f"{source}:{line}" if line is not None else source
    return f"{where}: warning: {message}"


def _quiet_broken_pipe() -> NoReturn:
    # the reader of our standard output went away (``| head``): stop quietly
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(0)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def formats(as_json: bool) -> None:
    """List every reader, writer, preset, target, transform and option with the plugin that
    provides it."""
    from .listing import formats_document

    host = default_host()
    _report_broken(host)
    if as_json:
        import json

        click.echo(json.dumps(formats_document(host), indent=2))
        return
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
    _echo_transforms_and_options(host)


def _echo_transforms_and_options(host: PluginHost) -> None:
    if host.transforms:
        click.echo("\ntransforms (stage, plugin):")
        for spec in host.transforms:
            plugin = host.describe_plugin(host.provider_of("transform", spec.name))
            click.echo(f"  {spec.name}  ({spec.stage}, {plugin})  {spec.description}".rstrip())
    by_plugin: dict[str, list[str]] = {}
    for option in host.options.values():
        by_plugin.setdefault(host.provider_of("option", option.name), []).append(option.cli_flag)
    if by_plugin:
        click.echo("\noptions by plugin (see 'captionbridge convert --help'):")
        for plugin, flags in by_plugin.items():
            click.echo(f"  {host.describe_plugin(plugin)}: {' '.join(flags)}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def plugins(as_json: bool) -> None:
    """List installed plugins, their versions, hooks and registrations, and any that are
    broken or had a registration skipped."""
    from .listing import plugins_document, registrations

    host = default_host()
    if as_json:
        import json

        click.echo(json.dumps(plugins_document(host), indent=2))
        return
    for info in host.plugin_infos():
        kind = "built in" if info.builtin else f"{info.distribution} {info.version}".strip()
        line = f"{info.name}  ({kind})  {', '.join(info.hooks)}"
        registered = "; ".join(
            f"{what}s: {', '.join(names)}" for what, names in registrations(host, info.name).items()
        )
        click.echo(f"{line}  [{registered}]" if registered else line)
    for broken in host.broken:
        state = "BROKEN" if broken.skipped == "plugin" else f"SKIPPED {broken.skipped}"
        click.echo(f"{broken.name}  ({broken.distribution})  {state}: {broken.error}")


add_check_command(cli)
add_live_command(cli)


#: The interpreter's switch interval while the command runs. A batch overlaps converting with
#: a writer thread (batch/run.py) that needs the GIL back after every system call; the default
#: 5 ms would let it make one call per 5 ms. The command line owns its process, so it sets this
#: here; library calls leave the interval alone.
SWITCH_INTERVAL = 0.000_2


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line (the ``captionbridge`` script).

    A Ctrl-C anywhere, also while plugins are still being imported, ends with ``captionbridge:
    interrupted`` and exit status 130 (click alone would print ``Aborted!`` and exit 1)."""
    saved = sys.getswitchinterval()
    sys.setswitchinterval(min(saved, SWITCH_INTERVAL))
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
    finally:
        sys.setswitchinterval(saved)
    sys.exit(code if isinstance(code, int) else 0)
