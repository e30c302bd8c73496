"""Live captions: follow a transcript while it is written and keep caption outputs up to date.

:mod:`.lines` turns arriving bytes into line versions, :mod:`.engine` turns those into final
and pending cues, :mod:`.sinks` defines the :class:`~.sinks.LiveSink` protocol and the files
that grow cue by cue, :mod:`.hls` the HLS playlist, :mod:`.follow` reads a growing file, :mod:`.rollup` and :mod:`.overlay` are the SCC roll-up
and browser overlay sinks, and :mod:`.run` wires one run together (the ``captionbridge live`` command).
"""
