"""Headless Chromium for the browser tests: the one driver, DevTools over a pipe.

Each :class:`Page` is a browser of its own (a fresh profile) showing one URL in real time, so
media, event streams and timers run as they do for a user; a test evaluates a JavaScript
expression in it until the value it waits for appears. No client library: with
``--remote-debugging-pipe`` Chromium reads JSON commands ended by NUL on fd 3 and writes its
replies and events on fd 4. :func:`serve` gives pages an HTTP origin.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from conftest import require_tool
from waiting import HANG, until

__all__ = ["FLAGS", "Page", "page_result", "serve", "wait_for_value"]

#: the flags of every headless Chromium the tests start (each gets its own profile folder)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on a free local port; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _onto_3_and_4(read_end: int, write_end: int) -> None:
    # via fresh descriptors first, so that neither end is overwritten by the other's dup2
    read_end, write_end = os.dup(read_end), os.dup(write_end)
    os.dup2(read_end, 3)
    os.dup2(write_end, 4)


class _Pipe:
    """One Chromium process and its DevTools pipe: a command, then its reply."""

    def __init__(self, chromium: str, profile: str) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        self.process = subprocess.Popen(
            [
                chromium,
                *FLAGS,
                f"--user-data-dir={profile}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,  # keep the 3 and 4 made below (Python opens fds non-inheritable)
            preexec_fn=lambda: _onto_3_and_4(to_chrome_r, from_chrome_w),
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command; return its result (the events that come before it are dropped)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                # a bound on a hung browser, not a timing
                if not select.select([self._from_chrome], [], [], HANG)[0]:
                    raise AssertionError(f"Chromium gave no reply to {method} in {HANG} s")
                chunk = os.read(self._from_chrome, 65536)
                if not chunk:
                    raise RuntimeError(f"Chromium closed the pipe during {method}")
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            reply: dict[str, Any] = json.loads(raw)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, OSError, AssertionError):
            self.call("Browser.close")
        try:
            self.process.wait(timeout=HANG)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)


class JavaScriptError(Exception):
    """An expression evaluated in a page threw."""


class Page:
    """``url`` open in a headless Chromium of its own; use it as a context manager."""

    def __init__(self, url: str) -> None:
        chromium = require_tool("chromium")
        self.url = url
        self._profile = tempfile.TemporaryDirectory(prefix="cb-chromium-")
        self._pipe = _Pipe(chromium, self._profile.name)
        try:
            target = self._pipe.call("Target.createTarget", url=url)["targetId"]
            reply = self._pipe.call("Target.attachToTarget", targetId=target, flatten=True)
        except BaseException:
            self.close()
            raise
        self._session: str = reply["sessionId"]

    def __enter__(self) -> Page:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def evaluate(self, expression: str, *, wait: bool = False) -> Any:
        """The value of ``expression`` in the page now (JSON-like); with ``wait``, of the
        promise it gives, once settled. :class:`JavaScriptError` if it throws (or rejects)."""
        reply = self._pipe.call(
            "Runtime.evaluate",
            self._session,
            expression=expression,
            returnByValue=True,
            awaitPromise=wait,
        )
        if "exceptionDetails" in reply:
            raise JavaScriptError(reply["exceptionDetails"].get("text", "exception"))
        return reply["result"].get("value")

    def until(self, expression: str, accept: Callable[[Any], bool]) -> Any:
        """Evaluate ``expression`` every 50 ms until ``accept`` takes its value (a throw is no
        value: the page may still be loading); return that value."""
        last: list[Any] = [None]

        def look() -> tuple[Any] | None:
            with contextlib.suppress(JavaScriptError):
                last[0] = self.evaluate(expression)
                return (last[0],) if accept(last[0]) else None
            return None

        return until(lambda: f"{expression!r} is {last[0]!r} at {self.url}", look, every=0.05)[0]

    def close(self) -> None:
        """Close the browser and remove its profile."""
        self._pipe.close()
        self._profile.cleanup()


def wait_for_value(url: str, expression: str, *, pending: object = None) -> Any:
    """Open ``url`` and return the first value of ``expression`` other than ``pending``."""
    with Page(url) as page:
        return page.until(expression, lambda value: value != pending)


def page_result(folder: Path, url: str, page: str) -> Any:
    """Write ``page`` as ``folder/index.html``, open it from ``url`` and return the JSON its
    script puts into ``<pre id="out">`` in place of ``pending`` (``error`` there fails)."""
    (folder / "index.html").write_text(page, encoding="utf-8")
    shown = '(document.getElementById("out") || {}).textContent || "pending"'
    payload = wait_for_value(f"{url}/index.html", shown, pending="pending")
    assert payload != "error", "Chromium did not load the track"
    return json.loads(payload)
