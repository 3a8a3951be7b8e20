"""Raw HTML as kept in ``captures.html``: gzip (readable by any tool), SHA-256 of the raw bytes."""

from __future__ import annotations

import gzip
import hashlib


def compress_html(html: bytes) -> bytes:
    """``html`` gzip-compressed (deterministic: no timestamp in the header)."""
    return gzip.compress(html, compresslevel=6, mtime=0)


def decompress_html(data: bytes) -> bytes:
    """The raw bytes kept by :func:`compress_html`."""
    return gzip.decompress(data)


def html_sha256(html: bytes) -> str:
    """SHA-256 of the raw (uncompressed) response body, hex."""
    return hashlib.sha256(html).hexdigest()
