"""Avid DS caption text: layout, frame grid, Avid's import rules, and our reader round trip."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from broadcast_samples import HOSTILE

from captionbridge import api
from captionbridge.errors import CaptionbridgeError, ParseError
from captionbridge.flow.pipeline import read_text, resolve_options, transform
from captionbridge.helpers.timecode import ms_to_frames
from captionbridge.host.registry import PluginHost
from captionbridge.model import Transcript
from captionbridge.plugins.broadcast import avid
from captionbridge.specs import WriteContext


def _write(host: PluginHost, text: str, **options: Any) -> tuple[str | bytes, WriteContext, Any]:
    values = resolve_options(host, options)
    transcript = transform(read_text(text, "in.txt", host, values), host, values)
    context = WriteContext(values)
    return avid.write_avid_utf16(transcript, context), context, transcript


def test_layout(host: PluginHost) -> None:
    out, _, _ = _write(host, HOSTILE)
    assert isinstance(out, str)
    lines = out.split("\n")
    assert lines[:4] == [avid.SIGNATURE, "", "<begin subtitles>", "00:00:00:00 00:00:02:00"]
    assert lines[4] == "Café naïve — “quoted” señor…"
    assert lines[5] == "" and out.endswith("\n<end subtitles>\n")
    assert "00:00:05:00 00:00:07:00\nEmoji" in out
    assert "00:00:07:01 00:00:09:00\nOne frame later" in out  # 7.034 s = frame 211
    assert "- Are you there?\n- Yes, I am.\n" in out


@pytest.mark.parametrize("fps", ["23.976", "24", "25", "29.97"])
def test_round_trip_through_our_reader(host: PluginHost, seed_path: Path, fps: str) -> None:
    for text in (HOSTILE, seed_path.read_text(encoding="utf-8")):
        out, _, transcript = _write(host, text, fps=fps)
        rate = resolve_options(host, {"fps": fps})["fps"]
        back = api.loads(out, host=host, fps=fps)
        assert len(back) == len(transcript)
        first = avid._frames(transcript, WriteContext(resolve_options(host, {"fps": fps})), rate)
        for cue, again, (start, end) in zip(transcript.cues, back.cues, first, strict=True):
            assert again.text.split() == cue.text.split()
            assert ms_to_frames(again.start, rate) == start == ms_to_frames(cue.start, rate)
            assert ms_to_frames(again.end, rate) == end
            assert abs(end - ms_to_frames(cue.end, rate)) <= 1


def test_film_rate_bad_end_frames_move(host: PluginHost) -> None:
    text = "[00:00:01.000 --> 00:00:02.100]   two\n"  # 2.100 s = frame 50 = 00:00:02:02
    out, context, _ = _write(host, text, fps="24")
    assert "00:00:01:00 00:00:02:01" in str(out)
    assert any("02, 07, 12" in n.message for n in context.notes)
    out, _, _ = _write(host, text, fps="25")
    assert "00:00:01:00 00:00:02:03" in str(out)  # only film rates have the problem
    chained = text + "[00:00:02.184 --> 00:00:03.000]   three\n"  # 2 frames after frame 50
    out, _, _ = _write(host, chained, fps="24")
    assert "00:00:01:00 00:00:02:01\ntwo\n\n00:00:02:03 00:00:03:00" in str(out)


def test_overlaps_fixed_or_refused(host: PluginHost) -> None:
    text = "[00:00:01.000 --> 00:00:03.000]   one\n[00:00:02.000 --> 00:00:04.000]   two\n"
    with pytest.raises(CaptionbridgeError, match="overlaps"):
        _write(host, text, overlaps="keep", fps="25")
    values = resolve_options(host, {"overlaps": "keep", "fps": "25"})
    transcript = read_text(text, "in.txt", host, values)
    context = WriteContext(resolve_options(host, {"fps": "25"}))
    out = avid.write_avid(transcript, context)
    assert "00:00:01:00 00:00:02:00\none" in out
    assert any("overlap" in n.message for n in context.notes)


def test_start_timecode_and_utf16(host: PluginHost) -> None:
    out, _, _ = _write(host, HOSTILE, start_timecode="01:00:00:00", avid_encoding="utf-16")
    assert isinstance(out, bytes) and out.startswith(b"\xff\xfe")
    text = out.decode("utf-16")
    assert "01:00:00:00 01:00:02:00" in text
    back = api.loads(out, host=host, start_timecode="01:00:00:00")
    assert back.cues[0].start == 0 and back.cues[0].end == 2002  # 48 frames at 23.976
    assert "avid: no --fps given: timecodes read counted at 23.976 fps (assumed)" in (
        back.notes[0].message
    )


def test_guess_and_cli(tmp_path: Path, seed_path: Path, host: PluginHost) -> None:
    from click.testing import CliRunner

    from captionbridge.cli.app import cli

    assert avid.guess_avid(avid.SIGNATURE + "\n", "x.txt")
    assert not avid.guess_avid("[00:00:01.000 --> 00:00:02.000] hi", "x.txt")
    out = tmp_path / "seed.txt"
    result = CliRunner().invoke(cli, ["convert", str(seed_path), "--to", "avid", "-o", str(out)])
    assert result.exit_code == 0, result.output
    srt = tmp_path / "back.srt"
    result = CliRunner().invoke(cli, ["convert", str(out), "-o", str(srt)])
    assert result.exit_code == 0, result.output
    assert srt.read_text().count(" --> ") == len(api.load(seed_path, host=host))
    with contextlib.suppress(CaptionbridgeError):  # claims=(): avid is never guessed
        assert host.writer_for_path("x.txt").name != "avid"
    context = WriteContext({})
    assert "00:00:03:00 00:00:06:00" in str(avid.write_avid_utf16(api.load(seed_path), context))
    assert context.notes[0].message == (
        "avid: no --fps given: avid timecodes counted at 23.976 fps (assumed);"
        " give --fps with the project's frame rate"
    )


def test_text_shaped_like_the_layout_stays_text(host: PluginHost) -> None:
    # issue 19: "alpha\n00:00:09:00 00:00:10:00\ninjected" read back as 3 cues
    texts = ["alpha\n00:00:09:00 00:00:10:00\ninjected", "@ at\n<end subtitles>\n<begin subtitles>"]
    transcript = Transcript.from_columns([0, 5000], [2000, 7000], texts)
    out = api.dumps(transcript, "avid", host=host)
    assert isinstance(out, str)
    back = api.loads(out, format="avid", host=host)
    assert [c.text for c in back.cues] == texts


def test_absurd_timecodes_are_located_errors(host: PluginHost) -> None:
    # issue 19: Avid timings with 13-digit hours gave an empty output
    text = (
        f"{avid.SIGNATURE}\n\n<begin subtitles>\n00:00:01:00 00:00:02:00\nkept\n\n"
        "1000000000000:00:00:00 1000000000000:00:01:00\nbad\n\n"
        "00:00:03:00 00:00:04:00\nkept too\n<end subtitles>\n"
    )
    with pytest.raises(ParseError) as caught:
        api.loads(text, format="avid", host=host)
    assert (caught.value.line, caught.value.column) == (7, 1)
    lenient = api.loads(text, format="avid", host=host, lenient=True)
    assert [c.text for c in lenient.cues] == ["kept", "kept too"]
    assert [n.line for n in lenient.notes if "malformed" in n.message] == [7]
    hour = 3_600_000
    late = Transcript.from_columns([0, 10**12 * hour], [1000, 10**12 * hour + 1000], ["a", "b"])
    with pytest.raises(CaptionbridgeError, match="24-hour clock"):
        api.dumps(late, "avid", host=host)
