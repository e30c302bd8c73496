"""Live captions: follow a transcript while it is written and keep caption outputs up to date.

:mod:`.lines` turns arriving bytes into line versions, :mod:`.engine` turns those into final
and pending cues, :mod:`.sinks` defines the :class:`~.sinks.LiveSink` protocol and the files
that grow cue by cue, :mod:`.hls` the HLS playlist, :mod:`.rollup` the SCC roll-up file,
:mod:`.overlay` the browser overlay, :mod:`.follow` reads a growing file and :mod:`.run` wires
one run together (the ``captionbridge live`` command).
"""
