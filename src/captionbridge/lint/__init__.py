"""Linting subtitles against a house style (``captionbridge check``) and its HTML report."""
