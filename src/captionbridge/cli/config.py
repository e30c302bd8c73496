"""Options from a configuration file: ``captionbridge.toml`` in the working directory,
``[tool.captionbridge]`` in ``pyproject.toml``, or a file named with ``--config``.

Keys are the conversion options (``OptionSpec.name``) plus the command's own settings (``to``,
``out_dir``, ``jobs``...); a ``-`` in a key is read as ``_``. ``[profile.NAME]`` tables hold
house styles chosen with ``--profile NAME``; they are layered over the top-level keys, and the
command line wins over both.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CaptionbridgeError

if TYPE_CHECKING:
    from ..specs import OptionSpec

__all__ = ["COMMAND_KEYS", "ConfigError", "find_config", "load_config"]

#: The command's own settings a configuration file may hold, besides the options.
COMMAND_KEYS = (
    "to",
    "out_dir",
    "from",
    "jobs",
    "recursive",
    "follow_symlinks",
    "force",
    "skip_existing",
    "fail_fast",
    "quiet",
    "json",
    "scheduler",
)


class ConfigError(CaptionbridgeError):
    """A configuration file that cannot be read or holds an unknown key (a usage error)."""


def find_config(directory: Path) -> tuple[Path, tuple[str, ...]] | None:
    """The configuration file that applies in ``directory`` and the table inside it."""
    own = directory / "captionbridge.toml"
    if own.is_file():
        return own, ()
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file():
        tool = _parse(pyproject).get("tool", {})
        if not isinstance(tool, Mapping) or "captionbridge" not in tool:
            return None
        return pyproject, ("tool", "captionbridge")
    return None


def _parse(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror or exc}", source=str(path)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ConfigError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x}); TOML files are UTF-8",
            source=f"{path}:{line}:{column}",
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", source=str(path)) from None
    except RecursionError:
        raise ConfigError("not valid TOML: nested too deeply", source=str(path)) from None


def load_config(
    path: Path | None,
    *,
    profile: str | None,
    known: Iterable[str] = (),
    specs: Mapping[str, OptionSpec] | None = None,
    directory: Path | None = None,
) -> dict[str, Any]:
    """The settings of the configuration file (``path``, or the one found in ``directory``)
    with ``profile`` layered over them. ``known`` are option names accepted as keys; ``specs``
    are options whose values are parsed by :meth:`OptionSpec.parse` (a TOML ``42`` or
    ``"42"`` gives the same ``max_chars``), a refused value naming the file."""
    if path is not None:
        table: tuple[str, ...] = ("tool", "captionbridge") if path.name == "pyproject.toml" else ()
    else:
        found = find_config(directory or Path.cwd())
        if found is None:
            if profile:
                raise ConfigError(
                    f"--profile {profile} needs a captionbridge.toml"
                    " (or [tool.captionbridge] in pyproject.toml)"
                )
            return {}
        path, table = found
    document: Any = _parse(path)
    for key in table:
        document = document.get(key, {})
        if not isinstance(document, Mapping):
            raise ConfigError(f"'{key}' must be a table", source=str(path))
    source = str(path)
    profiles = document.get("profile", {})
    if not isinstance(profiles, Mapping):
        raise ConfigError("'profile' must be a table of profiles", source=source)
    specs = specs or {}
    allowed = set(known) | set(specs) | set(COMMAND_KEYS)
    values = _checked({k: v for k, v in document.items() if k != "profile"}, allowed, specs, source)
    if profile:
        if profile not in profiles:
            names = ", ".join(sorted(profiles)) or "none"
            raise ConfigError(f"no profile {profile!r} (profiles: {names})", source=source)
        chosen = profiles[profile]
        where = f"{source} [profile.{profile}]"
        if not isinstance(chosen, Mapping):
            raise ConfigError("a profile must be a table", source=where)
        values.update(_checked(chosen, allowed, specs, where))
    return values


#: the command settings that are on/off switches, and those that take text
_SWITCHES = frozenset(
    {"recursive", "follow_symlinks", "force", "skip_existing", "fail_fast", "quiet", "json"}
)
_TEXTS = frozenset({"out_dir", "from", "scheduler"})


def _checked(
    table: Mapping[str, Any], allowed: set[str], specs: Mapping[str, OptionSpec], source: str
) -> dict[str, Any]:
    values = {}
    for raw_key, value in table.items():
        key = raw_key.replace("-", "_")
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            raise ConfigError(f"unknown key {raw_key!r} (known: {known})", source=source)
        if isinstance(value, Mapping):
            raise ConfigError(f"{raw_key!r} must be a value, not a table", source=source)
        if key in specs:
            try:
                parsed = specs[key].convert(value)
            except ValueError as exc:
                flag = specs[key].cli_flag
                message = f"invalid value for {raw_key!r} ({flag}): {exc}"
                raise ConfigError(message, source=source) from None
            # None would read as "not given" (a parser may map "off" to None): keep the value
            value = value if parsed is None else parsed
        elif key == "to":
            parts = value if isinstance(value, list) else [value]
            if not parts or not all(isinstance(v, str) for v in parts):
                raise ConfigError("'to' must be a format name or a list of them", source=source)
            value = ",".join(parts)
        elif key == "jobs" and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            raise ConfigError("'jobs' must be a whole number of at least 1", source=source)
        elif key in _SWITCHES and not isinstance(value, bool):
            raise ConfigError(f"{raw_key!r} must be true or false", source=source)
        elif key in _TEXTS and not isinstance(value, str):
            raise ConfigError(f"{raw_key!r} must be text", source=source)
        values[key] = value
    return values
