"""SCC writer: decoded by ttconv, pycaption and ffmpeg, compared with the cues frame by frame."""

from __future__ import annotations

import itertools
import re
import subprocess
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from broadcast_samples import HOSTILE, NTSC, paragraphs, words
from conftest import require_tool

from captionbridge import api
from captionbridge.flow.pipeline import read_text, resolve_options, transform
from captionbridge.helpers.timecode import ms_to_frames, smpte_to_frames
from captionbridge.host.registry import PluginHost
from captionbridge.plugins.broadcast import cea608, scc, scc_timeline
from captionbridge.plugins.broadcast.common import CharMapper
from captionbridge.specs import WriteContext

Built = tuple[scc.Plan, str, WriteContext, Any]
Decoded = list[tuple[int, int, str]]
TIMING = re.compile(r"^\d\d:\d\d:\d\d,\d{3} --> ", re.M)


def _build(host: PluginHost, text: str, **options: Any) -> Built:
    values = resolve_options(host, options)
    transcript = transform(read_text(text, "in.txt", host, values), host, values)
    context = WriteContext(values)
    plan, out = scc.build(transcript, context)
    return plan, out, context, transcript


def _ttconv(out: str) -> Decoded:
    import ttconv.scc.reader

    return [
        (round(b * NTSC), round(e * NTSC), " ".join(words(t)))
        for b, e, t in paragraphs(ttconv.scc.reader.to_model(out))
    ]


def _pycaption(out: str, drop: bool) -> Decoded:
    from pycaption import SCCReader

    def frame(us: float) -> int:
        if not drop:  # pycaption reads non-drop labels as 1.001 s per second: exact
            return round(Fraction(round(us)) / 1_000_000 * NTSC)
        # pycaption reads a drop-frame label as wall-clock seconds; undo that to get the label
        label = round(us * 30 / 1_000_000)
        s, ff = divmod(label, 30)
        tc = f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d};{ff:02d}"
        return smpte_to_frames(tc, NTSC, True)

    captions = SCCReader().read(out).get_captions("en-US")
    return [(frame(c.start), frame(c.end), " ".join(words(c.get_text()))) for c in captions]


def _expected(plan: scc.Plan, close_gaps: int = 0) -> Decoded:
    """What a decoder should give back; ``close_gaps``: pycaption joins a caption to the next
    one when the gap between them is at most 5 byte pairs (``_update_last_batch``)."""
    out = []
    for i, c in enumerate(plan.captions):
        end = c.end
        following = plan.captions[i + 1].start if i + 1 < len(plan.captions) else None
        if following is not None and following - end <= close_gaps:
            end = following
        out.append((c.start, end, " ".join(" ".join(c.rows).split())))
    return out


def _assert_close(decoded: Decoded, expected: Decoded) -> None:
    assert len(decoded) == len(expected)
    for got, want in zip(decoded, expected, strict=True):
        assert got[2] == want[2]
        assert abs(got[0] - want[0]) <= 1, (got, want)
        assert abs(got[1] - want[1]) <= 1, (got, want)


def _assert_plan_matches_cues(plan: scc.Plan, transcript: Any, offset: int = 0) -> None:
    """Every cue's words come out in its captions; starts and ends on the cue's frames except
    for captions marked late (which the writer reports)."""
    mapper = CharMapper(cea608.KNOWN)
    by_cue: dict[int, list[scc.Caption]] = {}
    for caption in plan.captions:
        by_cue.setdefault(caption.cue, []).append(caption)
    for index, cue in enumerate(transcript.cues):
        pieces = by_cue.get(index)
        if pieces is None:
            assert not "".join(mapper(cue.text).split())
            continue
        got = " ".join(" ".join(p.rows) for p in pieces).split()
        dual = len(cue.turns) > 1
        said = " ".join((">> " if t.change or dual else "") + t.text for t in cue.turns)
        assert got == mapper(said).split()
        first = ms_to_frames(cue.start, NTSC) + offset
        last = ms_to_frames(cue.end, NTSC) + offset
        assert pieces[0].start == first + pieces[0].late
        if pieces[-1].late == 0 and index + 1 < len(transcript.cues):
            assert abs(pieces[-1].end - last) <= 1 or pieces[-1].end > last


@pytest.fixture(scope="module")
def hostile(host: PluginHost) -> Built:
    return _build(host, HOSTILE)


def test_parity_and_codes() -> None:
    assert cea608.word(0x14, 0x20) == "9420"  # RCL
    assert (cea608.EOC, cea608.EDM, cea608.ENM) == ("942f", "942c", "94ae")
    assert cea608.pac_words(15, 0) == ("9470", None)
    assert cea608.pac_words(14, 6) == ("9452", "97a2")  # indent 4, tab 2
    for b in range(128):
        assert bin(int(cea608.word(b, b)[:2], 16)).count("1") % 2 == 1


def test_extended_characters_follow_a_fallback() -> None:
    groups = cea608.encode_row("Åb ß")
    assert groups[0] == ("c180", "1338", "1338")  # 'A' fallback, then Å twice
    assert groups[1] == ("6220",)  # 'b '
    assert groups[-1] == ("7380", "1334", "1334")  # 's' then ß twice
    assert cea608.encode_row("♪") == (("9137", "9137"),)


def test_header_timecodes_and_structure(hostile: Built) -> None:
    plan, out, _, _ = hostile
    lines = [line for line in out.split("\n") if line]
    assert lines[0] == "Scenarist_SCC V1.0"
    assert out.split("\n")[1] == ""
    assert not lines[1].startswith("00:00:00;00")
    for line in lines[1:]:
        tc, data = line.split("\t")
        assert len(tc) == 11 and tc[8] == ";"
        assert all(len(w) == 4 for w in data.split(" "))
    eoc_lines = [line for line in lines[1:] if line.split("\t")[1].startswith("942f")]
    assert len(eoc_lines) == len(plan.captions)


def test_hostile_decoded_by_ttconv(hostile: Built) -> None:
    plan, out, _, transcript = hostile
    _assert_close(_ttconv(out), _expected(plan))
    _assert_plan_matches_cues(plan, transcript)


def test_hostile_decoded_by_pycaption(hostile: Built) -> None:
    plan, out, _, _ = hostile
    _assert_close(_pycaption(out, drop=True), _expected(plan, close_gaps=5))


def test_hostile_mapping_and_notes(hostile: Built) -> None:
    plan, _, context, _ = hostile
    text = " ".join(" ".join(c.rows) for c in plan.captions)
    for kept in ("Café", "naïve", "señor...", "Über", "Straße", "Åse", "«bonjour»", "©", "®", "♪"):
        assert kept in text
    assert '-- "quoted"' in text and "'single'" in text and " y l ij " in text
    assert "CJK ??? Hebrew ???? <b>&amp; --> {\\an8}" in text
    assert "🎉" not in text
    notes = " ".join(n.message for n in context.notes)
    assert "'🎉' dropped" in notes and "'日'→'?'" in notes
    assert "appear later than their cue" in notes  # the cue at 0 ms


def test_cue_at_zero_is_late_then_on_time_with_start_timecode(host: PluginHost) -> None:
    plan, _, _, _ = _build(host, HOSTILE)
    assert plan.captions[0].late > 0
    assert plan.captions[0].start == plan.captions[0].late  # loading starts on frame 1
    plan, out, context, transcript = _build(host, HOSTILE, start_timecode="01:00:00;00")
    assert all(c.late == 0 for c in plan.captions)
    assert not any("later than" in n.message for n in context.notes)
    offset = smpte_to_frames("01:00:00;00", NTSC, True)
    assert out.split("\n")[2].startswith("00:59:5")
    _assert_close(_ttconv(out), _expected(plan))
    _assert_plan_matches_cues(plan, transcript, offset)


def test_one_frame_gap_gets_its_edm(hostile: Built) -> None:
    plan, out, _, _ = hostile
    a, b = (c for c in plan.captions if c.cue in (2, 3))
    assert (a.end, b.start) == (210, 211)
    assert "00:00:07;00\t942c\n" in out  # EDM alone on frame 210 (no room for its copy)
    assert "00:00:07;01\t942f 942f" in out


def test_forty_second_cue_split_in_proportion(
    hostile: Built,
) -> None:
    plan, _, context, _ = hostile
    pieces = [c for c in plan.captions if c.cue == 4]
    assert len(pieces) > 1
    assert pieces[0].start == ms_to_frames(10_000, NTSC)
    assert pieces[-1].end == ms_to_frames(50_000, NTSC)
    assert all(len(row) <= 32 for c in pieces for row in c.rows)
    assert all(p.end == q.start for p, q in itertools.pairwise(pieces))
    assert any("several captions" in n.message for n in context.notes)


def test_non_drop_frame(host: PluginHost) -> None:
    plan, out, _, _ = _build(host, HOSTILE, scc_drop_frame=False, start_timecode="01:00:00:00")
    assert "\n01:00:0" in out and ";" not in out
    _assert_close(_pycaption(out, drop=False), _expected(plan, close_gaps=5))
    _assert_close(_ttconv(out), _expected(plan))


def test_rollup_words_come_back(host: PluginHost) -> None:
    plan, out, _, _ = _build(host, HOSTILE, scc_mode="rollup2", start_timecode="01:00:00;00")
    assert "9425 9425 94ad 94ad" in out
    import ttconv.scc.reader

    # a roll-up paragraph holds every row on screen; the row it added is its last one
    decoded = paragraphs(ttconv.scc.reader.to_model(out))
    got = [w for _, _, t in decoded for w in words(t.strip().split("\n")[-1])]
    assert got == [w for c in plan.captions for w in " ".join(c.rows).split()]


def test_other_project_rates_are_converted_to_2997(host: PluginHost) -> None:
    plan, out, context, _ = _build(host, HOSTILE, fps="25")
    assert plan.fps == Fraction(30000, 1001) and plan.drop_frame
    assert context.notes[0].message == (
        "scc: SCC runs at 29.97 fps: times converted from the 25 fps project rate to the"
        " nearest 29.97 fps frame"
    )
    assert out == _build(host, HOSTILE, fps="29.97")[1]  # the same frames as at 29.97


@pytest.mark.slow
def test_seed_decoded_by_ttconv_and_pycaption(host: PluginHost, seed_path: Path) -> None:
    plan, out, context, transcript = _build(host, seed_path.read_text(encoding="utf-8"))
    expected = _expected(plan)
    _assert_close(_ttconv(out), expected)
    _assert_close(_pycaption(out, drop=True), _expected(plan, close_gaps=5))
    _assert_plan_matches_cues(plan, transcript)
    late = [c for c in plan.captions if c.late]
    note = next(n.message for n in context.notes if "later than" in n.message)
    assert note.startswith(f"scc: {len(late)} caption(s)")
    assert all(c.late <= 30 for c in late)
    assert len(late) <= 15  # 32 before loadings were made smaller (the first is the cue at 0)
    # the decoders above read captions loaded at every step of STEPS
    _, timeline = scc_timeline.schedule_popon(scc.plan(transcript, WriteContext()).captions)
    assert all(timeline.smaller)
    smaller = next(n.message for n in context.notes if "fewer repeated" in n.message)
    assert smaller.startswith(f"scc: {sum(timeline.smaller[2:])} caption(s)")


@pytest.mark.slow
@pytest.mark.parametrize("options", [{}, {"scc_rows": 4}, {"scc_rows": 1}])
def test_seed_late_only_when_the_smallest_loading_cannot_fit(
    host: PluginHost, seed_path: Path, options: dict[str, Any]
) -> None:
    """A caption is late only when the frames between the previous caption's EOC and its cue
    (less the EDM ending the previous caption) are too few for its smallest loading; and then
    late by that shortfall (give or take a unit that cannot straddle the EDM)."""
    shown, _, context, transcript = _build(host, seed_path.read_text(encoding="utf-8"), **options)
    wanted = scc.plan(transcript, context).captions
    assert len(wanted) == len(shown.captions)
    for k, (want, got) in enumerate(zip(wanted, shown.captions, strict=True)):
        smallest = sum(len(u) // 2 for u in scc_timeline.load_units(want.rows, 4))
        if k == 0:
            floor, taken = 1, 0
        else:
            before = shown.captions[k - 1]
            floor = before.start + 1
            taken = 1 if before.end < want.start else 0
        room = want.start - floor - taken
        if got.late:
            assert room < smallest, (k, room, smallest)
            assert got.late <= smallest - room + 2
        else:
            assert got.start == want.start


def test_seed_via_cli_read_by_ffmpeg(seed_path: Path, tmp_path: Path, host: PluginHost) -> None:
    from click.testing import CliRunner

    from captionbridge.cli.app import cli

    ffmpeg = require_tool("ffmpeg")
    out = tmp_path / "seed.scc"
    result = CliRunner().invoke(cli, ["convert", str(seed_path), "--to", "scc", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "warning: scc:" in result.output
    srt = tmp_path / "seed.srt"
    run = subprocess.run(
        [ffmpeg, "-v", "error", "-i", str(out), "-c:s", "srt", str(srt)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0 and not run.stderr, run.stderr
    plan, _, _, _ = _build(host, seed_path.read_text(encoding="utf-8"))
    assert len(TIMING.findall(srt.read_text())) == len(plan.captions)


def test_hostile_via_api_read_by_ffmpeg(tmp_path: Path, host: PluginHost) -> None:
    ffmpeg = require_tool("ffmpeg")
    source = tmp_path / "hostile.txt"
    source.write_text(HOSTILE, encoding="utf-8")
    (written,) = api.convert(source, tmp_path / "h.scc", host=host)
    assert written.read_bytes().startswith(b"Scenarist_SCC V1.0\n\n")
    run = subprocess.run(
        [ffmpeg, "-v", "error", "-i", str(written), "-c:s", "srt", str(tmp_path / "h.srt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    plan, _, _, _ = _build(host, HOSTILE)
    assert len(TIMING.findall((tmp_path / "h.srt").read_text())) == len(plan.captions)


def _frames_of(rows: tuple[str, ...], step: int) -> int:
    return sum(len(u) // 2 for u in scc_timeline.load_units(rows, step))


@pytest.mark.parametrize(
    ("rows", "step"),
    [
        (("Loaded with one RCL only,", "in the room there was."), 3),
        (("Åse «bonjour» keeps RCL twice", "and moves onto the grid"), 4),
        (("odd centring needs a tab", "and so does this row"), 4),
    ],
)
def test_tight_loading_made_smaller_still_decodes(rows: tuple[str, ...], step: int) -> None:
    need = _frames_of(rows, step)
    assert need < _frames_of(rows, step - 1)
    first = scc.Caption(1000, 1000 + need + 1, ("First caption",), 0)
    # the second loads between the first's EOC (frame 1000) and its own: exactly `need` frames
    second = scc.Caption(first.end, first.end + 60, rows, 1)
    shown, timeline = scc_timeline.schedule_popon([first, second])
    assert [c.late for c in shown] == [0, 0]
    assert timeline.smaller[step] == 1
    out = timeline.render(NTSC, True)
    # the first caption's EOC (its copy left out) and, on the next frame, the second's loading
    eoc, *load = out.split("\n")[4].split("\t")[1].split(" ")
    assert eoc == "942f"
    extended = any(c in cea608.EXTENDED for c in "".join(rows))
    assert load[:3] == ["9420", "9420", "94ae"] if extended else load[:2] == ["9420", "94ae"]
    if step == 4:  # no tab offsets (97a1-97a3): every row starts on a PAC's 4-column indent
        assert not {"97a1", "97a2", "9723"} & set(load)
    plan = scc.Plan(shown, NTSC, True, "popon")
    _assert_close(_ttconv(out), _expected(plan))
    _assert_close(_pycaption(out, drop=True), _expected(plan, close_gaps=5))


def test_loading_that_fits_nowhere_is_late_by_its_shortfall() -> None:
    rows = ("This caption has far too many", "characters for the time it gets")
    need = _frames_of(rows, len(scc_timeline.STEPS) - 1)
    first = scc.Caption(1000, 1010, ("Brief",), 0)
    shown, _ = scc_timeline.schedule_popon([first, scc.Caption(1010, 1100, rows, 1)])
    assert shown[1].late == 1001 + need - 1010
    assert shown[0].end == shown[1].start  # the first stays up until the second replaces it


_LATE = (
    "[00:00:01.000 --> 00:00:02.000]  One.\n"
    "[99:59:55.000 --> 99:59:58.000]  Two.\n"
    "[100:00:00.500 --> 100:00:01.500]  Three.\n"
)


def test_past_99_hours_is_refused_in_one_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from captionbridge.cli.app import cli

    source = tmp_path / "long.txt"
    source.write_text(_LATE)
    out = tmp_path / "long.scc"
    result = CliRunner().invoke(cli, ["convert", str(source), "-o", str(out)])
    assert result.exit_code == 1
    # the failed output is named (the conversion path reports each output that fails)
    assert result.stderr == f"{out}: SCC timecodes stop at 99:59:59;29; cue 3 runs past it\n"
    assert not out.exists()
    # what is under the limit is written, and ttconv reads every caption of it
    source.write_text("".join(_LATE.splitlines(keepends=True)[:2]))
    result = CliRunner().invoke(cli, ["convert", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().rstrip().splitlines()[-1].startswith("99:59:58;")
    decoded = _ttconv(out.read_text())
    assert [text for _, _, text in decoded] == ["One.", "Two."]
    assert decoded[-1][1] == ms_to_frames(99 * 3_600_000 + 3_598_000, NTSC)
