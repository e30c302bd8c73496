"""The hand-written speaker files: speaker maps (TOML or CSV) and turn lists.

A speaker map gives speaker ids (or labels) display names and colours::

    SPEAKER_00 = "Jensen Huang"          # TOML, short form

    [SPEAKER_01]                         # TOML, table form
    name = "Ilya Sutskever"
    color = "#ffff00"

    SPEAKER_00,Jensen Huang,#00ffff      # CSV: id,name[,color]; a header row is optional

A turn list says who starts speaking when, one turn per line (``#`` starts a comment)::

    00:00:00 Jensen Huang
    00:04:59.780 Ilya Sutskever
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from captionbridge.errors import CaptionbridgeError, ParseError

from .rttm import Segment

__all__ = ["MapEntry", "parse_speaker_map", "parse_turn_list", "read_text_file"]

_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_TURN_LINE = re.compile(r"^\s*((?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)\s+(\S.*?)\s*$")
_TOML_LINE = re.compile(r"at line (\d+)(?:, column (\d+))?")
#: Where the last turn of a turn list ends: it lasts until the end of any transcript.
_FOREVER = 10**12


@dataclass(frozen=True, slots=True)
class MapEntry:
    """What a speaker map says about one speaker id or label."""

    key: str
    name: str | None
    color: str | None


def read_text_file(path: str, what: str) -> str:
    """The text of a speaker file; a missing or unreadable file is a clear error."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CaptionbridgeError(f"{what} not found", source=path) from None
    except UnicodeDecodeError as exc:
        raise CaptionbridgeError(f"{what} is not UTF-8 text: {exc.reason}", source=path) from None
    except OSError as exc:
        raise CaptionbridgeError(
            f"cannot read {what}: {exc.strerror or exc}", source=path
        ) from None


def _line_of(text: str, key: str) -> int | None:
    """The line where a TOML key or table is defined (for errors found after parsing)."""
    pattern = re.compile(rf"^[ \t]*(?:\[[ \t]*)?[\"']?{re.escape(key)}[\"']?[ \t]*(?:=|\])", re.M)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _color(value: str, source: str, line: int | None, key: str) -> str:
    if not _COLOR.match(value):
        raise ParseError(
            f"colour of {key!r} must be '#rrggbb' or '#rgb', not {value!r}",
            source=source,
            line=line,
        )
    if len(value) == 4:
        value = "#" + "".join(c * 2 for c in value[1:])
    return value.lower()


def _parse_toml(text: str, source: str) -> list[MapEntry]:
    import tomllib

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = _TOML_LINE.search(str(exc))
        message = _TOML_LINE.sub("", str(exc)).strip(" ()")
        raise ParseError(
            f"not valid TOML: {message}",
            source=source,
            line=int(where.group(1)) if where else None,
            column=int(where.group(2)) if where and where.group(2) else None,
        ) from None
    entries = []
    for key, value in document.items():
        line = _line_of(text, key)
        if isinstance(value, str):
            entries.append(MapEntry(key, value.strip() or None, None))
            continue
        if not isinstance(value, dict):
            raise ParseError(
                f"{key!r} must be a name string or a table with name and color",
                source=source,
                line=line,
            )
        unknown = sorted(set(value) - {"name", "color", "colour"})
        if unknown:
            raise ParseError(
                f"unknown key {unknown[0]!r} for speaker {key!r} (known: name, color)",
                source=source,
                line=line,
            )
        name = value.get("name")
        color = value.get("color", value.get("colour"))
        if not isinstance(name, (str, type(None))) or not isinstance(color, (str, type(None))):
            raise ParseError(f"name and color of {key!r} must be strings", source=source, line=line)
        entries.append(
            MapEntry(
                key,
                (name.strip() or None) if name else None,
                _color(color, source, line, key) if color else None,
            )
        )
    return entries


def _parse_csv(text: str, source: str) -> list[MapEntry]:
    import csv

    entries = []
    reader = csv.reader(text.splitlines())
    for row in reader:
        number = reader.line_num
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if number == 1 and [c.lower() for c in cells[:2]] == ["id", "name"]:
            continue  # header row
        if len(cells) > 3:
            raise ParseError(
                f"expected 'id,name[,color]', found {len(cells)} fields",
                source=source,
                line=number,
                text=",".join(row),
            )
        key, name, color = ([*cells, "", ""])[:3]
        if not key:
            raise ParseError("empty speaker id", source=source, line=number, text=",".join(row))
        entries.append(
            MapEntry(key, name or None, _color(color, source, number, key) if color else None)
        )
    return entries


def parse_speaker_map(text: str, source: str = "<speaker map>") -> list[MapEntry]:
    """Read a speaker map: TOML for ``.toml`` files (or text with ``=`` / ``[``), else CSV."""
    lowered = source.lower()
    if lowered.endswith(".toml"):
        return _parse_toml(text, source)
    if lowered.endswith(".csv"):
        return _parse_csv(text, source)
    looks_toml = any(
        line.lstrip().startswith("[") or "=" in line.split(",", 1)[0]
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )
    return _parse_toml(text, source) if looks_toml else _parse_csv(text, source)


def _clock(text: str) -> int:
    parts = text.replace(",", ".").split(":")
    whole, _, fraction = parts[-1].partition(".")
    hours = int(parts[0]) if len(parts) == 3 else 0
    return ((hours * 60 + int(parts[-2])) * 60 + int(whole)) * 1000 + int(fraction.ljust(3, "0"))


def parse_turn_list(text: str, source: str = "<turn list>") -> list[Segment]:
    """Read a turn list (``HH:MM:SS[.mmm] name`` per line) into segments: each turn lasts until
    the next one starts, the last until the end."""
    starts: list[tuple[int, str]] = []
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _TURN_LINE.match(line)
        if match is None:
            raise ParseError(
                "expected 'HH:MM:SS name' or 'HH:MM:SS.mmm name'",
                source=source,
                line=number,
                text=line,
            )
        stamp, name = match.groups()
        minutes_seconds = stamp.replace(",", ".").split(":")[-2:]
        if int(minutes_seconds[0]) > 59 or int(minutes_seconds[1].split(".")[0]) > 59:
            raise ParseError(
                f"minutes or seconds over 59 in {stamp!r}", source=source, line=number, text=line
            )
        start = _clock(stamp)
        if starts and start < starts[-1][0]:
            raise ParseError(
                f"turn at {stamp} starts before the turn above it; list turns in time order",
                source=source,
                line=number,
                text=line,
            )
        starts.append((start, name))
    if not starts:
        raise CaptionbridgeError("the turn list names no turns", source=source)
    ends = [start for start, _ in starts[1:]] + [_FOREVER]
    return [
        Segment(start, end, name)
        for (start, name), end in zip(starts, ends, strict=True)
        if end > start
    ]
