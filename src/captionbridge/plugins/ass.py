"""Advanced SubStation Alpha (``.ass``) and SubStation Alpha (``.ssa``), through pysubs2.

Written for a 1920x1080 video (``PlayResX``/``PlayResY``): one ``Default`` style, bottom centre,
68 px Arial (42 characters fit a line), white with a 4 px black outline and a soft shadow, and
one more style per speaker, a copy of ``Default`` in the speaker's colour (``Speaker.color``,
else the BBC order white, yellow, cyan, green). ``ass_font``, ``ass_font_size`` and
``ass_style_file`` (a ``.ass``/``.ssa`` file whose ``Default`` style, and play resolution, are
used) change the look.

Each cue is one ``Dialogue`` event. Its ``Name`` (actor) field holds the first speaker's label
with commas removed, and its style is that speaker's style. A cue with two or more turns puts
each turn on its own line after a ``- `` dash; a line whose speaker has a different style starts
with ``{\\r<style>}`` so it shows in that speaker's colour. A single turn after an unnamed turn
marker gets a dash too, as in SRT.

Text is escaped the way libass (mpv, ffmpeg, VLC, Aegisub) reads it, the convention ffmpeg
itself uses when it turns SRT into ASS: ``{`` and ``}`` become ``\\{`` and ``\\}`` so text can
never open an override block, and a backslash that would form ``\\N``, ``\\n`` or ``\\h`` gets
an invisible WORD JOINER (U+2060) after it so it shows as typed. A ``{`` followed by a
backslash also gets the WORD JOINER, so ffmpeg's own ASS parser does not take ``{\\an8}`` for a
tag either. Line breaks become ``\\N``; control characters are dropped. VSFilter knows no brace
escapes: there, a ``{`` in the text still hides what follows up to the next ``}``.

The reader (pysubs2) undoes all of this: ``Name`` becomes the speaker (the registry gets the
colour of the speaker's style), ``\\N`` a line break, dashed lines and ``{\\r<style>}`` resets
become turns, override blocks are removed.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from captionbridge.errors import CaptionbridgeError, ParseError
from captionbridge.helpers.options import KARAOKE, KEEP_EMPTY, SPEAKER_STYLE
from captionbridge.helpers.readfix import order_times
from captionbridge.helpers.render import turn_prefixes
from captionbridge.helpers.wordtext import timed_pieces
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Content, Note, Speaker, Transcript, Turn
from captionbridge.specs import (
    Options,
    OptionSpec,
    ReadContext,
    ReaderSpec,
    WriteContext,
    WriterSpec,
)

if TYPE_CHECKING:
    import pysubs2

__all__ = ["escape_text", "read_ass", "unescape_text", "write_ass", "write_ssa"]

PLAY_RES = (1920, 1080)
#: the play resolution of ``ass_layout = "vertical"`` (9:16 shorts, reels, TikTok)
VERTICAL_RES = (1080, 1920)
DEFAULT_FONT = "Arial"
DEFAULT_FONT_SIZE = 68.0
#: BBC subtitle colours, in the order the guidelines assign them to speakers.
BBC_COLOURS = ("#ffffff", "#ffff00", "#00ffff", "#00ff00")
DEFAULT_STYLE = "Default"
#: karaoke highlights for a style whose own colour is the one asked for
_SPARE_HIGHLIGHTS = ("#ff8000", "#00ffff")
_WJ = "\u2060"  # WORD JOINER: invisible, keeps a backslash from forming an escape
_SPECIAL = re.compile(r"[\\{}\n\r\x00-\x08\x0b-\x1f\x7f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_RESET = re.compile(r"\\r([^\\}]*)")
_DASH = re.compile(r"^-(?!-)(?:\s+|(?=[^\d\s]))")
_HEX_COLOUR = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
_MAX_MS = 10 * 3_600_000 - 10  # 9:59:59.99, the largest H:MM:SS.cc time


# -- text ------------------------------------------------------------------------------------


def escape_text(text: str) -> str:
    """Text for an ASS ``Text`` field that libass shows exactly as given, with ``\\N`` breaks."""
    if not _SPECIAL.search(text):
        return text
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    out: list[str] = []
    last = len(text) - 1
    for i, ch in enumerate(text):
        following = text[i + 1] if i < last else ""
        if ch == "\\":
            out.append("\\" + _WJ if following and following in "Nnh" else "\\")
        elif ch in "{}":
            out.append(f"\\{ch}{_WJ}" if ch == "{" and following == "\\" else f"\\{ch}")
        elif ch == "\n":
            out.append("\\N")
        else:
            out.append(ch)
    return "".join(out)


def unescape_text(raw: str, soft_breaks: bool = False) -> list[tuple[str | None, str]]:
    """Split an ASS ``Text`` field into displayed lines, the way libass reads it.

    Returns ``(style, line)`` pairs: ``style`` is the style a ``{\\r<style>}`` at the start of
    the line switches to (``""`` for a bare ``\\r``), else ``None``. Override blocks are removed;
    ``\\N`` breaks a line, ``\\n`` too when ``soft_breaks`` (``WrapStyle: 2``), else it is a
    space; ``\\h`` is a no-break space; ``\\{`` and ``\\}`` are braces.
    """
    lines: list[tuple[str | None, str]] = []
    current: list[str] = []
    reset: str | None = None
    i, size = 0, len(raw)
    while i < size:
        ch = raw[i]
        if ch == "\\" and i + 1 < size:
            escaped = raw[i + 1]
            if escaped == "N" or (escaped == "n" and soft_breaks):
                lines.append((reset, "".join(current)))
                current, reset = [], None
                i += 2
                continue
            if escaped in "nh{}":
                current.append({"n": " ", "h": "\u00a0"}.get(escaped, escaped))
                i += 2
            else:
                current.append("\\")
                i += 1
            if i < size and raw[i] == _WJ:
                i += 1
            continue
        if ch == "{":
            close = raw.find("}", i + 1)
            if close != -1:
                if not "".join(current).strip():
                    found = _RESET.findall(raw[i + 1 : close])
                    if found:
                        reset = found[-1].strip()
                i = close + 1
                continue
        current.append(ch)
        i += 1
    lines.append((reset, "".join(current)))
    return lines


# -- styles ----------------------------------------------------------------------------------


def _field(text: str, forbidden: str = ",") -> str:
    """A value for a comma-separated SubStation field: no commas, no line breaks."""
    for ch in forbidden:
        text = text.replace(ch, "")
    return " ".join(text.split())


def _colour(value: str | None, index: int) -> pysubs2.Color:
    import pysubs2

    match = _HEX_COLOUR.match(value or "")
    digits = match.group(1) if match else BBC_COLOURS[index % len(BBC_COLOURS)][1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return pysubs2.Color(int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def _hex(colour: pysubs2.Color) -> str:
    return f"#{colour.r:02x}{colour.g:02x}{colour.b:02x}"


def _colour_value(value: Any) -> str:
    match = _HEX_COLOUR.match(str(value).strip())
    if not match:
        raise ValueError(f"not a colour: {value!r} (write #rrggbb or #rgb)")
    digits = match.group(1).lower()
    return "#" + (digits if len(digits) == 6 else "".join(c * 2 for c in digits))


def _positive_size(value: Any) -> float:
    size = float(value)
    if not 0 < size <= 1000:
        raise ValueError(f"font size must be between 0 and 1000, not {value!r}")
    return size


ASS_FONT = OptionSpec(
    "ass_font",
    f"ASS/SSA: font of the Default style (default {DEFAULT_FONT}).",
    metavar="NAME",
)
ASS_FONT_SIZE = OptionSpec(
    "ass_font_size",
    f"ASS/SSA: font size in pixels of a 1920x1080 frame (default {DEFAULT_FONT_SIZE:g}).",
    type=_positive_size,
    strict=True,
    metavar="PX",
)
ASS_STYLE_FILE = OptionSpec(
    "ass_style_file",
    "ASS/SSA: take the Default style (and play resolution) from this .ass/.ssa file.",
    metavar="FILE",
)

ASS_HIGHLIGHT = OptionSpec(
    "ass_highlight",
    "ASS/SSA with --karaoke: colour of the sung words (#rrggbb, default #ffff00);"
    " words not sung yet keep the style's colour.",
    type=_colour_value,
    strict=True,
    default="#ffff00",
    metavar="COLOUR",
)
ASS_LAYOUT = OptionSpec(
    "ass_layout",
    "ASS/SSA: landscape (1920x1080, bottom centre) or vertical (1080x1920 burn-in:"
    " large bold centred text above the bottom fifth, where platforms draw their buttons).",
    default="landscape",
    choices=("landscape", "vertical"),
)


@hookimpl
def captionbridge_register_options(register: Callable[[OptionSpec], None]) -> None:
    for spec in (ASS_FONT, ASS_FONT_SIZE, ASS_STYLE_FILE, ASS_HIGHLIGHT, ASS_LAYOUT):
        register(spec)


def _base_style(options: Options) -> tuple[pysubs2.SSAStyle, dict[str, str]]:
    """The ``Default`` style and the script-info keys it was designed for."""
    import pysubs2

    info = {"PlayResX": str(PLAY_RES[0]), "PlayResY": str(PLAY_RES[1])}
    path = ASS_STYLE_FILE.value(options)
    if path:
        try:
            source = pysubs2.load(str(path))
        except (OSError, UnicodeDecodeError) as exc:
            message = f"cannot read the ASS style file: {exc}"
            raise CaptionbridgeError(message, source=path) from None
        except Exception as exc:  # pysubs2 raises several types for malformed input
            message = f"not a usable ASS/SSA style file: {exc}"
            raise CaptionbridgeError(message, source=path) from None
        if DEFAULT_STYLE not in source.styles:
            found = ", ".join(source.styles) or "none"
            raise CaptionbridgeError(
                f"the style file has no 'Default' style (found: {found})", source=path
            )
        style = source.styles[DEFAULT_STYLE].copy()
        for key in ("PlayResX", "PlayResY", "ScaledBorderAndShadow", "WrapStyle", "YCbCr Matrix"):
            if key in source.info:
                info[key] = source.info[key]
    else:
        style = _landscape_style()
        if ASS_LAYOUT.value(options) == "vertical":
            info = {"PlayResX": str(VERTICAL_RES[0]), "PlayResY": str(VERTICAL_RES[1])}
            _make_vertical(style)
    font = ASS_FONT.value(options)
    if font:
        style.fontname = _field(font)
    size = ASS_FONT_SIZE.value(options)
    if size is not None:
        style.fontsize = size
    return style, info


def _landscape_style() -> pysubs2.SSAStyle:
    import pysubs2

    return pysubs2.SSAStyle(
        fontname=DEFAULT_FONT,
        fontsize=DEFAULT_FONT_SIZE,
        primarycolor=pysubs2.Color(255, 255, 255),
        outlinecolor=pysubs2.Color(0, 0, 0),
        backcolor=pysubs2.Color(0, 0, 0, 128),
        outline=4.0,
        shadow=2.0,
        alignment=pysubs2.Alignment.BOTTOM_CENTER,
        marginl=96,
        marginr=96,
        marginv=60,
    )


def _make_vertical(style: pysubs2.SSAStyle) -> None:
    """Burn-in captions for a 1080x1920 frame: 104 px bold, centred, bottom edge at two thirds
    of the height; the bottom fifth (buttons and captions of the platforms' own UI) stays
    clear, and 90 px side margins keep words inside the 9:16 title-safe width."""
    style.fontsize = 104.0
    style.bold = True
    style.outline = 6.0
    style.marginl = style.marginr = 90
    style.marginv = VERTICAL_RES[1] // 3


class _Styles:
    """One style per speaker, named after the speaker, made on first use."""

    def __init__(self, transcript: Transcript, base: pysubs2.SSAStyle) -> None:
        self.transcript = transcript
        self.base = base
        self.styles: dict[str, pysubs2.SSAStyle] = {DEFAULT_STYLE: base}
        self.by_speaker: dict[str, str] = {}

    def of(self, speaker: str | None) -> str:
        if speaker is None:
            return DEFAULT_STYLE
        name = self.by_speaker.get(speaker)
        if name is None:
            entry = self.transcript.speakers.get(speaker)
            stem = _field(self.transcript.speaker_label(speaker) or speaker, ",{}\\") or "Speaker"
            name, n = stem, 1
            while name in self.styles:
                n += 1
                name = f"{stem} {n}"
            style = self.base.copy()
            style.primarycolor = _colour(entry.color if entry else None, len(self.by_speaker))
            self.styles[name] = style
            self.by_speaker[speaker] = name
        return name


def _auto_prefixes(turns: tuple[Turn, ...]) -> list[str]:
    if len(turns) == 1:
        turn = turns[0]
        return ["- " if turn.speaker is None and turn.change else ""]
    return ["- "] * len(turns)


def _cs(ms: int) -> int:
    """A time in centiseconds, rounded as pysubs2 (and Aegisub) round event times."""
    return (ms + 5) // 10


class _Karaoke:
    """The karaoke tags of one event. Each tag's duration is the difference of two times
    rounded on the event's clock, so the durations add up to the event's length exactly,
    however many words there are."""

    def __init__(self, start: int, end: int) -> None:
        self.end = end
        self.at = start  # where the last word ended
        self.timed = False

    def line(self, prefix: str, turn: Turn) -> str | None:
        """The turn's line with ``{\\k}`` before each pause and ``{\\kf}`` before each word;
        ``None`` when the turn has no usable words."""
        pieces = timed_pieces(turn)
        if pieces is None:
            return None
        out = [escape_text(prefix)]
        for piece, word in pieces:
            if word is not None:
                begin = min(max(word.start, self.at), self.end)
                finish = min(max(word.end, begin), self.end)
                pause = _cs(begin) - _cs(self.at)
                if pause > 0:
                    out.append(f"{{\\k{pause}}}")
                out.append(f"{{\\kf{_cs(finish) - _cs(begin)}}}")
                self.at = finish
            out.append(escape_text(piece))
        self.timed = True
        return "".join(out)

    def close(self, text: str) -> str:
        """The event's text with the time left after the last word as an empty syllable. A
        cue without words is that empty syllable followed by its text as a syllable that
        starts (is sung) only when the cue ends, so it keeps the style's colour."""
        left = _cs(self.end) - _cs(self.at)
        if not self.timed:
            return f"{{\\k{left}}}{{\\k0}}{text}"
        if left <= 0:
            return text
        # a backslash at the end of the text would escape the tag's brace
        return f"{text}{_WJ if text.endswith(chr(92)) else ''}{{\\k{left}}}"


def _events(
    transcript: Transcript, styles: _Styles, style: str, karaoke: bool
) -> Iterator[tuple[str, str, str, bool]]:
    """``(text, style, name, timed)`` per cue; ``timed`` when karaoke tags show its words."""
    prefixes = _auto_prefixes if style in ("auto", "voice") else turn_prefixes(transcript, style)
    starts, ends, contents = transcript.columns()
    for start, end, content in zip(starts, ends, contents, strict=True):
        tags = _Karaoke(start, end) if karaoke else None
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
        name = _field(transcript.speaker_label(first) or "") if first is not None else ""
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
    base, info = _base_style(context.options)
    subs = pysubs2.SSAFile()
    if transcript.source:
        subs.info["Title"] = _field(transcript.source, "")
    subs.info.update(info)
    subs.info.setdefault("YCbCr Matrix", "None")
    styles = _Styles(transcript, base)
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
        _karaoke_colours(styles.styles, ASS_HIGHLIGHT.value(context.options))
        if untimed:
            context.note(
                f"karaoke: {untimed} of {len(events)} cue(s) have no word timings;"
                " they are shown without highlighting",
                transcript.source,
            )
    result: str = subs.to_string(format_, header_notice="Written by captionbridge")
    return result


def _karaoke_colours(styles: Mapping[str, pysubs2.SSAStyle], highlight: str) -> None:
    """ASS karaoke draws sung syllables in PrimaryColour and the others in SecondaryColour: the
    style's own colour moves to SecondaryColour, the highlight takes its place. A style whose
    colour is the highlight (a yellow speaker) is highlighted in orange, else cyan, instead."""
    for style in styles.values():
        own = _hex(style.primarycolor)
        sung = next(c for c in (highlight, *_SPARE_HIGHLIGHTS) if c != own)
        style.secondarycolor = style.primarycolor
        style.primarycolor = _colour(sung, 0)


def write_ass(transcript: Transcript, context: WriteContext) -> str:
    """Render a transcript as Advanced SubStation Alpha (``.ass``)."""
    return _write(transcript, context, "ass")


def write_ssa(transcript: Transcript, context: WriteContext) -> str:
    """Render a transcript as SubStation Alpha v4 (``.ssa``)."""
    return _write(transcript, context, "ssa")


# -- reading ---------------------------------------------------------------------------------


def _content(
    lines: list[tuple[str | None, str]], name: str | None, speaker_of: Mapping[str, str | None]
) -> Content:
    stripped = [(reset, text.strip()) for reset, text in lines]
    split = len(stripped) > 1 and any(
        reset is not None or _DASH.match(text) for reset, text in stripped
    )
    if not split:
        text = "\n".join(text for _, text in stripped if text)
        dashed = _DASH.match(text)
        if name is None and not dashed:
            return text
        return (Turn(text[dashed.end() :] if dashed else text, name, bool(dashed)),)
    turns: list[Turn] = []
    for reset, text in stripped:
        dashed = _DASH.match(text)
        if dashed or reset is not None or not turns:
            speaker = name if not turns else None
            if reset is not None:
                speaker = speaker_of.get(reset, speaker)
            body = text[dashed.end() :] if dashed else text
            turns.append(Turn(body, speaker, bool(dashed) or bool(turns)))
        elif text:
            last = turns[-1]
            turns[-1] = Turn(f"{last.text}\n{text}".strip("\n"), last.speaker, last.change)
    return tuple(turns)


class _CountedLines(io.StringIO):
    """Text that pysubs2 reads line by line, counting the lines it has taken."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.line = 0

    def __next__(self) -> str:  # type: ignore[override]  # typeshed's IOBase says bytes
        line = super().__next__()
        self.line += 1
        return line


def _parse(text: str, source: str) -> tuple[pysubs2.SSAFile, list[Note]]:
    """pysubs2's reading of ``text``, its warnings as notes on the line they are about."""
    import pysubs2

    # CR-only line ends: pysubs2 would see one line and no events
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = _CountedLines(text)
    notes: list[Note] = []

    def show(message: Warning | str, *_: object, **__: object) -> None:
        notes.append(Note(f"{message} (pysubs2)", source, lines.line or None))

    try:
        format_ = pysubs2.formats.autodetect_format(text)
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.showwarning = show  # restored when the block ends
            subs = pysubs2.SSAFile.from_file(lines, format_=format_)
    except Exception as exc:  # pysubs2 raises several types for malformed input
        raise ParseError(
            f"not a readable ASS/SSA file: {exc}", source=source, line=lines.line or None
        ) from None
    return subs, notes


def read_ass(text: str, context: ReadContext) -> Transcript:
    """Read ASS or SSA through pysubs2: ``Name`` fields become speakers, ``\\N`` line breaks."""
    subs, warned = _parse(text, context.source)
    soft_breaks = str(subs.info.get("WrapStyle", "0")).strip() == "2"
    speakers: dict[str, Speaker] = {}
    # a style named after a speaker (as the writer makes them) gives the speaker's colour
    speaker_of: dict[str, str | None] = {"": None, DEFAULT_STYLE: None}

    def register(name: str) -> str:
        if name not in speakers:
            style = subs.styles.get(name)
            colour = _hex(style.primarycolor) if style is not None else None
            speakers[name] = Speaker(name, name, colour)
        return name

    for style_name in subs.styles:
        speaker_of.setdefault(style_name, style_name)
    starts: list[int] = []
    ends: list[int] = []
    contents: list[Content] = []
    keep_empty = KEEP_EMPTY.value(context.options)
    for event in subs.events:
        if event.is_comment:
            continue
        name = event.name.strip() or None
        content = _content(unescape_text(event.text, soft_breaks), name, speaker_of)
        if content == "" and not keep_empty:
            continue
        if not isinstance(content, str):
            for turn in content:
                if turn.speaker is not None:
                    register(turn.speaker)
        starts.append(max(0, event.start))
        ends.append(max(0, event.end))
        contents.append(content)
    notes = warned + order_times(starts, ends, context.source)
    return Transcript.from_columns(
        starts, ends, contents, speakers=speakers, source=context.source, notes=notes
    )


def guess_ass(text: str, filename: str) -> bool:
    """True when the text starts with a ``[Script Info]`` section."""
    return text.lstrip("\ufeff \t\r\n")[:13].lower() == "[script info]"


# -- registration ----------------------------------------------------------------------------


@hookimpl
def captionbridge_register_readers(register: Callable[[ReaderSpec], None]) -> None:
    register(
        ReaderSpec(
            "ass",
            read_ass,
            extensions=(".ass",),
            guess=guess_ass,
            description="Advanced SubStation Alpha",
        )
    )
    register(
        ReaderSpec(
            "ssa", read_ass, extensions=(".ssa",), guess=guess_ass, description="SubStation Alpha"
        )
    )


@hookimpl
def captionbridge_register_writers(register: Callable[[WriterSpec], None]) -> None:
    register(
        WriterSpec(
            "ass",
            write_ass,
            extension=".ass",
            description="Advanced SubStation Alpha, 1920x1080, one style per speaker",
        )
    )
    register(
        WriterSpec(
            "ssa",
            write_ssa,
            extension=".ssa",
            description="SubStation Alpha v4, 1920x1080, one style per speaker",
        )
    )
