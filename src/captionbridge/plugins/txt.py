"""Plain-text transcript (``.txt``): one paragraph per speaker turn, for people who read.

A new paragraph starts where the speaker changes (a known speaker, or a turn marker); named
speakers open their paragraph with ``Name: ``. Line breaks inside cues become spaces.
"""

from __future__ import annotations

from collections.abc import Callable

from captionbridge.helpers.options import SPEAKER_STYLE
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Transcript, turns_of
from captionbridge.specs import WriteContext, WriterSpec

NAME = "txt"


def write_txt(transcript: Transcript, context: WriteContext) -> str:
    """Render a transcript as speaker paragraphs."""
    show_names = SPEAKER_STYLE.value(context.options) != "none"
    paragraphs: list[str] = []
    current: list[str] = []
    current_speaker: str | None = None
    label = ""

    def flush() -> None:
        if current:
            paragraphs.append(label + " ".join(current))
            current.clear()

    for content in transcript.columns().contents:
        if isinstance(content, str):
            if content:
                current.append(content.replace("\n", " "))
            continue
        for turn in turns_of(content):
            new_speaker = turn.speaker is not None and turn.speaker != current_speaker
            if turn.change or new_speaker:
                flush()
                if turn.speaker is not None or turn.change:
                    current_speaker = turn.speaker
                name = transcript.speaker_label(current_speaker)
                label = f"{name}: " if name and show_names else ""
            if turn.text:
                current.append(turn.text.replace("\n", " "))
    flush()
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""


@hookimpl
def captionbridge_register_writers(register: Callable[[WriterSpec], None]) -> None:
    register(
        WriterSpec(
            NAME,
            write_txt,
            extension=".txt",
            description="plain-text transcript, one paragraph per speaker turn",
        )
    )
