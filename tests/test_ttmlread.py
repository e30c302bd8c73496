"""The TTML/DFXP/IMSC/iTT reader: times, speakers, and XML that is refused before it can hurt."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import captionbridge
from captionbridge.errors import ParseError

TT = (
    '<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttp="http://www.w3.org/ns/ttml#parameter"'
    ' xmlns:ttm="http://www.w3.org/ns/ttml#metadata" xml:lang="de" {params}>{head}'
    "<body><div{div}>{body}</div></body></tt>"
)


def doc(body: str, params: str = "", head: str = "", div: str = "") -> str:
    return TT.format(params=params, head=head, div=div, body=body)


@pytest.mark.parametrize("fmt", ["ttml", "imsc", "itt"])
def test_reads_back_what_our_writers_write(seed_path: Path, fmt: str) -> None:
    transcript = captionbridge.transform(captionbridge.load(seed_path))
    read = captionbridge.loads(captionbridge.dumps(transcript, fmt), source=f"x.{fmt}")
    assert [c.text for c in read.cues] == [c.text for c in transcript.cues]
    tolerance = 34 if fmt == "itt" else 0  # iTT times sit on the 29.97 frame grid
    for a, b in zip(read.cues, transcript.cues, strict=True):
        assert abs(a.start - b.start) <= tolerance and abs(a.end - b.end) <= tolerance


def test_clock_frames_offsets_and_nested_begins() -> None:
    body = (
        '<p begin="00:00:01.5" end="00:00:02.250">clock</p>'
        '<p begin="00:00:03:15" end="00:00:04:00">frames</p>'
        '<p begin="120f" dur="1.5s">offset frames</p>'
        '<p begin="5000ms" end="60t">ticks</p>'
        '<p begin="0.1m" end="0.002h">minutes</p>'
    )
    params = 'ttp:frameRate="30" ttp:frameRateMultiplier="1000 1001" ttp:tickRate="10"'
    read = captionbridge.loads(doc(body, params, div=' begin="10s"'), format="ttml")
    times = [(c.start, c.end) for c in read.cues]
    assert times == [
        (11500, 12250),
        (13501, 14000),  # media time base: 3 s + 15 frames of 1001/30000 s (as ttconv)
        (10000 + round(120 * 1001 / 30), 10000 + round(120 * 1001 / 30) + 1500),
        (15000, 16000),
        (16000, 17200),
    ]
    assert read.language == "de"


def test_agents_become_speakers_with_their_names() -> None:
    head = (
        '<head><metadata><ttm:agent xml:id="a1" type="person"><ttm:name type="full">Ann Lee'
        '</ttm:name></ttm:agent><ttm:agent xml:id="b2" type="person"/></metadata></head>'
    )
    body = (
        '<p begin="0s" end="1s" ttm:agent="a1">Hello <span tts:x="1">there</span><br/>you</p>'
        '<p begin="1s" end="2s"><span ttm:agent="a1">Question?</span>'
        '<br/><span ttm:agent="b2">Answer.</span></p>'
    )
    read = captionbridge.loads(doc(body, head=head).replace("tts:x", "x"), format="ttml")
    first, second = read.cues
    assert [(t.speaker, t.text) for t in first.turns] == [("a1", "Hello there\nyou")]
    assert [(t.speaker, t.text, t.change) for t in second.turns] == [
        ("a1", "Question?", False),
        ("b2", "Answer.", True),
    ]
    assert read.speakers["a1"].name == "Ann Lee" and read.speakers["b2"].name is None


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE tt [<!ENTITY a "lol">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + ']>\n<tt xmlns="http://www.w3.org/ns/ttml"><body><div>'
    '<p begin="0s" end="1s">&j;</p></div></body></tt>'
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?>\n<!DOCTYPE tt [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    '<tt xmlns="http://www.w3.org/ns/ttml"><body><div>'
    '<p begin="0s" end="1s">&x;</p></div></body></tt>'
)
EXTERNAL_DTD = (
    '<?xml version="1.0"?>\n<!DOCTYPE tt SYSTEM "http://127.0.0.1:9/evil.dtd">\n'
    '<tt xmlns="http://www.w3.org/ns/ttml"><body><div>'
    '<p begin="0s" end="1s">x</p></div></body></tt>'
)


@contextlib.contextmanager
def _peak_memory() -> Iterator[Callable[[], int]]:
    """The peak of the memory Python allocated inside the block, in bytes (tracemalloc)."""
    tracemalloc.start()
    peak = [0]
    try:
        yield lambda: peak[0]
    finally:
        peak[0] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


@pytest.mark.parametrize(
    "text", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD], ids=["laughs", "xxe", "dtd"]
)
def test_hostile_xml_is_refused_before_anything_expands(text: str) -> None:
    """Refused at the declaration: the call allocates a few KB at its peak (the billion laughs
    expanded would be a gigabyte; one external fetch, a network wait)."""
    with pytest.raises(ParseError):
        captionbridge.loads(text, source="evil.ttml")  # the parser's imports, out of the count
    with (
        _peak_memory() as peak,
        pytest.raises(ParseError, match="refused: the XML declares a DTD") as info,
    ):
        captionbridge.loads(text, source="evil.ttml")
    assert peak() < 200_000
    assert "\n" not in str(info.value)


def test_hostile_xml_from_the_command_line_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "evil.ttml"
    path.write_text(BILLION_LAUGHS)
    result = subprocess.run(
        [sys.executable, "-m", "captionbridge", "convert", str(path), "-o", "-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "refused" in result.stderr, result.stderr


def test_malformed_xml_has_a_location() -> None:
    with pytest.raises(ParseError) as info:
        captionbridge.loads(
            '<tt xmlns="http://www.w3.org/ns/ttml">\n<body><p begin="0s">x</body></tt>',
            source="bad.ttml",
        )
    assert info.value.line == 2 and "not well-formed" in str(info.value)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('<p begin="soon" end="1s">x</p>', "paragraph 1: unreadable time 'soon'"),
        ('<p begin="0s" end="1s"><span end="later">x</span></p>', "paragraph 1: unreadable"),
    ],
)
def test_bad_times_name_the_paragraph(body: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        captionbridge.loads(doc(body), format="ttml")


def test_guessed_from_an_xml_file(tmp_path: Path) -> None:
    path = tmp_path / "premiere-export.xml"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n' + doc('<p begin="0s" end="1s">Hi</p>')
    )
    assert [c.text for c in captionbridge.load(path).cues] == ["Hi"]


def test_deep_nesting_is_refused_without_building_the_tree() -> None:
    """The tree of 200,000 nested elements would take about 60 MB; the refusal takes little
    more than the encoded text (1 MB)."""
    text = '<tt xmlns="http://www.w3.org/ns/ttml"><body>' + "<div>" * 200_000
    with pytest.raises(ParseError):
        captionbridge.loads(text[:2000], source="deep.ttml")  # imports out of the count
    with _peak_memory() as peak, pytest.raises(ParseError, match="nest deeper than 64"):
        captionbridge.loads(text, source="deep.ttml")
    assert peak() < 3 * len(text)


def test_big_documents_are_read_paragraph_by_paragraph(seed_path: Path) -> None:
    """Each finished paragraph leaves the tree: memory holds one paragraph, not the file."""
    from captionbridge.plugins.ttml.reader import _Walk

    transcript = captionbridge.transform(captionbridge.load(seed_path))
    walk = _Walk(captionbridge.dumps(transcript, "ttml"), "x.ttml")
    count = most = 0
    for _p, _base in walk.paragraphs():
        count += 1
        # the tree holds what the parser read ahead (one buffer), never the whole document
        most = max(most, sum(1 for _ in walk.root.iter()))
    assert count == len(transcript) == 1106 and most < 300
