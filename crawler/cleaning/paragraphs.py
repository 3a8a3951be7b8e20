"""Container → paragraphs: block elements break paragraphs, headings are their own paragraphs."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from crawler.cleaning.rules import INVISIBLE_TAGS
from crawler.extraction.body_finder import INLINE_TAGS

_SPACE = re.compile(r"\s+")
_SKIP = INVISIBLE_TAGS | {"iframe", "figcaption", "button", "select", "textarea", "input"}
_ROW_TAGS = frozenset({"tr"})
_CELL_TAGS = frozenset({"td", "th"})


class _Collector:
    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self.captions: list[str] = []
        self.buf: list[str] = []

    def flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self.buf)).strip()
        if text:
            self.paragraphs.append(text)
        self.buf = []

    def add(self, text: str | None) -> None:
        if text:
            self.buf.append(text)


def _walk(el: HtmlElement, out: _Collector) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _SKIP or not tag:
        if tag == "figcaption":
            caption = _SPACE.sub(" ", el.text_content()).strip()
            if caption and caption not in out.captions:
                out.captions.append(caption)
        out.add(el.tail)
        return
    if tag == "br":
        out.flush()
        out.add(el.tail)
        return
    inline = tag in INLINE_TAGS
    if tag in _ROW_TAGS:
        out.flush()
        cells = [_SPACE.sub(" ", c.text_content()).strip() for c in el if c.tag in _CELL_TAGS]
        cells = [c for c in cells if c]
        if cells:
            out.paragraphs.append(" | ".join(cells))
        out.add(el.tail)
        return
    if not inline:
        out.flush()
    elif tag == "img":
        out.add(el.tail)
        return
    out.add(el.text)
    for child in el:
        _walk(child, out)
    if not inline:
        out.flush()
    out.add(el.tail)


def paragraphs_of(root: HtmlElement) -> tuple[list[str], list[str]]:
    """The paragraphs (headings, list items and table rows each their own) and the captions
    (``<figcaption>`` text) of a container."""
    out = _Collector()
    out.add(root.text)
    for child in root:
        _walk(child, out)
    out.flush()
    return out.paragraphs, out.captions
