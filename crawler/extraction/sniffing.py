"""What a body is when it is not HTML: a file format known by its first bytes, binary data,
JSON or plain text. A server that labels such a body ``text/html`` (a PDF, an image, an API
answer) gets it dropped with this description instead of having its bytes read as a page."""

from __future__ import annotations

import re

#: First bytes of file formats (no HTML page starts with them), and what they are.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"RIFF", "a RIFF file (WebP image, WAV audio or AVI video)"),
    (b"OggS", "Ogg audio or video"),
    (b"ID3", "an MP3 file"),
    (b"fLaC", "a FLAC file"),
    (b"\x1aE\xdf\xa3", "a Matroska or WebM video"),
    (b"wOFF", "a WOFF font"),
    (b"wOF2", "a WOFF2 font"),
    (b"PK\x03\x04", "a ZIP archive (or an office document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"(\xb5/\xfd", "zstd-compressed data"),
    (b"7z\xbc\xaf'\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an ELF executable"),
    (b"MZ", "a Windows executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f]")
#: Share of control characters (NUL not counted: browsers skip it) that makes text binary.
BINARY_SHARE = 0.05
#: Anything that opens or closes an element, a comment or a doctype.
_MARKUP = re.compile(r"<[a-zA-Z!/?]")


def file_kind(data: bytes) -> str | None:
    """The file format of ``data`` by its first bytes (``"a PDF document"``), ``None`` for
    anything else."""
    head = data[:16]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[4:8] == b"ftyp":
        return "an MP4 or QuickTime video"
    return None


def text_kind(text: str) -> str | None:
    """What decoded ``text`` is when it cannot be an HTML page: ``"empty"``, ``"binary data"``,
    ``"JSON"`` or ``"plain text"`` (no markup at all); ``None`` for anything with markup."""
    if not text.strip("\x00 \t\r\n\f\v"):
        return "empty"
    head = text[:2048]
    if len(_CONTROL.findall(head)) > len(head) * BINARY_SHARE:
        return "binary data"
    start = text.lstrip("\ufeff \t\r\n")[:1]
    if start in ("{", "[") and _is_json(text):
        return "JSON"
    if not _MARKUP.search(text):
        return "plain text"
    return None


def _is_json(text: str) -> bool:
    import json

    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def describe(data: bytes | str, text: str) -> str | None:
    """What a body is when it is no HTML page (``file_kind`` of its bytes, else ``text_kind``
    of its decoded ``text``), for the drop reason; ``None`` for an HTML page."""
    kind = file_kind(data) if isinstance(data, bytes) else None
    return kind or text_kind(text)
