"""Run the reader fuzzer over each reader in turn for a fixed time, restarting after findings.

    python fuzz/run_long.py --seconds 1800 [--readers srt,vtt] [--work /tmp/cb-fuzz]
                            [--summary /tmp/cb-fuzz/summary-srt.json]

One reader at a time (one CPU). A crash stops libFuzzer; this script saves the artifact under
``<work>/findings/<reader>/`` and starts again for the time left, so one finding does not end
the run. It prints, and writes to ``<work>/summary.json`` (or ``--summary``), the inputs tried
and the time spent per reader. Two runs over different readers may share ``--work`` (the corpus
is per reader) when each has its own ``--summary``: that is how a 2-CPU machine fuzzes twice as
many readers in the same time.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
READERS = (
    "bracket",
    "srt",
    "vtt",
    "json",
    "ass",
    "ssa",
    "avid",
    "whisper-json",
    "ttml",
    "openai-json",
    "whispercpp-json",
    "whisperx-json",
)
_RUNS = re.compile(rb"^#(\d+)\s", re.M)
_DONE = re.compile(rb"Done (\d+) runs")


def fuzz_reader(reader: str, seconds: int, work: Path) -> dict[str, object]:
    """Fuzz one reader for ``seconds``; return runs, seconds and the findings' file names."""
    corpus = work / "corpus" / reader
    findings = work / "findings" / reader
    corpus.mkdir(parents=True, exist_ok=True)
    findings.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    runs = 0
    while (left := int(seconds - (time.monotonic() - started))) > 5:
        cmd = [
            sys.executable,
            str(HERE / "fuzz_readers.py"),
            "--reader",
            reader,
            f"-max_total_time={left}",
            "-timeout=20",
            "-rss_limit_mb=2048",
            "-max_len=65536",
            f"-artifact_prefix={findings}/",
            "-print_final_stats=1",
            str(corpus),
            str(HERE / "seeds" / reader),
        ]
        proc = subprocess.run(cmd, capture_output=True, check=False)
        log = proc.stdout + proc.stderr
        (work / f"{reader}.log").write_bytes(log[-20000:])
        done = _DONE.search(log)
        counted = [int(n) for n in _RUNS.findall(log)]
        runs += int(done.group(1)) if done else (max(counted) if counted else 0)
        if proc.returncode == 0:
            break
    return {
        "reader": reader,
        "runs": runs,
        "seconds": round(time.monotonic() - started),
        "findings": sorted(p.name for p in findings.iterdir()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=1800, help="time per reader")
    parser.add_argument("--readers", default=",".join(READERS))
    parser.add_argument("--work", type=Path, default=Path("/tmp/cb-fuzz"))
    parser.add_argument("--summary", type=Path, help="default: <work>/summary.json")
    args = parser.parse_args()
    summary = args.summary or args.work / "summary.json"
    results = []
    for reader in args.readers.split(","):
        results.append(fuzz_reader(reader, args.seconds, args.work))
        print(json.dumps(results[-1]), flush=True)
        summary.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
