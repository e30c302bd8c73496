"""CSV (``.csv``) and TSV (``.tsv``) tables of the transcript, for spreadsheets and scripts.

One header row, then one row per speaker turn (a dual-speaker cue gives two rows with the same
``cue`` number and times)::

    cue,start,end,start_ms,end_ms,speaker,text
    1,00:00:03.000,00:00:06.000,3000,6000,Ada,Today is the day after GPT-4.

``start``/``end`` are ``HH:MM:SS.mmm`` (spreadsheets read them as times), ``start_ms``/``end_ms``
integer milliseconds (for scripts), ``speaker`` the speaker's display name or empty. Control
characters other than tab and line feed are dropped.

CSV follows RFC 4180 through Python's :mod:`csv` module: CRLF row ends, fields quoted when they
hold a comma, a quote or a line break, and line breaks in the text kept inside the quoted field.
TSV (read it with ``csv`` and ``dialect="excel-tab"``) keeps one row per line: line breaks and
tabs in the text become spaces, rows end with LF, and a field holding a quote is quoted the way
the ``excel-tab`` dialect does. Both are UTF-8; ``csv_bom`` starts them with a byte-order mark
so that Excel recognises UTF-8. Text starting with ``=``, ``+``, ``-`` or ``@`` is written as it
is: a spreadsheet may take it for a formula.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from captionbridge.helpers.timecode import stamps
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Transcript, turns_of
from captionbridge.specs import OptionSpec, WriteContext, WriterSpec

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
HEADER = ("cue", "start", "end", "start_ms", "end_ms", "speaker", "text")


def _rows(transcript: Transcript, flatten: bool) -> list[tuple[object, ...]]:
    starts, ends, contents = transcript.columns()
    start_text, end_text = stamps(starts), stamps(ends)
    rows: list[tuple[object, ...]] = []
    for index, content in enumerate(contents):
        for turn in turns_of(content):
            text = _CONTROL.sub("", turn.text.replace("\r\n", "\n").replace("\r", "\n"))
            if flatten:
                text = " ".join(text.replace("\t", " ").split("\n"))
            speaker = transcript.speaker_label(turn.speaker) or ""
            if flatten:
                speaker = " ".join(speaker.split())
            rows.append(
                (
                    index + 1,
                    start_text[index],
                    end_text[index],
                    starts[index],
                    ends[index],
                    speaker,
                    text,
                )
            )
    return rows


def _write(transcript: Transcript, context: WriteContext, tab: bool) -> str:
    import csv  # only when writing: it is not needed to start up

    buffer = io.StringIO()
    if CSV_BOM.value(context.options):
        buffer.write("\ufeff")
    if tab:
        writer = csv.writer(buffer, dialect="excel-tab", lineterminator="\n")
    else:
        writer = csv.writer(buffer, dialect="excel")
    writer.writerow(HEADER)
    writer.writerows(_rows(transcript, flatten=tab))
    return buffer.getvalue()


def write_csv(transcript: Transcript, context: WriteContext) -> str:
    """Render a transcript as an RFC 4180 CSV table."""
    return _write(transcript, context, tab=False)


def write_tsv(transcript: Transcript, context: WriteContext) -> str:
    """Render a transcript as a tab-separated table, one row per line."""
    return _write(transcript, context, tab=True)


CSV_BOM = OptionSpec(
    "csv_bom",
    "CSV/TSV: start with a UTF-8 byte-order mark (for Excel).",
    type=bool,
    default=False,
    is_bool=True,
)


@hookimpl
def captionbridge_register_options(register: Callable[[OptionSpec], None]) -> None:
    register(CSV_BOM)


@hookimpl
def captionbridge_register_writers(register: Callable[[WriterSpec], None]) -> None:
    register(
        WriterSpec(
            "csv",
            write_csv,
            extension=".csv",
            description="CSV table (RFC 4180): cue, times, speaker, text",
        )
    )
    register(
        WriterSpec(
            "tsv",
            write_tsv,
            extension=".tsv",
            description="tab-separated table, one row per line: cue, times, speaker, text",
        )
    )
