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
from typing import Any

from captionbridge.errors import ParseError
from captionbridge.helpers.readfix import order_times
from captionbridge.helpers.timecode import parse_clock, stamps
from captionbridge.hookspecs import hookimpl
from captionbridge.model import Content, Speaker, Transcript, Turn, turns_of
from captionbridge.specs import OptionSpec, ReadContext, ReaderSpec, WriteContext, WriterSpec

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


def _read(text: str, context: ReadContext, tab: bool) -> Transcript:
    """Rows back into cues: rows with the same ``cue`` number are the turns of one cue; times
    from ``start_ms``/``end_ms``, else ``start``/``end`` clocks; ``speaker`` names become
    speakers. Columns are found by the header's names, in any order."""
    import csv  # only when reading a table

    rows = csv.reader(
        io.StringIO(text.lstrip("\ufeff"), newline=""), "excel-tab" if tab else "excel"
    )
    try:
        return _table(rows, context)
    except csv.Error as exc:  # a field past the csv module's limit (128 KiB), a stray quote...
        raise ParseError(f"not a readable table: {exc}", source=context.source,
                         line=rows.line_num or 1) from None  # fmt: skip


def _table(rows: Any, context: ReadContext) -> Transcript:
    source = context.source
    header = [name.strip().lower() for name in next(rows, [])]
    column = {name: index for index, name in enumerate(header)}
    if "text" not in column or not (
        {"start_ms", "end_ms"} <= column.keys() or {"start", "end"} <= column.keys()
    ):
        raise ParseError(
            "the header row needs text and start_ms/end_ms or start/end columns",
            source=source, line=1,
        )  # fmt: skip
    in_ms = {"start_ms", "end_ms"} <= column.keys()
    starts: list[int] = []
    ends: list[int] = []
    turns: list[list[Turn]] = []
    speakers: dict[str, Speaker] = {}
    previous_cue: str | None = None
    for row in rows:
        if not any(field.strip() for field in row):
            continue

        def field(name: str, row: list[str] = row) -> str:
            index = column.get(name)
            return row[index] if index is not None and index < len(row) else ""

        try:
            if in_ms:
                start, end = int(field("start_ms")), int(field("end_ms"))
            else:
                start, end = parse_clock(field("start")), parse_clock(field("end"))
        except ValueError as exc:
            raise ParseError(f"bad time: {exc}", source=source, line=rows.line_num) from None
        name = " ".join(field("speaker").split()) or None
        if name is not None:
            speakers.setdefault(name, Speaker(name, name))
        cue = field("cue").strip() or None
        turn = Turn(field("text"), name, False)
        if cue is not None and cue == previous_cue and turns:
            turns[-1].append(Turn(turn.text, name, True))
        else:
            starts.append(start)
            ends.append(end)
            turns.append([turn])
        previous_cue = cue
    contents: list[Content] = [
        group[0].text if len(group) == 1 and group[0].speaker is None else tuple(group)
        for group in turns
    ]
    notes = order_times(starts, ends, source)
    return Transcript.from_columns(
        starts, ends, contents, speakers=speakers, source=source, notes=notes
    )


def read_csv(text: str, context: ReadContext) -> Transcript:
    """Read a CSV table of cues (as the csv writer writes it, or any with those columns)."""
    return _read(text, context, tab=False)


def read_tsv(text: str, context: ReadContext) -> Transcript:
    """Read a tab-separated table of cues."""
    return _read(text, context, tab=True)


def _guess(separator: str) -> Callable[[str, str], bool]:
    def guess(text: str, filename: str) -> bool:
        first = text.lstrip("\ufeff").split("\n", 1)[0].strip().lower()
        names = set(first.split(separator))
        return "text" in names and ({"start_ms", "end_ms"} <= names or {"start", "end"} <= names)

    return guess


@hookimpl
def captionbridge_register_readers(register: Callable[[ReaderSpec], None]) -> None:
    register(ReaderSpec("csv", read_csv, (".csv",), _guess(","), "CSV table of cues"))
    register(ReaderSpec("tsv", read_tsv, (".tsv",), _guess("\t"), "tab-separated table of cues"))


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
