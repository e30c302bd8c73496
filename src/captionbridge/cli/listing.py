"""What ``captionbridge formats`` and ``captionbridge plugins`` show: every reader, writer,
preset, target, transform and option with the plugin that registered it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..host.registry import PluginHost
    from ..specs import OptionSpec

__all__ = ["formats_document", "plugins_document", "registrations"]

#: the kinds of registration listed per plugin, in the order they are shown
KINDS = ("reader", "writer", "transform", "option", "preset", "target")


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)  # a Fraction frame rate, a tuple...


def _option(host: PluginHost, spec: OptionSpec) -> dict[str, Any]:
    return {
        "name": spec.name,
        "flag": spec.cli_flag,
        "type": "bool" if spec.is_bool else getattr(spec.type, "__name__", str(spec.type)),
        "default": _jsonable(spec.default),
        "choices": list(spec.choices) if spec.choices is not None else None,
        "help": spec.help,
        "plugin": host.provider_of("option", spec.name),
    }


def formats_document(host: PluginHost) -> dict[str, Any]:
    """The ``formats --json`` document."""
    return {
        "readers": [
            {
                "name": name,
                "extensions": list(spec.extensions),
                "binary": spec.binary,
                "description": spec.description,
                "plugin": host.provider_of("reader", name),
            }
            for name, spec in sorted(host.readers.items())
        ],
        "writers": [
            {
                "name": name,
                "extension": spec.extension,
                "extensions": list(dict.fromkeys((spec.extension, *spec.claimed_extensions))),
                "aliases": list(spec.aliases),
                "frame_based": spec.frame_based,
                "frame_rates": [str(rate) for rate in spec.frame_rates],
                "multi_file": spec.multi_file,
                "default": spec.default,
                "description": spec.description,
                "plugin": host.provider_of("writer", name),
            }
            for name, spec in sorted(host.writers.items())
        ],
        "presets": [
            {
                "name": name,
                "values": {k: _jsonable(v) for k, v in spec.values.items()},
                "description": spec.description,
                "plugin": host.provider_of("preset", name),
            }
            for name, spec in sorted(host.presets.items())
        ],
        "targets": [
            {
                "name": name,
                "formats": list(spec.formats),
                "description": spec.description,
                "plugin": host.provider_of("target", name),
            }
            for name, spec in sorted(host.targets.items())
        ],
        "transforms": [
            {
                "name": spec.name,
                "stage": spec.stage,
                "order": spec.order,
                "description": spec.description,
                "plugin": host.provider_of("transform", spec.name),
            }
            for spec in host.transforms
        ],
        "options": [_option(host, spec) for spec in host.options.values()],
    }


def registrations(host: PluginHost, plugin: str) -> dict[str, list[str]]:
    """What ``plugin`` registered, by kind (``reader``, ``writer``, ``transform``...); aliases
    and extensions are left out. Options are given by their command-line flag."""
    found: dict[str, list[str]] = {kind: [] for kind in KINDS}
    tables: dict[str, Any] = {
        "reader": host.readers,
        "writer": host.writers,
        "option": host.options,
        "preset": host.presets,
        "target": host.targets,
        "transform": {spec.name: spec for spec in host.transforms},
    }
    for (kind, name), owner in host.provider.items():
        if owner == plugin and kind in found and name in tables[kind]:
            found[kind].append(tables[kind][name].cli_flag if kind == "option" else name)
    return {kind: sorted(names) for kind, names in found.items() if names}


def plugins_document(host: PluginHost) -> dict[str, Any]:
    """The ``plugins --json`` document: the plugins, the broken ones and the registrations
    skipped because another plugin had taken their name."""
    return {
        "plugins": [
            {
                "name": i.name,
                "distribution": i.distribution,
                "version": i.version,
                "builtin": i.builtin,
                "hooks": list(i.hooks),
                "registers": registrations(host, i.name),
            }
            for i in host.plugin_infos()
        ],
        "broken": [
            {"name": b.name, "distribution": b.distribution, "error": b.error}
            for b in host.broken
            if b.skipped == "plugin"
        ],
        "skipped": [
            {
                "name": b.name,
                "distribution": b.distribution,
                "registration": b.skipped,
                "error": b.error,
            }
            for b in host.broken
            if b.skipped != "plugin"
        ],
    }
