"""The built-in speaker labelling (``captionbridge_label_speakers``) and its options.

Readers already record turn markers and speaker ids in the model. This implementation adds,
in this order, what the options ask for:

1. ``--rttm`` (a diarization) or ``--speaker-turns`` (a hand-written turn list): each turn gets
   the speaker it overlaps most; cues two speakers share are split (:mod:`.speakers.align`);
2. ``--speakers "A,B"``: names the speaker ids in order of first appearance, or, when the input
   has only turn markers, gives the names to the turns in alternation;
3. ``--speaker-map``: display names and colours by speaker id or label.

Without these options the transcript passes through unchanged. It runs last, so a plugin can
replace it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from captionbridge.errors import CaptionbridgeError
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Transcript, turns_of
from captionbridge.specs import Options, OptionSpec


def _names(value: str | Sequence[str]) -> tuple[str, ...]:
    from captionbridge.speakers.names import parse_names  # loads only when names are given

    return tuple(parse_names(value))


SPEAKERS = OptionSpec(
    "speakers",
    "Speaker names, comma-separated: given to speaker ids in order of appearance, or"
    " in alternation at each turn marker (a two-person interview).",
    type=_names,
    strict=True,
    metavar="NAMES",
    chunked=True,
)
FIRST_SPEAKER = OptionSpec(
    "first_speaker",
    "Which --speakers name says the first turn (default: the first name).",
    metavar="NAME",
    chunked=True,
)
SPEAKER_MAP = OptionSpec(
    "speaker_map",
    'Display names and colours by speaker id or label: TOML (SPEAKER_00 = "Name")'
    " or CSV (id,name,color).",
    metavar="FILE",
    chunked=True,
)
RTTM = OptionSpec(
    "rttm",
    "Diarization (pyannote/NIST RTTM): each turn gets the speaker it overlaps most;"
    " cues two speakers share are split.",
    metavar="FILE",
)
RTTM_URI = OptionSpec(
    "rttm_uri",
    "Which recording of a multi-file RTTM to use (default: the one named like the input).",
    metavar="URI",
)
SPEAKER_TURNS = OptionSpec(
    "speaker_turns",
    "A hand-written turn list: 'HH:MM:SS[.mmm] name' per line.",
    metavar="FILE",
)


@hookimpl
def captionbridge_register_options(register: Callable[[OptionSpec], None]) -> None:
    for spec in (SPEAKERS, FIRST_SPEAKER, SPEAKER_MAP, RTTM, RTTM_URI, SPEAKER_TURNS):
        register(spec)


@hookimpl
def captionbridge_stream_cut(transcript: Transcript, before: int, options: Options) -> int | None:
    """Alternation goes on across chunks (:func:`captionbridge_stream_resume`); naming the ids
    a reader found follows their order of appearance in the whole file, so it does not."""
    if not SPEAKERS.value(options):
        return None
    from captionbridge.speakers.names import has_ids

    return -1 if has_ids(transcript) else None


@hookimpl
def captionbridge_stream_resume(
    done: Transcript, following: Transcript, options: Options
) -> Mapping[str, Any] | None:
    """The next chunk's first turn keeps the last speaker of ``done``, or passes to the next
    name when a marker says a new speaker starts."""
    names = SPEAKERS.value(options)
    if not names or not len(done) or not len(following):
        return None
    last = turns_of(done.columns().contents[-1])[-1].speaker
    if last not in names:
        return None
    current = names.index(last)
    if turns_of(following.columns().contents[0])[0].change:
        current = (current + 1) % len(names)
    return {"first_speaker": names[current]}


@hookimpl(trylast=True)
def captionbridge_label_speakers(transcript: Transcript, options: Options) -> Transcript:
    rttm = RTTM.value(options)
    turn_list = SPEAKER_TURNS.value(options)
    names = SPEAKERS.value(options)
    first = FIRST_SPEAKER.value(options)
    speaker_map = SPEAKER_MAP.value(options)
    if not (rttm or turn_list or names or speaker_map):
        if first:
            raise CaptionbridgeError("--first-speaker needs --speakers")
        return transcript
    # the alignment code loads only when an option asks for it
    from captionbridge.speakers.align import assign_speakers
    from captionbridge.speakers.lists import parse_speaker_map, parse_turn_list, read_text_file
    from captionbridge.speakers.names import alternate, apply_map, has_ids, name_ids
    from captionbridge.speakers.rttm import choose_uri, parse_rttm

    if rttm and turn_list:
        raise CaptionbridgeError("give either --rttm or --speaker-turns, not both")
    if rttm:
        path = str(rttm)
        by_uri = parse_rttm(read_text_file(path, "RTTM file"), path)
        segments = choose_uri(by_uri, RTTM_URI.value(options), transcript.source, path)
        transcript = assign_speakers(transcript, segments)
    elif turn_list:
        path = str(turn_list)
        transcript = assign_speakers(
            transcript, parse_turn_list(read_text_file(path, "turn list"), path)
        )
    if names:
        if has_ids(transcript):
            if first:
                raise CaptionbridgeError(
                    "--first-speaker applies to alternation; this input already has speaker ids"
                )
            transcript = name_ids(transcript, names)
        else:
            transcript = alternate(transcript, names, first)
    elif first:
        raise CaptionbridgeError("--first-speaker needs --speakers")
    if speaker_map:
        path = str(speaker_map)
        entries = parse_speaker_map(read_text_file(path, "speaker map"), path)
        transcript = apply_map(transcript, entries, path)
    return transcript
