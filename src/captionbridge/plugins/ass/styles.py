"""The styles the ASS writer makes: the Default style (landscape, vertical or from a style file),
one per speaker, and the karaoke colours; with the options that choose them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from captionbridge.errors import CaptionbridgeError
from captionbridge.model import Transcript
from captionbridge.specs import Options, OptionSpec

if TYPE_CHECKING:
    import pysubs2

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
_HEX_COLOUR = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


def field_value(text: str, forbidden: str = ",") -> str:
    """A value for a comma-separated SubStation field: no commas, no line breaks."""
    for ch in forbidden:
        text = text.replace(ch, "")
    return " ".join(text.split())


def colour_of(value: str | None, index: int) -> pysubs2.Color:
    import pysubs2

    match = _HEX_COLOUR.match(value or "")
    digits = match.group(1) if match else BBC_COLOURS[index % len(BBC_COLOURS)][1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return pysubs2.Color(int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def hex_colour(colour: pysubs2.Color) -> str:
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


def base_style(options: Options) -> tuple[pysubs2.SSAStyle, dict[str, str]]:
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
        style.fontname = field_value(font)
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


class Styles:
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
            stem = (
                field_value(self.transcript.speaker_label(speaker) or speaker, ",{}\\") or "Speaker"
            )
            name, n = stem, 1
            while name in self.styles:
                n += 1
                name = f"{stem} {n}"
            style = self.base.copy()
            style.primarycolor = colour_of(entry.color if entry else None, len(self.by_speaker))
            self.styles[name] = style
            self.by_speaker[speaker] = name
        return name


def karaoke_colours(styles: Mapping[str, pysubs2.SSAStyle], highlight: str) -> None:
    """ASS karaoke draws sung syllables in PrimaryColour and the others in SecondaryColour: the
    style's own colour moves to SecondaryColour, the highlight takes its place. A style whose
    colour is the highlight (a yellow speaker) is highlighted in orange, else cyan, instead."""
    for style in styles.values():
        own = hex_colour(style.primarycolor)
        sung = next(c for c in (highlight, *_SPARE_HIGHLIGHTS) if c != own)
        style.secondarycolor = style.primarycolor
        style.primarycolor = colour_of(sung, 0)
