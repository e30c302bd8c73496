"""The cyclic collector is paused during a hot path and always given back as it was."""

from __future__ import annotations

import gc

import pytest

from captionbridge.helpers.gcpause import gc_paused


@gc_paused
def _state() -> bool:
    return gc.isenabled()


@gc_paused
def _fail() -> None:
    raise ValueError("boom")


def test_paused_inside_and_enabled_after() -> None:
    assert gc.isenabled()
    assert _state() is False
    assert gc.isenabled()


def test_enabled_again_after_an_exception() -> None:
    with pytest.raises(ValueError):
        _fail()
    assert gc.isenabled()


def test_left_off_when_the_caller_turned_it_off() -> None:
    gc.disable()
    try:
        assert _state() is False
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_reading_and_writing_give_the_collector_back() -> None:
    import captionbridge

    transcript = captionbridge.loads("[00:00:01.000 --> 00:00:02.000]   - Hi.\n", format="bracket")
    assert gc.isenabled()
    assert "- Hi." in str(captionbridge.dumps(transcript, "srt"))
    assert gc.isenabled()
