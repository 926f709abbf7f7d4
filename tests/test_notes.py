"""Bad input gets a clear error that never quotes the note."""

from __future__ import annotations

import codecs

import pytest

from classifier.notes import NoteError, check_note, decode_note, read_note_file

SECRET = "Jane Q Patient MRN 12345"


def test_empty_and_whitespace():
    for text in ("", "   \n\t "):
        with pytest.raises(NoteError, match="empty"):
            check_note(text)


def test_binary_is_refused():
    with pytest.raises(NoteError, match="binary"):
        decode_note(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(NoteError, match="binary"):
        check_note("".join(chr(i % 31 + 1) for i in range(400)))


def test_bad_utf8_names_the_offset_not_the_text():
    data = (SECRET + " pump refilled \xe9").encode("latin-1")
    with pytest.raises(NoteError) as exc:
        decode_note(data)
    assert "offset" in str(exc.value) and SECRET not in str(exc.value)
    assert decode_note(data, "cp1252").endswith("\xe9")


def test_boms_are_honoured():
    text = "Pump refilled – 20 mL"
    assert decode_note(codecs.BOM_UTF8 + text.encode()) == text
    assert decode_note(text.encode("utf-16")) == text


def test_too_long():
    with pytest.raises(NoteError, match="too long"):
        check_note("pump " * 100, max_chars=100)


def test_file_limits(tmp_path):
    p = tmp_path / "n.txt"
    p.write_bytes(b"x" * 5000)
    with pytest.raises(NoteError, match="too large"):
        read_note_file(p, max_chars=100)
    with pytest.raises(NoteError, match="cannot read"):
        read_note_file(tmp_path / "missing.txt")


def test_non_text_objects():
    with pytest.raises(NoteError, match="must be text"):
        check_note(42)
