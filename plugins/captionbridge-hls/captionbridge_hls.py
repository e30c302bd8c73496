"""captionbridge writer ``hls``: WebVTT cut into HLS subtitle segments plus a playlist.

The transcript is rendered as WebVTT by captionbridge's own ``vtt`` writer (escaping, voice
spans), then cut with webvtt-py's segmenter (``webvtt.segmenter.slice_segments``, in memory):
segment ``i`` covers ``[i * s, (i + 1) * s)`` seconds and holds every cue shown during it, so a
cue that spans a boundary is repeated in each segment it touches, as HLS requires. Each segment
starts with ``X-TIMESTAMP-MAP=MPEGTS:<n>,LOCAL:00:00:00.000`` so players line cue times up with
the video's MPEG-TS clock.

Output: ``<stem>.m3u8`` (the playlist) and ``<stem>-<i>.webvtt`` beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import captionbridge
from captionbridge import CaptionbridgeError, OptionSpec, Transcript, WriteContext, WriterSpec

__all__ = ["parse_mpegts", "parse_segment_seconds", "write_hls"]
__version__ = "0.1.0"

DEFAULT_SECONDS = 10
DEFAULT_MPEGTS = 900_000  # 10 s at the 90 kHz MPEG-TS clock, the usual start of a stream
MAX_MPEGTS = 2**33 - 1  # MPEG-TS timestamps have 33 bits


def parse_segment_seconds(value: Any) -> int:
    """A segment length: a whole number of seconds above zero."""
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"segment length must be a whole number of seconds: {value!r}") from None
    if isinstance(value, bool) or seconds <= 0 or str(seconds) != str(value).strip():
        raise ValueError(f"segment length must be a whole number of seconds above 0: {value!r}")
    return seconds


def parse_mpegts(value: Any) -> int | None:
    """The MPEG-TS time that cue time zero maps to (90 kHz ticks), or ``off`` for no map."""
    if value is None or (isinstance(value, str) and value.strip().lower() in ("off", "none")):
        return None
    try:
        ticks = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"MPEG-TS value must be a whole number or 'off': {value!r}") from None
    if isinstance(value, bool) or not 0 <= ticks <= MAX_MPEGTS:
        raise ValueError(f"MPEG-TS value must be from 0 to {MAX_MPEGTS}: {value!r}")
    return ticks


def _option(context: WriteContext, name: str, parse: Callable[[Any], Any], default: Any) -> Any:
    value = context.options.get(name, default)
    try:
        return parse(value)
    except ValueError as exc:  # a bad value given through the Python API
        raise CaptionbridgeError(f"hls: {exc}") from None


def _playlist(names: list[str], seconds: int, last_seconds: float) -> str:
    lines = [
        "#EXTM3U",
        f"#EXT-X-TARGETDURATION:{seconds}",
        "#EXT-X-VERSION:3",
        "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-PLAYLIST-TYPE:VOD",
    ]
    for index, name in enumerate(names):
        duration = last_seconds if index == len(names) - 1 else seconds
        lines += [f"#EXTINF:{duration:.3f},", name]
    lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def write_hls(transcript: Transcript, context: WriteContext) -> dict[str, str]:
    """Render a transcript as an HLS subtitle playlist and its WebVTT segments:
    ``{"<stem>.m3u8": playlist, "<stem>-0.webvtt": segment, ...}``."""
    import webvtt
    from webvtt.segmenter import slice_segments

    seconds = _option(context, "hls_segment_seconds", parse_segment_seconds, DEFAULT_SECONDS)
    mpegts = _option(context, "hls_mpegts", parse_mpegts, DEFAULT_MPEGTS)
    style = context.options.get("speaker_style") or "auto"
    vtt = captionbridge.dumps(transcript, "vtt", speaker_style=style)
    assert isinstance(vtt, str)
    captions = webvtt.from_string(vtt).captions
    segments = slice_segments(captions, seconds) or [[]]
    metadata = [] if mpegts is None else [f"X-TIMESTAMP-MAP=MPEGTS:{mpegts},LOCAL:00:00:00.000"]
    files: dict[str, str] = {}
    names = []
    for index, segment in enumerate(segments):
        name = f"{context.stem}-{index}.webvtt"
        names.append(name)
        files[name] = webvtt.WebVTT(captions=segment, metadata=metadata).content
    last_end = max(transcript.columns().ends, default=0) / 1000
    last_seconds = last_end - (len(segments) - 1) * seconds
    playlist = _playlist(names, seconds, last_seconds if last_seconds > 0 else seconds)
    files[f"{context.stem}.m3u8"] = playlist
    return files


@captionbridge.hookimpl
def captionbridge_register_options(register: Callable[[OptionSpec], None]) -> None:
    register(
        OptionSpec(
            "hls_segment_seconds",
            f"HLS: length of each WebVTT segment in whole seconds (default {DEFAULT_SECONDS}).",
            type=parse_segment_seconds,
            default=DEFAULT_SECONDS,
            metavar="SECONDS",
        )
    )
    register(
        OptionSpec(
            "hls_mpegts",
            "HLS: MPEG-TS time (90 kHz ticks) of cue time 0 in each segment's"
            f" X-TIMESTAMP-MAP (default {DEFAULT_MPEGTS}), or 'off' to leave the map out.",
            type=parse_mpegts,
            default=DEFAULT_MPEGTS,
            metavar="TICKS",
        )
    )


@captionbridge.hookimpl
def captionbridge_register_writers(register: Callable[[WriterSpec], None]) -> None:
    register(
        WriterSpec(
            "hls",
            write_hls,
            extension=".m3u8",
            multi_file=True,
            description="HLS subtitles: .m3u8 playlist plus segmented WebVTT",
        )
    )
