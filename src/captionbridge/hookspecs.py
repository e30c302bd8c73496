"""Every hook a captionbridge plugin can implement.

A plugin is a module or object with functions named like these hooks and decorated with
``@captionbridge.hookimpl``. Registration hooks receive a ``register`` callback; call it once per
thing the plugin provides. ``firstresult`` hooks stop at the first implementation that returns
something other than ``None``; the built-in implementations of those run last (``trylast``), so
an installed plugin can replace or wrap them.

Each hook records the captionbridge version that added it in ``added_in``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import pluggy

if TYPE_CHECKING:
    from .model import Transcript
    from .specs import (
        Options,
        OptionSpec,
        Preset,
        ReaderSpec,
        Target,
        TransformSpec,
        WriterSpec,
    )

__all__ = ["PROJECT", "hookimpl", "hookspec"]

PROJECT = "captionbridge"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

_F = TypeVar("_F", bound=Callable[..., Any])


def _added_in(version: str) -> Callable[[_F], _F]:
    def mark(function: _F) -> _F:
        function.added_in = version  # type: ignore[attr-defined]
        return function

    return mark


@hookspec
@_added_in("0.1.0")
def captionbridge_register_readers(register: Callable[[ReaderSpec], None]) -> None:
    """Register input formats: call ``register(ReaderSpec(...))`` for each.

    Called once, when the plugin manager is built. Two plugins registering the same format name
    is an error naming both.
    """


@hookspec
@_added_in("0.1.0")
def captionbridge_register_writers(register: Callable[[WriterSpec], None]) -> None:
    """Register output formats: call ``register(WriterSpec(...))`` for each.

    Called once, when the plugin manager is built. Format names and claimed file extensions must
    be unique across plugins.
    """


@hookspec
@_added_in("0.1.0")
def captionbridge_register_options(register: Callable[[OptionSpec], None]) -> None:
    """Register pipeline options: each becomes a ``convert`` command-line option and a keyword
    of the Python API (``captionbridge.convert(..., max_chars=42)``), and is a key of
    configuration files. Every value, whichever of these it comes from, is parsed by the
    option's ``type``; readers, writers and transforms receive the resolved, typed values as a
    :class:`~captionbridge.specs.ResolvedOptions` (read one with ``spec.value(options)``).

    Called once, when the plugin manager is built. Option names must be unique.
    """


@hookspec
@_added_in("0.1.0")
def captionbridge_register_transforms(register: Callable[[TransformSpec], None]) -> None:
    """Register transforms that run in a pipeline stage (``clean``, ``speakers``, ``reflow``,
    ``timing``), after that stage's hook (if it has one), in ascending ``order``.

    Called once, when the plugin manager is built. A transform decides from the options whether
    it has anything to do and returns its input unchanged when not.
    """


@hookspec
@_added_in("0.1.0")
def captionbridge_register_presets(register: Callable[[Preset], None]) -> None:
    """Register presets (house styles): named bundles of option values chosen with
    ``--preset NAME``; options the user gives explicitly win over the preset's.

    Called once, when the plugin manager is built.
    """


@hookspec
@_added_in("0.1.0")
def captionbridge_register_targets(register: Callable[[Target], None]) -> None:
    """Register editor targets chosen with ``--for NAME``: default output formats plus option
    values that the editor imports cleanly.

    Called once, when the plugin manager is built.
    """


@hookspec
@_added_in("0.1.0")
def captionbridge_register_phrase_models(register: Callable[[Any], None]) -> None:
    """Register the phrase model of a language: what breaking between two of its words
    costs the segmentation search (a :class:`~captionbridge.reflow.phrases.PhraseModel`
    subclass whose ``language`` is a primary subtag such as ``de``). English is built in.

    Called once, when the plugin manager is built.
    """


@hookspec
@_added_in("0.1.0")
def captionbridge_register_commands(cli: Any) -> None:
    """Add subcommands to the ``captionbridge`` command-line tool.

    ``cli`` is the :class:`click.Group`; decorate functions with ``@cli.command()``. Called when
    the command line is built, not when captionbridge is used as a library.
    """


@hookspec(firstresult=True)
@_added_in("0.1.0")
def captionbridge_label_speakers(transcript: Transcript, options: Options) -> Transcript | None:
    """Assign speaker ids and names to the turns of a transcript (``speakers`` stage).

    First result wins; the built-in implementation runs last. Return ``None`` to let the next
    implementation decide.
    """


@hookspec(firstresult=True)
@_added_in("0.1.0")
def captionbridge_reflow(transcript: Transcript, options: Options) -> Transcript | None:
    """Resegment cues and choose line breaks (``reflow`` stage).

    First result wins; the built-in implementation runs last. Return ``None`` to let the next
    implementation decide.
    """


@hookspec
@_added_in("0.1.0")
def captionbridge_stream_cut(transcript: Transcript, before: int, options: Options) -> int | None:
    """Where a huge input converted chunk by chunk may be cut for this plugin's transforms.

    ``transcript`` holds consecutive cues as read (not yet transformed). Return the largest
    ``c`` with ``0 < c <= before`` such that transforming ``cues[:c]`` and ``cues[c:]`` apart
    gives what transforming them together gives; ``0`` when there is no such place in these
    cues (more are read); a negative number when this input cannot be converted in chunks with
    these options (the whole file is read instead); ``None`` when the plugin's transforms need
    no neighbours with these options. Not firstresult: every answer counts, and the streaming
    loop cuts where all of them allow.
    """


@hookspec
@_added_in("0.1.0")
def captionbridge_stream_resume(
    done: Transcript, following: Transcript, options: Options
) -> Mapping[str, Any] | None:
    """Option values that let this plugin's transforms go on from one chunk of a huge input
    to the next as if the file were one (a speaker alternation's current speaker...).

    ``done`` is the end of the previous chunk's output (its last 64 cues, transformed),
    ``following`` the next chunk's cues as read. The values returned replace the options for
    that chunk only. Not firstresult: the answers are merged; ``None`` when there is no state
    to carry.
    """
