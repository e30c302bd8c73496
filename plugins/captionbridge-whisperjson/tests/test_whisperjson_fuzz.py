"""The reader keeps the promise every reader keeps (captionbridge.testing): any bytes
give a transcript with sound fields or a clean error naming its source, with work that grows
linearly. ``corpus/`` holds inputs that once broke it (found by fuzz/fuzz_readers.py)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from captionbridge.testing import check_reader_input, nonlinear_shapes, plugin_host

HOST = plugin_host()
READER = "whisper-json"
CORPUS = sorted((Path(__file__).parent / "corpus").iterdir())
OPTION_SETS = ({}, {"lenient": True}, {"keep_empty": True})
TOKENS = [
    '{"segments": [', '{"start": 0.0, "end": 1.5, "text": "x"', ', "speaker": "A"',
    ', "words": [{"word": "x", "start": 0, "end": 1}]', '"offsets": {"from": 0, "to": 10}',
    "}", "]", ",", "1e308", "NaN", "-0.5", '"transcription": [',
]  # fmt: skip


# the core's "ci" profile (tests/conftest.py): no deadline, so a busy machine cannot fail it;
# the same examples every run
QUICK = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
    database=None,
)


def _check(data: bytes, options: dict[str, object]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_reader_input(HOST, READER, data, options)


@QUICK
@given(data=st.binary(max_size=400), option=st.sampled_from(OPTION_SETS))
def test_random_bytes(data: bytes, option: dict[str, object]) -> None:
    _check(data, option)


@QUICK
@given(tokens=st.lists(st.sampled_from(TOKENS), max_size=40), option=st.sampled_from(OPTION_SETS))
def test_token_soup(tokens: list[str], option: dict[str, object]) -> None:
    _check("".join(tokens).encode("utf-8"), option)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_replays(path: Path) -> None:
    for option in OPTION_SETS:
        _check(path.read_bytes(), option)


def test_adversarial_input_takes_linear_work() -> None:
    assert nonlinear_shapes(HOST, READER) == []
