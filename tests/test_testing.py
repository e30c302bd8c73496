"""The conformance kit (captionbridge.testing) catches broken plugins for the right reason."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest
import tomllib

from captionbridge.model import Cue, Transcript
from captionbridge.testing import (
    LOSSINESS,
    ROUND_TRIP_SAMPLES,
    SAMPLE_NAMES,
    compare_cues,
    sample_transcripts,
)

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
    lossy = {"speakers"}
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
    lossy = {"speakers"}
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


# A writer that upper-cases its text and keeps start times only: lossy, and allowed to say so.
SHOUTING_PLUGIN = """
import json
import captionbridge
from captionbridge import Transcript, Cue, ReaderSpec, WriterSpec, ParseError

def write(transcript, context):
    return "".join(
        json.dumps({"start": c.start, "text": c.text.upper()}) + "\\n" for c in transcript.cues
    )

def read(text, context):
    cues = []
    for number, line in enumerate(text.splitlines(), 1):
        try:
            record = json.loads(line)
            cues.append(Cue.make(record["start"], record["start"], record["text"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise ParseError(str(exc), source=context.source, line=number) from None
    return Transcript(cues)

@captionbridge.hookimpl
def captionbridge_register_writers(register):
    register(WriterSpec("shout", write, extension=".shout"))

@captionbridge.hookimpl
def captionbridge_register_readers(register):
    register(ReaderSpec("shout", read))
"""

SHOUTING_TESTS = """
import shouting_plugin
from captionbridge.testing import SAMPLE_NAMES, WriterConformance

pytest_plugins = ["captionbridge.testing"]

class TestShout(WriterConformance):
    format_name = "shout"
    entry_points = False
    plugins = {"shout": shouting_plugin}
    lossy = LOSSY
"""


def _shouting(pytester: pytest.Pytester, lossy: str, extra: str = "") -> pytest.RunResult:
    tests = SHOUTING_TESTS.replace("LOSSY", lossy) + extra
    pytester.makepyfile(shouting_plugin=SHOUTING_PLUGIN, test_shout=tests)
    pytester.syspathinsert()
    return pytester.runpytest("-q", "-p", "no:cacheprovider")


def _failed(result: pytest.RunResult) -> set[str]:
    return {line.split("::")[-1].split(" ")[0] for line in result.outlines if "FAILED" in line}


def test_kit_fails_an_undeclared_lossy_writer_saying_what_to_declare(
    pytester: pytest.Pytester,
) -> None:
    result = _shouting(pytester, "frozenset()")
    assert _failed(result) == {
        "test_round_trip[simple]",
        "test_round_trip[hostile]",
        "test_round_trip[dual_speaker]",
        "test_escapes_hostile_text",
        "test_day_long_timestamp",
    }
    assert "reads back as 'HELLOTHERE.', expected 'Hellothere.' (declare lossy 'case')" in (
        result.stdout.str()
    )


def test_kit_passes_a_writer_that_declares_its_lossiness(pytester: pytest.Pytester) -> None:
    result = _shouting(pytester, '{"case", "end_times", "speakers"}')
    outcomes = result.parseoutcomes()
    assert set(outcomes) == {"passed"} and outcomes["passed"] >= 15


def test_declared_lossiness_is_what_is_relaxed(pytester: pytest.Pytester) -> None:
    result = _shouting(pytester, '{"case", "speakers"}')  # end times are still checked
    assert "test_round_trip[simple]" in _failed(result)
    assert "declare lossy 'end_times'" in result.stdout.str()


def test_unknown_lossiness_is_refused(pytester: pytest.Pytester) -> None:
    result = _shouting(pytester, '{"colour"}')
    assert "unknown lossiness ['colour']" in result.stdout.str()


def test_overridden_and_added_kit_tests_keep_their_samples(pytester: pytest.Pytester) -> None:
    extra = """
    seen = []

    def test_round_trip(self, conformance_host, sample):
        TestShout.seen.append(sample)
        super().test_round_trip(conformance_host, sample)

    def test_my_own(self, conformance_host, sample):
        assert sample in SAMPLE_NAMES

def test_every_round_trip_sample_ran():
    assert TestShout.seen == ["simple", "hostile", "dual_speaker"]
"""
    result = _shouting(pytester, '{"case", "end_times", "speakers"}', extra)
    kit = 2 * len(SAMPLE_NAMES) + len(ROUND_TRIP_SAMPLES) + 4  # the kit tests, overridden or not
    result.assert_outcomes(passed=kit + len(SAMPLE_NAMES) + 1)
    assert "fixture 'sample' not found" not in result.stdout.str()


def test_sample_names_are_exported() -> None:
    assert tuple(sample_transcripts()) == SAMPLE_NAMES
    assert set(ROUND_TRIP_SAMPLES) <= set(SAMPLE_NAMES)
    assert {"case", "end_times", "speakers", "line_breaks"} == LOSSINESS


def test_compare_cues_checks_speakers_and_line_breaks_when_asked() -> None:
    dual = sample_transcripts()["dual_speaker"]
    flat = [(c.start, c.end, c.text) for c in dual.cues]
    compare_cues(dual, flat)  # tuples carry no speakers
    anonymous = Transcript([Cue.make(c.start, c.end, c.text) for c in dual.cues])
    compare_cues(dual, anonymous)  # the default compares words and times only
    with pytest.raises(AssertionError, match=r"cue 1 reads back with speakers \[\]"):
        compare_cues(dual, anonymous, lossy=())
    joined = [(s, e, t.replace("\n", " ")) for s, e, t in flat]
    with pytest.raises(AssertionError, match="cue 1 reads back on lines"):
        compare_cues(dual, joined, lossy={"speakers"})


def test_testing_extra_brings_what_the_kit_imports() -> None:
    root = Path(__file__).resolve().parents[1]
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]

    def names(requirements: list[str]) -> set[str]:
        return {re.split(r"[\s\[<>=;~!]", r, maxsplit=1)[0].lower() for r in requirements}

    available = names(project["dependencies"]) | names(project["optional-dependencies"]["testing"])
    imported: set[str] = set()
    for module in (root / "src" / "captionbridge" / "testing").glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"captionbridge"}
    assert third_party and third_party <= available, (third_party, available)
    assert {"pytest", "hypothesis"} <= available
