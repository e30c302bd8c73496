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
from typing import Any

from ..errors import CaptionbridgeError

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
)


class ConfigError(CaptionbridgeError):
    """A configuration file that cannot be read or holds an unknown key (a usage error)."""


def find_config(directory: Path) -> tuple[Path, tuple[str, ...]] | None:
    """The configuration file that applies in ``directory`` and the table inside it."""
    own = directory / "captionbridge.toml"
    if own.is_file():
        return own, ()
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file() and "captionbridge" in _parse(pyproject).get("tool", {}):
        return pyproject, ("tool", "captionbridge")
    return None


def _parse(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror or exc}", source=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", source=str(path)) from None


def load_config(
    path: Path | None,
    *,
    profile: str | None,
    known: Iterable[str],
    directory: Path | None = None,
) -> dict[str, Any]:
    """The settings of the configuration file (``path``, or the one found in ``directory``)
    with ``profile`` layered over them. ``known`` are the option names accepted as keys."""
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
    source = str(path)
    profiles = document.get("profile", {})
    if not isinstance(profiles, Mapping):
        raise ConfigError("'profile' must be a table of profiles", source=source)
    allowed = set(known) | set(COMMAND_KEYS)
    values = _checked({k: v for k, v in document.items() if k != "profile"}, allowed, source)
    if profile:
        if profile not in profiles:
            names = ", ".join(sorted(profiles)) or "none"
            raise ConfigError(f"no profile {profile!r} (profiles: {names})", source=source)
        values.update(_checked(profiles[profile], allowed, f"{source} [profile.{profile}]"))
    return values


def _checked(table: Mapping[str, Any], allowed: set[str], source: str) -> dict[str, Any]:
    values = {}
    for raw_key, value in table.items():
        key = raw_key.replace("-", "_")
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            raise ConfigError(f"unknown key {raw_key!r} (known: {known})", source=source)
        if isinstance(value, Mapping):
            raise ConfigError(f"{raw_key!r} must be a value, not a table", source=source)
        if key == "to" and isinstance(value, list):
            value = ",".join(str(v) for v in value)
        if key == "jobs" and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            raise ConfigError("'jobs' must be a whole number of at least 1", source=source)
        values[key] = value
    return values
