"""Decoding: byte-order marks, UTF-16, legacy code pages, forced encodings, mojibake repair."""

from __future__ import annotations

import codecs

import pytest

from captionbridge.errors import ParseError
from captionbridge.flow import decode as decode_module
from captionbridge.flow.decode import decode, repair_mojibake
from captionbridge.model import Note

TEXT = "[00:00:01.000 --> 00:00:02.000]  Café — “déjà vu” naïve\n"


@pytest.mark.parametrize(
    ("data", "note"),
    [
        (TEXT.encode("utf-8"), None),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), None),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), None),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), None),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("cp1252"), "decoded as"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "cp1252"],
)
def test_encodings_are_detected(data: bytes, note: str | None) -> None:
    text, notes = decode(data, "in.txt")
    assert text == TEXT
    if note is None:
        assert notes == []
    else:
        assert len(notes) == 1 and note in notes[0].message


def test_forced_encoding() -> None:
    data = "[00:00:01.000 --> 00:00:02.000]  Ωμέγα\n".encode("iso-8859-7")
    text, _ = decode(data, "in.txt", encoding="iso-8859-7")
    assert "Ωμέγα" in text
    with pytest.raises(ParseError, match="unknown encoding"):
        decode(data, "in.txt", encoding="klingon")
    with pytest.raises(ParseError) as info:
        decode(b"line one\nline \xff two\n", "in.txt", encoding="utf-8")
    assert info.value.line == 2


def test_mojibake_is_repaired_and_reported_with_its_line() -> None:
    data = "one\ntwo\nyou knowâ€” and CafÃ© too\nfine — dash\n".encode()
    text, notes = decode(data, "in.txt")
    assert text == "one\ntwo\nyou know— and Café too\nfine — dash\n"
    assert [(n.line, n.source) for n in notes] == [(3, "in.txt")]
    assert "'â€” and CafÃ©' -> '— and Café'" in notes[0].message


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8], ids=["no-bom", "utf8-bom"])
def test_mojibake_repair_puts_each_line_back_in_its_place(bom: bytes) -> None:
    # a broken first line (after a byte-order mark), the same broken line twice, and a
    # longer line that contains it: each repaired where it is, nothing else touched
    lines = ["knowâ€”", "x knowâ€” y", "ok", "knowâ€”", "CafÃ©", "knowâ€”"]
    text, notes = decode(bom + "\r\n".join(lines).encode(), "in.txt")
    assert text == "know—\r\nx know— y\r\nok\r\nknow—\r\nCafé\r\nknow—"
    assert [n.line for n in notes] == [1, 2, 4, 5, 6]


def test_mojibake_repair_can_be_turned_off() -> None:
    data = "you knowâ€”\n".encode()
    text, notes = decode(data, "in.txt", fix_text=False)
    assert text == "you knowâ€”\n" and notes == []


def test_correct_accents_are_left_alone() -> None:
    text = "Ça, c'est déjà « très » bien — naïve façade.\n" * 3
    assert decode(text.encode(), "in.txt") == (text, [])
    assert repair_mojibake(text) == (text, [])


def test_mojibake_in_text_decoded_from_a_code_page() -> None:
    fixed, notes = repair_mojibake("a\nknowâ€”\n", "x")
    assert fixed == "a\nknow—\n" and notes[0].line == 2


def test_binary_data_is_refused() -> None:
    with pytest.raises(ParseError, match="NUL"):
        decode(b"\x89PNG\r\n\x1a\n" + bytes(64), "x.png")


def test_line_with_correct_and_broken_characters_goes_through_ftfy() -> None:
    # "—" is right, "Ã©" is not: re-decoding the whole line cannot work, ftfy's fixes can
    fixed, notes = repair_mojibake("right — and cafÃ© wrong\n", "x")
    assert fixed == "right — and café wrong\n" and notes[0].line == 1


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Привет, как дела? Сегодня мы говорим о больших языковых моделях.", "cp1251"),
        ("Καλημέρα σας, σήμερα θα μιλήσουμε για τα μεγάλα γλωσσικά μοντέλα.", "cp1253"),
        ("こんにちは、今日は大規模言語モデルについて話します。", "shift_jis"),
        # no common Windows code page reads this cleanly: the whole list is tried
        ("Größe und Übermut - schöne Grüße aus München, sagt der Bär.", "cp850"),
    ],
    ids=["cp1251", "cp1253", "shift_jis", "dos-cp850"],
)
def test_legacy_code_pages_are_guessed(text: str, codec: str) -> None:
    lines = "".join(f"[00:00:{i:02d}.000 --> 00:00:{i + 1:02d}.000]   {text}\n" for i in range(3))
    decoded, notes = decode(lines.encode(codec), "in.txt")
    assert decoded == lines
    assert len(notes) == 1 and "decoded as" in notes[0].message


def test_code_page_guess_looks_at_everything_when_the_evidence_misleads() -> None:
    # 40 KB of lines that read as cp1252, then a byte cp1252 does not define (0x81)
    head = "".join(
        f"[00:00:{i % 60:02d}.000 --> 00:00:{i % 60:02d}.500]   café naïve déjà vu {i}\n"
        for i in range(700)
    ).encode("cp1252")
    data = head + b"[00:01:00.000 --> 00:01:01.000]   odd \x81 byte\n"
    text, notes = decode(data, "in.txt")
    assert text.count("\n") == 701 and text.endswith(" byte\n")
    assert len(notes) == 1 and "decoded as" in notes[0].message


def test_many_repaired_lines_are_reported_first_few_then_counted() -> None:
    text = "".join(f"line {n} knowâ€”\n" for n in range(1, 101))
    fixed, notes = repair_mojibake(text, "long.txt")
    assert fixed.count("know—") == 100 and "â€" not in fixed
    assert [note.line for note in notes] == [1, 2, 3, 4, 5, 100]
    assert notes[-1].message.startswith("95 more line(s) repaired, the last: repaired mojibake")


def test_a_c3_byte_that_is_not_utf8_leaves_the_repair_to_the_code_page_path() -> None:
    # cp1252 "Ã " is C3 20: the bytes are repaired before any decoding only when they are UTF-8
    text = "[00:00:01.000 --> 00:00:02.000]   Ã la carte, café\n" * 3
    decoded, notes = decode(text.encode("cp1252"), "in.txt")
    assert decoded == text
    assert len(notes) == 1 and "decoded as" in notes[0].message


def test_mojibake_before_bytes_that_are_not_utf8() -> None:
    # the first line is UTF-8 mojibake, a later byte is not UTF-8: the whole file is decoded
    # from a code page and repaired as text, as when no line looked like mojibake
    data = "CafÃ© this\n".encode() + b"and \x92this\n"
    decoded, notes = decode(data, "in.txt")
    assert decoded == "CafÃ© this\nand ’this\n"
    assert "decoded as cp1252" in notes[0].message and notes[1].line == 1


def test_nul_in_utf8_with_mojibake_is_refused_unless_allowed() -> None:
    data = "one knowâ€”\ntwo \x00 three\n".encode()
    with pytest.raises(ParseError, match="NUL") as info:
        decode(data, "in.txt")
    assert info.value.line == 2
    text, notes = decode(data, "in.txt", allow_nul=True)
    assert text == "one know—\ntwo \x00 three\n" and notes[0].line == 1


def test_a_repair_that_makes_a_lone_surrogate_is_made_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # no repair of real input is known to make one; the path for it is taken here by a repair
    # that does: the bytes are repaired once, and the text decoded with the surrogate kept
    monkeypatch.setattr(decode_module, "_undo_cp1252", lambda line: line[:4] + "\ud800")
    calls = []
    repair = decode_module._repair_utf8

    def counted(data: bytes, source: str) -> tuple[bytes | None, list[Note]]:
        calls.append(len(data))
        return repair(data, source)

    monkeypatch.setattr(decode_module, "_repair_utf8", counted)
    data = codecs.BOM_UTF8 + "one\ntwo knowâ€”\n".encode()
    text, notes = decode(data, "in.txt")
    assert text == "one\ntwo \ud800\n"
    assert [(note.message, note.line) for note in notes] == [
        ("repaired mojibake: 'knowâ€”' -> '\\ud800'", 2)
    ]
    assert calls == [len(data) - len(codecs.BOM_UTF8)]
