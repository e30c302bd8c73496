"""The built-in reflow (``captionbridge_reflow``).

Keeps the input segmentation and line breaks. It runs last, so a plugin can replace it.
"""

from __future__ import annotations

from captionbridge.hookspecs import hookimpl
from captionbridge.model import Transcript
from captionbridge.specs import Options


@hookimpl(trylast=True)
def captionbridge_reflow(transcript: Transcript, options: Options) -> Transcript:
    return transcript
