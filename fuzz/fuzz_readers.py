"""Coverage-guided fuzzing of captionbridge's readers with atheris (libFuzzer).

    python fuzz/fuzz_readers.py --reader srt -max_total_time=60 [corpus_dir ...]

Every input must give a Transcript or a CaptionbridgeError that names its source; any other
exception (a PluginError means the reader itself crashed) is a finding. libFuzzer's ``-timeout``
catches hangs and ``-rss_limit_mb`` unbounded memory. ``--reader any`` lets the first byte pick
the reader. Findings are written as ``crash-*`` files; keep each one under
``tests/corpus/<reader>/`` so ``tests/test_fuzz_readers.py`` replays it.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    import json  # noqa: F401  (instrumented for the json readers)

    import pysubs2  # noqa: F401

    from captionbridge.host.registry import make_host
    from captionbridge.testing.fuzzcheck import check_reader_input

    HOST = make_host(entry_points=True)  # imports (and so instruments) every reader plugin
READERS = sorted(HOST.readers)
OPTION_SETS: tuple[dict[str, object], ...] = ({}, {"lenient": True}, {"keep_empty": True})


def _pick_reader(argv: list[str]) -> tuple[str, list[str]]:
    rest: list[str] = []
    reader = "any"
    args = iter(argv)
    for arg in args:
        if arg == "--reader":
            reader = next(args)
        elif arg.startswith("--reader="):
            reader = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    if reader != "any" and reader not in HOST.readers:
        raise SystemExit(f"unknown reader {reader!r}; known: {', '.join(READERS)} or any")
    return reader, rest


READER, ARGV = _pick_reader(sys.argv)


def test_one_input(data: bytes) -> None:
    if READER == "any":
        if not data:
            return
        reader = READERS[data[0] % len(READERS)]
        options = OPTION_SETS[(data[0] // len(READERS)) % len(OPTION_SETS)]
        data = data[1:]
    else:
        reader = READER
        options = OPTION_SETS[len(data) % len(OPTION_SETS)]
    check_reader_input(HOST, reader, data, options)


def main() -> None:
    atheris.Setup([ARGV[0], *ARGV[1:]], test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
