"""The ASS/SSA writer: one ``Dialogue`` event per cue, through pysubs2."""

from __future__ import annotations

from collections.abc import Iterator

from captionbridge.errors import CaptionbridgeError
from captionbridge.helpers.options import KARAOKE, SPEAKER_STYLE
from captionbridge.helpers.render import turn_prefixes
from captionbridge.model import Transcript, Turn
from captionbridge.specs import WriteContext

from .karaoke import KaraokeTags
from .styles import ASS_HIGHLIGHT, DEFAULT_STYLE, Styles, base_style, field_value, karaoke_colours
from .text import escape_text

_MAX_MS = 10 * 3_600_000 - 10  # 9:59:59.99, the largest H:MM:SS.cc time


def _auto_prefixes(turns: tuple[Turn, ...]) -> list[str]:
    if len(turns) == 1:
        turn = turns[0]
        return ["- " if turn.speaker is None and turn.change else ""]
    return ["- "] * len(turns)


def _events(
    transcript: Transcript, styles: Styles, style: str, karaoke: bool
) -> Iterator[tuple[str, str, str, bool]]:
    """``(text, style, name, timed)`` per cue; ``timed`` when karaoke tags show its words."""
    prefixes = _auto_prefixes if style in ("auto", "voice") else turn_prefixes(transcript, style)
    starts, ends, contents = transcript.columns()
    for start, end, content in zip(starts, ends, contents, strict=True):
        tags = KaraokeTags(start, end) if karaoke else None
        if isinstance(content, str):
            text = escape_text(content)
            yield (tags.close(text) if tags else text), DEFAULT_STYLE, "", False
            continue
        first = content[0].speaker
        event_style = current = styles.of(first)
        lines = []
        for prefix, turn in zip(prefixes(content), content, strict=True):
            timed = tags.line(prefix, turn) if tags else None
            line = escape_text(prefix + turn.text) if timed is None else timed
            turn_style = styles.of(turn.speaker)
            if turn_style != current:
                line = f"{{\\r{turn_style}}}{line}"
                current = turn_style
            lines.append(line)
        name = field_value(transcript.speaker_label(first) or "") if first is not None else ""
        text = "\\N".join(lines)
        if tags is None:
            yield text, event_style, name, False
        else:
            yield tags.close(text), event_style, name, tags.timed


def _write(transcript: Transcript, context: WriteContext, format_: str) -> str:
    import pysubs2

    starts, ends, _ = transcript.columns()
    if starts and max(max(starts), max(ends)) > _MAX_MS:
        raise CaptionbridgeError(
            f"{format_.upper()} times stop at 9:59:59.99; this transcript runs longer",
            source=transcript.source,
        )
    base, info = base_style(context.options)
    subs = pysubs2.SSAFile()
    if transcript.source:
        subs.info["Title"] = field_value(transcript.source, "")
    subs.info.update(info)
    subs.info.setdefault("YCbCr Matrix", "None")
    styles = Styles(transcript, base)
    events = subs.events
    make = pysubs2.SSAEvent
    speaker_style = SPEAKER_STYLE.value(context.options)
    karaoke = KARAOKE.value(context.options)
    untimed = 0
    for start, end, (text, style, name, timed) in zip(
        starts, ends, _events(transcript, styles, speaker_style, karaoke), strict=True
    ):
        untimed += not timed
        events.append(make(start=start, end=end, text=text, style=style, name=name))
    subs.styles = styles.styles
    if karaoke:
        karaoke_colours(styles.styles, ASS_HIGHLIGHT.value(context.options))
        if untimed:
            context.note(
                f"karaoke: {untimed} of {len(events)} cue(s) have no word timings;"
                " they are shown without highlighting",
                transcript.source,
            )
    result: str = subs.to_string(format_, header_notice="Written by captionbridge")
    return result


def write_ass(transcript: Transcript, context: WriteContext) -> str:
    """Render a transcript as Advanced SubStation Alpha (``.ass``)."""
    return _write(transcript, context, "ass")


def write_ssa(transcript: Transcript, context: WriteContext) -> str:
    """Render a transcript as SubStation Alpha v4 (``.ssa``)."""
    return _write(transcript, context, "ssa")
