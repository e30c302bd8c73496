"""What the broadcast writers (SCC, EBU-STL, Avid DS) share: the ``start_timecode`` option,
line wrapping inside a fixed number of columns, character fallbacks for small character sets and
speaker prefixes.

Character fallbacks, in order (each writer passes the set it can encode): typographic
punctuation becomes plain (curly quotes → straight, ``—`` → ``--``, ``…`` → ``...``); a letter
with a diacritic the set lacks becomes its plain letter (Unicode NFKD, so ``ł`` → ``l`` only
through the small table below); a letter or digit of another script becomes ``?``; an emoji or
other symbol is dropped. Every character changed by the last two steps is reported in a note.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Container, Iterable
from fractions import Fraction

from captionbridge.errors import CaptionbridgeError, brief
from captionbridge.helpers.render import turn_prefixes
from captionbridge.helpers.timecode import frames_to_smpte, is_drop_frame_rate, smpte_to_frames
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Content, Note, Transcript
from captionbridge.specs import OptionSpec, ReadContext, WriteContext

__all__ = [
    "CharMapper",
    "frame_of",
    "smpte_of",
    "start_offset",
    "turn_lines",
    "wrap",
]

#: Typographic characters every broadcast set lacks or that decoders handle badly.
PLAIN: dict[str, str] = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2033": '"',
    "\u2014": "--",
    "\u2015": "--",
    "\u2013": "-",
    "\u2012": "-",
    "\u2010": "-",
    "\u2011": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
    "\t": " ",
    "`": "'",
}

#: Letters that NFKD does not take apart.
LETTERS: dict[str, str] = {
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "ð": "d",
    "Ð": "D",
    "ø": "o",
    "Ø": "O",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
    "ß": "ss",
    "þ": "th",
    "Þ": "Th",
    "ħ": "h",
    "Ħ": "H",
    "ı": "i",
    "ŧ": "t",
    "Ŧ": "T",
}


class CharMapper:
    """Maps text onto a character set, remembering what it had to change.

    ``known`` is the set of characters the format encodes; ``substitutes`` are the format's own
    choices, tried before the generic fallbacks. Results are cached per character.
    """

    def __init__(self, known: Container[str], substitutes: dict[str, str] | None = None) -> None:
        self.known = known
        # characters found in ``known``: "all of these?" is then one C-speed set question
        self._seen: set[str] = set(known) if isinstance(known, (set, frozenset)) else set()
        self.cache: dict[str, str] = dict(substitutes or {})
        self.replaced: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        """``text`` with every character the set lacks replaced."""
        seen = self._seen
        if seen.issuperset(text):
            return text
        known = self.known
        fresh = {c for c in text if c not in seen and c in known}
        seen |= fresh
        if seen.issuperset(text):
            return text
        return "".join(c if c in seen else self.char(c) for c in text)

    def char(self, c: str) -> str:
        """The replacement of one character the set lacks."""
        hit = self.cache.get(c)
        if hit is not None:
            return hit
        out = self._fallback(c)
        self.cache[c] = out
        return out

    def _fallback(self, c: str) -> str:
        known = self.known
        if c in PLAIN and all(x in known for x in PLAIN[c]):
            return PLAIN[c]
        if c in LETTERS and all(x in known for x in LETTERS[c]):
            return LETTERS[c]
        base = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
        if base and base != c and all(x in known for x in base):
            return base
        if base and base != c:
            inner = "".join(x if x in known else self._fallback(x) for x in base)
            if inner and "?" not in inner:
                return inner
        category = unicodedata.category(c)
        if category in ("Zs",):
            out = " "
        elif category[0] in "LN":
            out = "?"
        else:
            out = ""  # emoji, symbols, controls, format characters
        self.replaced[c] = out
        return out

    def report(self, context: WriteContext, format_name: str, source: str | None) -> None:
        """Add one note listing the characters that became ``?`` or were dropped."""
        if not self.replaced:
            return
        shown = ", ".join(
            f"{c!r}→{r!r}" if r else f"{c!r} dropped" for c, r in sorted(self.replaced.items())
        )
        context.note(f"{format_name}: characters outside the character set: {shown}", source)


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap into lines of at most ``width`` characters.

    Breaks the text already has are kept when every line fits; a word longer than a line is cut.
    """
    if "\n" in text:
        given = [" ".join(line.split()) for line in text.split("\n")]
        given = [line for line in given if line]
        if all(len(line) <= width for line in given):
            return given
    else:
        single = " ".join(text.split())
        if len(single) <= width:
            return [single] if single else []
        given = [single]
    single = " ".join(given)
    lines: list[str] = _greedy(width).findall(single)
    # every character matched (no word longer than a line): the regex wrapped greedily
    if sum(map(len, lines)) + len(lines) - 1 == len(single):
        return lines
    return _wrap_cutting(single.split(" "), width)


@functools.cache
def _greedy(width: int) -> re.Pattern[str]:
    """The longest run of at most ``width`` characters that ends before a space or the end:
    on single-spaced words no longer than ``width``, greedy word wrap at C speed."""
    return re.compile(rf"(.{{1,{width}}})(?: |\Z)")


def _wrap_cutting(words: list[str], width: int) -> list[str]:
    """Greedy wrap of words, cutting those longer than ``width``."""
    lines: list[str] = []
    current = ""
    for word in words:
        if len(word) > width:
            if current:
                lines.append(current)
                current = ""
            # cut at offsets: ``word = word[width:]`` per line copied the rest each time
            last = (len(word) - 1) // width * width
            lines.extend(word[start : start + width] for start in range(0, last, width))
            word = word[last:]
        if not word:
            continue
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current = f"{current} {word}"
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def turn_lines(
    transcript: Transcript,
    style: str,
    *,
    change_mark: str = "- ",
    upper_labels: bool = False,
    previous: Content | None = None,
) -> Iterable[list[str]]:
    """Per cue, one text per turn with its speaker prefix (``change_mark`` for an unnamed change,
    ``NAME: `` for a named speaker; upper-cased with ``upper_labels``), the speaker before
    the first cue being that of ``previous`` (``WriteContext.previous``)."""
    prefixes = turn_prefixes(transcript, style, previous)
    for content in transcript.columns().contents:
        if isinstance(content, str):
            yield [content]
            continue
        out = []
        for mark, turn in zip(prefixes(content), content, strict=True):
            if mark == "- ":
                mark = change_mark
            elif mark and upper_labels:
                mark = mark.upper()
            out.append(mark + " ".join(turn.text.split()))
        yield out


def frame_of(fps: Fraction) -> Callable[[int], int]:
    """A function giving the frame on which a time in milliseconds falls (to the nearest frame,
    like :func:`captionbridge.helpers.timecode.ms_to_frames`) in integer arithmetic."""
    num, den = fps.numerator, fps.denominator
    scale, half = 2 * num, den * 1000
    whole = 2 * half
    # floor(ms * fps / 1000 + 1/2) == (2 * ms * num + den * 1000) // (2 * den * 1000)
    return lambda ms: (ms * scale + half) // whole


def smpte_of(fps: Fraction, drop_frame: bool) -> Callable[[int], str]:
    """A function formatting a frame count as a timecode, like
    :func:`captionbridge.helpers.timecode.frames_to_smpte` with the constants worked out once."""
    if drop_frame and not is_drop_frame_rate(fps):
        return lambda frames: frames_to_smpte(frames, fps, drop_frame)  # raises the error
    base = fps.numerator if fps.denominator == 1 else -(-fps.numerator // fps.denominator)
    mark = ";" if drop_frame else ":"
    dropped = 2 * base // 30 if drop_frame else 0
    per_minute = base * 60 - dropped
    per_ten = per_minute * 10 + dropped

    def smpte(frames: int) -> str:
        if dropped:
            tens, rest = divmod(frames, per_ten)
            frames += dropped * 9 * tens
            if rest > dropped:
                frames += dropped * ((rest - dropped) // per_minute)
        seconds, ff = divmod(frames, base)
        minutes, ss = divmod(seconds, 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}:{ss:02d}{mark}{ff:02d}"

    return smpte


def start_offset(context: ReadContext | WriteContext, fps: Fraction, drop_frame: bool) -> int:
    """The ``start_timecode`` option as a number of frames (0 when not given): writers add it
    to every time, the SCC and EBU-STL readers take it off."""
    value = START_TIMECODE.value(context.options)
    if not value:
        return 0
    try:
        return smpte_to_frames(value, fps, drop_frame)
    except ValueError as exc:
        raise CaptionbridgeError(f"--start-timecode: {exc}") from None


def from_origin(
    cues: list[tuple[int, int, str]], origin: int, name: str, source: str
) -> tuple[list[tuple[int, int, str]], list[Note]]:
    """Cues read on the frame grid, moved so that frame ``origin`` (``--start-timecode``) is
    time 0; cues that end before it are dropped, and a note says how many."""
    if not origin:
        return cues, []
    kept = [(max(s - origin, 0), e - origin, t) for s, e, t in cues if e > origin]
    dropped = len(cues) - len(kept)
    if not dropped:
        return kept, []
    message = f"{name}: {dropped} caption(s) end before --start-timecode; dropped"
    return kept, [Note(message, source)]


def _timecode(value: str) -> str:
    """A start timecode's shape (its frame field is checked against the rate when used)."""
    text = str(value).strip()
    match = re.fullmatch(r"([0-9]{2}):([0-9]{2}):([0-9]{2})[:;.,][0-9]{2}", text)
    if not match or int(match.group(2)) > 59 or int(match.group(3)) > 59:
        raise ValueError(f"not a SMPTE timecode: {brief(value)} (write HH:MM:SS:FF or HH:MM:SS;FF)")
    return text


START_TIMECODE = OptionSpec(
    "start_timecode",
    "Timecode of time 0 in broadcast formats (SCC, EBU-STL, Avid DS), e.g. 01:00:00;00"
    " for a timeline that starts at one hour; added to every time written, taken off"
    " every time read.",
    type=_timecode,
    strict=True,
    metavar="TC",
)


@hookimpl
def captionbridge_register_options(register: Callable[[OptionSpec], None]) -> None:
    register(START_TIMECODE)
