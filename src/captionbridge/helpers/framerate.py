"""The project frame rate as a writer sees it (see docs/frame-rates.md).

The conversion resolves one ``fps`` for a run (``--fps``, a config file, a preset or an editor
target; or an assumed rate, announced once). A writer called without one (``dumps(t, "itt")``)
takes the rate here: the format's own rate when its specification fixes one, else
:data:`~captionbridge.helpers.timecode.DEFAULT_FPS`, with a note saying which rate it assumed.
"""

from __future__ import annotations

from fractions import Fraction

from ..specs import WriteContext
from .timecode import DEFAULT_FPS, fps_name

__all__ = ["assumed_message", "project_fps"]


def assumed_message(rate: Fraction, uses: str) -> str:
    """The one warning line of an assumed frame rate: what counts frames and at what rate."""
    return (
        f"no --fps given: {uses} counted at {fps_name(rate)} fps (assumed);"
        " give --fps with the project's frame rate"
    )


def project_fps(context: WriteContext, writer: str, rates: tuple[Fraction, ...] = ()) -> Fraction:
    """The ``fps`` option; without it the first of ``rates`` (the rates the format's
    specification allows, the usual one first) or the default rate. The choice is noted unless
    the format allows one rate only (nothing was assumed then)."""
    fps = context.options.get("fps")
    if isinstance(fps, Fraction):
        return fps
    rate = rates[0] if rates else DEFAULT_FPS
    if len(rates) != 1:
        context.note(f"{writer}: " + assumed_message(rate, f"{writer} timecodes"))
    return rate
