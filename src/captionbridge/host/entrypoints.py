"""Find the plugins installed for the ``captionbridge`` entry-point group, quickly.

``importlib.metadata`` parses every distribution's metadata and costs more start-up time than
the rest of captionbridge together; a plugin scan only needs the ``entry_points.txt`` files that
mention the group. Their format is the documented INI layout of the packaging specifications
(https://packaging.python.org/en/latest/specifications/entry-points/).
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterable
from typing import NamedTuple

__all__ = ["FoundEntryPoint", "find_entry_points"]


class FoundEntryPoint(NamedTuple):  # not a dataclass: see PluginInfo in registry.py
    """One entry point of the group: its name, ``module:attr`` value and distribution."""

    name: str
    value: str
    distribution: str
    version: str

    def load(self) -> object:
        """Import the module and return the named attribute (or the module itself)."""
        module_name, _, attribute = self.value.partition(":")
        target: object = importlib.import_module(module_name.strip())
        attribute = attribute.split("[", 1)[0].strip()  # drop any [extras]
        for part in filter(None, attribute.split(".")):
            target = getattr(target, part)
        return target


def _section(text: str, group: str) -> list[tuple[str, str]]:
    entries: list[tuple[str, str]] = []
    inside = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            inside = line == f"[{group}]"
            continue
        if inside and "=" in line:
            name, _, value = line.partition("=")
            entries.append((name.strip(), value.strip()))
    return entries


def _metadata(info_dir: str, fallback: str) -> tuple[str, str]:
    name, version = fallback, ""
    for candidate in ("METADATA", "PKG-INFO"):
        try:
            with open(os.path.join(info_dir, candidate), encoding="utf-8") as handle:
                for line in handle:
                    if not line.strip():
                        break
                    key, _, value = line.partition(":")
                    if key == "Name":
                        name = value.strip()
                    elif key == "Version":
                        version = value.strip()
            break
        except OSError:
            continue
    return name, version


def find_entry_points(group: str, paths: Iterable[str] | None = None) -> list[FoundEntryPoint]:
    """Every entry point of ``group`` in the distributions on ``paths`` (``sys.path``).

    A distribution found twice counts once, the first time, as the import system would.
    """
    found: list[FoundEntryPoint] = []
    seen: set[str] = set()
    marker = f"[{group}]"
    for directory in paths if paths is not None else sys.path:
        try:
            entries = os.scandir(directory or ".")
        except OSError:
            continue
        with entries:
            for entry in entries:
                if not entry.name.endswith((".dist-info", ".egg-info")):
                    continue
                key = entry.name.rsplit("-", 1)[0].lower().replace("-", "_")
                if key in seen:
                    continue
                seen.add(key)
                try:
                    with open(os.path.join(entry.path, "entry_points.txt"), encoding="utf-8") as f:
                        text = f.read()
                except OSError:
                    continue
                if marker not in text:
                    continue
                distribution, version = _metadata(entry.path, key)
                found += [
                    FoundEntryPoint(name, value, distribution, version)
                    for name, value in _section(text, group)
                ]
    return found
