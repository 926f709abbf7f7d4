"""Turning whatever arrives (bytes, str, files) into note text, or a clear, PHI-free error.

Errors name what is wrong (empty, binary, bad encoding, too long) and never quote the note.
Evidence offsets refer to the decoded text returned here, unchanged (no normalisation), so
``text[start:end] == evidence`` holds for the caller's string.
"""

from __future__ import annotations

import codecs
from pathlib import Path

MAX_NOTE_CHARS = 200_000  # ~60 pages; longer inputs are almost always concatenated exports
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class NoteError(ValueError):
    """A note that cannot be analysed; the message says why and never contains note text."""


def decode_note(data: bytes, encoding: str | None = None) -> str:
    """Decode bytes: BOM-marked UTF-8/16/32, else UTF-8 (or ``encoding`` when given)."""
    if encoding is None:
        for bom, enc in _BOMS:
            if data.startswith(bom):
                encoding = enc
                break
    if encoding is None and b"\x00" in data:
        raise NoteError("note looks binary (contains NUL bytes); expected plain text")
    try:
        return data.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        raise NoteError(
            f"note is not valid {encoding or 'UTF-8'} (bad byte at offset {exc.start}); "
            "re-save it as UTF-8 or pass --encoding (e.g. cp1252)"
        ) from None
    except LookupError:
        raise NoteError(f"unknown encoding {encoding!r}") from None


def check_note(text: object, max_chars: int = MAX_NOTE_CHARS) -> str:
    """Validate decoded text; returns it unchanged or raises :class:`NoteError`."""
    if isinstance(text, bytes | bytearray):
        text = decode_note(bytes(text))
    if not isinstance(text, str):
        raise NoteError(f"note must be text, got {type(text).__name__}")
    if not text.strip():
        raise NoteError("note is empty")
    if len(text) > max_chars:
        raise NoteError(f"note is too long ({len(text):,} characters; limit {max_chars:,})")
    if "\x00" in text:
        raise NoteError("note looks binary (contains NUL characters); expected plain text")
    controls = sum(1 for c in text[:4096] if ord(c) < 32 and c not in "\t\n\r\f\v")
    if controls > max(8, len(text[:4096]) // 20):
        raise NoteError("note looks binary (many control characters); expected plain text")
    return text


def read_note_file(path: str | Path, encoding: str | None = None, max_chars: int = MAX_NOTE_CHARS) -> str:
    """Read and validate one note file (refuses files far beyond the limit without reading them)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise NoteError(f"cannot read {path}: {exc.strerror}") from None
    if size > max_chars * 4 + 16:  # 4 bytes per character at most in UTF-8
        raise NoteError(f"note file is too large ({size:,} bytes; limit {max_chars:,} characters)")
    return check_note(decode_note(path.read_bytes(), encoding), max_chars)
