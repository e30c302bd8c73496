"""The whisper JSON dialects by reader name, known without importing their readers."""

from __future__ import annotations

__all__ = ["OPENAI", "READERS", "VERBOSE", "WHISPERCPP", "WHISPERX"]

OPENAI = "whisper-json"
VERBOSE = "openai-json"
WHISPERCPP = "whispercpp-json"
WHISPERX = "whisperx-json"

#: each dialect's module (in this package) and the description ``captionbridge formats`` shows
READERS = {
    OPENAI: ("openai", "OpenAI whisper JSON (segments[].words[] with probability, seconds)"),
    VERBOSE: (
        "verbose",
        "OpenAI API verbose_json (top-level words[], seconds; segments optional)",
    ),
    WHISPERCPP: (
        "whispercpp",
        "whisper.cpp -oj/-ojf JSON (transcription[].tokens[], offsets in ms)",
    ),
    WHISPERX: (
        "whisperx",
        "WhisperX JSON (segments[].words[] with score and speaker; unaligned words timed)",
    ),
}
