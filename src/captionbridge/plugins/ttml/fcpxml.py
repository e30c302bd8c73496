"""FCPXML captions (``.fcpxml``): a Final Cut Pro 1.9 document holding iTT captions.

The document is the smallest one Apple's FCPXML 1.9 DTD accepts with captions in it: a
``format`` resource (1920x1080, ``frameDuration`` from ``--fps``; 23.976 assumed, with a note,
without it), a library
with one event and one project whose sequence's spine holds one ``gap`` as long as the
captions; each cue is a ``caption`` anchored to the gap (``lane``, ``offset``, ``start``,
``duration``, ``role="iTT?captionFormat=ITT.<lang>"``) with its text in
``<text><text-style ref="tsN">`` and its own ``<text-style-def id="tsN">`` (ids are unique
in the document, as the DTD's ``ID`` type requires).

Every time is a rational number of seconds that is a whole multiple of the frame duration
(``90090/30000s`` is 90 frames at 29.97). Captions that overlap after snapping go on another
lane (the lowest free one above the gap), so no two captions overlap within a lane and no
timing is changed. Speakers are shown in the text (``NAME: ``, or dashes), since FCPXML
captions have no speaker field; line breaks are kept as newlines in the text. Cues with no
text are left out.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from captionbridge.helpers.render import cue_texts
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Transcript
from captionbridge.plugins.ttml.writer import fps_of, ms_to_frame_list
from captionbridge.plugins.ttml.xmltext import clean, escape, escape_attr, language
from captionbridge.specs import WriteContext, WriterSpec

__all__ = ["frame_duration", "write_fcpxml"]

VERSION = "1.9"
WIDTH, HEIGHT = 1920, 1080

#: Final Cut's names for the 1080p formats, by frame rate.
_FORMAT_NAMES = {
    Fraction(24000, 1001): "FFVideoFormat1080p2398",
    Fraction(24): "FFVideoFormat1080p24",
    Fraction(25): "FFVideoFormat1080p25",
    Fraction(30000, 1001): "FFVideoFormat1080p2997",
    Fraction(30): "FFVideoFormat1080p30",
    Fraction(50): "FFVideoFormat1080p50",
    Fraction(60000, 1001): "FFVideoFormat1080p5994",
    Fraction(60): "FFVideoFormat1080p60",
}
_STYLE = (
    '<text-style font=".AppleSystemUIFont" fontSize="13" fontFace="Regular"'
    ' fontColor="1 1 1 1" backgroundColor="0 0 0 1"/>'
)


def frame_duration(fps: Fraction) -> tuple[int, int]:
    """The frame duration as Final Cut writes it: ``1001/30000`` at 29.97, ``100/2500`` at 25."""
    if fps.denominator == 1:
        return 100, fps.numerator * 100
    return fps.denominator, fps.numerator


def _lanes(first: list[int], last: list[int]) -> list[int]:
    """A lane (1, 2...) for each caption so that captions in one lane never overlap."""
    lane_ends: list[int] = []
    lanes: list[int] = []
    for start, end in zip(first, last, strict=True):
        for number, busy_until in enumerate(lane_ends):
            if busy_until <= start:
                lane_ends[number] = end
                lanes.append(number + 1)
                break
        else:
            lane_ends.append(end)
            lanes.append(len(lane_ends))
    return lanes


def _text(raw: str) -> str:
    lines = [line.strip() for line in clean(raw).split("\n")]
    return "\n".join(line for line in lines if line)


def write_fcpxml(transcript: Transcript, context: WriteContext) -> str:
    """Render a transcript as an FCPXML 1.9 project with one caption per cue."""
    fps = fps_of(context, "fcpxml")
    num, den = frame_duration(fps)

    def rational(frames: int) -> str:
        return f"{frames * num}/{den}s" if frames else "0s"

    starts, ends, _ = transcript.columns()
    texts = cue_texts(transcript, context.options.get("speaker_style") or "auto")
    kept = [(starts[i], i, text) for i, text in enumerate(map(_text, texts)) if text]
    kept.sort(key=lambda item: item[0])
    first = ms_to_frame_list([starts[i] for _, i, _ in kept], fps)
    last = [
        max(end, begin + 1)
        for begin, end in zip(
            first, ms_to_frame_list([ends[i] for _, i, _ in kept], fps), strict=True
        )
    ]
    total = max(last, default=0)
    lang = language(transcript, context)
    role = f"iTT?captionFormat=ITT.{lang}"
    name = _FORMAT_NAMES.get(fps)
    format_name = f' name="{name}"' if name else ""
    project = escape_attr(context.stem)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE fcpxml>\n',
        f'<fcpxml version="{VERSION}">\n<resources>\n',
        f'<format id="r1"{format_name} frameDuration="{num}/{den}s"'
        f' width="{WIDTH}" height="{HEIGHT}"/>\n',
        '</resources>\n<library>\n<event name="captionbridge">\n',
        f'<project name="{project}">\n',
        f'<sequence format="r1" duration="{rational(total)}" tcStart="0s" tcFormat="NDF">\n',
        f'<spine>\n<gap name="Gap" offset="0s" start="0s" duration="{rational(total)}">\n',
    ]
    for number, (lane, begin, end, (_, _, text)) in enumerate(
        zip(_lanes(first, last), first, last, kept, strict=True), start=1
    ):
        label = escape_attr(text[:60])
        out.append(
            f'<caption lane="{lane}" offset="{rational(begin)}" name="{label}" start="0s"'
            f' duration="{rational(end - begin)}" role="{role}">'
            f'<text placement="bottom"><text-style ref="ts{number}">{escape(text)}</text-style>'
            f'</text><text-style-def id="ts{number}">{_STYLE}</text-style-def></caption>\n'
        )
    out.append("</gap>\n</spine>\n</sequence>\n</project>\n</event>\n</library>\n</fcpxml>\n")
    return "".join(out)


@hookimpl
def captionbridge_register_writers(register: Callable[[WriterSpec], None]) -> None:
    register(
        WriterSpec(
            "fcpxml",
            write_fcpxml,
            extension=".fcpxml",
            description="Final Cut Pro XML with iTT captions",
            frame_based=True,
        )
    )
