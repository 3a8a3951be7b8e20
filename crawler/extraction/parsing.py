"""The one lxml parse of a page."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, recover=True)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def looks_binary(text: str) -> bool:
    """True for text that is mostly control characters (an image or PDF decoded as text)."""
    head = text[:2048]
    return bool(head) and len(_CONTROL.findall(head)) > len(head) * 0.05


def parse_html(text: str) -> lxml.html.HtmlElement | None:
    """Parse HTML text into an lxml document root; ``None`` for empty or binary input."""
    if not text or not text.strip() or looks_binary(text):
        return None
    text = _CONTROL.sub("", _XML_DECL.sub("", text, count=1))
    try:
        root = lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    return root if root is not None and len(root) else None
