"""SCC output pinned byte for byte (SHA-256), so speed work cannot change what is written.

The decoders in test_scc.py check that the output is right; these pins check that it stays the
same. A deliberate change of output updates the pin here, with a note saying why.

History: the pop-on pins changed once, when loadings that do not fit behind the previous
caption were made smaller step by step (scc_timeline.STEPS) instead of appearing late (seed:
32 late captions -> 15). FORMER keeps the earlier pins: with those steps switched off
(``steps=2``) the scheduler still writes exactly the former files.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from broadcast_samples import HOSTILE

from captionbridge.flow.pipeline import read_text, resolve_options, transform
from captionbridge.host.registry import PluginHost
from captionbridge.plugins.broadcast import scc, scc_timeline
from captionbridge.specs import WriteContext

# (input, options, SHA-256 of the file, captions marked late)
Pin = tuple[str, dict[str, Any], str, int]

_ROLLUP: list[Pin] = [
    (
        "seed",
        {"scc_mode": "rollup2"},
        "fae6213bb1940d643a6b73c351bcc6f5b477a9779d66c173056f14881c741072",
        5,
    ),
    (
        "seed",
        {"scc_mode": "rollup3", "fps": "30"},
        "a79d2ae9450b09f3b86de83286cef4e2492188d91c8bc6672da49801b60b0e58",
        4,
    ),
    (
        "hostile",
        {"scc_rows": 3, "start_timecode": "00:59:59;00"},
        "2b2fa3f867598fd2c441008063bfa721427452c4b864158a414e772d3d6fadc3",
        0,
    ),
]  # the last one is pop-on with room for every loading: no step beyond the second is needed

PINS: list[Pin] = [
    ("seed", {}, "78b9461587944b8e6cf69e1a7228d4107acadd10590f9b92f46ac959c124e536", 15),
    (
        "seed",
        {"start_timecode": "01:00:00;00"},
        "98b7e7e94dd67942718a38fd86c810fd033f2c02289a371fe9cebe167d3da9c5",
        14,
    ),
    (
        "seed",
        {"scc_rows": 4},
        "5f98487677dd7e0db1a81d03195a3e00b08f02900aaf7330056fe9fdaf0dfc1e",
        12,
    ),
    (
        "seed",
        {"scc_rows": 1, "scc_drop_frame": False},
        "7630173f72e0448c9b49dbcd3d317878f05322291c747906cb0ecab6a144519b",
        144,
    ),
    ("hostile", {}, "cfac2739e58efd77fb11255a4e0c81bff5c49a52829db1a9c24351e5647072e6", 2),
    *_ROLLUP,
]

FORMER: list[Pin] = [
    ("seed", {}, "9136f67784c854f3966278b5883b01675a1a0aee453736c52d5dc97ea00f0eb0", 32),
    (
        "seed",
        {"start_timecode": "01:00:00;00"},
        "fa60e138a5a6af00044833df32d9ee2e343b3e277a727733a612372872b97f36",
        31,
    ),
    (
        "seed",
        {"scc_rows": 4},
        "970426e3ff9a0929cda82baf361f73a8c7d396cf2128e5b1661923896affdc6a",
        28,
    ),
    (
        "seed",
        {"scc_rows": 1, "scc_drop_frame": False},
        "cdcd25fa74b1c77602bb47ccac0074121a3eee1dba40ee2a96043bc743b804bf",
        196,
    ),
    ("hostile", {}, "a9999cff5c5e7ed36e2d3d991c8ff21dcef5961b2ed90180e1062c6659de0f3a", 2),
]


def _check(host: PluginHost, seed_path: Path, pin: Pin) -> None:
    source, options, digest, late = pin
    text = seed_path.read_text(encoding="utf-8") if source == "seed" else HOSTILE
    values = resolve_options(host, options)
    transcript = transform(read_text(text, "in.txt", host, values), host, values)
    plan, out = scc.build(transcript, WriteContext(values))
    assert sum(1 for c in plan.captions if c.late) == late
    assert hashlib.sha256(out.encode("ascii")).hexdigest() == digest


@pytest.mark.parametrize("pin", PINS)
def test_scc_output_is_pinned(host: PluginHost, seed_path: Path, pin: Pin) -> None:
    _check(host, seed_path, pin)


@pytest.mark.parametrize("pin", FORMER)
def test_without_the_new_steps_the_former_output_is_written(
    host: PluginHost, seed_path: Path, pin: Pin, monkeypatch: pytest.MonkeyPatch
) -> None:
    def two_steps(captions: list[scc.Caption]) -> tuple[list[scc.Caption], Any]:
        return scc_timeline.schedule_popon(captions, steps=2)

    monkeypatch.setattr(scc, "schedule_popon", two_steps)
    _check(host, seed_path, pin)
