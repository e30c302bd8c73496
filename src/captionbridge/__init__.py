"""captionbridge: speech-to-text transcripts to caption files that real tools accept.

>>> import captionbridge
>>> t = captionbridge.loads("[00:00:01.000 --> 00:00:02.500]  Hello there.")
>>> print(captionbridge.dumps(t, "srt"), end="")
1
00:00:01,000 --> 00:00:02,500
Hello there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .api import convert, convert_many, dumps, load, loads, save, transform
    from .errors import (
        CaptionbridgeError,
        FormatError,
        OptionError,
        OutputExistsError,
        OutputsFailed,
        ParseError,
        PluginError,
    )
    from .helpers.words import WordFeed
    from .hookspecs import hookimpl
    from .model import Columns, Cue, Note, Speaker, Transcript, Turn, Word
    from .specs import (
        Options,
        OptionSpec,
        Preset,
        ReadContext,
        ReaderSpec,
        ResolvedOptions,
        Target,
        TransformSpec,
        WriteContext,
        WriterSpec,
    )


# Importing captionbridge stays cheap (the command line starts fast): each public name is
# imported from its module the first time somebody uses it.
_LAZY = {
    "convert": "api",
    "convert_many": "api",
    "dumps": "api",
    "load": "api",
    "loads": "api",
    "save": "api",
    "transform": "api",
    "CaptionbridgeError": "errors",
    "FormatError": "errors",
    "OptionError": "errors",
    "OutputExistsError": "errors",
    "OutputsFailed": "errors",
    "ParseError": "errors",
    "PluginError": "errors",
    "hookimpl": "hookspecs",
    "Columns": "model",
    "Cue": "model",
    "Note": "model",
    "Speaker": "model",
    "Transcript": "model",
    "Turn": "model",
    "Word": "model",
    "WordFeed": "helpers.words",
    "Options": "specs",
    "OptionSpec": "specs",
    "Preset": "specs",
    "ReadContext": "specs",
    "ReaderSpec": "specs",
    "ResolvedOptions": "specs",
    "Target": "specs",
    "TransformSpec": "specs",
    "WriteContext": "specs",
    "WriterSpec": "specs",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'captionbridge' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"captionbridge.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "CaptionbridgeError",
    "Columns",
    "Cue",
    "FormatError",
    "Note",
    "OptionError",
    "OptionSpec",
    "Options",
    "OutputExistsError",
    "OutputsFailed",
    "ParseError",
    "PluginError",
    "Preset",
    "ReadContext",
    "ReaderSpec",
    "ResolvedOptions",
    "Speaker",
    "Target",
    "Transcript",
    "TransformSpec",
    "Turn",
    "Word",
    "WordFeed",
    "WriteContext",
    "WriterSpec",
    "__version__",
    "convert",
    "convert_many",
    "dumps",
    "hookimpl",
    "load",
    "loads",
    "save",
    "transform",
]
