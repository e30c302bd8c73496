"""TTML / DFXP (``.ttml``, ``.dfxp``) and IMSC 1.1 Text (``imsc``) writers.

Both write one ``<p>`` per cue into a bottom region, ``<br/>`` for line breaks, escaped text
(characters XML 1.0 forbids are removed, see :mod:`captionbridge.plugins.ttml.xmltext`) and
``xml:lang`` from the transcript, the ``language`` option or ``en``. Named speakers are declared
as ``<ttm:agent type="person">`` in ``<head><metadata>`` and referenced with ``ttm:agent`` on
the ``<p>`` (one speaker) or on a ``<span>`` per turn (a dual-speaker cue); a turn without a
known speaker in a dual-speaker cue starts with ``- ``. Cues with no text are left out.

``ttml`` times are media time (``00:00:03.000``) unless ``--ttml-timing smpte`` asks for
``ttp:timeBase="smpte"`` with ``HH:MM:SS:FF`` on the ``--fps`` grid (23.976 assumed, with a
note, without it; non-drop). ``.xml`` is not claimed: choose the format with ``--to ttml``.
``imsc`` files are named ``<stem>.imsc.ttml`` so that ``--to ttml,imsc`` writes two files;
``imsc`` claims no extension (ask for it with ``--to imsc``).

``imsc`` follows the IMSC 1.1 Text Profile: the ``ttp:contentProfiles`` designator
``http://www.w3.org/ns/ttml/profile/imsc1.1/text`` (TTML2 profile signalling; the IMSC 1.0
``ttp:profile`` attribute is not written), media time only (the profile prohibits the smpte
time base, so ``--ttml-timing`` does not apply), one region placed in percentages. No length is
given in pixels, so no ``tts:extent`` on ``<tt>`` and no ``ittp:aspectRatio`` are needed: the
root container is the video's frame whatever its size.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from itertools import pairwise

from captionbridge.helpers.framerate import project_fps
from captionbridge.helpers.render import text_lines, turn_prefixes
from captionbridge.helpers.timecode import frames_to_smpte, stamps
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Transcript
from captionbridge.plugins.ttml.xmltext import clean, escape, fit_lines, language, xml_name
from captionbridge.specs import OptionSpec, WriteContext, WriterSpec

__all__ = ["Item", "frame_rate_attrs", "ms_to_frame_list", "write_imsc", "write_tt", "write_ttml"]

NAMESPACES = (
    'xmlns="http://www.w3.org/ns/ttml"'
    ' xmlns:ttp="http://www.w3.org/ns/ttml#parameter"'
    ' xmlns:tts="http://www.w3.org/ns/ttml#styling"'
    ' xmlns:ttm="http://www.w3.org/ns/ttml#metadata"'
)
IMSC11_TEXT = "http://www.w3.org/ns/ttml/profile/imsc1.1/text"

_STYLING = (
    '<styling><style xml:id="s1" tts:color="white" tts:fontFamily="proportionalSansSerif"'
    ' tts:fontSize="100%" tts:textAlign="center"/></styling>'
)
_LAYOUT = (
    '<layout><region xml:id="bottom" tts:origin="10% 80%" tts:extent="80% 15%"'
    ' tts:displayAlign="after"/></layout>'
)
_BODY = '<body style="s1" region="bottom">'

#: One paragraph to write: the cue's index, the ``p`` element's extra attributes, its content.
Item = tuple[int, str, str]

#: Turns a list of cue indices (in time order) into the ``begin`` and ``end`` strings of each.
Timing = Callable[[Sequence[int]], tuple[Sequence[str], Sequence[str]]]


def _lines(text: str) -> list[str]:
    if "\n" not in text:
        text = text.strip()
        return [text] if text else []
    return text_lines(text)


class _Agents:
    """The ``ttm:agent`` declarations, made on first use in the order speakers appear."""

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript
        self.ids: dict[str, str] = {}
        self._taken: set[str] = set()

    def id(self, speaker: str) -> str:
        known = self.ids.get(speaker)
        if known is None:
            known = self.ids[speaker] = xml_name(speaker, "speaker_", self._taken)
        return known

    def metadata(self) -> str:
        if not self.ids:
            return ""
        parts = ["<metadata>"]
        for speaker, agent in self.ids.items():
            label = clean(self.transcript.speaker_label(speaker) or speaker)
            name = escape(" ".join(label.split())) or escape(speaker)
            parts.append(
                f'<ttm:agent xml:id="{agent}" type="person">'
                f'<ttm:name type="full">{name}</ttm:name></ttm:agent>'
            )
        parts.append("</metadata>")
        return "".join(parts)


def paragraphs(
    transcript: Transcript, speaker_style: str, max_lines: int | None, agents: _Agents
) -> list[Item]:
    """The ``p`` elements of a transcript, cues without text left out."""
    voiced = speaker_style in ("auto", "voice")
    prefixes = turn_prefixes(transcript, "dash" if voiced else speaker_style)
    items: list[Item] = []
    append = items.append
    for index, content in enumerate(transcript.columns().contents):
        if isinstance(content, str):
            lines = _lines(clean(content))
            if not lines:
                continue
            if max_lines is not None and len(lines) > max_lines:
                lines = fit_lines([lines], max_lines)[0][0]
            append((index, "", "<br/>".join(map(escape, lines))))
            continue
        marks = prefixes(content)
        turn_lines: list[list[str]] = []
        speakers: list[str | None] = []
        for mark, turn in zip(marks, content, strict=True):
            lines = _lines(clean(turn.text))
            if not lines:
                continue
            if mark and not (voiced and turn.speaker is not None):
                lines[0] = mark + lines[0]
            turn_lines.append(lines)
            speakers.append(turn.speaker)
        if not turn_lines:
            continue
        turn_lines, breaks = fit_lines(turn_lines, max_lines)
        texts = ["<br/>".join(map(escape, lines)) for lines in turn_lines]
        if len(set(speakers)) == 1:
            attrs = f' ttm:agent="{agents.id(speakers[0])}"' if speakers[0] is not None else ""
            spans = texts
        else:
            attrs = ""
            spans = [
                f'<span ttm:agent="{agents.id(speaker)}">{text}</span>' if speaker else text
                for speaker, text in zip(speakers, texts, strict=True)
            ]
        inner = spans[0]
        for joint, span in zip(breaks, spans[1:], strict=True):
            inner += ("<br/>" if joint else " ") + span
        append((index, attrs, inner))
    return items


def write_tt(
    transcript: Transcript,
    context: WriteContext,
    *,
    root_attrs: str,
    timing: Timing,
    styling: str = _STYLING,
    layout: str = _LAYOUT,
    body: str = _BODY,
    max_lines: int | None = None,
) -> str:
    """A TTML document: the shared skeleton of the TTML, IMSC and iTT writers."""
    agents = _Agents(transcript)
    style = context.options.get("speaker_style") or "auto"
    items = paragraphs(transcript, style, max_lines, agents)
    starts = transcript.columns().starts
    if any(starts[a[0]] > starts[b[0]] for a, b in pairwise(items)):
        items.sort(key=lambda item: starts[item[0]])
    begins, ends = timing([item[0] for item in items])
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<tt {NAMESPACES} xml:lang="{language(transcript, context)}"{root_attrs}>\n',
        f"<head>{agents.metadata()}{styling}{layout}</head>\n",
        f"{body}<div>\n",
    ]
    out.extend(
        map(
            '<p begin="{}" end="{}"{}>{}</p>\n'.format,
            begins,
            ends,
            (item[1] for item in items),
            (item[2] for item in items),
        )
    )
    out.append("</div></body>\n</tt>\n")
    return "".join(out)


def media_timing(transcript: Transcript) -> Timing:
    """Begin and end as ``HH:MM:SS.mmm`` media time."""
    columns = transcript.columns()

    def timing(indices: Sequence[int]) -> tuple[Sequence[str], Sequence[str]]:
        if len(indices) == len(columns.starts):
            return stamps(columns.starts), stamps(columns.ends)
        return stamps([columns.starts[i] for i in indices]), stamps(
            [columns.ends[i] for i in indices]
        )

    return timing


def ms_to_frame_list(times: Sequence[int], fps: Fraction) -> list[int]:
    """The nearest frame of each millisecond time (integer arithmetic, for long files)."""
    num, den = fps.numerator, fps.denominator
    scale, half = 2000 * den, 1000 * den
    return [(2 * ms * num + half) // scale for ms in times]


def frame_rate_attrs(fps: Fraction) -> str:
    """``ttp:frameRate``/``ttp:frameRateMultiplier`` for an exact rate (29.97: 30, 1000 1001)."""
    base = -(-fps.numerator // fps.denominator)
    multiplier = fps / base
    return (
        f' ttp:frameRate="{base}"'
        f' ttp:frameRateMultiplier="{multiplier.numerator} {multiplier.denominator}"'
    )


def smpte_root(fps: Fraction) -> str:
    """The ``tt`` attributes of a document timed in non-drop SMPTE timecode."""
    return f' ttp:timeBase="smpte"{frame_rate_attrs(fps)} ttp:dropMode="nonDrop"'


def fps_of(context: WriteContext, writer: str = "ttml") -> Fraction:
    """The project frame rate (``fps``); without it the default rate, with a note."""
    return project_fps(context, writer)


def write_ttml(transcript: Transcript, context: WriteContext) -> str:
    """Render a transcript as TTML (DFXP) in media time or SMPTE timecode."""
    if context.options.get("ttml_timing") != "smpte":
        return write_tt(
            transcript,
            context,
            root_attrs=' ttp:timeBase="media"',
            timing=media_timing(transcript),
        )
    fps = fps_of(context)
    starts, ends, _ = transcript.columns()

    def timing(indices: Sequence[int]) -> tuple[list[str], list[str]]:
        first = ms_to_frame_list([starts[i] for i in indices], fps)
        last = ms_to_frame_list([ends[i] for i in indices], fps)
        return (
            [frames_to_smpte(f, fps) for f in first],
            [frames_to_smpte(max(e, s), fps) for s, e in zip(first, last, strict=True)],
        )

    return write_tt(transcript, context, root_attrs=smpte_root(fps), timing=timing)


def write_imsc(transcript: Transcript, context: WriteContext) -> str:
    """Render a transcript as an IMSC 1.1 Text Profile document (media time)."""
    root = f' ttp:contentProfiles="{IMSC11_TEXT}" ttp:timeBase="media"'
    return write_tt(transcript, context, root_attrs=root, timing=media_timing(transcript))


@hookimpl
def captionbridge_register_options(register: Callable[[OptionSpec], None]) -> None:
    register(
        OptionSpec(
            "ttml_timing",
            "TTML times: media (00:00:03.000) or smpte (HH:MM:SS:FF on the --fps grid).",
            default="media",
            choices=("media", "smpte"),
        )
    )


@hookimpl
def captionbridge_register_writers(register: Callable[[WriterSpec], None]) -> None:
    register(
        WriterSpec(
            "ttml",
            write_ttml,
            extension=".ttml",
            claims=(".ttml", ".dfxp"),
            aliases=("dfxp",),
            description="TTML / DFXP timed text",
        )
    )
    register(
        WriterSpec(
            "imsc",
            write_imsc,
            extension=".imsc.ttml",
            claims=(),
            description="IMSC 1.1 Text Profile (TTML)",
        )
    )
