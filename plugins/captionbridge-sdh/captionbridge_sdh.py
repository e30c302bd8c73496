"""captionbridge transform ``sdh``: remove (or keep) the annotations of subtitles for the deaf
and hard of hearing.

With ``sdh = "remove"`` it takes out, in the ``clean`` stage (before speakers and reflow):

- ``sounds``: ``[music]``, ``[BLANK_AUDIO]`` (any text in square brackets) and parenthesised
  sound descriptions such as ``(laughs)``, ``(LAUGHTER)``, ``(audience applauding)``. A
  parenthesis is only taken for a sound when it is short (at most 6 words) and either all
  capitals or holds a sound word (laugh, sigh, applause, music...): an aside like
  ``(which is true)`` is speech and stays.
- ``music``: ``♪ lyrics ♪`` (text between two notes) and lone ``♪``/``♫`` symbols.
- ``speakers``: capitalised labels at the start of a line: ``JOHN:``, ``DR. SMITH:``,
  ``[SPEAKER_00]:``. The turn is marked as a speaker change, so dash and voice styles still
  show that somebody else speaks.

Only the annotations go: every other word stays, in order, with its word timing when the turn
has them (the words of an annotation go with it). Turns that become empty go, and cues that
become empty are dropped; a note counts both. The default, ``sdh = "keep"``, changes
nothing, so installing the plugin never alters output by itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import captionbridge
from captionbridge import Note, OptionSpec, Transcript, TransformSpec, Turn, Word, WordFeed

__all__ = ["KINDS", "parse_kinds", "remove_annotations", "strip_sdh"]
__version__ = "0.1.0"

KINDS = ("sounds", "music", "speakers")

_BRACKETS = re.compile(r"\[[^\[\]\n]*\]")
_PARENS = re.compile(r"\(([^()\n]*)\)")
_MUSIC = re.compile(r"[♪♫][^♪♫]*[♪♫]|[♪♫]")
_LABEL = re.compile(
    r"^(?P<dash>[ \t]*(?:-[ \t]*)?)"
    r"(?P<label>\[[^\[\]\n]{1,40}\]|[A-Z][A-Z0-9'’.\-_ ]{0,30}[A-Z0-9]|[A-Z])[ \t]*:(?=\s|$)",
    re.M,
)
# capitalised words that start a line with a colon without naming anybody
_NOT_LABELS = frozenset({"OK", "OKAY", "NO", "YES", "HEY", "HI", "OH", "AH", "SO", "WOW", "NOTE"})
_SOUND_STEMS = (
    "laugh", "chuckl", "giggl", "sigh", "cough", "sneez", "sniff", "gasp", "groan", "grunt",
    "scream", "shout", "yell", "whisper", "cry", "sob", "applau", "clap", "cheer", "music",
    "sing", "hum", "whistl", "inaudible", "indistinct", "unintelligible", "crosstalk",
    "silence", "static", "beep", "ring", "knock", "thud", "bang", "door", "phone", "siren",
    "thunder", "bark", "murmur", "mumbl", "exhal", "inhal", "breath", "speaking", "foreign",
    "overlapping", "noise", "sound", "footstep", "audience", "crowd",
)  # fmt: skip


def parse_kinds(value: str | Iterable[str]) -> tuple[str, ...]:
    """``"sounds,music"`` (or a sequence) as a tuple of known kinds."""
    parts = value.split(",") if isinstance(value, str) else list(value)
    kinds = tuple(dict.fromkeys(p.strip().lower() for p in parts if p.strip()))
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise ValueError(f"unknown SDH kind {unknown[0] if unknown else value!r}"
                         f" (choose from {', '.join(KINDS)})")  # fmt: skip
    return kinds


def _is_sound(inner: str) -> bool:
    words = inner.split()
    if not words:
        return True
    if len(words) > 6:
        return False
    letters = [c for c in inner if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 1:
        return True
    return any(w.lower().strip(".,!?'\"").startswith(_SOUND_STEMS) for w in words)


def _cut(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` without the spans; the words either side meet with one space, or none before
    punctuation or a line end."""
    if not spans:
        return text
    out: list[str] = []
    last = 0
    for start, end in sorted(spans):
        if start < last:
            start = last
        out.append(text[last:start])
        last = max(last, end)
        out.append("\x00")
    out.append(text[last:])
    joined = "".join(out)
    joined = re.sub(r"[ \t]*\x00[\x00 \t]*(?=[,.!?;:…\n]|$)", "", joined)
    joined = re.sub(r"^[ \t]*\x00[\x00 \t]*", "", joined, flags=re.M)
    joined = re.sub(r"[ \t]*\x00[\x00 \t]*", " ", joined)
    return "\n".join(line.strip() for line in joined.split("\n") if line.strip(" \t-"))


def remove_annotations(text: str, kinds: Iterable[str] = KINDS) -> str:
    """``text`` without the SDH annotations of ``kinds`` (speaker labels included)."""
    return "\n".join(t.text for t in _clean_turn(Turn(text), tuple(kinds))[0])


def _clean_turn(turn: Turn, kinds: tuple[str, ...]) -> tuple[list[Turn], int]:
    """The turn with annotations removed: none if nothing is left, several if a speaker label
    started a line inside it. Also returns how many annotations went.

    Sounds and music go first, so that a label they hid (``(laughs) MARY: Hi.``) starts its
    line and goes too."""
    spans: list[tuple[int, int]] = []
    if "sounds" in kinds:
        spans += [m.span() for m in _BRACKETS.finditer(turn.text)]
        spans += [m.span() for m in _PARENS.finditer(turn.text) if _is_sound(m.group(1))]
    if "music" in kinds:
        spans += [m.span() for m in _MUSIC.finditer(turn.text)]
    removed = len(spans)
    text = _cut(turn.text, spans) if spans else turn.text
    pieces: list[tuple[str, bool]] = [(text, turn.change)]
    if "speakers" in kinds and ":" in text:
        pieces = []
        last, change = 0, turn.change
        for match in _LABEL.finditer(text):
            if match.group("label").upper() in _NOT_LABELS:
                continue
            if match.start() > last:
                pieces.append((text[last : match.start()], change))
            last, change = match.end(), True
            removed += 1
        pieces.append((text[last:], change))
    turns = []
    feed = WordFeed(_outside(turn.text, turn.words, spans) if spans else turn.words)
    for piece, change in pieces:
        cleaned = piece.strip()
        if cleaned:
            turns.append(Turn(cleaned, turn.speaker, change, feed.take(cleaned)))
    return turns, removed


def _outside(text: str, words: tuple[Word, ...], spans: list[tuple[int, int]]) -> tuple[Word, ...]:
    """The words of ``text`` that no removed span holds (the words of the annotations go
    first, so that a word the annotation repeats cannot take its place)."""
    kept = []
    position = 0
    for word in words:
        at = text.find(word.text, position)
        if at == -1:
            return words  # the words do not spell the text: the feed sorts them out
        position = at + len(word.text)
        if not any(start <= at and position <= end for start, end in spans):
            kept.append(word)
    return tuple(kept)


def strip_sdh(transcript: Transcript, options: captionbridge.Options) -> Transcript:
    """The ``sdh`` transform: remove annotations when ``sdh`` is ``remove``."""
    if options.get("sdh", "keep") != "remove":
        return transcript
    kinds = parse_kinds(options.get("sdh_kinds") or KINDS)
    removed = 0

    def clean(turn: Turn) -> Turn | list[Turn]:
        nonlocal removed
        if not turn.text.strip():
            return turn  # a turn that was empty already is not ours to judge
        turns, count = _clean_turn(turn, kinds)
        removed += count
        return turns

    result = transcript.map_turns(clean)  # keeps language, speakers, source and notes
    if not removed:
        return transcript
    message = f"sdh: removed {removed} annotation(s)"
    dropped = len(transcript) - len(result)
    if dropped:
        message += f"; dropped {dropped} cue(s) left empty"
    return result.with_notes(Note(message, transcript.source))


@captionbridge.hookimpl
def captionbridge_register_options(register: Callable[[OptionSpec], None]) -> None:
    register(
        OptionSpec(
            "sdh",
            "SDH annotations ((laughs), [music], ♪ lyrics ♪, JOHN: labels): keep or remove.",
            default="keep",
            choices=("keep", "remove"),
        )
    )
    register(
        OptionSpec(
            "sdh_kinds",
            f"Which SDH annotations --sdh remove takes out, comma-separated"
            f" (default {','.join(KINDS)}).",
            type=parse_kinds,
            default=KINDS,
            metavar="KINDS",
        )
    )


@captionbridge.hookimpl
def captionbridge_register_transforms(register: Callable[[TransformSpec], None]) -> None:
    register(
        TransformSpec(
            "sdh",
            "clean",
            strip_sdh,
            description="remove SDH annotations (--sdh remove)",
        )
    )
