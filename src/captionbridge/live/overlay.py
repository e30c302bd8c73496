"""The browser overlay live sink: a small local web server showing the current captions, for
OBS's browser source (or any browser).

``GET /`` is the overlay page (:mod:`.overlay_page`); ``GET /events`` is a server-sent events
stream (``text/event-stream``): a ``retry:`` field, then one event per change whose data is the
JSON state ``{"lines": [{"text", "pending"}], "done"}`` (the latest lines, finalised and
pending; a pending line is replaced when its cue is revised), with ``id: <run>-<number>``.
A client that reconnects with ``Last-Event-ID`` gets the current state replayed unless it has
it already (a new run has a new ``<run>``, so a restarted server always replays). A comment
line every ``heartbeat`` seconds keeps proxies from closing an idle stream and lets the server
notice a client that is gone. ``close()`` sends a last event named ``end`` (``"done": true``).

The server is the standard library's ``ThreadingHTTPServer`` in a daemon thread, one thread per
client: an overlay has a handful of clients, so a dependency (and an event loop in the live
process) would buy nothing. It listens on the given address only (127.0.0.1 by default); on a
loopback address it also refuses requests whose ``Host`` is not a loopback name, so a web page
cannot read the captions through DNS rebinding.
"""

from __future__ import annotations

import json
import secrets
import socket
import threading
from collections import deque
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_address
from typing import Any
from urllib.parse import urlsplit

from ..errors import CaptionbridgeError
from ..helpers.render import cue_texts, last_turned
from ..model import Content, Cue, Transcript
from .overlay_page import PAGE

__all__ = ["OverlaySink"]

_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
#: what cue_texts puts before a line that starts with "-" or ">>" so that it is not read as a
#: turn marker; the page is never read back, so it goes
WORD_JOINER = "\u2060"


class _Board:
    """What the overlay shows, and the condition its streams wait on."""

    def __init__(self, lines: int) -> None:
        self.changed = threading.Condition()
        self.run = secrets.token_hex(4)
        self.number = 0
        self.final: deque[str] = deque(maxlen=lines)
        self.lines = lines
        self.pending: list[str] = []
        self.done = False
        self.streams = 0
        self.data = self._data()

    def _data(self) -> str:
        shown = [(text, False) for text in self.final] + [(text, True) for text in self.pending]
        lines = [{"text": text, "pending": pending} for text, pending in shown[-self.lines :]]
        return json.dumps({"lines": lines, "done": self.done}, ensure_ascii=False)

    def update(self, finalised: Sequence[str], pending: Sequence[str], done: bool) -> None:
        """Show the texts of the newly final cues and of the pending ones."""
        with self.changed:
            for text in finalised:
                self.final.extend(_lines(text))
            self.pending = [line for text in pending for line in _lines(text)][-self.lines :]
            self.done = done
            self.number += 1
            self.data = self._data()
            self.changed.notify_all()

    def event_id(self) -> str:
        return f"{self.run}-{self.number}"

    def after(self, seen: int, timeout: float) -> tuple[int, str, str, bool]:
        """Wait up to ``timeout`` seconds for a state other than number ``seen``; return the
        state then (number, event id, data, done), which may still be ``seen``."""
        with self.changed:
            self.changed.wait_for(lambda: self.number != seen, timeout)
            return self.number, self.event_id(), self.data, self.done


def _lines(text: str) -> list[str]:
    return [line for line in (" ".join(part.split()) for part in text.split("\n")) if line]


class _Handler(BaseHTTPRequestHandler):
    board: _Board
    heartbeat: float
    retry_ms: int
    max_streams: int
    loopback: bool
    server_version = "captionbridge-overlay"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the live command reports on its own."""

    def do_GET(self) -> None:
        if self.loopback and not self._loopback_host():
            self.send_error(421, "not a loopback host name")
            return
        path = urlsplit(self.path).path
        if path in ("/", "/index.html"):
            body = PAGE.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            self.wfile.write(body)
        elif path == "/events":
            if self._admit():
                self._stream()
        else:
            self.send_error(404)

    def _loopback_host(self) -> bool:
        name = urlsplit("//" + self.headers.get("Host", "")).hostname
        return name in _LOOPBACK_NAMES

    def _admit(self) -> bool:
        """Count the stream in, or answer 503 when ``max_streams`` are open (each holds a
        thread; a client that is gone is noticed at the next heartbeat)."""
        board = self.board
        with board.changed:
            if board.streams >= self.max_streams:
                full = True
            else:
                full = False
                board.streams += 1
        if full:
            self.send_response(503)
            self.send_header("Retry-After", "5")
            self.send_header("Content-Length", "0")
            self.end_headers()
        return not full

    def _stream(self) -> None:
        board = self.board
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Accel-Buffering", "no")
            self.end_headers()
            with board.changed:
                known = self.headers.get("Last-Event-ID") == board.event_id()
                seen = board.number if known else -1
            self._send(f"retry: {self.retry_ms}\n\n")
            while True:
                number, event_id, data, done = board.after(seen, self.heartbeat)
                if number == seen:
                    if done:
                        return  # the client has the last event already
                    self._send(": heartbeat\n\n")
                    continue
                seen = number
                kind = "event: end\n" if done else ""
                self._send(f"id: {event_id}\n{kind}data: {data}\n\n")
                if done:
                    return
        except OSError:
            return  # the client went away
        finally:
            with board.changed:
                board.streams -= 1
                board.changed.notify_all()

    def _send(self, text: str) -> None:
        self.wfile.write(text.encode("utf-8"))
        self.wfile.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True


class _Server6(_Server):
    address_family = socket.AF_INET6


class OverlaySink:
    """Live sink serving the overlay page and its event stream at ``url`` (``http://host:port/``;
    port 0 picks a free port). The server starts here, in a daemon thread.

    ``lines`` is how many lines the overlay shows (the latest ones); ``heartbeat`` the seconds
    between keep-alive comments; ``retry_ms`` the reconnection delay the stream asks for;
    ``max_streams`` how many event streams may be open at once (more are answered 503).
    ``speaker_style`` shows speakers as the caption files do (the option of that name: a
    ``- `` before a new speaker's turn, ``NAME: `` before a known speaker's).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        lines: int = 2,
        heartbeat: float = 15.0,
        retry_ms: int = 1000,
        max_streams: int = 32,
        speaker_style: str = "auto",
    ) -> None:
        host = host.strip("[]")  # "[::1]" as in a URL
        self.board = _Board(lines)
        handler = type(
            "OverlayHandler",
            (_Handler,),
            {
                "board": self.board,
                "heartbeat": heartbeat,
                "retry_ms": retry_ms,
                "max_streams": max_streams,
                "loopback": _is_loopback(host),
            },
        )
        server_class = _Server6 if ":" in host else _Server
        try:
            self._server = server_class((host, port), handler)
        except OSError as exc:
            raise CaptionbridgeError(
                f"cannot serve the overlay on {host}:{port}: {exc.strerror or exc}"
            ) from None
        self.port: int = self._server.server_address[1]
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{self.port}/"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"captionbridge overlay {self.url}",
            daemon=True,
        )
        self._thread.start()
        self._closed = False
        self._speaker_style = speaker_style
        self._previous: Content | None = None  # the last final cue with turns

    def publish(self, finalised: Sequence[Cue], pending: Sequence[Cue]) -> None:
        """Show the new final lines and the pending ones (replacing the previous pending)."""
        if self._closed:
            raise CaptionbridgeError("the overlay is closed")
        final_texts = self._texts(finalised)
        self._previous = last_turned(finalised, self._previous)
        self.board.update(final_texts, self._texts(pending), done=False)

    def _texts(self, cues: Sequence[Cue]) -> list[str]:
        """The cues' texts with their speakers marked as the caption writers mark them, after
        the final cues (a label only where the speaker changes)."""
        if not cues:
            return []
        texts = cue_texts(Transcript(list(cues)), self._speaker_style, self._previous)
        return [text.replace(WORD_JOINER, "") for text in texts]

    def close(self, wait: float = 2.0) -> None:
        """Send the last event to every client (up to ``wait`` seconds), then stop the server."""
        if self._closed:
            return
        self._closed = True
        board = self.board
        board.update((), (), done=True)
        with board.changed:
            board.changed.wait_for(lambda: board.streams == 0, wait)
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False
