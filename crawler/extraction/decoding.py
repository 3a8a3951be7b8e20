"""Bytes → text: the HTTP ``Content-Type`` charset, then ``<meta charset>``, then bs4's UnicodeDammit."""

from __future__ import annotations

import codecs
import re

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


def decode_html(data: bytes | str, headers: dict[str, str] | None = None) -> tuple[str, str | None]:
    """Decode page bytes to text; returns ``(text, encoding used)``.

    Bytes that are valid UTF-8 are taken as UTF-8; otherwise a declared charset is used when the
    bytes decode cleanly with it (a wrong header is common), else bs4's ``UnicodeDammit`` guesses.
    """
    if isinstance(data, str):
        return data, None
    for bom, name in _BOM:
        if data.startswith(bom):
            return data[len(bom):].decode(name, "replace"), name
    # Valid multi-byte UTF-8 is almost never a legacy single-byte text by accident, so bytes that
    # decode as UTF-8 are UTF-8 whatever the (often defaulted) header says.
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = [c for c in (header_charset(headers), meta_charset(data)) if c and c != "utf-8"]
    for enc in dict.fromkeys(declared):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    from bs4 import UnicodeDammit  # imported lazily: only broken pages need it

    dammit = UnicodeDammit(data, known_definite_encodings=[], is_html=True)
    if dammit.unicode_markup is not None:
        return dammit.unicode_markup, dammit.original_encoding
    return data.decode("cp1252", "replace"), "cp1252"
