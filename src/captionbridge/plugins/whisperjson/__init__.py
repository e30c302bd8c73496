"""The whisper JSON family: one reader per dialect of the JSON that whisper front ends write.

- :mod:`.openai`: OpenAI whisper (``--output_format json``, ``word_timestamps=True``);
- :mod:`.verbose`: the OpenAI API's ``verbose_json`` (top-level ``words``);
- :mod:`.whispercpp`: whisper.cpp ``-oj`` / ``-ojf`` (``transcription[].tokens[]``);
- :mod:`.whisperx`: WhisperX (words with ``score`` and ``speaker``, some without times).

:mod:`.detect` tells them apart from content; :mod:`.plugin` registers them.
"""
