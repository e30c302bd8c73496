"""Option resolution: every source of option values merged into one typed ResolvedOptions.

Precedence, lowest first: each option's default, the editor target's values (``--for``), the
preset's values (``--preset``), then the values given (the CLI merges its configuration file
under its command line before calling :func:`resolve_options`). Every value, from whichever
layer, goes through the same parser, :meth:`OptionSpec.parse`, so ``"42"`` and ``42`` give
the same ``max_chars`` and ``"false"`` is ``False``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import OptionError, brief
from ..host.registry import PluginHost
from ..specs import ResolvedOptions

__all__ = ["OptionError", "resolve_options"]


def resolve_options(host: PluginHost, given: Mapping[str, Any]) -> ResolvedOptions:
    """Merge option values: defaults, then the editor target's, then the preset's, then the
    values given explicitly (``None`` means not given). Each value is parsed by its option's
    type and checked against its choices; a refused one raises :class:`OptionError`."""
    unknown = sorted(set(given) - set(host.options))
    if unknown:
        known = ", ".join(sorted(host.options))
        raise OptionError(f"unknown option {unknown[0]!r} (known: {known})")
    explicit = {
        name: host.options[name].parse(value) for name, value in given.items() if value is not None
    }
    values: dict[str, Any] = {name: spec.default for name, spec in host.options.items()}
    layered: dict[str, Any] = {}
    target_name = explicit.get("target")
    if target_name:
        if target_name not in host.targets:
            known = ", ".join(sorted(host.targets)) or "none installed"
            raise OptionError(f"unknown editor target {brief(target_name)} (known: {known})")
        layered.update(host.targets[target_name].values)
    preset_name = explicit.get("preset", layered.get("preset"))
    if preset_name and preset_name != "none":
        if preset_name not in host.presets:
            known = ", ".join(sorted(host.presets)) or "none installed"
            raise OptionError(f"unknown preset {brief(preset_name)} (known: {known})")
        layered.update(host.presets[preset_name].values)
    for name, value in layered.items():
        if name in host.options:
            values[name] = host.options[name].parse(value)
    values.update(explicit)
    return ResolvedOptions(values)
