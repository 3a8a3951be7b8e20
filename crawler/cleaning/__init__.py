"""Cleaning of extracted articles: DOM rules on the container, then text rules on paragraphs.

All rules live in :mod:`crawler.cleaning.rules` (generic) and on the ``Site`` class (per site).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.cleaning.dom import strip_junk
from crawler.cleaning.paragraphs import paragraphs_of
from crawler.cleaning.text import clean_paragraphs, trim_author_tail, trim_byline_head
from crawler.extraction.unicode_repair import repair_tree

if TYPE_CHECKING:
    from crawler.items import ArticleItem
    from crawler.sites.base import Site


def body_text(item: ArticleItem, site: type[Site] | None = None) -> None:
    """``item.container`` → ``item.body`` paragraphs (headings kept) and ``item.captions``; then the
    text rules, each removal recorded in ``item.removed``. No container gives an empty body."""
    if item.container is None:
        item.body = []
        return
    if repair_tree(item.container):
        item.field_sources["text"] = "mojibake repaired"
    paragraphs, captions = paragraphs_of(item.container)
    for c in captions:
        if c not in item.captions:
            item.captions.append(c)
    kept, removed = clean_paragraphs(paragraphs, site)
    kept, tail = trim_author_tail(kept, item.authors)
    kept, head = trim_byline_head(kept, item.authors)
    item.body = kept
    removed.extend(tail)
    removed.extend(head)
    item.removed.extend(removed)


__all__ = ["body_text", "clean_paragraphs", "strip_junk"]
