"""The HLS subtitle playlist of ``captionbridge live`` played by hls.js in headless Chromium.

The recorded whisper.cpp ``stream`` run goes through ``captionbridge live --hls`` on a pipe;
ffmpeg makes a short H.264 MPEG-TS video stream; a master playlist ties the two together as a
subtitle rendition; a page served over HTTP plays it with hls.js and reports the cues that
reach the video's text track. hls.js comes from npm, never from the repository: scripts/test
installs it outside the checkout and names it in ``CAPTIONBRIDGE_HLSJS``.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest
from chromium import Page, serve
from conftest import require_tool
from test_live import FINAL, _play, _recording, _start, _vtt_cues

#: (``--hls-timestamp-map`` given to ``live`` or None, ffmpeg's ``-output_ts_offset`` or None):
#: the default map (cue time 0 at MPEG-TS 10 s) with a video whose first frame is at 9 s, so
#: every cue shows one second later than its own time; and the documented recipe, the map set
#: to ffmpeg's own first PTS (1.4 s, 126000 ticks), so cue times are video times
CASES = {"default-map": (None, 9.0), "map-of-the-encoder": ("126000", None)}
#: seconds of video played before the page reports: the first cue is on screen by then
PLAYED = 2


def _hlsjs() -> Path:
    """hls.min.js from ``CAPTIONBRIDGE_HLSJS``; in CI a missing one fails, locally it skips."""
    named = os.environ.get("CAPTIONBRIDGE_HLSJS")
    if named and Path(named).is_file():
        return Path(named)
    reason = f"hls.js not found (CAPTIONBRIDGE_HLSJS={named!r}); scripts/test installs it"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def _video(ffmpeg: str, folder: Path, offset: float | None) -> None:
    """20 s of test pattern as H.264 in MPEG-TS HLS segments; with ``offset``, the first frame
    is at that many seconds of MPEG-TS time, else where ffmpeg puts it by default."""
    folder.mkdir()
    start: list[str] = []
    if offset is not None:
        start = ["-muxdelay", "0", "-muxpreload", "0", "-output_ts_offset", str(offset)]
    subprocess.run(
        [
            ffmpeg, "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
            "-t", "20", "-c:v", "libx264", "-preset", "ultrafast", "-bf", "0", "-g", "50",
            "-pix_fmt", "yuv420p", *start,
            "-f", "hls", "-hls_time", "4", "-hls_playlist_type", "vod",
            "-hls_segment_filename", str(folder / "v%d.ts"), str(folder / "video.m3u8"),
        ],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip


def _first_pts(ffprobe: str, segment: Path) -> int:
    """The first video packet's presentation time in the segment, in 90 kHz ticks."""
    out = subprocess.run(
        [
            ffprobe, "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts",
            "-read_intervals", "%+#1", "-of", "json", str(segment),
        ],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout  # fmt: skip
    return int(json.loads(out)["packets"][0]["pts"])


MASTER = """#EXTM3U
#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",DEFAULT=YES,\
AUTOSELECT=YES,URI="hls/live.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=300000,RESOLUTION=320x240,CODECS="avc1.42c00d",SUBTITLES="subs"
video/video.m3u8
"""

#: plays master.m3u8 with hls.js; keeps every cue that reaches the video's text track;
#: ``activeAt(t)`` pauses the video, seeks it to ``t`` s and gives the texts of the cues active
#: there (the seek runs the "time marches on" steps before its ``seeked`` event)
PAGE = """<!doctype html><meta charset="utf-8"><title>hls.js</title>
<video id="v" muted playsinline></video>
<script src="hls.min.js"></script>
<script>
window.cues = {};
window.failure = null;
const video = document.getElementById("v");
const hls = new Hls({subtitleDisplay: true});
hls.on(Hls.Events.ERROR, (_, data) => { if (data.fatal) window.failure = data.details; });
hls.on(Hls.Events.SUBTITLE_TRACKS_UPDATED, () => { hls.subtitleTrack = 0; });
hls.on(Hls.Events.MANIFEST_PARSED, () => { video.play(); });
hls.loadSource("master.m3u8");
hls.attachMedia(video);
setInterval(() => {
  for (const track of video.textTracks) {
    if (track.mode === "disabled") track.mode = "hidden";
    for (const cue of track.cues || []) {
      window.cues[[cue.startTime, cue.endTime, cue.text].join("|")] =
        [cue.text, cue.startTime, cue.endTime];
    }
  }
}, 50);
async function activeAt(t) {
  video.pause();
  const seeked = new Promise((done) => video.addEventListener("seeked", done, {once: true}));
  video.currentTime = t;
  await seeked;
  return Array.from(video.textTracks).flatMap((track) =>
    Array.from(track.activeCues || [], (cue) => cue.text));
}
</script>
"""

#: the cues so far and those shown, once every cue the live run wrote has arrived and the
#: video has played past the first one (or why playback failed)
DONE = f"""(() => {{
  if (window.failure) return {{failure: window.failure}};
  const found = Object.values(window.cues);
  const played = document.getElementById("v").currentTime >= {PLAYED};
  return found.length >= {len(FINAL)} && played ? {{cues: found}} : null;
}})()"""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    with serve(tmp_path) as url:
        yield url


@pytest.mark.parametrize("case", CASES)
def test_the_live_hls_playlist_plays_in_chromium_with_hls_js(
    case: str, tmp_path: Path, served: str
) -> None:
    ticks, offset = CASES[case]
    require_tool("chromium")
    ffmpeg = require_tool("ffmpeg")
    ffprobe = require_tool("ffprobe")
    hlsjs = _hlsjs()
    hls = tmp_path / "hls"
    extra = [] if ticks is None else ["--hls-timestamp-map", ticks]
    process = _start(["--hls", str(hls), "--hls-segment", "4", *extra], hls / "live.m3u8")
    mpegts = int(ticks or 900000)
    _play(process, _recording("stream-vad.jsonl"))
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err.decode()
    playlist = (hls / "live.m3u8").read_text(encoding="utf-8")
    assert playlist.rstrip().endswith("#EXT-X-ENDLIST")
    written: set[tuple[str, Fraction, Fraction]] = set()
    for name in (line for line in playlist.splitlines() if line.endswith(".vtt")):
        text = (hls / name).read_text(encoding="utf-8")
        assert text.splitlines()[1] == f"X-TIMESTAMP-MAP=MPEGTS:{mpegts},LOCAL:00:00:00.000"
        for start, end, cue in _vtt_cues(text):  # webvtt-py's reading
            written.add((cue, Fraction(start, 1000), Fraction(end, 1000)))
    assert sorted((round(s * 1000), round(e * 1000), t) for t, s, e in written) == FINAL

    _video(ffmpeg, tmp_path / "video", offset)
    first = _first_pts(ffprobe, tmp_path / "video" / "v0.ts")
    want_first = 126000 if offset is None else round(offset * 90000)  # ffmpeg's default: 1.4 s
    assert abs(first - want_first) < 90000 // 25  # within a frame
    (tmp_path / "master.m3u8").write_text(MASTER, encoding="utf-8")
    (tmp_path / "hls.min.js").write_bytes(hlsjs.read_bytes())
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    # hls.js puts cue time 0 at MPEG-TS ``mpegts`` (the segments' map), and the video's first
    # frame at media time 0: so each cue shows (mpegts - first) / 90000 s after its own time
    shift = Fraction(mpegts - first, 90000)
    assert shift == (1 if case == "default-map" else 0)

    with Page(f"{served}/index.html") as page:
        result = page.until(DONE, lambda value: value is not None)
        assert "failure" not in result, result
        # each caption is on screen (an active cue) at the middle of its time on the video
        active = {
            text: page.evaluate(f"activeAt({float((start + end) / 2 + shift)})", wait=True)
            for text, start, end in written
        }
    shown = sorted((text, start, end) for text, start, end in result["cues"])
    expected = sorted(
        (text, float(start + shift), float(end + shift)) for text, start, end in written
    )
    assert [text for text, _, _ in shown] == [text for text, _, _ in expected]
    for (_, start, end), (_, want_start, want_end) in zip(shown, expected, strict=True):
        assert start == pytest.approx(want_start, abs=0.002)
        assert end == pytest.approx(want_end, abs=0.002)
    assert all(text in active[text] for text, _, _ in written), active
