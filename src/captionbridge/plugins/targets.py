"""The built-in editor targets (``--for resolve``): which formats each editor imports best and
the house style (reflow preset) it expects; an explicit ``--preset`` wins. A target whose
formats are timed in frames at any rate (iTT, Avid DS) needs ``--fps``: the editor refuses
captions at a rate other than the sequence's (see docs/frame-rates.md).

Targets name formats, not writers: a target whose writer is not installed fails when it is
used, with a message naming the missing writer (``pipeline.target_formats``). In ``formats``,
``name?`` is optional and ``a|b`` takes the first installed.
"""

from __future__ import annotations

from collections.abc import Callable

from captionbridge.hookspecs import hookimpl
from captionbridge.specs import Target

TARGETS = (
    Target(
        "resolve",
        ("srt",),
        {"preset": "netflix"},
        "DaVinci Resolve: SubRip, Netflix house style (2-frame gaps at --fps; 23.976 assumed)",
    ),
    Target(
        "premiere",
        ("srt", "scc?"),
        {"preset": "cea608"},
        "Adobe Premiere Pro: SubRip, plus CEA-608 SCC when the scc writer is installed;"
        " CEA-608 style (32 columns, 29.97 fps unless --fps)",
    ),
    Target(
        "finalcut",
        ("itt",),
        {"preset": "netflix"},
        "Final Cut Pro: iTT at the project frame rate (--fps required), Netflix house style",
    ),
    Target(
        "avid",
        ("avid", "stl?"),
        {"preset": "bbc"},
        "Avid Media Composer: Avid DS text (and EBU-STL) at the sequence's frame rate"
        " (--fps required), BBC house style (37 columns: the width of an EBU-STL teletext row)",
    ),
    Target(
        "youtube",
        ("sbv|vtt",),
        {"preset": "youtube"},
        "YouTube: SBV, or WebVTT without the sbv writer; YouTube house style",
    ),
    Target("web", ("vtt",), {"preset": "youtube"}, "Browsers and HTML5 players: WebVTT"),
)


@hookimpl
def captionbridge_register_targets(register: Callable[[Target], None]) -> None:
    for target in TARGETS:
        register(target)
