"""Speaker labelling: where speaker information comes from and how it reaches the turns.

- :mod:`.rttm` reads diarization files (pyannote / NIST RTTM) into timed segments;
- :mod:`.lists` reads the hand-written files: speaker maps (TOML or CSV) and turn lists;
- :mod:`.align` gives turns the speaker of the segments they overlap, splitting shared cues;
- :mod:`.names` names speakers: alternation over turn markers, ids to names, map entries.

The built-in ``captionbridge_label_speakers``
(:mod:`captionbridge.plugins.transforms.speakers`) wires them together from the options.
"""
