"""The ``captionbridge`` command line."""
