"""The project frame rate of a run: one ``fps`` for reflow's frame gaps and every frame-based
writer (see docs/frame-rates.md).

``fps`` comes from ``--fps``, a config file, a preset or an editor target. When none gives it
and something counts frames (a gap given in frames, a frame-based writer), the run takes the
rate of the first output whose format fixes its rate (``WriterSpec.frame_rates``), or
:data:`~captionbridge.helpers.timecode.DEFAULT_FPS`, and says so in one line. An editor target
whose outputs take any rate (Final Cut's iTT, Avid DS) must be told the rate: the sequence
refuses captions at another one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..helpers.framerate import assumed_message
from ..helpers.timecode import DEFAULT_FPS, fps_name
from ..reflow.limits import Gap, parse_gap
from ..specs import Options, WriterSpec
from .pipeline import OptionError

if TYPE_CHECKING:
    from ..host.registry import PluginHost

__all__ = ["COMMON_RATES", "settle_fps"]

#: The rates a usage error suggests.
COMMON_RATES = "23.976, 24, 25, 29.97, 30, 50, 59.94"


def settle_fps(
    host: PluginHost,
    options: Options,
    writers: Sequence[WriterSpec],
    given: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], str | None]:
    """The options with ``fps`` resolved for a run writing ``writers``, and the warning line to
    show once when the rate was not given (``None`` when nothing counts frames or the formats
    fix the rate). ``given`` holds the values the user gave (``None``: all of ``options``)."""
    values = dict(options)
    framed = [w for w in writers if w.frame_based]
    rule = _frame_rule(values)
    if not framed and rule is None:
        return values, None
    uses = " and ".join(([rule] if rule else []) + [f"{w.name} timecodes" for w in framed])
    if values.get("fps") is not None:
        if given is None or given.get("fps") is not None:
            return values, None
        origin = _origin(host, values, given)
        return values, f"no --fps given: {uses} counted at {fps_name(values['fps'])} fps, {origin}"
    any_rate = [w.name for w in framed if not w.frame_rates]
    target = values.get("target")
    if target and any_rate:
        raise OptionError(
            f"--for {target} writes {' and '.join(any_rate)} on the sequence's frame grid:"
            f" give --fps with its frame rate ({COMMON_RATES} or a fraction)"
        )
    fixed = [w for w in framed if w.frame_rates]
    rate = fixed[0].frame_rates[0] if fixed else DEFAULT_FPS
    values["fps"] = rate
    if rule is None and not any_rate and all(len(w.frame_rates) == 1 for w in fixed):
        return values, None  # the formats fix the rate: nothing was assumed
    return values, assumed_message(rate, uses)


def _origin(host: PluginHost, values: Mapping[str, Any], given: Mapping[str, Any]) -> str:
    """Which preset or editor target set the frame rate."""
    target = values.get("target")
    preset = host.presets.get(str(values.get("preset")))
    if preset is not None and "fps" in preset.values:
        if target and given.get("preset") is None:
            return f"the rate of --for {target} (its preset {preset.name})"
        return f"the rate of --preset {preset.name}"
    return f"the rate of --for {target}"


def _frame_rule(options: Options) -> str | None:
    """How the options count frames without a rate (``the 2-frame gaps of --preset netflix``)."""
    value = options.get("min_gap")
    gap = parse_gap(value) if isinstance(value, (str, int, float, Gap)) else None
    if gap is None or not gap.frames or not gap.amount:
        return None
    preset = options.get("preset")
    where = f" of --preset {preset}" if preset and preset != "none" else ""
    return f"the {gap.amount:g}-frame gaps{where}"
