"""The built-in editor targets (``--for resolve``): which formats each editor imports best.

Targets name formats, not writers: a target whose writer is not installed fails when it is
used, with a message naming the missing writer (``pipeline.target_formats``). In ``formats``,
``name?`` is optional and ``a|b`` takes the first installed.
"""

from __future__ import annotations

from collections.abc import Callable

from captionbridge.hookspecs import hookimpl
from captionbridge.specs import Target

TARGETS = (
    Target("resolve", ("srt",), description="DaVinci Resolve: SubRip"),
    Target(
        "premiere",
        ("srt", "scc?"),
        description="Adobe Premiere Pro: SubRip, plus CEA-608 SCC when the scc writer is installed",
    ),
    Target(
        "finalcut",
        ("itt",),
        description="Final Cut Pro: iTT at the project frame rate (give --fps)",
    ),
    Target("avid", ("avid", "stl?"), description="Avid Media Composer: Avid DS text (and EBU-STL)"),
    Target("youtube", ("sbv|vtt",), description="YouTube: SBV, or WebVTT without the sbv writer"),
    Target("web", ("vtt",), description="Browsers and HTML5 players: WebVTT"),
)


@hookimpl
def captionbridge_register_targets(register: Callable[[Target], None]) -> None:
    for target in TARGETS:
        register(target)
