"""RTTM files, speaker maps and turn lists: parsing and precise errors."""

from __future__ import annotations

import pytest

from captionbridge.errors import CaptionbridgeError, ParseError
from captionbridge.speakers.lists import MapEntry, parse_speaker_map, parse_turn_list
from captionbridge.speakers.rttm import Segment, choose_uri, parse_rttm

RTTM = """;; pyannote output
SPEAKER talk 1 0.500 2.250 <NA> <NA> SPEAKER_00 <NA> <NA>
SPKR-INFO talk 1 <NA> <NA> <NA> unknown SPEAKER_00 <NA> <NA>
SPEAKER talk 1 2.750 1.000 <NA> <NA> SPEAKER_01 <NA> <NA>

SPEAKER other 1 0.000 9.000 <NA> <NA> SPEAKER_07 <NA> <NA>
"""


def test_parse_rttm_groups_by_file() -> None:
    by_uri = parse_rttm(RTTM, "d.rttm")
    assert by_uri == {
        "talk": [Segment(500, 2750, "SPEAKER_00"), Segment(2750, 3750, "SPEAKER_01")],
        "other": [Segment(0, 9000, "SPEAKER_07")],
    }


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("SPEAKER talk 1 abc 1.0 <NA> <NA> A <NA> <NA>", "onset must be"),
        ("SPEAKER talk 1 1.0 -2 <NA> <NA> A <NA> <NA>", "duration must be"),
        ("SPEAKER talk 1 1.0 nan <NA> <NA> A <NA> <NA>", "duration must be"),
        ("SPEAKER talk 1 1.0 2.0", "has 5 fields"),
        ("0.5 2.0 SPEAKER_00", "not an RTTM line"),
    ],
)
def test_malformed_rttm_line_is_reported_with_its_line(line: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_rttm(RTTM + line + "\n", "d.rttm")
    assert caught.value.line == RTTM.count("\n") + 1
    assert message in caught.value.message
    assert str(caught.value).startswith(f"d.rttm:{caught.value.line}")


def test_choose_uri() -> None:
    by_uri = parse_rttm(RTTM)
    assert choose_uri(by_uri, None, "/x/talk.txt")[0].speaker == "SPEAKER_00"
    assert choose_uri(by_uri, None, "/x/TALK.en.txt")[0].speaker == "SPEAKER_00"
    assert choose_uri(by_uri, "other", "/x/talk.txt")[0].speaker == "SPEAKER_07"
    assert choose_uri({"a": by_uri["talk"]}, None, "zzz.txt") == by_uri["talk"]
    with pytest.raises(CaptionbridgeError, match="--rttm-uri"):
        choose_uri(by_uri, None, "interview.txt")
    with pytest.raises(CaptionbridgeError, match="the file has: other, talk"):
        choose_uri(by_uri, "nope", "talk.txt")
    with pytest.raises(CaptionbridgeError, match="no SPEAKER lines"):
        choose_uri({}, None, "talk.txt")


def test_speaker_map_toml_both_forms() -> None:
    text = 'SPEAKER_00 = "Jensen Huang"\n\n[SPEAKER_01]\nname = "Ilya Sutskever"\ncolor = "#FF0"\n'
    assert parse_speaker_map(text, "map.toml") == [
        MapEntry("SPEAKER_00", "Jensen Huang", None),
        MapEntry("SPEAKER_01", "Ilya Sutskever", "#ffff00"),
    ]
    # without the extension, '=' tells TOML from CSV
    assert parse_speaker_map(text, "map")[0].name == "Jensen Huang"


def test_speaker_map_csv() -> None:
    text = 'id,name,color\nSPEAKER_00,Jensen Huang,#00ffff\n"SPEAKER_01","Sutskever, Ilya"\n'
    assert parse_speaker_map(text, "map.csv") == [
        MapEntry("SPEAKER_00", "Jensen Huang", "#00ffff"),
        MapEntry("SPEAKER_01", "Sutskever, Ilya", None),
    ]


@pytest.mark.parametrize(
    ("text", "source", "line", "message"),
    [
        ('A = "x"\nB = \n', "m.toml", 2, "not valid TOML"),
        ('A = "x"\n\n[B]\nname = "y"\ncolor = "yellow"\n', "m.toml", 3, "colour of 'B'"),
        ('[B]\nnick = "y"\n', "m.toml", 1, "unknown key 'nick'"),
        ("A = 3\n", "m.toml", 1, "must be a name string"),
        ("A,x,#fff\nB,y,#12345,extra\n", "m.csv", 2, "expected 'id,name[,color]'"),
        ("A,x,#fff\n,y\n", "m.csv", 2, "empty speaker id"),
        ("A,x,red\n", "m.csv", 1, "colour of 'A'"),
    ],
)
def test_speaker_map_errors(text: str, source: str, line: int, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_speaker_map(text, source)
    assert caught.value.line == line
    assert message in caught.value.message
    assert str(caught.value).startswith(f"{source}:{line}")


def test_turn_list() -> None:
    text = (
        "# who speaks when\n00:00:00 Jensen Huang\n"
        "00:04:59.780 Ilya Sutskever\n1:02:03,5 Jensen Huang\n"
    )
    segments = parse_turn_list(text, "turns.txt")
    assert [(s.start, s.speaker) for s in segments] == [
        (0, "Jensen Huang"),
        (299780, "Ilya Sutskever"),
        (3723500, "Jensen Huang"),
    ]
    assert segments[0].end == 299780 and segments[-1].end > 10**9


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("00:00:01 A\nsoon B\n", 2, "expected 'HH:MM:SS name'"),
        ("00:00:01 A\n00:00:05\n", 2, "expected 'HH:MM:SS name'"),
        ("00:00:05 A\n00:00:01 B\n", 2, "starts before the turn above"),
        ("00:61:00 A\n", 1, "over 59"),
    ],
)
def test_turn_list_errors(text: str, line: int, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_turn_list(text, "turns.txt")
    assert caught.value.line == line and message in caught.value.message


def test_empty_turn_list() -> None:
    with pytest.raises(CaptionbridgeError, match="names no turns"):
        parse_turn_list("# nothing\n", "turns.txt")
