"""EBU-STL writer: GSI/TTI fields byte by byte, and read back by ttconv's STL reader."""

from __future__ import annotations

import io
import struct
from fractions import Fraction
from pathlib import Path
from typing import Any, SupportsIndex, overload

import pytest
from broadcast_samples import HOSTILE, paragraphs, words

from captionbridge import api
from captionbridge.errors import CaptionbridgeError
from captionbridge.flow.pipeline import read_text, render, resolve_options, transform
from captionbridge.helpers.timecode import ms_to_frames
from captionbridge.host.registry import PluginHost
from captionbridge.model import Cue, Transcript, Turn
from captionbridge.plugins.broadcast import stl, stlread
from captionbridge.plugins.broadcast.common import CharMapper
from captionbridge.specs import WriteContext

GSI = "3s8sc2s2s32s32s32s32s32s32s16s6s6s2s5s5s3s2s2s1s8s8s1s1s3s32s32s32s75s576s"
GSI_NAMES = [
    "CPN",
    "DFC",
    "DSC",
    "CCT",
    "LC",
    "OPT",
    "OET",
    "TPT",
    "TET",
    "TN",
    "TCD",
    "SLR",
    "CD",
    "RD",
    "RN",
    "TNB",
    "TNS",
    "TNG",
    "MNC",
    "MNR",
    "TCS",
    "TCP",
    "TCF",
    "TND",
    "DSN",
    "CO",
    "PUB",
    "EN",
    "ECD",
    "spare",
    "UDA",
]


def _write(host: PluginHost, text: str, **options: Any) -> tuple[bytes, WriteContext, Any]:
    values = resolve_options(host, options)
    transcript = transform(read_text(text, "in.txt", host, values), host, values)
    context = WriteContext(values, "hostile")
    return stl.write_stl(transcript, context), context, transcript


def _gsi(data: bytes) -> dict[str, bytes]:
    return dict(zip(GSI_NAMES, struct.unpack(GSI, data[:1024]), strict=True))


def _said(cue: Any) -> str:
    dual = len(cue.turns) > 1
    return " ".join(("- " if dual or t.change else "") + t.text for t in cue.turns)


def _ttconv(data: bytes) -> list[tuple[Fraction, Fraction, str]]:
    import ttconv.stl.reader

    return paragraphs(ttconv.stl.reader.to_model(io.BytesIO(data)))


def test_iso6937_matches_ttconv_decoder() -> None:
    from ttconv.stl import iso6937

    text = "Café naïve señor Über Straße Åse «bonjour» © ® ♪ — ‘’“” ÿ ł ĳ Ž ő ¿¡ £"
    encoded = stl.ISO6937.encode(text)
    assert iso6937.decode(encoded)[0] == text
    assert stl.ISO6937.encode("é") == b"\xc2e"  # acute prefix, then the letter
    assert stl.ISO6937.encode("Å") == b"\xcaA"
    assert "🎉" not in stl.ISO6937 and "日" not in stl.ISO6937


def test_gsi_fields(host: PluginHost, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    data, _, transcript = _write(host, HOSTILE, language="en", start_timecode="10:00:00:00")
    assert len(data) % 128 == 0 and len(data) > 1024
    g = _gsi(data)
    assert len(data[:1024]) == 1024
    assert g["CPN"] == b"850" and g["DFC"] == b"STL25.01" and g["DSC"] == b"1"
    assert g["CCT"] == b"00" and g["LC"] == b"09"
    assert g["OPT"] == b"hostile".ljust(32) and g["TPT"] == b"hostile".ljust(32)
    assert g["CD"] == g["RD"] == b"231114" and g["RN"] == b"00"
    blocks = (len(data) - 1024) // 128
    assert g["TNB"] == str(blocks).zfill(5).encode()
    assert g["TNS"] == str(len(transcript)).zfill(5).encode()
    assert g["TNG"] == b"001" and g["MNR"] == b"23" and g["TCS"] == b"1"
    assert int(g["MNC"]) <= 37
    assert g["TCP"] == b"10000000" and g["TCF"] == b"10000000"  # first cue at 0 ms
    assert g["TND"] == b"1" and g["DSN"] == b"1"
    assert g["UDA"] == b" " * 576


def test_tti_blocks(host: PluginHost) -> None:
    data, _, transcript = _write(host, HOSTILE, fps="25")
    blocks = [data[i : i + 128] for i in range(1024, len(data), 128)]
    numbers = []
    for block in blocks:
        sgn, sn, ebn, cs = struct.unpack("<BHBB", block[:5])
        assert sgn == 0 and cs == 0
        text = block[16:]
        rows = text.rstrip(b"\x8f").count(b"\x8a\x8a") + 1
        if ebn == 0xFF and struct.unpack("<H", block[1:3])[0] != 5:
            assert block[13] == 22 - 2 * (rows - 1)  # VP: double-height rows end on row 23
        assert block[14] == 0x02 and block[15] == 0  # JC centred, CF subtitle
        assert len(text) == 112
        numbers.append((sn, ebn))
        if ebn == 0xFF:
            assert text.rstrip(b"\x8f").endswith(b"\x0a\x0a")
    assert numbers[0] == (1, 0xFF)
    assert [sn for sn, ebn in numbers if ebn == 0xFF] == list(range(1, len(transcript) + 1))
    first = blocks[0]
    assert first[5:9] == bytes([0, 0, 0, 0]) and first[9:13] == bytes([0, 0, 2, 0])  # 0→2 s
    assert first[16:19] == b"\x0d\x0b\x0b"  # double height, start box
    assert b"Caf\xc2e na\xc8ive \xd0" in first  # é, ï as prefix + letter; — as 0xD0
    long_cue = [b for b in blocks if struct.unpack("<H", b[1:3])[0] == 5]
    assert b"\x8a\x8a" in b"".join(long_cue)


def test_read_back_by_ttconv(host: PluginHost) -> None:
    for fps, display in (("25", "teletext"), ("29.97", "open"), ("30", "teletext")):
        data, context, transcript = _write(host, HOSTILE, fps=fps, stl_display=display)
        # ttconv reads STL30.01 as 29.97 fps: compare frame counts
        frame = 1 / (Fraction(25) if fps == "25" else Fraction(30000, 1001))
        decoded = _ttconv(data)
        assert len(decoded) == len(transcript)
        mapper = CharMapper(stl.ISO6937)
        for (begin, end, text), cue in zip(decoded, transcript.cues, strict=True):
            said = _said(cue)
            assert words(text) == mapper(said).split()
            fps_value = {"25": Fraction(25), "29.97": Fraction(30000, 1001)}.get(fps, Fraction(30))
            start_frame = ms_to_frames(cue.start, fps_value)
            assert abs(begin - start_frame * frame) <= frame
            assert abs(end - ms_to_frames(cue.end, fps_value) * frame) <= frame
        notes = " ".join(n.message for n in context.notes)
        assert "'🎉' dropped" in notes and "'日'→'?'" in notes


def test_ttconv_times_within_a_frame_of_the_cues(host: PluginHost, seed_path: Path) -> None:
    data, _, transcript = _write(host, seed_path.read_text(encoding="utf-8"))
    decoded = _ttconv(data)
    assert len(decoded) == len(transcript)
    for (begin, end, text), cue in zip(decoded, transcript.cues, strict=True):
        assert abs(begin * 1000 - cue.start) <= 40 and abs(end * 1000 - cue.end) <= 40
        assert words(text) == CharMapper(stl.ISO6937)(_said(cue)).split()


def test_rates_without_a_frame_code_are_carried_or_refused(host: PluginHost) -> None:
    for fps, code, carrier in (("23.976", b"STL30.01", "29.97"), ("50", b"STL25.01", "25")):
        data, context, _ = _write(host, HOSTILE, fps=fps)
        assert _gsi(data)["DFC"] == code
        assert [n.message for n in context.notes if "frame code" in n.message] == [
            f"stl: EBU-STL has no {fps} fps frame code: timecodes written at {carrier} fps"
            f" ({code.decode()}), each time on the nearest {carrier} fps frame"
        ]
    with pytest.raises(CaptionbridgeError, match=r"frame codes for 25 and 30 \(29\.97\) fps only"):
        _write(host, HOSTILE, fps="48")


def test_via_cli_and_api(tmp_path: Path, seed_path: Path, host: PluginHost) -> None:
    from click.testing import CliRunner

    from captionbridge.cli.app import cli

    out = tmp_path / "seed.stl"
    result = CliRunner().invoke(cli, ["convert", str(seed_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _gsi(out.read_bytes())["DFC"] == b"STL25.01"
    source = tmp_path / "hostile.txt"
    source.write_text(HOSTILE, encoding="utf-8")
    (written,) = api.convert(source, to="stl", out_dir=tmp_path, host=host)
    assert written.suffix == ".stl" and len(_ttconv(written.read_bytes())) == 6


def _chain(host: PluginHost, blocks: int) -> bytes:
    """An EBU-STL file of one subtitle whose text runs through ``blocks`` TTI blocks, each
    holding ``word`` 22 times."""
    data = api.dumps(Transcript.from_columns([0], [1000], ["x"]), "stl", host=host)
    assert isinstance(data, bytes)
    gsi, tti = data[:1024], data[1024:1152]
    words_field = b"word " * 22 + b"  "  # 112 bytes: the whole text field
    extension = tti[:3] + b"\x00" + tti[4:16] + words_field  # EBN 0: the text goes on
    return gsi + extension * (blocks - 1) + tti[:16] + words_field


def test_a_long_chain_of_extension_blocks_reads_as_one_subtitle(host: PluginHost) -> None:
    """The text fields of a subtitle's extension blocks are joined once (issue 19: ``bytes +=``
    per block made a 4 MB chain take 1.3 s; the next test counts the copying)."""
    blocks = 2_000
    transcript = api.loads(_chain(host, blocks), format="stl", host=host)
    (cue,) = transcript
    assert cue.text.split() == ["word"] * 22 * blocks


class _CountedBytes(bytes):
    """Bytes whose slices are counted bytes too, and that count what concatenation copies."""

    slices = 0
    copied = 0

    @overload
    def __getitem__(self, index: SupportsIndex) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> bytes: ...
    def __getitem__(self, index: SupportsIndex | slice) -> int | bytes:
        item = super().__getitem__(index)
        if not isinstance(item, bytes):
            return item
        _CountedBytes.slices += 1
        return _CountedBytes(item)

    def __radd__(self, other: bytes) -> bytes:
        _CountedBytes.copied += len(other) + len(self)
        return bytes(other) + bytes(self)


@pytest.mark.parametrize("blocks", [250, 1_000])
def test_reading_an_extension_block_chain_copies_its_text_a_bounded_number_of_times(
    host: PluginHost, monkeypatch: pytest.MonkeyPatch, blocks: int
) -> None:
    """The reader's blocks are counted bytes (its ``bytes(...)`` call is this class): joining
    a chain's text fields by ``bytes +=`` copied all the text so far per block, 112 * n**2 / 2
    bytes for n blocks (3.5 MB for 250, 56 MB for 1,000); a join copies nothing by ``+``."""
    monkeypatch.setattr(stlread, "bytes", _CountedBytes, raising=False)
    monkeypatch.setattr(_CountedBytes, "copied", 0)
    monkeypatch.setattr(_CountedBytes, "slices", 0)
    (cue,) = api.loads(_chain(host, blocks), format="stl", host=host)
    assert cue.text.split() == ["word"] * 22 * blocks
    assert _CountedBytes.slices >= blocks  # the text fields were counted bytes
    assert _CountedBytes.copied <= 112 * blocks  # each byte of the text copied at most once


def test_a_chunk_continuing_a_speaker_is_not_labelled_again(host: PluginHost) -> None:
    """``WriteContext.previous`` is the cue before: its speaker goes on without a label."""
    options = resolve_options(host, {})
    cue = Transcript([Cue(0, 1000, (Turn("Still me.", "A"),))])
    alone = render(cue, host.writer("stl"), host, options, "o")[""]
    after = render(cue, host.writer("stl"), host, options, "o", previous=(Turn("Me.", "A"),))[""]
    assert b"A: Still me." in alone
    assert b"Still me." in after and b"A: " not in after
