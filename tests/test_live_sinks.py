"""The SCC roll-up and browser overlay live sinks, fed by direct publish() calls.

The SCC file is decoded after every publish by ttconv and ffmpeg; the overlay's event stream is
read with urllib, and its page is loaded in headless Chromium (tests/chromium.py) across a
server restart.
"""

from __future__ import annotations

import json
import re
import subprocess
import threading
import tracemalloc
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from broadcast_samples import paragraphs
from chromium import Page
from conftest import require_tool
from test_live_growing import CUES as SPOKEN
from waiting import until

from captionbridge import api
from captionbridge.errors import CaptionbridgeError, OutputExistsError
from captionbridge.flow.options import resolve_options
from captionbridge.helpers.options import SPEAKER_STYLES
from captionbridge.host.registry import PluginHost
from captionbridge.live.overlay import OverlaySink
from captionbridge.live.rollup import RollUpSink
from captionbridge.model import Cue, Transcript

#: short cues (one row each) in time order: back to back, one frame apart, a gap, one at 0 ms
LIVE = [
    Cue.make(0, 1500, "Good evening."),
    Cue.make(1500, 1534, "A very short one"),
    Cue.make(1534, 4000, "and the next right after it"),
    Cue.make(7000, 9000, "after a pause"),
    Cue.make(9000, 11000, "Café & <b> ünïcode"),
    Cue.make(11000, 12000, "the end"),
]


def _ttconv_rows(scc: str) -> list[str]:
    """The rows as they roll in, decoded by ttconv: the newest row of each paragraph."""
    import ttconv.scc.reader

    rows: list[str] = []
    for _, _, text in paragraphs(ttconv.scc.reader.to_model(scc)):
        newest = text.replace("\xa0", " ").split("\n")[-1].strip()
        if newest and (not rows or rows[-1] != newest):
            rows.append(newest)
    return rows


def _ffmpeg_rows(path: Path) -> list[str]:
    """The same through ffmpeg's SCC demuxer and CEA-608 decoder (as SubRip)."""
    ffmpeg = require_tool("ffmpeg")
    srt = subprocess.run(
        [ffmpeg, "-loglevel", "error", "-i", str(path), "-f", "srt", "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    rows: list[str] = []
    for block in srt.strip().split("\n\n") if srt.strip() else []:
        text = block.split("\n")[-1]
        newest = text.replace('<font face="Monospace">', "").replace("</font>", "")
        newest = newest.replace("{\\an7}", "").strip()
        if newest and (not rows or rows[-1] != newest):
            rows.append(newest)
    return rows


@pytest.mark.parametrize("rows", [2, 3])
def test_the_scc_decodes_to_the_finalised_text_after_every_publish(
    tmp_path: Path, host: PluginHost, rows: int
) -> None:
    path = tmp_path / "live.scc"
    sink = RollUpSink(path, rows, host=host)
    assert _ttconv_rows(path.read_text(encoding="ascii")) == []
    assert _ffmpeg_rows(path) == []
    for at, cue in enumerate(LIVE):
        sink.publish([cue], LIVE[at + 1 : at + 2])  # the next cue is pending: never written
        expected = [c.text for c in LIVE[: at + 1]]
        assert _ttconv_rows(path.read_text(encoding="ascii")) == expected
        assert _ffmpeg_rows(path) == expected
    sink.close()
    assert _ttconv_rows(path.read_text(encoding="ascii")) == [c.text for c in LIVE]
    assert not [p for p in tmp_path.iterdir() if p != path], "a temporary file was left"


@pytest.mark.parametrize("rows", [2, 3])
def test_the_finished_file_is_what_the_scc_writer_makes_of_the_whole_run(
    tmp_path: Path, host: PluginHost, rows: int
) -> None:
    """Cue by cue or all at once, the bytes and times are the same: the sink splices the
    writer's captions (the EDM kept only before a gap, a caption moved after the previous
    one's painting), including a long cue that becomes several captions."""
    cues = [*LIVE, Cue.make(12000, 20000, "and a long cue that keeps going " * 6)]
    path = tmp_path / "live.scc"
    sink = RollUpSink(path, rows, host=host)
    sink.publish(cues[:2], [])
    for cue in cues[2:]:
        sink.publish([cue], [])
    sink.close()
    batch = api.dumps(Transcript(cues), "scc", host=host, scc_mode=f"rollup{rows}")
    assert path.read_text(encoding="ascii") == batch


def test_a_reader_never_sees_half_a_file(tmp_path: Path, host: PluginHost) -> None:
    """Read the file over and over while it is rewritten: every version read is whole. The
    writer waits after each publish for two more reads, so that the reader sees every
    version (each is longer than the last) however the threads are scheduled."""
    path = tmp_path / "live.scc"
    sink = RollUpSink(path, host=host)
    line = re.compile(r"\d\d:\d\d:\d\d;\d\d\t[0-9a-f]{4}( [0-9a-f]{4})*")
    stop = threading.Event()
    sizes: set[int] = set()
    broken: list[bytes] = []
    reads = [0]

    def read() -> None:
        while not stop.is_set():
            data = path.read_bytes()
            reads[0] += 1
            sizes.add(len(data))
            text = data.decode("ascii")
            whole = text.startswith("Scenarist_SCC V1.0\n") and text.endswith("\n")
            if not whole or not all(line.fullmatch(b.strip()) for b in text.split("\n\n")[1:]):
                broken.append(data)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for n in range(150):
            sink.publish([Cue.make(n * 700, n * 700 + 600, f"line {n} " * 3)], [])
            due = reads[0] + 2
            until("the reader's next two reads", lambda due=due: reads[0] >= due or None)
    finally:
        stop.set()
        reader.join()
    sink.close()
    assert len(sizes) >= 150, "the reader missed versions"
    assert broken == []


def test_writer_options_pass_through(tmp_path: Path, host: PluginHost) -> None:
    path = tmp_path / "live.scc"
    options = {"start_timecode": "01:00:00:00", "scc_drop_frame": False}
    sink = RollUpSink(path, host=host, options=options)
    sink.publish(LIVE, [])
    sink.close()
    batch = api.dumps(Transcript(LIVE), "scc", host=host, scc_mode="rollup2", **options)
    assert path.read_text(encoding="ascii") == batch
    assert batch.startswith("Scenarist_SCC V1.0\n\n01:00:00:00\t")


def test_resolved_options_and_the_writer_notes(tmp_path: Path, host: PluginHost) -> None:
    """The live command hands over options it resolved already; notes come back as lines."""
    path = tmp_path / "live.scc"
    resolved = resolve_options(host, {"start_timecode": "00:59:00;00", "scc_mode": "popon"})
    told: list[str] = []
    sink = RollUpSink(path, 3, host=host, options=resolved, report=told.append)
    cues = [*LIVE[:2], Cue.make(2000, 3000, "日本 works")]
    sink.publish(cues, [])
    sink.close()
    batch = api.dumps(
        Transcript(cues), "scc", host=host, scc_mode="rollup3", start_timecode="00:59:00;00"
    )
    assert path.read_text(encoding="ascii") == batch  # roll-up whatever scc_mode said
    assert told and all(line.startswith(f"{path}: warning: scc: ") for line in told), told
    assert any("日" in line for line in told)


def test_memory_stays_bounded_while_the_file_grows(tmp_path: Path, host: PluginHost) -> None:
    path = tmp_path / "live.scc"
    sink = RollUpSink(path, 3, host=host)

    def feed(first: int, count: int) -> None:
        for n in range(first, first + count):
            text = f"caption number {n} " * 3  # two rows
            sink.publish([Cue.make(n * 2000, n * 2000 + 1900, text)], [])

    feed(0, 50)  # caches of the writer and the host warm up
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        size = path.stat().st_size
        feed(50, 300)
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    grown = path.stat().st_size - size
    assert grown > 30_000
    assert kept < grown // 10, (kept, grown)
    sink.close()
    assert len(_ttconv_rows(path.read_text(encoding="ascii"))) == 2 * 350


def test_refusals(tmp_path: Path, host: PluginHost) -> None:
    with pytest.raises(CaptionbridgeError, match="2 or 3 rows"):
        RollUpSink(tmp_path / "x.scc", 4, host=host)
    sink = RollUpSink(tmp_path / "x.scc", host=host)
    hours = 3_600_000
    with pytest.raises(CaptionbridgeError, match="99:59:59"):
        sink.publish([LIVE[0], Cue.make(100 * hours, 100 * hours + 900, "too late")], [])
    assert _ttconv_rows(sink.path.read_text(encoding="ascii")) == [LIVE[0].text]  # kept
    sink.close()
    sink.close()  # a second close does nothing
    with pytest.raises(CaptionbridgeError, match="closed"):
        sink.publish(LIVE[:1], [])
    kept = sink.path.read_bytes()
    with pytest.raises(OutputExistsError, match="--force"):
        RollUpSink(sink.path, host=host)
    assert sink.path.read_bytes() == kept  # untouched
    RollUpSink(sink.path, host=host, force=True).close()
    assert sink.path.read_text(encoding="ascii") == "Scenarist_SCC V1.0\n"


# --- the browser overlay ---------------------------------------------------------------------


class Stream:
    """An event stream read with urllib: its events one at a time (comments kept apart)."""

    def __init__(self, url: str, last_event_id: str | None = None) -> None:
        headers = {"Accept": "text/event-stream"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = last_event_id
        request = urllib.request.Request(url + "events", headers=headers)
        self.response = urllib.request.urlopen(request, timeout=30)
        self.comments: list[str] = []

    def next(self) -> dict[str, str]:
        """The next block of fields (an event, or the ``retry`` block); comments are kept in
        ``comments``; an empty dict at the end of the stream."""
        fields: dict[str, str] = {}
        while (line := self.line()) is not None:
            if not line:
                if fields:
                    return fields
                continue
            if line.startswith(":"):
                self.comments.append(line)
                continue
            name, _, value = line.partition(": ")
            fields[name] = value
        return fields

    def line(self) -> str | None:
        """The next line (without its end), or None at the end of the stream."""
        raw = self.response.readline()
        return raw.decode("utf-8").rstrip("\n") if raw else None

    def state(self) -> dict[str, Any]:
        event = self.next()
        assert "data" in event, event
        data: dict[str, Any] = json.loads(event["data"])
        data["id"] = event["id"]
        data["event"] = event.get("event", "message")
        return data

    def close(self) -> None:
        self.response.close()


def _shown(state: dict[str, Any]) -> list[tuple[str, bool]]:
    return [(line["text"], line["pending"]) for line in state["lines"]]


@pytest.fixture
def overlay() -> Iterator[OverlaySink]:
    sink = OverlaySink("127.0.0.1", 0, heartbeat=0.2)
    try:
        yield sink
    finally:
        sink.close()


def test_the_event_stream_gives_the_captions(overlay: OverlaySink) -> None:
    assert overlay.url == f"http://127.0.0.1:{overlay.port}/"
    stream = Stream(overlay.url)
    assert stream.response.headers["Content-Type"] == "text/event-stream; charset=utf-8"
    assert stream.response.headers["Cache-Control"] == "no-store"
    assert stream.next() == {"retry": "1000"}
    first = stream.state()
    assert first["lines"] == [] and first["done"] is False
    overlay.publish([LIVE[0]], [Cue.make(1500, 2000, "a guess")])
    assert _shown(stream.state()) == [("Good evening.", False), ("a guess", True)]
    overlay.publish([], [Cue.make(1500, 2200, "a better guess")])  # revised: replaced
    assert _shown(stream.state()) == [("Good evening.", False), ("a better guess", True)]
    overlay.publish([LIVE[1], LIVE[2]], [])
    revised = stream.state()
    assert _shown(revised) == [("A very short one", False), ("and the next right after it", False)]
    ids = [first["id"], revised["id"]]
    assert ids[0].split("-")[0] == ids[1].split("-")[0] and ids[0] != ids[1]
    overlay.close()
    last = stream.state()
    assert last["event"] == "end" and last["done"] is True
    assert _shown(last) == _shown(revised)
    assert stream.next() == {}  # the server ended the stream
    stream.close()
    with pytest.raises(CaptionbridgeError, match="closed"):
        overlay.publish(LIVE, [])


def test_heartbeats_and_last_event_id_replay(overlay: OverlaySink) -> None:
    overlay.publish([LIVE[3]], [])
    stream = Stream(overlay.url)
    stream.next()
    current = stream.state()
    stream.close()
    # a client that has the current state gets no replay: heartbeats until something changes
    again = Stream(overlay.url, last_event_id=current["id"])
    assert again.next() == {"retry": "1000"}
    idle = [again.line() for _ in range(4)]
    assert idle == [": heartbeat", "", ": heartbeat", ""]  # and no event
    again.close()
    # one that missed events (or saw an earlier run of the server) gets the current state
    for stale in (f"{current['id'].split('-')[0]}-0", "0123abcd-7", "nonsense"):
        replay = Stream(overlay.url, last_event_id=stale)
        replay.next()
        assert replay.state()["id"] == current["id"]
        replay.close()


def test_the_latest_lines_only(overlay: OverlaySink) -> None:
    three = OverlaySink(lines=3)
    try:
        for sink in (overlay, three):
            sink.publish(LIVE[:4], [Cue.make(9000, 9500, "two\nlines")])
        stream = Stream(overlay.url)
        stream.next()
        assert _shown(stream.state()) == [("two", True), ("lines", True)]
        stream.close()
        stream = Stream(three.url)
        stream.next()
        assert _shown(stream.state()) == [("after a pause", False), ("two", True), ("lines", True)]
        stream.close()
    finally:
        three.close()


def test_streams_beyond_the_limit_are_answered_503() -> None:
    sink = OverlaySink(max_streams=1, heartbeat=0.2)
    try:
        first = Stream(sink.url)
        with pytest.raises(urllib.error.HTTPError) as refused:
            Stream(sink.url)
        assert refused.value.code == 503 and refused.value.headers["Retry-After"] == "5"
        refused.value.close()
        first.close()  # noticed at the next heartbeat: the place is free again
        until("the closed stream noticed", lambda: sink.board.streams == 0 or None)
        second = Stream(sink.url)
        assert second.next() == {"retry": "1000"}
        second.close()
    finally:
        sink.close()


def test_the_server_refuses_what_it_should(overlay: OverlaySink) -> None:
    assert overlay._server.server_address[0] == "127.0.0.1"  # bound to the host given only
    with urllib.request.urlopen(overlay.url, timeout=30) as page:
        assert page.headers["Content-Type"] == "text/html; charset=utf-8"
        body = page.read().decode("utf-8")
    assert 'new EventSource("events")' in body and "textContent" in body
    assert "innerHTML" not in body
    for path, host, code in (("missing", None, 404), ("events", "attacker.example", 421)):
        request = urllib.request.Request(overlay.url + path)
        if host:
            request.add_header("Host", host)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == code
        refused.value.close()
    with pytest.raises(
        CaptionbridgeError, match=rf"^cannot serve the overlay on 127.0.0.1:{overlay.port}: "
    ):
        OverlaySink(port=overlay.port)


#: what the overlay page shows: its caption lines, those pending, how many elements its
#: captions hold (none: text, never markup) and its state
SHOWN = """({
  lines: Array.from(document.querySelectorAll("#captions .line"), (e) => e.textContent),
  pending: Array.from(document.querySelectorAll("#captions .pending"), (e) => e.textContent),
  markup: document.querySelectorAll("#captions b, #captions script").length,
  state: document.body ? (document.body.dataset.state || "") : "",
})"""


def _showing(page: Page, lines: list[str], state: str = "live") -> dict[str, Any]:
    """Wait for the page to show ``lines`` in ``state``; return what it shows then."""
    shown: dict[str, Any] = page.until(
        SHOWN, lambda value: value["lines"] == lines and value["state"] == state
    )
    return shown


class _Unavailable(BaseHTTPRequestHandler):
    """What a port may answer during a restart (a proxy's 503): EventSource gives up on it."""

    asked: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.asked.append(self.path)
        self.send_error(503)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_chromium_shows_the_captions_and_follows_a_restart() -> None:
    require_tool("chromium")
    sink = OverlaySink(retry_ms=200)
    port = sink.port
    try:
        with Page(sink.url) as page:
            _showing(page, [])
            hostile = Cue.make(0, 1000, "<b>bold</b> & <script>x()</script>")
            sink.publish([LIVE[0], hostile], [Cue.make(1000, 2000, "maybe")])
            shown = _showing(page, ["<b>bold</b> & <script>x()</script>", "maybe"])
            assert shown["pending"] == ["maybe"] and shown["markup"] == 0  # text, never markup
            sink.publish([Cue.make(1000, 2000, "surely")], [])
            _showing(page, ["<b>bold</b> & <script>x()</script>", "surely"])
            sink.close()
            _showing(page, ["<b>bold</b> & <script>x()</script>", "surely"], state="done")
            # the port answers 503 for a while: the browser closes the EventSource, the page opens
            # a new one (more than one request), then the live server is back on the same port
            _Unavailable.asked.clear()
            stand_in = ThreadingHTTPServer(("127.0.0.1", port), _Unavailable)
            serving = threading.Thread(target=stand_in.serve_forever, daemon=True)
            serving.start()
            until(
                lambda: f"the page coming back after a 503: {_Unavailable.asked}",
                lambda: _Unavailable.asked.count("/events") >= 2 or None,
            )
            stand_in.shutdown()
            stand_in.server_close()
            sink = OverlaySink(port=port)
            sink.publish([Cue.make(3000, 4000, "back after the restart")], [])
            _showing(page, ["back after the restart"])  # a new run: its own captions only
    finally:
        sink.close()


@pytest.mark.parametrize("style", SPEAKER_STYLES)
def test_speakers_are_marked_cue_by_cue_as_in_the_whole_file(
    tmp_path: Path, host: PluginHost, style: str
) -> None:
    """A caption of two speakers whose first continues the last one shown gets no label for
    it, and a cue without speaker between two of one speaker does not make the second
    labelled again: the writer is told the last cue with turns (``WriteContext.previous``)."""
    path = tmp_path / "live.scc"
    sink = RollUpSink(path, host=host, options={"speaker_style": style})
    for cue in SPOKEN:
        sink.publish([cue], [])
    sink.close()
    batch = api.dumps(Transcript(SPOKEN), "scc", host=host, scc_mode="rollup2", speaker_style=style)
    assert path.read_text(encoding="ascii") == batch


@pytest.mark.parametrize("style", SPEAKER_STYLES)
def test_the_overlay_marks_speakers_cue_by_cue_as_all_at_once(style: str) -> None:
    cue_by_cue = OverlaySink(lines=100, speaker_style=style)
    at_once = OverlaySink(lines=100, speaker_style=style)
    try:
        for at, cue in enumerate(SPOKEN):
            cue_by_cue.publish([cue], SPOKEN[at + 1 : at + 2])
        at_once.publish(SPOKEN, [])
        assert list(cue_by_cue.board.final) == list(at_once.board.final)
    finally:
        cue_by_cue.close()
        at_once.close()
