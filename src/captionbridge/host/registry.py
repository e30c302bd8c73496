"""The plugin host: builds the plugin manager and keeps what plugins register.

Build one with :func:`make_host`; :func:`default_host` returns a shared one for the Python API.
Tests build their own with ``entry_points=False``.
"""

from __future__ import annotations

import importlib
import os
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any, NamedTuple, TypeVar

import pluggy

from .. import hookspecs
from .._version import __version__
from ..errors import CaptionbridgeError, FormatError, PluginError, debug_details, describe
from ..model import Transcript
from ..specs import (
    Options,
    OptionSpec,
    Preset,
    ReaderSpec,
    Target,
    TransformSpec,
    WriterSpec,
)

__all__ = [
    "BUILTIN_PLUGINS",
    "BrokenPlugin",
    "PluginHost",
    "PluginInfo",
    "default_host",
    "make_host",
]

ENTRY_POINT_GROUP = "captionbridge"
DISABLE_ENV = "CAPTIONBRIDGE_DISABLE_PLUGINS"

#: The built-in plugins, registered like any other plugin.
BUILTIN_PLUGINS: tuple[str, ...] = (
    "captionbridge.plugins.core_options",
    "captionbridge.plugins.bracket",
    "captionbridge.plugins.srt",
    "captionbridge.plugins.vtt",
    "captionbridge.plugins.txt",
    "captionbridge.plugins.jsonfmt",
    "captionbridge.plugins.whisperjson.plugin",
    "captionbridge.plugins.transforms.timing",
    "captionbridge.plugins.transforms.speakers",
    "captionbridge.plugins.transforms.reflow",
    "captionbridge.plugins.transforms.words",
    "captionbridge.plugins.ttml.writer",
    "captionbridge.plugins.ttml.itt",
    "captionbridge.plugins.ttml.fcpxml",
    "captionbridge.plugins.ass",
    "captionbridge.plugins.sbv",
    "captionbridge.plugins.lrc",
    "captionbridge.plugins.delimited",
    "captionbridge.plugins.readable",
    "captionbridge.plugins.broadcast.common",
    "captionbridge.plugins.broadcast.scc",
    "captionbridge.plugins.broadcast.sccread",
    "captionbridge.plugins.broadcast.stl",
    "captionbridge.plugins.broadcast.stlread",
    "captionbridge.plugins.broadcast.avid",
    "captionbridge.plugins.targets",
    "captionbridge.plugins.ttml.reader",
)

_T = TypeVar("_T")


# named tuples rather than dataclasses: a frozen dataclass compiles six methods from source
# when its module is imported (about 4.5 M instructions each, on every start of the CLI)


class PluginInfo(NamedTuple):
    """A registered plugin: its name, the distribution that ships it and its hooks."""

    name: str
    distribution: str
    version: str
    builtin: bool
    hooks: tuple[str, ...]


class BrokenPlugin(NamedTuple):
    """A plugin that failed to load or register and was skipped, or (when ``skipped`` names
    one registration, such as ``writer 'srt'``) one registration of a plugin that clashed with
    another plugin's; the plugin's other registrations stay."""

    name: str
    distribution: str
    error: str
    skipped: str = "plugin"


def _disabled_names() -> set[str]:
    raw = os.environ.get(DISABLE_ENV, "")
    return {part.strip() for part in raw.split(",") if part.strip()}


class PluginHost:
    """The plugin manager plus the readers, writers, options, transforms, presets and targets
    the plugins registered.

    Registration hooks are called one plugin at a time, so a plugin that raises is reported by
    name and skipped (:attr:`broken`) while the others keep working.
    """

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm
        self.readers: dict[str, ReaderSpec] = {}
        self.writers: dict[str, WriterSpec] = {}
        self.options: dict[str, OptionSpec] = {}
        self.transforms: list[TransformSpec] = []
        self.presets: dict[str, Preset] = {}
        self.targets: dict[str, Target] = {}
        self.broken: list[BrokenPlugin] = []
        self.provider: dict[tuple[str, str], str] = {}
        self._meta: dict[str, tuple[str, str, bool]] = {}
        self._aliases: dict[str, str] = {}
        #: how :func:`make_host` built this host, so another process can build the same one
        self.recipe: tuple[bool, tuple[str, ...], tuple[tuple[str, object], ...]] | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        # a host travels to worker processes as its recipe and is rebuilt (once) there
        if self.recipe is None:
            raise PluginError(
                "this plugin host was not built by make_host() and cannot be sent to another"
                " process; use a thread executor",
                plugin="?",
                hook="make_host",
            )
        return (_rebuild_host, self.recipe)

    # -- building ----------------------------------------------------------------------------

    def add_plugin(
        self, plugin: object, name: str, distribution: str, version: str, builtin: bool
    ) -> None:
        """Register one plugin object (a module or an instance with hook methods)."""
        self.pm.register(plugin, name=name)
        self._meta[name] = (distribution, version, builtin)

    def collect(self) -> None:
        """Call every registration hook, plugin by plugin."""
        self._collect("captionbridge_register_options", self._add_option)
        self._collect("captionbridge_register_readers", self._add_reader)
        self._collect("captionbridge_register_writers", self._add_writer)
        self._collect("captionbridge_register_transforms", self._add_transform)
        self._collect("captionbridge_register_presets", self._add_preset)
        self._collect("captionbridge_register_targets", self._add_target)
        self._collect("captionbridge_register_phrase_models", self._add_phrase_model)
        self.transforms.sort(key=lambda t: t.order)

    def _collect(self, hook_name: str, add: Callable[[str, Any], None]) -> None:
        impls = {
            impl.plugin_name: impl for impl in getattr(self.pm.hook, hook_name).get_hookimpls()
        }
        # in the order plugins were added (built-ins first), so that a plugin claiming a name
        # that is already taken is the one reported as broken
        for name in list(self._meta):
            impl = impls.get(name)
            if impl is None or self.pm.get_plugin(name) is None:
                continue  # no such hook, or unregistered as broken during an earlier hook
            try:
                impl.function(
                    register=lambda spec, _name=name: self._register(hook_name, add, _name, spec)
                )
            except Exception as exc:
                if isinstance(exc, FormatError) and self._meta.get(name, ("", "", False))[2]:
                    raise  # two built-ins claiming one name is a bug in captionbridge itself
                # an external plugin that raises, or claims a name another plugin already
                # has, is skipped (the message names both) so the other formats keep working
                self._mark_broken(name, f"{hook_name}: {describe(exc)}{debug_details(exc)}")

    def _register(self, hook: str, add: Callable[[str, Any], None], plugin: str, spec: Any) -> None:
        """Add one registration; an external plugin's registration that clashes with another
        plugin's is skipped alone (reported in :attr:`broken`), the rest of the plugin stays."""
        try:
            add(plugin, spec)
        except _Clash as clash:
            if self._meta.get(plugin, ("", "", False))[2]:
                raise  # two built-ins claiming one name is a bug in captionbridge itself
            kind = type(spec).__name__.removesuffix("Spec").lower()
            what = f"{kind} {getattr(spec, 'name', '?')!r}"
            distribution = self._meta.get(plugin, (plugin, "", False))[0]
            self.broken.append(BrokenPlugin(plugin, distribution, f"{hook}: {clash.message}", what))

    def _mark_broken(self, name: str, error: str) -> None:
        distribution = self._meta.get(name, (name, "", False))[0]
        self.broken.append(BrokenPlugin(name, distribution, error))
        plugin = self.pm.get_plugin(name)
        if plugin is not None:
            self.pm.unregister(plugin)
        for key in [k for k, v in self.provider.items() if v == name]:
            kind, item = key
            tables: dict[str, dict[str, Any]] = {
                "reader": self.readers,
                "writer": self.writers,
                "option": self.options,
                "preset": self.presets,
                "target": self.targets,
            }
            tables.get(kind, {}).pop(item, None)
            if kind == "transform":
                self.transforms = [t for t in self.transforms if t.name != item]
            del self.provider[key]

    def _claim(self, kind: str, key: str, plugin: str, spec: object = None) -> None:
        self._check_free(kind, key, plugin, spec)
        self.provider[(kind, key)] = plugin

    def _check_free(self, kind: str, key: str, plugin: str, spec: object = None) -> None:
        other = self.provider.get((kind, key))
        if other is None or other == plugin:
            return
        off = f"{DISABLE_ENV}={self._disable_name(other)}"
        if kind == "extension":
            name = getattr(spec, "name", "?")
            fix = (
                f"the writer {name!r} of {plugin!r} was skipped: declare it with claims=()"
                f" (then only --to {name} selects it), or disable the other with {off}"
            )
        elif kind == "default writer":
            fix = f"{plugin!r}'s writer was skipped: drop default=True, or disable the other: {off}"
        else:
            fix = (
                f"the {kind} of {plugin!r} was skipped (its other registrations stay): rename"
                f" it, or disable the other with {off}"
            )
        what = f"{kind} {key!r}" if key else kind
        raise _Clash(f"{what} is registered by two plugins: {other!r} and {plugin!r}; {fix}")

    def _disable_name(self, plugin: str) -> str:
        """The name ``CAPTIONBRIDGE_DISABLE_PLUGINS`` takes for a plugin."""
        builtin = self._meta.get(plugin, ("", "", False))[2]
        return plugin.rsplit(".", 1)[-1] if builtin else plugin

    def _add_option(self, plugin: str, spec: OptionSpec) -> None:
        self._claim("option", spec.name, plugin)
        self.options[spec.name] = spec

    def _add_reader(self, plugin: str, spec: ReaderSpec) -> None:
        self._claim("reader", spec.name, plugin)
        self.readers[spec.name] = spec

    def _add_writer(self, plugin: str, spec: WriterSpec) -> None:
        # every name is checked before any is taken, so a clash leaves nothing half-claimed
        self._check_free("writer", spec.name, plugin)
        for alias in spec.aliases:
            self._check_free("writer", alias, plugin)
        for ext in spec.claimed_extensions:
            self._check_free("extension", ext.lower(), plugin, spec)
        if spec.default:
            self._check_free("default writer", "", plugin, spec)
        self._claim("writer", spec.name, plugin)
        for alias in spec.aliases:
            self._claim("writer", alias, plugin)
            self._aliases[alias] = spec.name
        for ext in spec.claimed_extensions:
            self._claim("extension", ext.lower(), plugin)
        if spec.default:
            self._claim("default writer", "", plugin)
        self.writers[spec.name] = spec

    def _add_transform(self, plugin: str, spec: TransformSpec) -> None:
        self._claim("transform", spec.name, plugin)
        self.transforms.append(spec)

    def _add_preset(self, plugin: str, spec: Preset) -> None:
        self._claim("preset", spec.name, plugin)
        self.presets[spec.name] = spec

    def _add_target(self, plugin: str, spec: Target) -> None:
        self._claim("target", spec.name, plugin)
        self.targets[spec.name] = spec

    def _add_phrase_model(self, plugin: str, model: Any) -> None:
        from ..reflow.phrases import PhraseModel, register_phrase_model

        if not isinstance(model, PhraseModel):
            raise TypeError(f"not a PhraseModel: {type(model).__name__}")
        self._claim("phrase model", model.language.lower(), plugin)
        register_phrase_model(model)

    # -- looking things up -------------------------------------------------------------------

    def writer(self, name: str) -> WriterSpec:
        """The writer registered under ``name`` (or an alias of it)."""
        key = name.lower().lstrip(".")
        key = self._aliases.get(key, key)
        try:
            return self.writers[key]
        except KeyError:
            known = ", ".join(sorted(self.writers))
            raise FormatError(f"unknown output format {name!r} (known: {known})") from None

    def reader(self, name: str) -> ReaderSpec:
        """The reader registered under ``name``."""
        try:
            return self.readers[name.lower()]
        except KeyError:
            known = ", ".join(sorted(self.readers))
            raise FormatError(f"unknown input format {name!r} (known: {known})") from None

    def default_writer(self) -> WriterSpec:
        """The writer declared :attr:`WriterSpec.default`: used when no format is asked for."""
        for spec in self.writers.values():
            if spec.default:
                return spec
        raise FormatError("no default output format is installed; give one with --to")

    def writer_for_path(self, path: str) -> WriterSpec:
        """The writer whose claimed extension, or own extension, is the longest ending of
        ``path``; at equal length a claim wins over an extension nobody claims."""
        lowered = path.lower()
        best: list[WriterSpec] = []
        best_rank = (0, False)
        for spec in self.writers.values():
            endings = {ext.lower(): True for ext in spec.claimed_extensions}
            endings.setdefault(spec.extension.lower(), False)
            for ext, claimed in endings.items():
                rank = (len(ext), claimed)
                if not lowered.endswith(ext) or rank < best_rank:
                    continue
                if rank > best_rank:
                    best, best_rank = [], rank
                best.append(spec)
        if len(best) > 1:  # two writers share an extension that neither claims
            names = " or ".join(repr(spec.name) for spec in best)
            raise FormatError(f"{path!r} could be {names}; use --to", source=path)
        if not best:
            raise FormatError(f"cannot tell the output format from {path!r}; use --to", source=path)
        return best[0]

    def binary_reader(self, data: bytes, filename: str, name: str | None) -> ReaderSpec | None:
        """The binary reader named ``name``, or (with no name) the one that recognises
        ``data``; ``None`` when the input is for a text reader."""
        if name:
            spec = self.reader(name)
            return spec if spec.binary else None
        head = data[:4096].decode("latin-1")
        for spec in self.readers.values():
            if spec.binary and spec.guess is not None and self._guess(spec, head, filename):
                return spec
        return None

    def guess_reader(self, text: str, filename: str) -> ReaderSpec:
        """The text reader that recognises ``text``; the file's extension breaks ties."""
        lowered = filename.lower()
        readers = [spec for spec in self.readers.values() if not spec.binary]
        matching = [lowered.endswith(tuple(spec.extensions)) for spec in readers]
        by_extension = [spec for spec, hit in zip(readers, matching, strict=True) if hit]
        others = [spec for spec, hit in zip(readers, matching, strict=True) if not hit]
        for spec in by_extension + others:
            if spec.guess is not None and self._guess(spec, text, filename):
                return spec
        if not by_extension:
            unreadable = self._written_not_read(lowered)
            if unreadable is not None:
                raise FormatError(
                    f"captionbridge writes {unreadable.description or unreadable.name} but"
                    " cannot read it back (no reader for this kind of file; `captionbridge"
                    " formats` lists the readers)",
                    source=filename,
                )
        raise FormatError(
            "cannot tell the input format (not a bracketed transcript or a known subtitle"
            " format); use --from",
            source=filename,
        )

    def _written_not_read(self, lowered: str) -> WriterSpec | None:
        """The writer whose extension ends ``lowered`` when no reader knows that extension."""
        best: WriterSpec | None = None
        for spec in self.writers.values():
            for ext in spec.claimed_extensions:
                if lowered.endswith(ext.lower()) and (
                    best is None or len(ext) > len(best.extension)
                ):
                    best = spec
        return best

    def _guess(self, spec: ReaderSpec, text: str, filename: str) -> bool:
        assert spec.guess is not None
        try:
            return bool(spec.guess(text, filename))
        except Exception as exc:
            raise PluginError.failed(
                self.provider_of("reader", spec.name),
                f"reader {spec.name!r} (guess)",
                "captionbridge_register_readers",
                exc,
                filename,
            ) from exc

    def plugin_infos(self) -> list[PluginInfo]:
        """Every registered plugin with its distribution, version and implemented hooks."""
        infos = []
        for name, plugin in self.pm.list_name_plugin():
            if plugin is None:
                continue
            hooks = tuple(sorted(h.name for h in self.pm.get_hookcallers(plugin) or []))
            distribution, version, builtin = self._meta.get(name, (name, "", False))
            infos.append(PluginInfo(name, distribution, version, builtin, hooks))
        return infos

    def provider_of(self, kind: str, name: str) -> str:
        """The name of the plugin that registered a reader, writer, option..."""
        return self.provider.get((kind, name), "?")

    def describe_plugin(self, name: str) -> str:
        """``distribution version`` of a plugin for listings."""
        distribution, version, builtin = self._meta.get(name, (name, "", False))
        if builtin:
            return f"{name} (built in)"
        return f"{distribution} {version}".strip()

    # -- calling firstresult hooks with isolation --------------------------------------------

    def call_first(self, hook_name: str, transcript: Transcript, options: Options) -> Transcript:
        """Call a firstresult transform hook plugin by plugin; a plugin that raises becomes a
        :class:`PluginError` naming the plugin and the hook."""
        hook = getattr(self.pm.hook, hook_name)
        arguments = {"transcript": transcript, "options": options}
        for plugin, result in self._answers(hook, transcript.source, arguments):
            return _checked(result, plugin, hook_name, transcript)  # the first answer only
        return transcript

    def run_transform(
        self, spec: TransformSpec, transcript: Transcript, options: Options
    ) -> Transcript:
        """Run one registered transform; failures name the plugin that registered it."""
        plugin = self.provider_of("transform", spec.name)
        hook = "captionbridge_register_transforms"
        try:
            result = spec.apply(transcript, options)
        except CaptionbridgeError:
            raise  # raised on purpose, with its own message
        except Exception as exc:
            raise PluginError.failed(
                plugin, f"transform {spec.name!r}", hook, exc, transcript.source
            ) from exc
        return _checked(result, plugin, f"transform {spec.name!r}", transcript, hook)

    # -- converting a huge input chunk by chunk ----------------------------------------------

    def stream_cut(self, transcript: Transcript, before: int, options: Options) -> int:
        """Where every plugin lets a chunk of a huge input end (``captionbridge_stream_cut``):
        the largest index up to ``before`` that all accept, ``0`` for none here, ``-1`` when
        a plugin cannot convert the input in chunks."""
        hook = self.pm.hook.captionbridge_stream_cut
        cut = before
        while cut > 0:
            arguments = {"transcript": transcript, "before": cut, "options": options}
            answers = [answer for _, answer in self._answers(hook, transcript.source, arguments)]
            if any(answer < 0 for answer in answers):
                return -1
            lowest = min(answers, default=cut)
            if lowest >= cut:
                return cut
            cut = lowest
        return 0

    def stream_resume(
        self, done: Transcript, following: Transcript, options: Options
    ) -> dict[str, Any]:
        """The option values that carry the plugins' state into the next chunk
        (``captionbridge_stream_resume``), merged."""
        hook = self.pm.hook.captionbridge_stream_resume
        merged: dict[str, Any] = {}
        arguments = {"done": done, "following": following, "options": options}
        for _, answer in self._answers(hook, done.source, arguments):
            merged.update(answer)
        return merged

    @staticmethod
    def _answers(
        hook: Any, source: str | None, kwargs: Mapping[str, Any]
    ) -> Iterator[tuple[str, Any]]:
        """``(plugin, answer)`` of each implementation in call order, but ``None`` answers;
        lazily, so that a firstresult caller stops at the first. A crash becomes a
        :class:`PluginError` naming the plugin and the hook."""
        for impl in reversed(hook.get_hookimpls()):
            try:
                answer = impl.function(*(kwargs[name] for name in impl.argnames))
            except CaptionbridgeError:
                raise  # a deliberate error about the input or the options, already clear
            except Exception as exc:
                raise PluginError.failed(
                    impl.plugin_name, hook.name, hook.name, exc, source
                ) from exc
            if answer is not None:
                yield impl.plugin_name, answer


class _Clash(FormatError):
    """A name, alias or extension that another plugin already registered."""


def _checked(
    result: object, plugin: str, where: str, before: Transcript, hook: str | None = None
) -> Transcript:
    """``result`` if it is a transcript, else a :class:`PluginError` naming the plugin."""
    if isinstance(result, Transcript):
        return result
    problem = f"returned {type(result).__name__}, not a Transcript"
    raise PluginError.failed(plugin, where, hook or where, problem, before.source)


class _PluginManager(pluggy.PluginManager):
    """pluggy's manager, registering modules faster: a module's imports, constants and helpers
    are dismissed with one look at the module's namespace, where pluggy inspects each of them
    (a third of the time spent registering the built-in plugins)."""

    _MARKER = hookspecs.PROJECT + "_impl"  # the attribute @hookimpl sets on a function

    def parse_hookimpl_opts(self, plugin: object, name: str) -> Any:
        if isinstance(plugin, types.ModuleType):
            value = plugin.__dict__.get(name)
            if not isinstance(value, (types.FunctionType, types.MethodType)) or not hasattr(
                value, self._MARKER
            ):
                return None
        return super().parse_hookimpl_opts(plugin, name)


def _describe_validation(exc: BaseException, pm: pluggy.PluginManager) -> str:
    """``diagnose.describe_validation``, imported only when a plugin has failed (never on a
    start-up where every plugin loads)."""
    from .diagnose import describe_validation

    return describe_validation(exc, pm)


def _load_entry_points(host: PluginHost, disabled: set[str]) -> None:
    from .entrypoints import find_entry_points

    for ep in find_entry_points(ENTRY_POINT_GROUP):
        if ep.name in disabled or ep.distribution in disabled:
            continue
        if host.pm.get_plugin(ep.name) is not None:
            continue
        try:
            plugin = ep.load()
            host.add_plugin(plugin, ep.name, ep.distribution, ep.version, builtin=False)
        except Exception as exc:
            problem = _describe_validation(exc, host.pm) + debug_details(exc)
            host.broken.append(BrokenPlugin(ep.name, ep.distribution, problem))


def make_host(
    *,
    entry_points: bool = True,
    builtins: Iterable[str] = BUILTIN_PLUGINS,
    plugins: Mapping[str, object] | None = None,
) -> PluginHost:
    """Build a plugin host: the built-in plugins, the installed entry points (unless
    ``entry_points=False``) and any extra ``plugins`` given as ``{name: plugin}``.

    Plugins named in ``CAPTIONBRIDGE_DISABLE_PLUGINS`` (comma-separated; entry-point names,
    distribution names or built-in module names with or without the package prefix) are
    skipped.
    """
    pm = _PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    host = PluginHost(pm)
    disabled = _disabled_names()
    for module_name in builtins:
        short = module_name.rsplit(".", 1)[-1]
        if module_name in disabled or short in disabled:
            continue
        module = importlib.import_module(module_name)
        host.add_plugin(module, module_name, "captionbridge", __version__, builtin=True)
    for name, plugin in (plugins or {}).items():
        if name not in disabled:
            try:
                host.add_plugin(plugin, name, name, "", builtin=False)
            except pluggy.PluginValidationError as exc:
                host.broken.append(BrokenPlugin(name, name, _describe_validation(exc, pm)))
    if entry_points:
        _load_entry_points(host, disabled)
    while True:
        try:
            pm.check_pending()
            break
        except pluggy.PluginValidationError as exc:
            # a hook name no spec knows: a typo that would otherwise be silently never called
            host._mark_broken(
                pm.get_name(exc.plugin) or repr(exc.plugin), _describe_validation(exc, pm)
            )
    host.collect()
    host.recipe = (entry_points, tuple(builtins), tuple((plugins or {}).items()))
    return host


_REBUILT: dict[tuple[bool, tuple[str, ...]], PluginHost] = {}


def _rebuild_host(
    entry_points: bool, builtins: tuple[str, ...], plugins: tuple[tuple[str, object], ...]
) -> PluginHost:
    """Unpickle a host: build it from its recipe, once per process when it has no extra
    plugins (the default host is reused as it is)."""
    if plugins:
        return make_host(entry_points=entry_points, builtins=builtins, plugins=dict(plugins))
    if entry_points and builtins == BUILTIN_PLUGINS:
        return default_host()
    key = (entry_points, builtins)
    if key not in _REBUILT:
        _REBUILT[key] = make_host(entry_points=entry_points, builtins=builtins)
    return _REBUILT[key]


@lru_cache(maxsize=1)
def default_host() -> PluginHost:
    """The shared host used by the Python API and the CLI (built on first use)."""
    return make_host()
