"""The conformance kit (captionbridge.testing) catches broken plugins for the right reason."""

from __future__ import annotations

import pytest

from captionbridge.testing import compare_cues, sample_transcripts

pytest_plugins = ["pytester"]

# A writer plus reader for SRT-like text that forgets to escape "-->" and blank lines; the
# reader is pysubs2, the way the built-in SRT reader works.
BROKEN_PLUGIN = """
import captionbridge
from captionbridge import Transcript, Cue, ReaderSpec, WriterSpec

def clock(ms):
    return f"{ms // 3600000:02}:{ms // 60000 % 60:02}:{ms // 1000 % 60:02},{ms % 1000:03}"

def write(transcript, context):
    return "".join(
        f"{i}\\n{clock(c.start)} --> {clock(c.end)}\\n{c.text}\\n\\n"
        for i, c in enumerate(transcript.cues, 1)
    )

def read(text, context):
    import pysubs2
    subs = pysubs2.SSAFile.from_string(text, format_="srt")
    return Transcript([Cue.make(e.start, e.end, e.plaintext) for e in subs])

@captionbridge.hookimpl
def captionbridge_register_writers(register):
    register(WriterSpec("naive", write, extension=".naive"))

@captionbridge.hookimpl
def captionbridge_register_readers(register):
    register(ReaderSpec("naive", read))
"""

KIT_TESTS = """
import naive_plugin
from captionbridge.testing import WriterConformance

pytest_plugins = ["captionbridge.testing"]

class TestNaive(WriterConformance):
    format_name = "naive"
    entry_points = False
    plugins = {"naive": naive_plugin}
"""


@pytest.fixture
def kit(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(naive_plugin=BROKEN_PLUGIN, test_naive=KIT_TESTS)
    pytester.syspathinsert()
    return pytester


def test_kit_catches_a_writer_that_does_not_escape(kit: pytest.Pytester) -> None:
    result = kit.runpytest("-q", "-p", "no:cacheprovider")
    failed = {line.split("::")[-1].split(" ")[0] for line in result.outlines if "FAILED" in line}
    assert failed == {"test_escapes_hostile_text"}
    output = result.stdout.str()
    # the reason: the fake timing line became a cue of its own, not a crash
    assert "naive output of the 'injection' sample: cue 2 reads back as '2'" in output
    assert "must stay inside its cue" in output
    outcomes = result.parseoutcomes()
    assert outcomes["passed"] >= 15 and "error" not in outcomes


def test_kit_passes_a_writer_that_escapes(kit: pytest.Pytester) -> None:
    kit.makepyfile(
        test_fixed="""
import captionbridge
from captionbridge.testing import WriterConformance

pytest_plugins = ["captionbridge.testing"]

class TestBuiltinSrt(WriterConformance):
    format_name = "srt"
    entry_points = False
"""
    )
    result = kit.runpytest("-q", "-p", "no:cacheprovider", "test_fixed.py")
    outcomes = result.parseoutcomes()
    assert set(outcomes) == {"passed"} and outcomes["passed"] >= 15


def test_kit_fixtures_are_available(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        pytest_plugins = ["captionbridge.testing"]

        def test_fixtures(sample_transcripts, hostile_transcript, dual_speaker_transcript,
                          empty_transcript, day_long_transcript, injection_transcript):
            assert len(empty_transcript) == 0
            assert day_long_transcript.cues[-1].start > 24 * 3600 * 1000
            assert any("-->" in c.text for c in hostile_transcript.cues)
            assert len(dual_speaker_transcript.cues[0].turns) == 2
            assert set(sample_transcripts) >= {"hostile", "empty", "day_long"}
        """
    )
    pytester.runpytest("-q", "-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_samples_hold_the_hostile_text_the_kit_promises() -> None:
    text = "\n".join(c.text for c in sample_transcripts()["hostile"].cues)
    for needle in ("<", "&", "-->", "{\\an8}", '"', "🎉", "שלום", "\x07", "\n\n"):
        assert needle in text
    assert any(len(c.text) == 200 for c in sample_transcripts()["hostile"].cues)
    assert any(c.text == "" for c in sample_transcripts()["hostile"].cues)


def test_compare_cues_reports_what_differs() -> None:
    simple = sample_transcripts()["simple"]
    read = [(c.start, c.end, c.text) for c in simple.cues]
    compare_cues(simple, read)
    with pytest.raises(AssertionError, match="cue 2 reads back at 4000-6500 ms"):
        compare_cues(simple, [read[0], (4000, 6500, read[1][2]), read[2]])
    with pytest.raises(AssertionError, match="cue 1 reads back as 'Hellothere!'"):
        compare_cues(simple, [(1000, 3500, "Hello there!"), *read[1:]])
    with pytest.raises(AssertionError, match="read back 2 non-empty cue"):
        compare_cues(simple, read[:2])
