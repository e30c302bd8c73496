"""captionbridge: speech-to-text transcripts to caption files that real tools accept.

>>> import captionbridge
>>> t = captionbridge.loads("[00:00:01.000 --> 00:00:02.500]  Hello there.")
>>> print(captionbridge.dumps(t, "srt"), end="")
1
00:00:01,000 --> 00:00:02,500
Hello there.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import convert, convert_many, dumps, load, loads, save, transform
from .errors import (
    CaptionbridgeError,
    FormatError,
    OutputExistsError,
    ParseError,
    PluginError,
)
from .hookspecs import hookimpl
from .model import Columns, Cue, Note, Speaker, Transcript, Turn
from .specs import (
    Options,
    OptionSpec,
    Preset,
    ReadContext,
    ReaderSpec,
    Target,
    TransformSpec,
    WriteContext,
    WriterSpec,
)

__all__ = [
    "CaptionbridgeError",
    "Columns",
    "Cue",
    "FormatError",
    "Note",
    "OptionSpec",
    "Options",
    "OutputExistsError",
    "ParseError",
    "PluginError",
    "Preset",
    "ReadContext",
    "ReaderSpec",
    "Speaker",
    "Target",
    "Transcript",
    "TransformSpec",
    "Turn",
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
