"""The W3C WebVTT conformance material, and the reference parser run through node.

Both live outside the repository (``../shared/conformance/webvtt``, beside the clone in CI);
when they are missing the tests that use them fail; a missing node fails in CI (see
``conftest.require_tool``).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from conftest import require_tool

from captionbridge.plugins.vtt.blocks import RawCue, parse_document

WEBVTT = Path(__file__).resolve().parents[1].parent / "shared" / "conformance" / "webvtt"
HARNESS = Path(__file__).with_name("webvtt_ref.js")


def conformance_files() -> list[Path]:
    """Every ``.vtt`` of the conformance folder (file-parsing and cue-parsing cases)."""
    files = sorted(WEBVTT.rglob("*.vtt"))
    assert len(files) >= 40, f"the WebVTT conformance cases are missing from {WEBVTT}"
    return files


def node(request: dict[str, Any]) -> Any:
    """Run the node harness on one request."""
    exe = require_tool("node")
    done = subprocess.run(
        [exe, str(HARNESS)], input=json.dumps(request), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def reference_parse(texts: list[str]) -> list[list[dict[str, Any]]]:
    """The W3C reference parser's cues for each text: id, times (s), raw text, text pieces."""
    files = WEBVTT / "files"
    request = {
        "mode": "parse",
        "parser": str(files / "parser.js"),
        "entities": str(files / "html-entities.json"),
        "texts": texts,
    }
    result: list[list[dict[str, Any]]] = node(request)
    return result


def cue_order(cues: list[RawCue]) -> list[RawCue]:
    """Cues in the text track cue order: by start, then longest first, then file order."""
    return sorted(cues, key=lambda c: (c.start, -c.end))


def our_raw_cues(text: str) -> list[RawCue]:
    """Our parser's cues in cue order; none when the signature is invalid."""
    doc = parse_document(text)
    return [] if doc is None else cue_order(doc.cues)
