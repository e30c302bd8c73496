"""Planning a conversion: which writers, which output paths, and what to do with existing files.

Every front end (the CLI, the Python API, batch workers) plans here, so an output's name and
stem, the default format and the extension-collision rule exist once.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, NamedTuple

from ..files import fsio
from ..host.registry import PluginHost
from ..specs import Options, WriterSpec
from .pipeline import OptionError, target_formats

__all__ = [
    "STDIN_NAMES",
    "Existing",
    "OptionError",
    "Output",
    "check_request",
    "existing_policy",
    "outputs_at",
    "overwrite",
    "plan_outputs",
    "requested_formats",
    "split_formats",
]

#: What to do when an output exists: fail the file, skip it, or overwrite.
Existing = Literal["fail", "skip", "overwrite"]

#: The names standard input goes by.
STDIN_NAMES = ("-", "<stdin>")
_STDOUT_STEM = "captions"


class Output(NamedTuple):  # not a dataclass: see PluginInfo in host/registry.py
    """Where one format goes: its writer, a path or URL (``None`` for standard output) and the
    stem the writer is told (the file name without the writer's extension)."""

    writer: WriterSpec
    path: str | None
    stem: str = _STDOUT_STEM


def split_formats(to: str | Sequence[str] | None) -> list[str]:
    """``"srt, vtt"`` or ``["srt", "vtt"]`` as a list of names, each once, in order."""
    parts = to.split(",") if isinstance(to, str) else list(to or ())
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))


def requested_formats(
    host: PluginHost, to: str | Sequence[str] | None, options: Options
) -> list[str]:
    """The formats asked for, else the editor target's (``[]``: the default or the one an
    output path names)."""
    formats = split_formats(to)
    if not formats and options.get("target"):
        formats = target_formats(host, options["target"])
    return formats


def check_request(
    host: PluginHost, formats: Sequence[str], from_format: str | None = None
) -> list[WriterSpec]:
    """The writers of ``formats`` (the default one when empty), after checking that the input
    format exists and that no two writers would write the same file name."""
    if from_format:
        host.reader(from_format)
    writers = _writers(host, formats)
    extensions: dict[str, str] = {}
    for writer in writers:
        other = extensions.setdefault(writer.extension.lower(), writer.name)
        if other != writer.name:
            raise OptionError(
                f"--to {other} and {writer.name} both write <name>{writer.extension};"
                " convert them in two runs or to two folders"
            )
    return writers


def _writers(host: PluginHost, formats: Sequence[str]) -> list[WriterSpec]:
    if not formats:
        return [host.default_writer()]
    writers = [host.writer(name) for name in formats]
    return list({w.name: w for w in writers}.values())  # an alias and its name: one output


def outputs_at(writers: Sequence[WriterSpec], dest: str) -> list[Output]:
    """One output per writer at ``dest`` + its extension (``dest`` is a path or URL without
    extension, as batch discovery gives it)."""
    stem = (posixpath if fsio.is_url(dest) else os.path).basename(dest)
    return [Output(w, dest + w.extension, stem) for w in writers]


def plan_outputs(
    host: PluginHost,
    source: str,
    *,
    to: Sequence[str] = (),
    output: str | None = None,
    out_dir: str | None = None,
) -> list[Output]:
    """Decide the writer and target path of each requested output of one input.

    ``output`` names one file (``-`` for standard output; its format comes from ``to`` or from
    the name); else ``out_dir`` (or the input's folder) gets ``<stem><extension>`` per format."""
    stdin = source in STDIN_NAMES
    if output is not None:
        if len(to) > 1:
            if output == "-":
                raise OptionError("standard output takes one format; give one --to")
            raise OptionError("--output names one file; use --out-dir for several formats")
        if output == "-":
            return [Output(_writers(host, to)[0], None)]
        writer = host.writer(to[0]) if to else host.writer_for_path(output)
        name = os.path.basename(output)
        cut = len(name) - len(writer.extension)
        stem = name[:cut] if name.lower().endswith(writer.extension.lower()) else Path(name).stem
        return [Output(writer, output, stem or _STDOUT_STEM)]
    writers = check_request(host, to)
    if out_dir is None and stdin:
        if len(writers) > 1:
            raise OptionError("standard input with several formats needs --out-dir")
        return [Output(writers[0], None)]
    stem = _STDOUT_STEM if stdin else Path(source).name.rsplit(".", 1)[0] or Path(source).name
    base = out_dir if out_dir is not None else str(Path(source).parent)
    return outputs_at(writers, fsio.join(base, stem))


def overwrite(existing: Existing) -> bool:
    """Whether the policy replaces existing files."""
    return existing == "overwrite"


def existing_policy(*, force: bool, skip_existing: bool = False) -> Existing:
    """The policy the ``--force`` / ``--skip-existing`` flags (or keywords) ask for."""
    if force and skip_existing:
        raise OptionError("--force and --skip-existing contradict each other; give one")
    return "overwrite" if force else "skip" if skip_existing else "fail"
