"""The built-in speaker labelling (``captionbridge_label_speakers``).

Readers already record turn markers and speaker ids in the model; this implementation keeps
them as they are. It runs last, so a plugin can replace it.
"""

from __future__ import annotations

from captionbridge.hookspecs import hookimpl
from captionbridge.model import Transcript
from captionbridge.specs import Options


@hookimpl(trylast=True)
def captionbridge_label_speakers(transcript: Transcript, options: Options) -> Transcript:
    return transcript
