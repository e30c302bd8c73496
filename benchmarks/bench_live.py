"""``captionbridge live``: line-to-output latency and memory over a simulated hour.

A whisper.cpp ``stream --step 0`` (VAD) run is simulated: every 2 s of audio a block
``### Transcription N START | t0 = T ms`` transcribes the last 10 s again, one segment per
1.5 s (so each block revises the lines of the one before), which makes about 11,700 lines for
an hour. The lines go one at a time, as whisper.cpp prints and flushes them, through the live
engine into a growing SRT, a growing WebVTT and an HLS playlist with 6 s segments (a sliding
window of 10), all in a temporary folder. Latency is the time from handing a line over to
every output having been written (renamed into place); RSS is sampled every simulated
10 minutes.

With ``--pipe`` the whole command runs instead (``captionbridge live --srt --vtt --hls``, its
standard input a pipe) on plain whisper.cpp lines, one every simulated 1.5 s: latency is from
writing a line into the pipe to the WebVTT output (written after the SRT) having been replaced;
``/usr/bin/time`` gives the command's peak RSS.

    python benchmarks/bench_live.py [--minutes 60] [--folder DIR] [--pipe]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from captionbridge.host.registry import make_host
from captionbridge.live.engine import LiveEngine
from captionbridge.live.hls import HlsSink
from captionbridge.live.run import LiveRun
from captionbridge.live.sinks import GrowingFileSink
from captionbridge.specs import ResolvedOptions

WORDS = [
    "so", "the", "thing", "about", "live", "captions", "is", "that", "nobody", "waits",
    "for", "them", "to", "be", "perfect",
]  # fmt: skip


def _stamp(ms: int) -> str:
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def stream_lines(
    minutes: int, step: int = 2000, length: int = 10_000, segment: int = 1500
) -> Iterator[bytes]:
    """The simulated run, one printed line (or block header) at a time."""
    for block, t1 in enumerate(range(step, minutes * 60_000 + 1, step)):
        t0 = max(0, t1 - length)
        yield f"\n### Transcription {block} START | t0 = {t0} ms | t1 = {t1} ms\n\n".encode()
        first = -(-t0 // segment) * segment  # segment boundaries are fixed in stream time
        for start in range(first, t1 - segment + 1, segment):
            words = " ".join(WORDS[(start // segment + k) % len(WORDS)] for k in range(6))
            a, b = _stamp(start - t0), _stamp(start - t0 + segment)
            yield f"[{a} --> {b}]   {words}.\n".encode()
        yield f"\n### Transcription {block} END\n".encode()


def plain_lines(minutes: int, segment: int = 1500) -> Iterator[bytes]:
    """whisper.cpp's own output (``whisper-cli``), one segment per line."""
    for start in range(0, minutes * 60_000 - segment + 1, segment):
        words = " ".join(WORDS[(start // segment + k) % len(WORDS)] for k in range(6))
        yield f"[{_stamp(start)} --> {_stamp(start + segment)}]   {words}.\n".encode()


def pipe_run(minutes: int, folder: Path) -> None:
    """The whole command through a pipe; latency to the WebVTT output's replacement."""
    vtt = folder / "live.vtt"
    command = [
        sys.executable,
        "-m",
        "captionbridge",
        "live",
        "-q",
        "--srt",
        str(folder / "live.srt"),
    ]
    command += ["--vtt", str(vtt), "--hls", str(folder / "hls"), "--hls-window", "10"]
    if Path("/usr/bin/time").exists():  # the command's peak RSS, printed when it ends
        command = ["/usr/bin/time", "-f", "peak RSS of the command: %M kB", *command]
    process = subprocess.Popen(command, stdin=subprocess.PIPE)
    assert process.stdin is not None
    while not vtt.exists():
        time.sleep(0.01)
    latencies = []
    for data in plain_lines(minutes):
        before = os.stat(vtt).st_ino
        start = time.perf_counter()
        process.stdin.write(data)
        process.stdin.flush()
        while os.stat(vtt).st_ino == before:
            time.sleep(0.0002)
        latencies.append(time.perf_counter() - start)
    process.stdin.close()
    process.wait()
    latencies.sort()
    print(f"pipe, {len(latencies)} lines: median {statistics.median(latencies) * 1000:.1f} ms,"
          f" p99 {latencies[int(len(latencies) * 0.99)] * 1000:.1f} ms,"
          f" max {latencies[-1] * 1000:.1f} ms")  # fmt: skip


def rss_mb() -> float:
    """The resident set size of this process, from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=60)
    parser.add_argument("--folder", type=Path, default=None)
    parser.add_argument("--pipe", action="store_true", help="run the whole command")
    args = parser.parse_args()
    if args.pipe:
        with tempfile.TemporaryDirectory(dir=args.folder) as folder:
            pipe_run(args.minutes, Path(folder))
        return
    host = make_host(entry_points=False)
    options = ResolvedOptions({name: spec.default for name, spec in host.options.items()})
    with tempfile.TemporaryDirectory(dir=args.folder) as folder:
        out = Path(folder)
        engine = LiveEngine(host, options, host.reader("bracket"))
        sinks = [
            GrowingFileSink(out / "live.srt", host.writer("srt"), host, options),
            GrowingFileSink(out / "live.vtt", host.writer("vtt"), host, options),
            HlsSink(out / "hls", host.writer("vtt"), host, options, seconds=6, window=10),
        ]
        run = LiveRun(engine, sinks, lambda message: print(message))
        latencies: list[float] = []
        samples: list[tuple[int, float]] = []
        lines = 0
        began = time.perf_counter()
        for data in stream_lines(args.minutes):
            start = time.perf_counter()
            run.feed(data)
            if data.startswith(b"["):
                latencies.append(time.perf_counter() - start)
                lines += 1
                if lines % 2000 == 1:
                    samples.append((lines, rss_mb()))
        run.finish()
        elapsed = time.perf_counter() - began
        samples.append((lines, rss_mb()))
        srt_size = (out / "live.srt").stat().st_size
    latencies.sort()
    median = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99)] * 1000
    print(
        f"simulated {args.minutes} min: {lines} lines, {engine.finalised_count} final cues,"
        f" SRT {srt_size / 1e6:.2f} MB, {elapsed:.1f} s wall"
    )
    print(
        f"line-to-output latency (3 outputs written): median {median:.1f} ms,"
        f" p99 {p99:.1f} ms, max {latencies[-1] * 1000:.1f} ms"
    )
    print("RSS MB by lines read: " + ", ".join(f"{n}: {mb:.1f}" for n, mb in samples))


if __name__ == "__main__":
    main()
