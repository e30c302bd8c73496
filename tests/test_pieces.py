"""helpers/pieces.py: whole-file work a piece at a time gives what the whole would."""

from __future__ import annotations

import tracemalloc

import pytest

import captionbridge
from captionbridge.flow.options import resolve_options
from captionbridge.flow.pipeline import produce, render
from captionbridge.helpers import pieces
from captionbridge.host.registry import make_host
from captionbridge.plugins import bracket

HOUR = 3_600_000


def _bracket(lines: int, step: int) -> str:
    def clock(ms: int) -> str:
        h, rest = divmod(ms, HOUR)
        m, rest = divmod(rest, 60_000)
        s, f = divmod(rest, 1000)
        return f"{h:02d}:{m:02d}:{s:02d}.{f:03d}"

    texts = ["- Hello there.", "plain “text” <b>", "", "12:30:15.5 is a time", "- Yes. - No."]
    out = []
    for i in range(lines):
        out.append(f"[{clock(i * step)} --> {clock(i * step + step)}]   {texts[i % 5]} {i}\n")
        if i % 7 == 0:
            out.append("\n")  # blank lines: off whisper.cpp's exact layout, onto the rows
    return "".join(out)


@pytest.mark.parametrize("fmt", ["srt", "vtt"])
@pytest.mark.parametrize("step", [1500, 2 * HOUR], ids=["short", "past-99-hours"])
def test_small_pieces_write_the_same_file(
    monkeypatch: pytest.MonkeyPatch, fmt: str, step: int
) -> None:
    host = make_host(entry_points=False)
    options = resolve_options(host, {})
    text = _bracket(100, step)
    whole = captionbridge.dumps(captionbridge.loads(text, format="bracket"), fmt)
    assert isinstance(whole, str)
    monkeypatch.setattr(pieces, "PIECE", 3)
    monkeypatch.setattr(bracket, "_PIECE", 50)
    transcript = captionbridge.loads(text, format="bracket")
    assert captionbridge.dumps(transcript, fmt) == whole
    assert render(transcript, host.writer(fmt), host, options, "x") == {"": whole.encode()}
    if step > HOUR:
        assert "\n198:00:00" in whole


def test_writers_return_the_encoded_bytes_when_given_an_encoding() -> None:
    from captionbridge.flow.options import resolve_options
    from captionbridge.flow.pipeline import render
    from captionbridge.host.registry import make_host

    host = make_host(entry_points=False)
    options = resolve_options(host, {})
    transcript = captionbridge.loads(_bracket(30, 1500), format="bracket")
    for name in ("srt", "vtt"):
        writer = host.writer(name)
        text = produce(transcript, writer, host, options, "x")
        assert isinstance(text, str)
        encoded = produce(transcript, writer, host, options, "x", encoding="utf-8")
        assert encoded == text.encode("utf-8")
        assert render(transcript, writer, host, options, "x") == {"": encoded}
        # any other codec: text, which the pipeline encodes
        assert produce(transcript, writer, host, options, "x", encoding="utf-16") == text


def test_joined_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pieces, "PIECE", 2)
    assert list(pieces.joined_pieces(["a", "b", "c"], "\n")) == ["a\nb", "c"]
    assert list(pieces.joined_pieces([], "\n")) == []


def test_the_encoded_file_is_held_once_not_beside_its_pieces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # joining the encoded pieces held them all beside the result: twice the file at its peak;
    # small pieces keep what one piece needs while it is made out of the count
    monkeypatch.setattr(pieces, "PIECE", 500)
    count = 40_000
    starts = [i * 1500 for i in range(count)]
    ends = [start + 1000 for start in starts]
    texts = [f"cue {i} says “quoted” things" for i in range(count)]
    tracemalloc.start()
    try:
        data = pieces.timed_file(starts, ends, texts, sep=",", first_number=1, encoding="utf-8")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert isinstance(data, bytes) and data.startswith(b"1\n00:00:00,000 --> 00:00:01,000\n")
    assert data.endswith(f"cue {count - 1} says “quoted” things\n".encode())
    # 1.17x here (the buffer grows by eighths); 2.0x when joined
    assert peak < 1.4 * len(data), peak / len(data)
