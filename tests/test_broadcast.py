"""Shared broadcast helpers: wrapping inside fixed columns and character fallbacks."""

from __future__ import annotations

from captionbridge.plugins.broadcast import CharMapper, wrap
from captionbridge.plugins.cea608 import KNOWN
from captionbridge.specs import WriteContext


def test_wrap_greedy_and_keeps_fitting_breaks() -> None:
    assert wrap("one two\nthree", 32) == ["one two", "three"]
    assert wrap("a " * 20, 10) == ["a a a a a", "a a a a a", "a a a a a", "a a a a a"]
    assert wrap("x" * 40, 32) == ["x" * 32, "x" * 8]
    assert all(len(line) <= 32 for line in wrap("word " * 50, 32))


def test_mapper_fallbacks_and_notes() -> None:
    mapper = CharMapper(KNOWN)
    assert mapper("“Hi” — ok… ‘x’") == "\"Hi\" -- ok... 'x'"
    assert mapper("ł ő ǅ") == "l o Dz"  # table, then NFKD
    assert mapper("日🎉a") == "?a"
    context = WriteContext()
    mapper.report(context, "scc", "in.txt")
    (note,) = context.notes
    assert "'日'→'?'" in note.message and "'🎉' dropped" in note.message
