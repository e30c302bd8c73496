"""Headless Chromium for the browser tests: a local web server and one page load whose DOM
is dumped once its scripts are done."""

from __future__ import annotations

import html
import json
import re
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from conftest import CHROMIUM_FLAGS, require_tool


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
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


def page_result(folder: Path, url: str, page: str) -> Any:
    """Load ``page`` (written as ``index.html``) in headless Chromium and return the JSON its
    script put into ``<pre id="out">`` (``pending`` or ``error`` there fail the test)."""
    chromium = require_tool("chromium")
    (folder / "index.html").write_text(page, encoding="utf-8")
    result = subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={folder / 'profile'}",
            "--virtual-time-budget=10000",
            "--dump-dom",
            f"{url}/index.html",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found = re.search(r'<pre id="out">(.*?)</pre>', result.stdout, re.S)
    assert found, result.stderr[-2000:]
    payload = html.unescape(found.group(1))
    assert payload not in ("pending", "error"), "Chromium did not load the track"
    return json.loads(payload)
