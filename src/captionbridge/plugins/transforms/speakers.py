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

from collections.abc import Callable

from captionbridge.errors import CaptionbridgeError
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Transcript
from captionbridge.specs import Options, OptionSpec


@hookimpl
def captionbridge_register_options(register: Callable[[OptionSpec], None]) -> None:
    register(
        OptionSpec(
            "speakers",
            "Speaker names, comma-separated: given to speaker ids in order of appearance, or"
            " in alternation at each turn marker (a two-person interview).",
            metavar="NAMES",
        )
    )
    register(
        OptionSpec(
            "first_speaker",
            "Which --speakers name says the first turn (default: the first name).",
            metavar="NAME",
        )
    )
    register(
        OptionSpec(
            "speaker_map",
            'Display names and colours by speaker id or label: TOML (SPEAKER_00 = "Name")'
            " or CSV (id,name,color).",
            metavar="FILE",
        )
    )
    register(
        OptionSpec(
            "rttm",
            "Diarization (pyannote/NIST RTTM): each turn gets the speaker it overlaps most;"
            " cues two speakers share are split.",
            metavar="FILE",
        )
    )
    register(
        OptionSpec(
            "rttm_uri",
            "Which recording of a multi-file RTTM to use (default: the one named like the input).",
            metavar="URI",
        )
    )
    register(
        OptionSpec(
            "speaker_turns",
            "A hand-written turn list: 'HH:MM:SS[.mmm] name' per line.",
            metavar="FILE",
        )
    )


@hookimpl(trylast=True)
def captionbridge_label_speakers(transcript: Transcript, options: Options) -> Transcript:
    rttm = options.get("rttm")
    turn_list = options.get("speaker_turns")
    if not (rttm or turn_list or options.get("speakers") or options.get("speaker_map")):
        if options.get("first_speaker"):
            raise CaptionbridgeError("--first-speaker needs --speakers")
        return transcript
    # the alignment code loads only when an option asks for it
    from captionbridge.speakers.align import assign_speakers
    from captionbridge.speakers.lists import parse_speaker_map, parse_turn_list, read_text_file
    from captionbridge.speakers.names import alternate, apply_map, has_ids, name_ids, parse_names
    from captionbridge.speakers.rttm import choose_uri, parse_rttm

    if rttm and turn_list:
        raise CaptionbridgeError("give either --rttm or --speaker-turns, not both")
    if rttm:
        path = str(rttm)
        by_uri = parse_rttm(read_text_file(path, "RTTM file"), path)
        segments = choose_uri(by_uri, options.get("rttm_uri"), transcript.source, path)
        transcript = assign_speakers(transcript, segments)
    elif turn_list:
        path = str(turn_list)
        transcript = assign_speakers(
            transcript, parse_turn_list(read_text_file(path, "turn list"), path)
        )
    names = options.get("speakers")
    if names:
        parsed = parse_names(names)
        if has_ids(transcript):
            if options.get("first_speaker"):
                raise CaptionbridgeError(
                    "--first-speaker applies to alternation; this input already has speaker ids"
                )
            transcript = name_ids(transcript, parsed)
        else:
            transcript = alternate(transcript, parsed, options.get("first_speaker"))
    elif options.get("first_speaker"):
        raise CaptionbridgeError("--first-speaker needs --speakers")
    speaker_map = options.get("speaker_map")
    if speaker_map:
        path = str(speaker_map)
        entries = parse_speaker_map(read_text_file(path, "speaker map"), path)
        transcript = apply_map(transcript, entries, path)
    return transcript
