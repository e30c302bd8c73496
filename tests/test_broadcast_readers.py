"""SCC and EBU-STL readers: what ttconv (and pycaption) decode from the same files, and round
trips of our own writers' output exact to the frame."""

from __future__ import annotations

import io
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from broadcast_samples import HOSTILE, NTSC, paragraphs, words

import captionbridge
from captionbridge.errors import ParseError
from captionbridge.helpers.timecode import frames_to_ms, ms_to_frames
from captionbridge.plugins.broadcast import scc
from captionbridge.specs import WriteContext

Decoded = list[tuple[int, int, str]]


def _ours(data: str | bytes, rate: Fraction, **options: Any) -> Decoded:
    transcript = captionbridge.loads(data, **options)
    return [
        (ms_to_frames(c.start, rate), ms_to_frames(c.end, rate), " ".join(words(c.text)))
        for c in transcript.cues
    ]


def _ttconv_scc(text: str) -> Decoded:
    import ttconv.scc.reader

    return [
        (round(b * NTSC), round(e * NTSC), " ".join(words(t)))
        for b, e, t in paragraphs(ttconv.scc.reader.to_model(text))
    ]


def _ttconv_stl(data: bytes, fps: Fraction) -> Decoded:
    import ttconv.stl.reader

    return [
        (round(b * fps), round(e * fps), " ".join(words(t)))
        for b, e, t in paragraphs(ttconv.stl.reader.to_model(io.BytesIO(data)))
    ]


def _speaker_marks(text: str) -> str:
    """The text without the turn markers that our readers turn into speaker changes."""
    return " ".join(w for w in text.replace(">>", " >> ").split() if w not in (">>", "-"))


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"scc_drop_frame": False, "start_timecode": "01:00:00:00"},
        {"start_timecode": "00:59:58;00"},
        {"fps": "30", "start_timecode": "01:00:00:00"},
    ],
    ids=["drop", "non-drop", "drop-from-59:58", "30fps"],
)
def test_popon_agrees_with_ttconv_and_round_trips_to_the_frame(options: dict[str, Any]) -> None:
    out = captionbridge.dumps(captionbridge.loads(HOSTILE), "scc", **options)
    fps = Fraction(30) if options.get("fps") == "30" else NTSC
    read_options = {"fps": options["fps"]} if "fps" in options else {}
    ours = _ours(out, fps, **read_options)
    if fps == NTSC:
        theirs = [(s, e, _speaker_marks(t)) for s, e, t in _ttconv_scc(out)]
        assert ours == theirs
    # exact to the frame: the frames the writer planned are the frames we read
    plan, again = scc.build(
        captionbridge.loads(HOSTILE),
        WriteContext(_resolved(options)),
    )
    assert again == out
    want = [(c.start, c.end, " ".join(" ".join(c.rows).split())) for c in plan.captions]
    assert [(s, e) for s, e, _ in ours] == [(s, e) for s, e, _ in want]
    assert [t for _, _, t in ours] == [_speaker_marks(t) for _, _, t in want]


def _resolved(options: dict[str, Any]) -> dict[str, Any]:
    from captionbridge.flow.pipeline import resolve_options
    from captionbridge.host.registry import default_host

    return resolve_options(default_host(), options)


def test_popon_agrees_with_pycaption() -> None:
    from pycaption import SCCReader

    out = captionbridge.dumps(captionbridge.loads(HOSTILE), "scc", scc_drop_frame=False)
    captions = SCCReader().read(out).get_captions("en-US")
    # pycaption reads non-drop labels as 1.001 s per second, so its times are exact frames
    theirs = [
        (round(Fraction(round(c.start)) / 1_000_000 * NTSC), " ".join(words(c.get_text())))
        for c in captions
    ]
    ours = [(s, _speaker_marks(t)) for s, _, t in _ours(out, NTSC)]
    assert [t for _, t in ours] == [_speaker_marks(t) for _, t in theirs]
    assert [s for s, _ in ours] == [s for s, _ in theirs]


def test_seed_scc_round_trip(seed_path: Path) -> None:
    source = captionbridge.loads(seed_path.read_bytes())
    out = captionbridge.dumps(source, "scc")
    ours = _ours(out, NTSC)
    assert ours == [(s, e, _speaker_marks(t)) for s, e, t in _ttconv_scc(out)]
    assert len(ours) >= len(source.cues)
    said = " ".join(" ".join(words(c.text)) for c in source.cues).split()
    heard = " ".join(t for _, _, t in ours).split()
    assert len(heard) == len(said)


@pytest.mark.parametrize("rows", [2, 3])
def test_rollup_rows_are_what_ttconv_adds_at_each_carriage_return(rows: int) -> None:
    out = captionbridge.dumps(
        captionbridge.loads(HOSTILE), "scc", scc_mode=f"rollup{rows}", start_timecode="01:00:00;00"
    )
    theirs = [(s, e, t.strip().split("\n")[-1]) for s, e, t in _ttconv_scc_rows(out)]
    ours = _ours(out, NTSC)
    assert ours == [(s, e, _speaker_marks(t)) for s, e, t in theirs]


def _ttconv_scc_rows(text: str) -> list[tuple[int, int, str]]:
    import ttconv.scc.reader

    return [
        (round(b * NTSC), round(e * NTSC), t)
        for b, e, t in paragraphs(ttconv.scc.reader.to_model(text))
    ]


PAINT_ON = """Scenarist_SCC V1.0

00:00:01;00\t9429 9429 94d0 94d0 c8e5 ecec ef80

00:00:02;00\t9429 9429 9470 9470 f7ef f2ec 6480

00:00:04;00\t942c 942c

00:00:05;00\t9429 9429 94d0 94d0 4e65 f7f4

00:00:06;00\t942c 942c
"""


def test_painton_agrees_with_ttconv() -> None:
    assert _ours(PAINT_ON, NTSC) == _ttconv_scc(PAINT_ON)
    assert [c.text for c in captionbridge.loads(PAINT_ON).cues] == [
        "Hello",
        "Hello\nworld",
        "Newt",
    ]


def test_channel_two_and_repeated_codes_are_skipped() -> None:
    # CC2 (0x1C..) loads and shows its own caption; CC1's control codes are sent twice
    text = (
        "Scenarist_SCC V1.0\n\n"
        "00:00:01;00\t9420 9420 94d0 94d0 c1e2 9c20 9c20 9cd0 9cd0 5880 942f 942f\n\n"
        "00:00:03;00\t942c 942c\n"
    )
    cues = captionbridge.loads(text).cues
    assert [(c.text, c.start, c.end) for c in cues] == [
        ("Ab", frames_to_ms(40, NTSC), frames_to_ms(90, NTSC))
    ]


def test_speaker_changes_become_turns() -> None:
    out = captionbridge.dumps(captionbridge.loads(HOSTILE), "scc")
    last = captionbridge.loads(out).cues[-1]
    assert [(t.text, t.change) for t in last.turns] == [
        ("Are you there?", True),
        ("Yes, I am.", True),
    ]


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("WEBVTT\n", 1, None, "Scenarist_SCC V1.0"),
        ("Scenarist_SCC V1.0\n\n00:00:01;00 9420\n", 3, 1, "timecode, a tab"),
        ("Scenarist_SCC V1.0\n\n00:00:01;00\t9420 94zz\n", 3, 18, "not a byte pair"),
    ],
)
def test_malformed_scc_is_a_located_error(
    text: str, line: int, column: int | None, message: str
) -> None:
    with pytest.raises(ParseError, match=message) as caught:
        captionbridge.loads(text, format="scc", source="talk.scc")
    assert (caught.value.source, caught.value.line, caught.value.column) == (
        "talk.scc",
        line,
        column,
    )


def test_start_timecode_is_taken_off_when_reading() -> None:
    out = captionbridge.dumps(captionbridge.loads(HOSTILE), "scc", start_timecode="01:00:00;00")
    plain = captionbridge.loads(out)
    shifted = captionbridge.loads(out, start_timecode="01:00:00;00")
    assert plain.cues[0].start >= 3_599_000  # 01:00:00;00 is 3599.996 s of drop-frame time
    assert [c.start for c in shifted.cues] == [
        frames_to_ms(ms_to_frames(c.start, NTSC) - 107892, NTSC) for c in plain.cues
    ]


# -- EBU-STL ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "fps"),
    [
        ({}, Fraction(25)),
        ({"stl_display": "open"}, Fraction(25)),
        ({"fps": "29.97"}, NTSC),
        ({"start_timecode": "10:00:00:00"}, Fraction(25)),
    ],
    ids=["teletext", "open", "29.97", "from-10h"],
)
def test_stl_agrees_with_ttconv_and_round_trips(options: dict[str, Any], fps: Fraction) -> None:
    source = captionbridge.loads(HOSTILE)
    data = captionbridge.dumps(source, "stl", **options)
    assert isinstance(data, bytes)
    ours = _ours(data, fps)
    assert ours == [(s, e, _speaker_marks(t)) for s, e, t in _ttconv_stl(data, fps)]
    read = captionbridge.loads(data, **{k: v for k, v in options.items() if k != "stl_display"})
    cues = [c for c in source.cues if c.text.strip()]
    assert [ms_to_frames(c.start, fps) for c in read.cues] == [
        ms_to_frames(c.start, fps) for c in cues
    ]
    assert [ms_to_frames(c.end, fps) for c in read.cues] == [ms_to_frames(c.end, fps) for c in cues]
    assert "Café naïve — “quoted” señor..." in read.cues[0].text
    assert [(t.text, t.change) for t in read.cues[-1].turns] == [
        ("Are you there?", True),
        ("Yes, I am.", True),
    ]


def test_stl_long_subtitle_spans_extension_blocks() -> None:
    long_cue = "[00:00:01.000 --> 00:00:09.000]   " + " ".join(["Straße und Größe"] * 12)
    data = captionbridge.dumps(captionbridge.loads(long_cue), "stl", stl_display="open")
    assert isinstance(data, bytes)
    assert len(data) > 1024 + 128  # more than one TTI block
    assert words(captionbridge.loads(data).cues[0].text) == ["Straße", "und", "Größe"] * 12


def test_stl_comments_and_bad_timings_are_skipped_with_a_note() -> None:
    data = bytearray(captionbridge.dumps(captionbridge.loads(HOSTILE), "stl"))
    first = 1024
    data[first + 15] = 1  # the first subtitle becomes a comment
    second = first + 128
    data[second + 9 : second + 13] = data[second + 5 : second + 9]  # time out == time in
    read = captionbridge.loads(bytes(data))
    assert "Café" not in read.cues[0].text and "Über" not in read.cues[0].text
    assert any("end before they start" in n.message for n in read.notes)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d[:500], "shorter than the 1024-byte GSI block"),
        (lambda d: d[:12] + b"01" + d[14:], "character code table '01'"),
    ],
)
def test_malformed_stl_is_an_error(mutate: Any, message: str) -> None:
    data = captionbridge.dumps(captionbridge.loads(HOSTILE), "stl")
    assert isinstance(data, bytes)
    with pytest.raises(ParseError, match=message):
        captionbridge.loads(mutate(data), format="stl", source="x.stl")


def test_stl_is_recognised_without_its_extension(tmp_path: Path) -> None:
    data = captionbridge.dumps(captionbridge.loads(HOSTILE), "stl")
    assert isinstance(data, bytes)
    path = tmp_path / "archive.bin"
    path.write_bytes(data)
    assert captionbridge.load(path).cues[0].start == 0


# -- the command line ------------------------------------------------------------------------


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "captionbridge", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


@pytest.mark.parametrize("fmt", ["scc", "stl"])
def test_archive_converts_to_srt_and_check_lints_it(tmp_path: Path, fmt: str) -> None:
    archive = tmp_path / f"archive.{fmt}"
    captionbridge.save(captionbridge.loads(HOSTILE), archive)
    run = _cli("convert", str(archive), "-o", str(tmp_path / "archive.srt"), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    import pysubs2

    subs = pysubs2.load(str(tmp_path / "archive.srt"))
    assert any("Straße" in event.plaintext for event in subs)
    run = _cli("check", str(archive), cwd=tmp_path)
    assert "--from" not in run.stderr
    assert "Traceback" not in run.stderr
    assert run.returncode in (0, 1), run.stderr


def test_broken_scc_on_the_command_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.scc"
    bad.write_text("Scenarist_SCC V1.0\n\n00:00:01;00\t94zz\n", encoding="utf-8")
    run = _cli("convert", str(bad), "-o", str(tmp_path / "bad.srt"), cwd=tmp_path)
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [f"{bad}:3:13: not a byte pair: '94zz'"]
    assert not (tmp_path / "bad.srt").exists()


def test_formats_lists_the_readers() -> None:
    run = _cli("formats", cwd=Path.cwd())
    readers = {line.split()[1] for line in run.stdout.splitlines() if line.startswith("read ")}
    assert {"scc", "stl"} <= readers
