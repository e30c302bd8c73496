"""Transcripts for people who read: Markdown (``.md``) and a standalone HTML page (``.html``).

The text flows in paragraphs. A new paragraph starts where the speaker changes (a known speaker,
or a turn marker), after a pause of :data:`PARAGRAPH_PAUSE` (5 s) or more, and at the end of a
sentence once a paragraph has grown past :data:`PARAGRAPH_CHARS` characters, so that a long
monologue still gets a timestamp every half minute or so. Each paragraph opens with its start
time as a link, then the speaker's name when a new speaker starts::

    **Ada** [01:23](#t=83.5) Today is the day after GPT-4.

    <p id="t=83.5" dir="auto"><a class="time" href="#t=83.5">01:23</a>
    <bdi class="speaker">Ada</bdi> Today is the day after GPT-4.</p>

Links follow the W3C media-fragment form ``#t=<seconds>``; with ``media_url`` they point into the
recording (``URL#t=83.5``), without it to the paragraph itself (which carries that id in HTML).
Times show as ``MM:SS``, or ``H:MM:SS`` past the first hour. Markdown text has every character
that CommonMark could read as markup backslash-escaped; HTML text is escaped and the page is
well-formed XML as well as valid HTML5. Control characters are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from captionbridge.helpers.options import SPEAKER_STYLE
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Transcript, turns_of
from captionbridge.specs import OptionSpec, WriteContext, WriterSpec

#: A paragraph longer than this ends at the next sentence end.
PARAGRAPH_CHARS = 600
#: A pause this long (milliseconds) between cues starts a new paragraph.
PARAGRAPH_PAUSE = 5000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SENTENCE_END = re.compile(r"[.?!…][\"'”’)\]]*$")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~&$])")


@dataclass
class Paragraph:
    """A run of text by one speaker: its start time, the speaker's label when it is new."""

    start: int
    label: str | None
    texts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The paragraph's text on one line."""
        return " ".join(self.texts)


def paragraphs(transcript: Transcript, show_names: bool = True) -> Iterator[Paragraph]:
    """Group the transcript's turns into paragraphs (see the module docstring)."""
    starts, ends, contents = transcript.columns()
    current: Paragraph | None = None
    size = 0
    speaker: str | None = None
    label: str | None = None
    new_paragraph = False
    previous_end = 0
    for start, end, content in zip(starts, ends, contents, strict=True):
        if start - previous_end >= PARAGRAPH_PAUSE:
            new_paragraph = True
        previous_end = end
        for turn in turns_of(content):
            if turn.change or (turn.speaker is not None and turn.speaker != speaker):
                speaker = turn.speaker
                name = transcript.speaker_label(speaker)
                label = name if show_names else None
                new_paragraph = True
            text = " ".join(_CONTROL.sub("", turn.text).split())
            if not text:
                continue
            if (
                current is not None
                and not new_paragraph
                and (size < PARAGRAPH_CHARS or not _SENTENCE_END.search(current.texts[-1]))
            ):
                current.texts.append(text)
                size += len(text) + 1
                continue
            if current is not None:
                yield current
            current = Paragraph(start, label, [text])
            size, label, new_paragraph = len(text), None, False
    if current is not None:
        yield current


def clock_label(ms: int) -> str:
    """``MM:SS``, or ``H:MM:SS`` from one hour on."""
    seconds = ms // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def fragment(ms: int) -> str:
    """The media-fragment time ``t=83.5`` for a time in milliseconds."""
    whole, rest = divmod(ms, 1000)
    return f"t={whole}" if not rest else f"t={whole}.{rest:03d}".rstrip("0")


def media_base(url: str | None) -> str:
    """The media URL without its fragment, with spaces, parentheses, quotes and non-ASCII
    characters percent-encoded so that it works unchanged in Markdown and HTML links."""
    from urllib.parse import quote

    if not url:
        return ""
    return quote(url.split("#", 1)[0], safe=":/?[]@!$&*+,;=%~")


def _title(transcript: Transcript) -> str:
    if not transcript.source or transcript.source.startswith("<"):
        return "Transcript"
    name = re.split(r"[\\/]", transcript.source)[-1]
    return name.rsplit(".", 1)[0] or name


def escape_markdown(text: str) -> str:
    """Text that CommonMark shows as it is (every markup character backslash-escaped)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def write_markdown(transcript: Transcript, context: WriteContext) -> str:
    """Render a transcript as Markdown paragraphs with timestamp links."""
    base = media_base(MEDIA_URL.value(context.options))
    show_names = SPEAKER_STYLE.value(context.options) != "none"
    out = [f"# {escape_markdown(_title(transcript))}"]
    for paragraph in paragraphs(transcript, show_names):
        target = f"{base}#{fragment(paragraph.start)}"
        link = f"[{clock_label(paragraph.start)}]({target})"
        name = f"**{escape_markdown(paragraph.label)}** " if paragraph.label else ""
        out.append(f"{name}{link} {escape_markdown(paragraph.text)}")
    return "\n\n".join(out) + "\n"


_STYLE = """\
body { font: 1.05rem/1.6 system-ui, sans-serif; max-width: 42rem; margin: 2rem auto;
       padding: 0 1rem; color: #1b1b1b; background: #fff; }
p { margin: 0 0 1rem; }
a.time { color: #666; font-variant-numeric: tabular-nums; text-decoration: none;
         margin-inline-end: .5rem; }
a.time:hover { text-decoration: underline; }
.speaker { font-weight: 600; margin-inline-end: .35rem; }"""


def write_html(transcript: Transcript, context: WriteContext) -> str:
    """Render a transcript as a standalone HTML5 page with timestamp links."""
    from html import escape

    base = media_base(MEDIA_URL.value(context.options))
    show_names = SPEAKER_STYLE.value(context.options) != "none"
    title = escape(_title(transcript))
    language = transcript.language
    lang = f' lang="{escape(language)}"' if language else ""
    body: list[str] = []
    ids: set[str] = set()
    for paragraph in paragraphs(transcript, show_names):
        time = fragment(paragraph.start)
        anchor = "" if time in ids else f' id="{time}"'
        ids.add(time)
        href = escape(f"{base}#{time}")
        name = f'<bdi class="speaker">{escape(paragraph.label)}</bdi> ' if paragraph.label else ""
        body.append(
            f'<p{anchor} dir="auto"><a class="time" href="{href}">'
            f"{clock_label(paragraph.start)}</a> {name}{escape(paragraph.text, False)}</p>"
        )
    return (
        f"<!DOCTYPE html>\n<html{lang}>\n<head>\n"
        '<meta charset="utf-8" />\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'
        '<meta name="generator" content="captionbridge" />\n'
        f"<title>{title}</title>\n<style>\n{_STYLE}\n</style>\n</head>\n<body>\n"
        f"<main>\n<h1>{title}</h1>\n" + "\n".join(body) + "\n</main>\n</body>\n</html>\n"
    )


MEDIA_URL = OptionSpec(
    "media_url",
    "Markdown/HTML transcripts: timestamps link into this recording (URL#t=seconds).",
    metavar="URL",
)


@hookimpl
def captionbridge_register_options(register: Callable[[OptionSpec], None]) -> None:
    register(MEDIA_URL)


@hookimpl
def captionbridge_register_writers(register: Callable[[WriterSpec], None]) -> None:
    register(
        WriterSpec(
            "md",
            write_markdown,
            extension=".md",
            aliases=("markdown",),
            description="Markdown transcript: speaker paragraphs with timestamp links",
        )
    )
    register(
        WriterSpec(
            "html",
            write_html,
            extension=".html",
            description="HTML page transcript: speaker paragraphs with timestamp links",
        )
    )
