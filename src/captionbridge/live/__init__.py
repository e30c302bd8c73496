"""Live captions: follow a growing transcript and publish it to live outputs as it grows."""
