"""Bytes → text: the HTTP ``Content-Type`` charset, then ``<meta charset>``, then bs4's UnicodeDammit."""

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
    # Valid multi-byte UTF-8 is almost never a legacy single-byte text by accident, so bytes that
    # decode as UTF-8 are UTF-8 whatever the (often defaulted) header says.
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    declared = [c for c in (header_charset(headers), meta_charset(data)) if c and c != "utf-8"]
    for enc in dict.fromkeys(declared):
        try:
            return Decoded(data.decode(enc), enc, "declared")
        except UnicodeDecodeError:
            continue
    from bs4 import UnicodeDammit  # imported lazily: only broken pages need it

    dammit = UnicodeDammit(data, known_definite_encodings=[], is_html=True)
    if dammit.unicode_markup is not None:
        return Decoded(dammit.unicode_markup, dammit.original_encoding, "guessed")
    return Decoded(data.decode("cp1252", "replace"), "cp1252", "guessed")


def decode_html(data: bytes | str, headers: dict[str, str] | None = None) -> tuple[str, str | None]:
    """Decode page bytes to text; returns ``(text, encoding used)`` (see :func:`decode_page`)."""
    decoded = decode_page(data, headers)
    return decoded.text, decoded.encoding
