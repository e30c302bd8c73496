"""The built-in speaker labelling through its options: the API, the CLI and round trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from captionbridge import api
from captionbridge.cli.app import cli
from captionbridge.errors import CaptionbridgeError
from captionbridge.host.registry import PluginHost
from captionbridge.model import Transcript, turns_of

DI = """[00:00:00.000 --> 00:00:02.000]  (speaker 1) And so, my fellow Americans,
[00:00:02.000 --> 00:00:04.000]  (speaker 1) ask not
[00:00:04.000 --> 00:00:06.000]  (speaker 0) what your country can do for you,
[00:00:06.000 --> 00:00:08.000]  (speaker ?) ask what
[00:00:08.000 --> 00:00:10.000]  (speaker 1) you can do for your country.
"""
TDRZ = """[00:00:00.000 --> 00:00:02.000]   Is it working? [SPEAKER_TURN]
[00:00:02.000 --> 00:00:04.000]   Yes, it is.
[00:00:04.000 --> 00:00:06.000]   We can hear you. [SPEAKER_TURN]
[00:00:06.000 --> 00:00:08.000]   Great.
"""


def _who(transcript: Transcript) -> list[tuple[str, str | None]]:
    return [
        (t.text, transcript.speaker_label(t.speaker))
        for c in transcript.columns().contents
        for t in turns_of(c)
    ]


def test_options_are_registered_by_the_plugin(host: PluginHost) -> None:
    for name in ("speakers", "first_speaker", "speaker_map", "rttm", "rttm_uri", "speaker_turns"):
        assert host.provider_of("option", name) == "captionbridge.plugins.transforms.speakers"


def test_without_options_nothing_changes(host: PluginHost) -> None:
    transcript = api.loads(TDRZ, host=host)
    assert api.transform(transcript, host=host) == transcript


def test_whisper_cpp_diarize_ids_are_named_in_order_of_appearance(host: PluginHost) -> None:
    transcript = api.loads(DI, host=host)
    assert [t.speaker for c in transcript.columns().contents for t in turns_of(c)] == [
        "speaker 1",
        "speaker 1",
        "speaker 0",
        None,  # (speaker ?): whisper.cpp could not tell
        "speaker 1",
    ]
    named = api.transform(transcript, host=host, speakers="Kennedy,Crowd")
    assert _who(named)[:3] == [
        ("And so, my fellow Americans,", "Kennedy"),
        ("ask not", "Kennedy"),
        ("what your country can do for you,", "Crowd"),
    ]
    assert _who(named)[3] == ("ask what", None)
    srt = api.dumps(named, "srt", host=host)
    assert "Kennedy: And so" in srt and "Crowd: what your" in srt and "Kennedy: you can" in srt


def test_whisper_cpp_colour_output_repeats_the_speaker_marker(host: PluginHost) -> None:
    coloured = (
        "[00:00:00.000 --> 00:00:02.000]  (speaker 0)\x1b[38;5;196m And\x1b[0m"
        "(speaker 0)\x1b[38;5;82m so\x1b[0m\n"
    )
    transcript = api.loads(coloured, host=host)
    assert _who(transcript) == [("And so", "speaker 0")]


def test_tinydiarize_turns_alternate(host: PluginHost) -> None:
    transcript = api.loads(TDRZ, host=host)
    named = api.transform(transcript, host=host, speakers="Host,Guest")
    assert _who(named) == [
        ("Is it working?", "Host"),
        ("Yes, it is.", "Guest"),
        ("We can hear you.", "Guest"),
        ("Great.", "Host"),
    ]
    second = api.transform(transcript, host=host, speakers="Host,Guest", first_speaker="Guest")
    assert [who for _, who in _who(second)] == ["Guest", "Host", "Host", "Guest"]


def test_alternation_without_markers_says_so(host: PluginHost) -> None:
    plain = "[00:00:00.000 --> 00:00:02.000]   Hello.\n[00:00:02.000 --> 00:00:04.000]   Hi.\n"
    named = api.transform(api.loads(plain, host=host), host=host, speakers="A,B")
    assert [who for _, who in _who(named)] == ["A", "A"]
    assert any("marks no speaker turns" in n.message for n in named.notes)


def test_more_ids_than_names_is_reported(host: PluginHost) -> None:
    named = api.transform(api.loads(DI, host=host), host=host, speakers="Kennedy")
    assert named.speakers["speaker 0"].name is None
    assert any("unnamed: speaker 0" in n.message for n in named.notes)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"speakers": "A,,B"}, "comma-separated names"),
        ({"speakers": "A,A"}, "names 'A' twice"),
        ({"speakers": "A,B", "first_speaker": "C"}, "is not one of"),
        ({"first_speaker": "A"}, "needs --speakers"),
        ({"rttm": "x.rttm", "speaker_turns": "t.txt"}, "not both"),
        ({"rttm": "/nonexistent/x.rttm"}, "RTTM file not found"),
    ],
)
def test_bad_options(host: PluginHost, options: dict[str, str], message: str) -> None:
    with pytest.raises(CaptionbridgeError, match=message):
        api.transform(api.loads(TDRZ, host=host), host=host, **options)


def test_speaker_map_names_and_colours(host: PluginHost, tmp_path: Path) -> None:
    source = "[00:00:00.000 --> 00:00:02.000]   SPEAKER_00: Hi.\n"
    source += "[00:00:02.000 --> 00:00:04.000]   SPEAKER_01: Hello.\n"
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        'SPEAKER_00 = "Jensen Huang"\n[SPEAKER_01]\nname = "Ilya"\ncolor = "#ffff00"\n'
        '[NOBODY]\nname = "x"\n'
    )
    named = api.transform(api.loads(source, host=host), host=host, speaker_map=str(mapping))
    assert _who(named) == [("Hi.", "Jensen Huang"), ("Hello.", "Ilya")]
    assert named.speakers["SPEAKER_01"].color == "#ffff00"
    assert any("NOBODY" in n.message for n in named.notes)
    document = json.loads(str(api.dumps(named, "json", host=host)))
    assert document["speakers"]["SPEAKER_01"] == {"name": "Ilya", "color": "#ffff00"}
    # keys may be labels too: colour the names that --speakers gave
    table = tmp_path / "colours.csv"
    table.write_text("Host,,#00ff00\n")
    coloured = api.transform(
        api.loads(TDRZ, host=host), host=host, speakers="Host,Guest", speaker_map=str(table)
    )
    assert coloured.speakers["Host"].color == "#00ff00"
    assert coloured.speakers["Host"].name == "Host"


def test_rttm_through_the_api(host: PluginHost, tmp_path: Path) -> None:
    talk = tmp_path / "talk.txt"
    talk.write_text(
        "[00:00:00.000 --> 00:00:06.000]   one two three four five six seven eight nine ten\n"
    )
    rttm = tmp_path / "d.rttm"
    rttm.write_text(
        "SPEAKER talk 1 0.0 3.0 <NA> <NA> SPEAKER_00 <NA> <NA>\n"
        "SPEAKER talk 1 3.0 3.0 <NA> <NA> SPEAKER_01 <NA> <NA>\n"
        "SPEAKER other 1 0.0 6.0 <NA> <NA> SPEAKER_09 <NA> <NA>\n"
    )
    out = tmp_path / "talk.vtt"
    api.convert(talk, out, host=host, rttm=str(rttm), speakers="Ada,Bob")
    vtt = out.read_text()
    assert "00:00:00.000 --> 00:00:03.000\n<v Ada>one two three four five</v>" in vtt
    assert "00:00:03.000 --> 00:00:06.000\n<v Bob>six seven eight nine ten</v>" in vtt
    other = api.transform(api.load(talk, host=host), host=host, rttm=str(rttm), rttm_uri="other")
    assert _who(other) == [(talk.read_text().split("]")[1].strip(), "SPEAKER_09")]


def test_turn_list_through_the_api(host: PluginHost, tmp_path: Path) -> None:
    turns = tmp_path / "turns.txt"
    turns.write_text("00:00:00 Host\n00:00:02.000 Guest\n00:00:06 Host\n")
    named = api.transform(api.loads(TDRZ, host=host), host=host, speaker_turns=str(turns))
    assert [who for _, who in _who(named)] == ["Host", "Guest", "Guest", "Host"]


def test_cli_reports_file_and_line(tmp_path: Path, seed_path: Path) -> None:
    rttm = tmp_path / "bad.rttm"
    rttm.write_text("SPEAKER fireside-chat 1 0.0 3.0 <NA> <NA> A <NA> <NA>\nSPEAKER x 1 zero\n")
    result = CliRunner().invoke(
        cli, ["convert", str(seed_path), "-o", "-", "--to", "srt", "--rttm", str(rttm)]
    )
    assert result.exit_code == 1
    assert f"{rttm}:2:" in result.output
    assert "Traceback" not in result.output


def test_cli_rttm_and_speakers(tmp_path: Path, seed_path: Path) -> None:
    rttm = tmp_path / "d.rttm"
    rttm.write_text(
        "SPEAKER fireside-chat 1 0.0 295.44 <NA> <NA> SPEAKER_00 <NA> <NA>\n"
        "SPEAKER fireside-chat 1 295.44 4000 <NA> <NA> SPEAKER_01 <NA> <NA>\n"
        "SPEAKER another-talk 1 0.0 4000 <NA> <NA> SPEAKER_05 <NA> <NA>\n"
    )
    result = CliRunner().invoke(
        cli,
        [
            "convert",
            str(seed_path),
            "-o",
            "-",
            "--to",
            "vtt",
            "--rttm",
            str(rttm),
            "--speakers",
            "Jensen Huang,Ilya Sutskever",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "<v Jensen Huang>Ilya, unbelievable.</v>" in result.output
    assert "<v Ilya Sutskever>Now, the year AlexNet was 2012.</v>" in result.output


def test_round_trip_vtt_srt_json(host: PluginHost) -> None:
    vtt = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ada &amp; Co>Hello.</v>\n\n"
        "00:00:02.000 --> 00:00:03.000\n<v Ada &amp; Co>Still me.</v>\n\n"
        "00:00:03.000 --> 00:00:04.000\n<v Ada &amp; Co>Yes.</v>\n<v Bob>No.</v>\n"
    )
    transcript = api.loads(vtt, host=host)
    assert _who(transcript) == [
        ("Hello.", "Ada & Co"),
        ("Still me.", "Ada & Co"),
        ("Yes.", "Ada & Co"),
        ("No.", "Bob"),
    ]
    assert [t.change for c in transcript.columns().contents for t in turns_of(c)] == [
        False,
        False,
        False,
        True,
    ]
    srt = str(api.dumps(transcript, "srt", host=host))
    # a label where the speaker changes, not on every cue
    assert srt.count("Ada & Co: ") == 1 and srt.count("Bob: ") == 1
    import srt as srt_module

    assert [s.content for s in srt_module.parse(srt)] == [
        "Ada & Co: Hello.",
        "Still me.",
        "Yes.\nBob: No.",
    ]
    # SRT has no speaker field: read back, the labels stay part of the text
    again = api.loads(srt, host=host, format="srt")
    assert [c.text for c in again.cues] == ["Ada & Co: Hello.", "Still me.", "Yes.\nBob: No."]
    assert not again.speakers
    # JSON keeps ids, names, colours and turn markers exactly
    back = api.loads(str(api.dumps(transcript, "json", host=host)), host=host)
    assert back == transcript
    assert back.speakers == transcript.speakers
