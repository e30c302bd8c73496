"""The conformance kit run against the built-in writers and readers (checks both)."""

from __future__ import annotations

from captionbridge.testing import ReaderConformance, WriterConformance

pytest_plugins = ["captionbridge.testing"]


class TestSrtWriter(WriterConformance):
    format_name = "srt"
    entry_points = False
    distribution = "captionbridge"
    lossy = frozenset({"speakers"})  # SubRip has no speaker field: labels become text


class TestVttWriter(WriterConformance):
    format_name = "vtt"
    entry_points = False


class TestJsonWriter(WriterConformance):
    format_name = "json"
    entry_points = False


class TestSrtReader(ReaderConformance):
    format_name = "srt"
    entry_points = False
    lossy = frozenset({"speakers"})


class TestVttReader(ReaderConformance):
    format_name = "vtt"
    entry_points = False
    lossy = frozenset()  # keeps speakers and line breaks: check them


class TestJsonReader(ReaderConformance):
    format_name = "json"
    entry_points = False
    lossy = frozenset()  # keeps speakers and line breaks: check them
