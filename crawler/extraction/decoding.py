"""Bytes → text: the HTTP ``Content-Type`` charset, then ``<meta charset>``, then bs4's UnicodeDammit.

Broken pages are read as a browser would show them: a UTF-8 page cut inside its last character
loses only that character; UTF-16 declared without a byte order mark is read as UTF-16 (its
NUL bytes are valid UTF-8 too); a UTF-8 page with some windows-1252 bytes pasted in (an ad, a
quote copied from elsewhere) keeps its UTF-8 text and gets those bytes as windows-1252.
"""

from __future__ import annotations

import codecs
import logging
import re
from typing import NamedTuple

# bs4 warns "Some characters could not be decoded" on every badly encoded page; the crawl reports
# such pages itself, once each, with the URL (``extraction/charset_guessed``).
logging.getLogger("bs4.dammit").setLevel(logging.ERROR)

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I
)
_BOM = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
#: A well-formed multi-byte UTF-8 sequence (two to four bytes).
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_BYTES = bytes(range(0x80, 0x100))
#: Label of a page read as UTF-8 with windows-1252 bytes mixed in.
MIXED_UTF8 = "utf-8+cp1252"
# Labels browsers treat as other encodings (WHATWG encoding standard).
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
            "ascii": "cp1252", "x-sjis": "shift_jis", "gb2312": "gb18030", "gbk": "gb18030"}


def _codec(label: str | None) -> str | None:
    """A Python codec name for a charset label, or ``None`` when unknown."""
    if not label:
        return None
    label = label.strip().lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


#: Single-byte Latin charsets a detector picks for short Western text whose accents it cannot
#: tell apart ("è" read as "č"): windows-1252, what browsers assume for such pages, is read
#: instead (Cyrillic, Greek, Hebrew and CJK guesses are kept).
_LATIN_LOOKALIKES = frozenset(filter(None, (_codec(c) for c in (
    "windows-1250", "iso-8859-2", "windows-1254", "iso-8859-9", "windows-1257", "iso-8859-13",
    "iso-8859-3", "iso-8859-4", "iso-8859-10", "iso-8859-14", "iso-8859-15", "iso-8859-16",
    "mac-roman", "mac-latin2", "windows-1252", "iso-8859-1"))))


def header_charset(headers: dict[str, str] | None) -> str | None:
    """The charset declared in a ``Content-Type`` header (any key case)."""
    for key, value in (headers or {}).items():
        if key.lower() == "content-type" and value:
            m = _HEADER_CHARSET.search(value)
            return _codec(m.group(1)) if m else None
    return None


def meta_charset(data: bytes) -> str | None:
    """The charset declared by ``<meta charset>`` / ``http-equiv`` in the first 4 KB."""
    m = _META_CHARSET.search(data[:4096])
    return _codec(m.group(1).decode("ascii", "ignore")) if m else None


class Decoded(NamedTuple):
    """Decoded page text, the encoding used and how it was chosen: ``"text"`` (input was already
    text), ``"bom"``, ``"utf-8"`` (valid UTF-8), ``"declared"`` (header or ``<meta>`` charset) or
    ``"guessed"`` (no declared charset fits the bytes: bs4's guess, or cp1252 with replacements)."""

    text: str
    encoding: str | None
    how: str


def decode_page(data: bytes | str, headers: dict[str, str] | None = None) -> Decoded:
    """Decode page bytes to text (see :class:`Decoded`).

    Bytes that are valid UTF-8 are taken as UTF-8; otherwise a declared charset is used when the
    bytes decode cleanly with it (a wrong header is common), else bs4's ``UnicodeDammit`` guesses.
    """
    if isinstance(data, str):
        return Decoded(data, None, "text")
    for bom, name in _BOM:
        if data.startswith(bom):
            return Decoded(data[len(bom):].decode(name, "replace"), name, "bom")
    declared = [c for c in (header_charset(headers), meta_charset(data)) if c and c != "utf-8"]
    wide = next((c for c in declared if c.startswith(("utf-16", "utf-32"))), None)
    if wide is not None and b"\x00" in data[:1024]:
        # UTF-16 without a byte order mark: its NUL bytes would pass for UTF-8 below.
        if wide in ("utf-16", "utf-32"):
            wide += "-be" if data[:1] == b"\x00" else "-le"
        return Decoded(data.decode(wide, "replace"), wide, "declared")
    # Valid multi-byte UTF-8 is almost never a legacy single-byte text by accident, so bytes that
    # decode as UTF-8 are UTF-8 whatever the (often defaulted) header says.
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            # A page cut inside its last character: everything before it is valid UTF-8.
            return Decoded(data[:exc.start].decode("utf-8"), "utf-8", "utf-8")
    # Mostly UTF-8 with a few stray bytes is UTF-8 too, whatever is declared; a single-byte
    # charset would "decode" it, every UTF-8 character becoming two or three wrong ones.
    mixed = _mostly_utf8(data)
    if mixed is not None:
        return Decoded(mixed, MIXED_UTF8, "guessed")
    for enc in dict.fromkeys(declared):
        try:
            return Decoded(data.decode(enc), enc, "declared")
        except UnicodeDecodeError:
            continue
    from bs4 import UnicodeDammit  # imported lazily: only broken pages need it

    dammit = UnicodeDammit(data, known_definite_encodings=[], is_html=True)
    guess = _codec(dammit.original_encoding)
    if dammit.unicode_markup is not None and guess not in _LATIN_LOOKALIKES:
        return Decoded(dammit.unicode_markup, dammit.original_encoding, "guessed")
    return Decoded(data.decode("cp1252", "replace"), "cp1252", "guessed")


def _mostly_utf8(data: bytes) -> str | None:
    """The text of UTF-8 bytes with a few stray bytes, those read as windows-1252; ``None``
    unless well-formed UTF-8 sequences outnumber the stray bytes three to one (a page in a
    legacy charset has next to none: its high bytes rarely form them)."""
    sequences = 0
    covered = 0
    for match in _UTF8_SEQUENCE.finditer(data):
        sequences += 1
        covered += len(match.group())
    stray = len(data) - len(data.translate(None, _HIGH_BYTES)) - covered
    if sequences < 3 * max(stray, 1):
        return None
    return data.decode("utf-8", _STRAY_BYTES)


def _stray_as_cp1252(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: a stray byte in UTF-8 is a windows-1252 character, unless it is
    part of a broken multi-byte sequence (a lead byte and continuation bytes: U+FFFD)."""
    assert isinstance(exc, UnicodeDecodeError)
    data = exc.object
    out = []
    for i in range(exc.start, exc.end):
        byte = data[i]
        broken = ((byte >= 0xC0 and i + 1 < len(data) and 0x80 <= data[i + 1] <= 0xBF)
                  or (0x80 <= byte <= 0xBF and i > 0 and data[i - 1] >= 0x80))
        out.append("\ufffd" if broken else data[i:i + 1].decode("cp1252", "replace"))
    return "".join(out), exc.end


_STRAY_BYTES = "archiver-stray-bytes-as-cp1252"
codecs.register_error(_STRAY_BYTES, _stray_as_cp1252)


def decode_html(data: bytes | str, headers: dict[str, str] | None = None) -> tuple[str, str | None]:
    """Decode page bytes to text; returns ``(text, encoding used)`` (see :func:`decode_page`)."""
    decoded = decode_page(data, headers)
    return decoded.text, decoded.encoding
