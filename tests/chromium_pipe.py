"""Drive headless Chromium over the DevTools protocol on a pipe, with no client library.

``--dump-dom`` with a virtual-time budget cannot wait for media or event streams, which run in
real time; this opens a page and polls a JavaScript expression until it gives a value, for as
long as the machine needs (``--remote-debugging-pipe``: JSON messages ended by NUL on fds 3/4).
:class:`Page` keeps one page open for several such waits.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import tempfile
import time
from collections.abc import Callable
from typing import Any

__all__ = ["Page", "wait_for_value"]


def _onto_3_and_4(read_end: int, write_end: int) -> None:
    # via fresh descriptors first, so that neither end is overwritten by the other's dup2
    read_end, write_end = os.dup(read_end), os.dup(write_end)
    os.dup2(read_end, 3)
    os.dup2(write_end, 4)


class _Pipe:
    def __init__(self, chromium: str, profile: str) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        # Chromium reads commands on fd 3 and writes replies on fd 4.
        self.process = subprocess.Popen(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--autoplay-policy=no-user-gesture-required",
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
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
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
        with contextlib.suppress(RuntimeError, OSError):
            self.call("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.close(self._to_chrome)
        os.close(self._from_chrome)


class Page:
    """A page kept open in headless Chromium (a browser of its own) while JavaScript
    expressions are evaluated in it; use it as a context manager."""

    def __init__(self, chromium: str, url: str) -> None:
        self._profile = tempfile.TemporaryDirectory()
        self.url = url
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

    def until(self, expression: str, accept: Callable[[Any], bool], *, timeout: float = 90) -> Any:
        """Evaluate ``expression`` every 100 ms until ``accept`` takes its value (an exception
        is not a value); return that value, or raise after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        value: object = None
        while time.monotonic() < deadline:
            reply = self._pipe.call(
                "Runtime.evaluate", self._session, expression=expression, returnByValue=True
            )
            if "exceptionDetails" not in reply:
                value = reply["result"].get("value")
                if accept(value):
                    return value
            time.sleep(0.1)
        raise AssertionError(f"{expression!r} still {value!r} after {timeout} s at {self.url}")

    def close(self) -> None:
        """Close the browser and remove its profile."""
        self._pipe.close()
        self._profile.cleanup()


def wait_for_value(
    chromium: str, url: str, expression: str, *, pending: object = None, timeout: float = 90
) -> Any:
    """Open ``url`` and evaluate ``expression`` every 100 ms until its value is not
    ``pending`` (nor an exception); return that value, or raise after ``timeout`` seconds."""
    with Page(chromium, url) as page:
        return page.until(expression, lambda value: value != pending, timeout=timeout)
