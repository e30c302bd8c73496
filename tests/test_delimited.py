"""CSV/TSV writers (plugins/delimited.py), read back by Python's csv module."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from textcases import converted, words

import captionbridge
from captionbridge import Cue, Speaker, Transcript, Turn
from captionbridge.helpers.timecode import clock

__all__ = ["converted"]  # the session fixture, imported so pytest finds it

HEADER = ["cue", "start", "end", "start_ms", "end_ms", "speaker", "text"]


def _rows(data: str, fmt: str) -> list[dict[str, str]]:
    dialect = "excel-tab" if fmt == "tsv" else "excel"
    reader = csv.DictReader(io.StringIO(data, newline=""), dialect=dialect)
    assert reader.fieldnames == HEADER
    return list(reader)


@pytest.mark.parametrize("name", ["seed", "hostile"])
@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_module_reads_what_the_cli_wrote(
    converted: dict[str, Any], name: str, fmt: str
) -> None:
    transcript, paths = converted[name]
    with open(paths[fmt], encoding="utf-8", newline="") as handle:
        data = handle.read()
    rows = _rows(data, fmt)
    expected = [
        (index + 1, cue, turn) for index, cue in enumerate(transcript.cues) for turn in cue.turns
    ]
    assert len(rows) == len(expected)
    for row, (number, cue, turn) in zip(rows, expected, strict=True):
        assert int(row["cue"]) == number
        assert (int(row["start_ms"]), int(row["end_ms"])) == (cue.start, cue.end)
        assert (row["start"], row["end"]) == (clock(cue.start), clock(cue.end))
        assert row["speaker"] == (transcript.speaker_label(turn.speaker) or "")
        assert words(row["text"]) == words(turn.text)
    if fmt == "csv":
        assert data.count("\r\n") == len(rows) + 1  # RFC 4180 row ends, no line break in text
    else:
        assert data.count("\n") == len(rows) + 1 and "\r" not in data


def test_hostile_text_survives_quoting(converted: dict[str, Any]) -> None:
    _, paths = converted["hostile"]
    rows = _rows(paths["csv"].read_text(encoding="utf-8"), "csv")
    assert rows[0]["text"] == "Less < than & more > \"quotes\" 'single'"
    assert rows[0]["speaker"] == "SPEAKER_00"
    assert rows[2]["text"] == "Emoji 🎉👍🏽 and RTL שלום עולם مرحبا"
    assert [r["cue"] for r in rows[4:6]] == ["5", "5"]  # a dual-speaker cue: one row per turn
    assert rows[6]["text"] == "Controlchars and\ttab \\h \\{"
    tsv = _rows(paths["tsv"].read_text(encoding="utf-8"), "tsv")
    assert tsv[6]["text"] == "Controlchars and tab \\h \\{"


def test_line_breaks_kept_in_csv_flattened_in_tsv_and_bom() -> None:
    t = Transcript(
        [Cue(0, 1500, (Turn("first line,\nsecond\tline", "A"),))],
        speakers={"A": Speaker("A", "Ada, Countess")},
    )
    csv_text = str(captionbridge.dumps(t, "csv"))
    assert csv_text == (
        "cue,start,end,start_ms,end_ms,speaker,text\r\n"
        '1,00:00:00.000,00:00:01.500,0,1500,"Ada, Countess","first line,\nsecond\tline"\r\n'
    )
    tsv_text = str(captionbridge.dumps(t, "tsv"))
    assert tsv_text.split("\n")[1] == "1\t00:00:00.000\t00:00:01.500\t0\t1500\tAda, Countess\t" + (
        "first line, second line"
    )
    assert str(captionbridge.dumps(t, "csv", csv_bom=True)).startswith("\ufeffcue,")
    assert captionbridge.dumps(Transcript(), "tsv") == "\t".join(HEADER) + "\n"


def test_python_api_matches_the_cli(converted: dict[str, Any]) -> None:
    for name in ("seed", "hostile"):
        transcript, paths = converted[name]
        for fmt in ("csv", "tsv"):
            with open(paths[fmt], encoding="utf-8", newline="") as handle:
                assert captionbridge.dumps(transcript, fmt) == handle.read()
