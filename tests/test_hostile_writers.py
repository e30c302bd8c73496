"""Hostile cue text through EVERY registered writer, read back by independent parsers.

Each cue is ``openN <hostile text> closeN``; every parser named for a format must read the
file without an error and give back the same cues (none injected, none lost) with the words the
text has after the documented mapping (:mod:`captionbridge.flow.textsafety`, SECURITY.md): control
characters removed, lone surrogates as U+FFFD, CR / U+2028 / U+2029 as line breaks.
Formats with a small character set (SCC, EBU-STL) are compared on their ASCII words.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import subprocess
import unicodedata
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import require_tool

from captionbridge.flow.pipeline import render, resolve_options
from captionbridge.flow.textsafety import safe_text
from captionbridge.host.registry import make_host
from captionbridge.model import Speaker, Transcript, Turn
from captionbridge.testing.fuzzcheck import nonlinear_writer_shapes

HOST = make_host(entry_points=False)
ROOT = Path(__file__).resolve().parents[1]

HOSTILE_TEXTS = [
    "arrow --> inside and -> and 00:00:01,000 --> 00:00:02,000",
    "<script>alert(1)</script> <b>bold</b> <v Eve>voice</v>",
    "already &amp; escaped &lt;tag&gt; and AT&T &#x41; &nbsp;",
    "{\\an8} top {\\i1}ital{\\i0} \\N newline \\h hard",
    "lone \ud800 high \udfff low surrogates",
    "controls nul\x00 bel\x07 bs\x08 esc\x1b del\x7f nel\x85 csi\x9b end",
    "zero\u200bwidth zwj\u200djoin wj\u2060here bom\ufeffmid",
    "bidi \u202eevil\u202c isolate \u2067שלום\u2069 مرحبا",
    "combining e\u0301 a\u0308\u0323 Z\u0351\u0352",
    "emoji 👩\u200d👩\u200d👧 🏳️\u200d🌈 👍🏽 done",
    "long " + " ".join(f"w{i}" for i in range(1700)),
    "cr\ralone crlf\r\nthen ls\u2028para\u2029end",
    "tab\there \"double\" 'single' `back` *star* _under_ #hash |pipe| [l](u)",
    "1\n00:00:05,000 --> 00:00:06,000\ninjected srt cue",
    "WEBVTT\n\nNOTE injected\n\nSTYLE",
    "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,injected",
    "]]> <![CDATA[ cdata ]]> <!-- comment --> <?pi x?>",
    "@ avid <begin subtitles> 00:00:01:00 00:00:02:00 <end subtitles>",
    "[00:00:01.000 --> 00:00:02.000] bracket line",
    'comma, "quoted, field" ;semi\ttab',
    # issue 19 and 13: clock times and timing-shaped lines, markup-looking text, tag runs
    "meeting moved from 0:10:00.00 to 0:20:00.00 today",
    "alpha\n00:00:09:00 00:00:10:00\ninjected\n@ at\n<end subtitles>",
    "<LAUGHING & WHOOPS!> after <all> these <i>not italic</i> < i> {isn't} {Y:i}",
    "<" + " " * 2000 + "1 <" + "\t" * 2000 + "1",
]
CUES = len(HOSTILE_TEXTS)
LONG_CUE = 10


#: CEA-608 sends two characters a frame: a 10,000-character cue cannot be sent in its three
#: seconds (the writer spreads it with a note, and pycaption rejects the last, crushed caption);
#: SCC gets a 300-character line instead. Reported to the SCC writer's owner.
SHORT_LONG = {"scc"}


def texts_for(fmt: str) -> list[str]:
    if fmt in SHORT_LONG:
        return [t[:300] if i == LONG_CUE else t for i, t in enumerate(HOSTILE_TEXTS)]
    return HOSTILE_TEXTS


def hostile_transcript(fmt: str = "") -> Transcript:
    texts = texts_for(fmt)
    starts = [i * 4000 for i in range(CUES)]
    ends = [s + 3000 for s in starts]
    contents: list[object] = [f"open{i} {t} close{i}" for i, t in enumerate(texts)]
    # a dual-speaker cue with a hostile speaker name
    contents[2] = (Turn(str(contents[2]), "a", True), Turn("reply", "b", True))
    speakers = {"a": Speaker("a", "Al <x> & --> {\\an8}\x00"), "b": Speaker("b", "Bo")}
    return Transcript.from_columns(starts, ends, contents, speakers=speakers)  # type: ignore[arg-type]


_CF = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def words(text: str) -> list[str]:
    """Words as compared: NFC, invisible format characters dropped, punctuation ignored."""
    return re.findall(r"\w+", unicodedata.normalize("NFC", _CF.sub("", text)))


def expected_words(fmt: str, ascii_only: bool = False) -> list[list[str]]:
    out = []
    for i, text in enumerate(texts_for(fmt)):
        cue = words(safe_text(f"open{i} {text} close{i}"))
        if i == 2:
            cue += ["reply"]
        out.append(_ascii(cue) if ascii_only else cue)
    return out


def _ascii(found: list[str]) -> list[str]:
    # small character sets map accented letters to their base letter, or drop them
    bare = ["".join(c for c in unicodedata.normalize("NFKD", w) if c.isascii()) for w in found]
    return [w for w in bare if w]


def _strip_names(found: list[str]) -> list[str]:
    # speaker names (Al ..., Bo) may be rendered as prefixes or voice tags: not cue words
    drop = {"Al", "x", "an8", "Bo", "AL", "BO", "X", "AN8"}
    return [w for w in found if w not in drop]


# -- independent parsers: each returns the cue texts it found ------------------------------


def _run(cmd: list[str], data: bytes | None = None) -> str:
    proc = subprocess.run(cmd, input=data, capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    assert not proc.stderr.strip(), proc.stderr.decode(errors="replace")[-2000:]
    return proc.stdout.decode("utf-8")


def _srt_blocks(text: str) -> list[str]:
    blocks = [b for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()) if b.strip()]
    return ["\n".join(b.split("\n")[2:]) for b in blocks]


def ffmpeg(path: Path) -> list[str]:
    tool = require_tool("ffmpeg")
    out = _run([tool, "-nostdin", "-v", "error", "-i", str(path), "-f", "ass", "-"])
    events = [line.split(",", 9)[9] for line in out.splitlines() if line.startswith("Dialogue:")]
    return [_ass_shown(e) for e in events]


def pysubs2_reader(fmt: str) -> Callable[[Path], list[str]]:
    def read(path: Path) -> list[str]:
        import pysubs2

        with warnings.catch_warnings():
            warnings.simplefilter("error")
            subs = pysubs2.load(str(path), format_=fmt)
        # the event text minus real override blocks ({\\...}): what a player shows
        return [_ass_shown(e.text) for e in subs.events if not e.is_comment]

    return read


def _ass_shown(text: str) -> str:
    """What libass shows: any unescaped ``{...}`` is an override block (hidden), ``\\{`` and
    ``\\}`` are braces, ``\\N`` / ``\\n`` line breaks, ``\\h`` a no-break space."""
    text = re.sub(r"(?<!\\)\{[^}]*\}", "", text)
    text = text.replace("\\N", "\n").replace("\\n", "\n").replace("\\h", "\xa0")
    return text.replace("\\{", "{").replace("\\}", "}")


def webvtt_reader(path: Path) -> list[str]:
    import html

    import webvtt

    captions = webvtt.read(str(path)).captions
    return [html.unescape(c.text) for c in captions]


def sbv_reader(path: Path) -> list[str]:
    import webvtt

    # SBV has no markup: the raw text is what is shown
    return [c.raw_text for c in webvtt.from_sbv(str(path)).captions]


def xmllint(*args: str) -> Callable[[Path], list[str] | None]:
    def check(path: Path) -> None:
        tool = require_tool("xmllint")
        _run([tool, "--noout", "--nonet", *args, str(path)])

    return check  # type: ignore[return-value]


def ttconv_reader(path: Path) -> list[str]:
    from ttconv.imsc import reader
    from xmlcheck import _texts

    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger("ttconv").addHandler(handler)
    try:
        doc = reader.to_model(ET.parse(path))
    finally:
        logging.getLogger("ttconv").removeHandler(handler)
    assert doc is not None and not records, records
    return ["".join(_texts(p)) for div in doc.get_body() for p in div]


def fcpxml_texts(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    return ["".join(c.itertext()) for c in root.iter("caption")]


def ttconv_scc(path: Path) -> list[str]:
    import ttconv.scc.reader
    from broadcast_samples import paragraphs

    return [t for *_, t in paragraphs(ttconv.scc.reader.to_model(path.read_text()))]


def pycaption_scc(path: Path) -> list[str]:
    from pycaption import SCCReader

    captions = SCCReader().read(path.read_text()).get_captions("en-US")
    return [c.get_text() for c in captions]


def ttconv_stl(path: Path) -> list[str]:
    import ttconv.stl.reader
    from broadcast_samples import paragraphs

    return [t for *_, t in paragraphs(ttconv.stl.reader.to_model(io.BytesIO(path.read_bytes())))]


def json_reader(path: Path) -> list[str]:
    doc = json.loads(path.read_text("utf-8"))
    return [" ".join(t["text"] for t in cue["turns"]) for cue in doc["cues"]]


def delimited(delimiter: str) -> Callable[[Path], list[str]]:
    def read(path: Path) -> list[str]:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle, delimiter=delimiter, strict=True))
        header = [h.lower() for h in rows[0]]
        assert all(len(r) == len(header) for r in rows[1:]), "ragged rows"
        # one row per turn: the rows of a cue share its number
        cues: dict[str, list[str]] = {}
        for row in rows[1:]:
            cues.setdefault(row[header.index("cue")], []).append(row[header.index("text")])
        return [" ".join(texts) for texts in cues.values()]

    return read


def html_reader(path: Path) -> list[str]:
    import html5lib

    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    tree = parser.parse(path.read_bytes())
    assert not [e for e in parser.errors if e[1] != "expected-doctype-but-got-start-tag"], (
        parser.errors[:5]
    )
    assert not list(tree.iter("script")), "a <script> element was injected"
    texts = []
    for paragraph in tree.iter("p"):
        parts = [paragraph.text or ""]
        for child in paragraph:
            if child.get("class") not in ("time", "speaker"):
                parts.append("".join(child.itertext()))
            parts.append(child.tail or "")
        texts.append("".join(parts))
    return texts


def markdown_reader(path: Path) -> list[str]:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(path.read_text("utf-8"))
    assert not [t for t in tokens if t.type in ("html_block", "fence", "code_block", "heading_open")
                and t.type != "heading_open"], "markup injected"  # fmt: skip
    texts = []
    for token in tokens:
        if token.type != "inline" or token.content == "Transcript":
            continue
        children = token.children or []
        assert not any(c.type == "html_inline" for c in children), "inline HTML injected"
        depth = 0  # text inside links (times) and strong (speaker names) is not cue text
        shown = []
        for child in children:
            if child.type in ("link_open", "strong_open"):
                depth += 1
            elif child.type in ("link_close", "strong_close"):
                depth -= 1
            elif child.type == "text" and depth == 0:
                shown.append(child.content)
        texts.append(" ".join(shown))
    return texts


_LRC = re.compile(r"^\[(\d+):(\d\d)\.(\d\d)\](.*)$")


def lrc_reader(path: Path) -> list[str]:
    lines = path.read_text("utf-8").splitlines()
    timed = [m.group(4) for line in lines if (m := _LRC.match(line))]
    untimed = [x for x in lines if x and not _LRC.match(x) and not re.match(r"^\[\w+:", x)]
    assert not untimed, untimed[:3]
    return [t for t in timed if t.strip()]


def avid_reader(path: Path) -> list[str]:
    from captionbridge.flow.pipeline import read_bytes

    transcript = read_bytes(path.read_bytes(), str(path), HOST, {}, "avid")
    return [c.text for c in transcript.cues]


def plain_reader(path: Path) -> list[str]:
    return [path.read_bytes().decode("utf-8")]


#: format -> the independent parsers; a parser returning None only validates the file
PARSERS: dict[str, list[Callable[[Path], list[str] | None]]] = {
    "srt": [pysubs2_reader("srt"), ffmpeg],
    "vtt": [webvtt_reader, ffmpeg],
    "ass": [pysubs2_reader("ass"), ffmpeg],
    "ssa": [pysubs2_reader("ssa"), ffmpeg],
    "ttml": [ttconv_reader, xmllint()],
    "imsc": [ttconv_reader, xmllint()],
    "itt": [ttconv_reader, xmllint()],
    "fcpxml": [fcpxml_texts, xmllint("--dtdvalid", str(ROOT / "tests/data/fcpxml-1.9-captions.dtd"))],
    "sbv": [sbv_reader],
    "csv": [delimited(",")],
    "tsv": [delimited("\t")],
    "html": [html_reader],
    "md": [markdown_reader],
    "scc": [ttconv_scc, pycaption_scc],
    "stl": [ttconv_stl],
    "json": [json_reader],
    "lrc": [lrc_reader],
    "avid": [avid_reader],
    "txt": [plain_reader],
}  # fmt: skip
#: formats whose cues are not one per cue (a whole text, or split by the format's line limits)
FLOWING = {"txt", "md", "html", "scc", "stl"}
ASCII_ONLY = {"scc", "stl"}


def test_every_writer_has_independent_parsers() -> None:
    missing = sorted(set(HOST.writers) - set(PARSERS))
    assert not missing, f"writers without an independent parser in the hostile test: {missing}"


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("hostile")
    options = resolve_options(HOST, {"overlaps": "fix"})
    paths = {}
    for name, writer in HOST.writers.items():
        files = render(hostile_transcript(name), writer, HOST, options, "hostile")
        path = base / f"hostile-{name}{writer.extension}"
        path.write_bytes(files[""])
        paths[name] = path
    return paths


@pytest.mark.parametrize(
    ("fmt", "index"), [(f, i) for f, ps in PARSERS.items() for i in range(len(ps))]
)
def test_hostile_text_survives(written: dict[str, Path], fmt: str, index: int) -> None:
    parser = PARSERS[fmt][index]
    found = parser(written[fmt])
    if found is None:
        return  # a validator (xmllint): accepting the file is the check
    want = expected_words(fmt, fmt in ASCII_ONLY)
    got = [words(t) for t in found]
    if fmt in ASCII_ONLY:
        got = [_ascii(g) for g in got]
    got = [_strip_names(g) for g in got]
    want = [_strip_names(w) for w in want]
    if fmt in FLOWING:
        flat_got = [w for g in got for w in g]
        flat_want = [w for g in want for w in g]
        if fmt == "stl":  # ttconv's STL reader joins a subtitle's rows without a separator
            flat_got, flat_want = ["".join(flat_got)], ["".join(flat_want)]
        assert flat_got == flat_want, _first_difference(flat_got, flat_want)
    else:
        assert len(got) == CUES, f"{len(got)} cues read back, {CUES} written"
        for number, (g, w) in enumerate(zip(got, want, strict=True)):
            if parser is ffmpeg and number == LONG_CUE:
                # ffmpeg breaks lines longer than its 4096-byte buffer, even inside a word
                g, w = ["".join(g)], ["".join(w)]
            assert g == w, (number, _first_difference(g, w))


def _first_difference(got: list[str], want: list[str]) -> str:
    for i, (g, w) in enumerate(zip(got, want, strict=False)):
        if g != w:
            return (
                f"at word {i}: got {got[max(0, i - 3) : i + 4]}, want {want[max(0, i - 3) : i + 4]}"
            )
    return f"lengths {len(got)} and {len(want)}"


@pytest.mark.parametrize("writer", sorted(HOST.writers))
def test_adversarial_text_takes_linear_work(writer: str) -> None:
    """A cue ten times as long may make at most twelve times the function calls (counted, not
    timed; benchmarks/bench_adversarial.py times the same texts)."""
    slow = nonlinear_writer_shapes(HOST, writer)
    assert not slow, f"{writer} is not linear on " + "; ".join(slow)
