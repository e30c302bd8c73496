"""ASS text fields: escaping text so libass shows it as typed, and reading displayed lines back."""

from __future__ import annotations

import re

__all__ = ["WORD_JOINER", "escape_text", "unescape_text"]

WORD_JOINER = "\u2060"  # WORD JOINER: invisible, keeps a backslash from forming an escape
_SPECIAL = re.compile(r"[\\{}\n\r\x00-\x08\x0b-\x1f\x7f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_RESET = re.compile(r"\\r([^\\}]*)")


def escape_text(text: str) -> str:
    """Text for an ASS ``Text`` field that libass shows exactly as given, with ``\\N`` breaks."""
    if not _SPECIAL.search(text):
        return text
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    out: list[str] = []
    last = len(text) - 1
    for i, ch in enumerate(text):
        following = text[i + 1] if i < last else ""
        if ch == "\\":
            out.append("\\" + WORD_JOINER if following and following in "Nnh" else "\\")
        elif ch in "{}":
            out.append(f"\\{ch}{WORD_JOINER}" if ch == "{" and following == "\\" else f"\\{ch}")
        elif ch == "\n":
            out.append("\\N")
        else:
            out.append(ch)
    return "".join(out)


def unescape_text(raw: str, soft_breaks: bool = False) -> list[tuple[str | None, str]]:
    """Split an ASS ``Text`` field into displayed lines, the way libass reads it.

    Returns ``(style, line)`` pairs: ``style`` is the style a ``{\\r<style>}`` at the start of
    the line switches to (``""`` for a bare ``\\r``), else ``None``. Override blocks are removed;
    ``\\N`` breaks a line, ``\\n`` too when ``soft_breaks`` (``WrapStyle: 2``), else it is a
    space; ``\\h`` is a no-break space; ``\\{`` and ``\\}`` are braces.
    """
    lines: list[tuple[str | None, str]] = []
    current: list[str] = []
    reset: str | None = None
    i, size = 0, len(raw)
    while i < size:
        ch = raw[i]
        if ch == "\\" and i + 1 < size:
            escaped = raw[i + 1]
            if escaped == "N" or (escaped == "n" and soft_breaks):
                lines.append((reset, "".join(current)))
                current, reset = [], None
                i += 2
                continue
            if escaped in "nh{}":
                current.append({"n": " ", "h": "\u00a0"}.get(escaped, escaped))
                i += 2
            else:
                current.append("\\")
                i += 1
            if i < size and raw[i] == WORD_JOINER:
                i += 1
            continue
        if ch == "{":
            close = raw.find("}", i + 1)
            if close != -1:
                if not "".join(current).strip():
                    found = _RESET.findall(raw[i + 1 : close])
                    if found:
                        reset = found[-1].strip()
                i = close + 1
                continue
        current.append(ch)
        i += 1
    lines.append((reset, "".join(current)))
    return lines
