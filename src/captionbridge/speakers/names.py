"""Naming speakers: alternation over turn markers, ids to names, and speaker-map entries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from captionbridge.errors import CaptionbridgeError
from captionbridge.model import Columns, Content, Note, Speaker, Transcript, turns_of

from .lists import MapEntry

__all__ = ["alternate", "apply_map", "has_ids", "name_ids", "parse_names"]


def parse_names(value: str | Iterable[str]) -> list[str]:
    """The names of ``--speakers``: comma-separated (or a list from Python), none empty, no
    name twice."""
    raw = value.split(",") if isinstance(value, str) else list(value)
    names = [" ".join(str(name).split()) for name in raw]
    if not names or any(not name for name in names):
        raise CaptionbridgeError(f"--speakers needs comma-separated names, got {value!r}")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise CaptionbridgeError(f"--speakers names {repeated[0]!r} twice")
    return names


def has_ids(transcript: Transcript) -> bool:
    """True when some turn already carries a speaker id."""
    return any(
        turn.speaker is not None
        for content in transcript.columns().contents
        if not isinstance(content, str)
        for turn in content
    )


def alternate(transcript: Transcript, names: Sequence[str], first: str | None = None) -> Transcript:
    """Name turns in alternation: the first turn is ``first`` (default the first name), and
    every turn that a marker says starts a new speaker passes to the next name, in a cycle.

    The names become the speaker ids, registered with themselves as display names.
    """
    if first is not None and first not in names:
        raise CaptionbridgeError(
            f"--first-speaker {first!r} is not one of --speakers ({', '.join(names)})"
        )
    current = names.index(first) if first is not None else 0
    started = False
    contents: list[Content] = []
    for content in transcript.columns().contents:
        turns = []
        for turn in turns_of(content):
            if turn.change and started:
                current = (current + 1) % len(names)
            started = True
            turns.append(replace(turn, speaker=names[current]))
        contents.append(tuple(turns))
    used = dict.fromkeys(t.speaker for c in contents for t in turns_of(c) if t.speaker)
    speakers = {name: transcript.speakers.get(name) or Speaker(name, name) for name in used}
    starts, ends, _ = transcript.columns()
    labelled = transcript.with_columns(Columns(starts, ends, contents)).replace(speakers=speakers)
    if len(used) < 2 and len(names) > 1:
        return labelled.with_notes(
            Note(f"--speakers: the input marks no speaker turns; all text is {names[current]!r}")
        )
    return labelled


def first_appearance(transcript: Transcript) -> list[str]:
    """Speaker ids in the order they first speak."""
    seen: dict[str, None] = {}
    for content in transcript.columns().contents:
        if not isinstance(content, str):
            for turn in content:
                if turn.speaker is not None:
                    seen.setdefault(turn.speaker, None)
    return list(seen)


def name_ids(transcript: Transcript, names: Sequence[str]) -> Transcript:
    """Give the speaker ids already present the names, in order of first appearance. Ids left
    without a name, or names left without an id, are reported in a note."""
    ids = first_appearance(transcript)
    speakers = dict(transcript.speakers)
    for speaker_id, name in zip(ids, names, strict=False):
        entry = speakers.get(speaker_id) or Speaker(speaker_id)
        speakers[speaker_id] = Speaker(speaker_id, name, entry.color)
    notes = []
    if len(ids) > len(names):
        notes.append(
            Note(
                f"--speakers names {len(names)} speakers but {len(ids)} speak; unnamed: "
                + ", ".join(ids[len(names) :])
            )
        )
    elif len(names) > len(ids):
        notes.append(
            Note(
                f"--speakers names {len(names)} speakers but only {len(ids)} speak; unused: "
                + ", ".join(names[len(ids) :])
            )
        )
    return transcript.replace(speakers=speakers).with_notes(*notes)


def apply_map(transcript: Transcript, entries: Sequence[MapEntry], source: str) -> Transcript:
    """Set names and colours from a speaker map; an entry's key is a speaker id or the label
    the speaker has so far. Entries that match no speaker are reported in a note."""
    speakers = dict(transcript.speakers)
    for speaker_id in first_appearance(transcript):
        speakers.setdefault(speaker_id, Speaker(speaker_id))
    by_label = {entry.label: key for key, entry in speakers.items()}
    unmatched = []
    for entry in entries:
        key = entry.key if entry.key in speakers else by_label.get(entry.key)
        if key is None:
            unmatched.append(entry.key)
            continue
        old = speakers[key]
        speakers[key] = Speaker(key, entry.name or old.name, entry.color or old.color)
    notes = []
    if unmatched:
        notes.append(Note("speaker map entries match no speaker: " + ", ".join(unmatched), source))
    return transcript.replace(speakers=speakers).with_notes(*notes)
