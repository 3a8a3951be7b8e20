"""Article extraction: page bytes → :class:`~crawler.items.ArticleItem` with metadata and body container.

One lxml parse per page (two when libxml2 ended the document early); every field remembers its
source in ``item.field_sources``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from crawler.extraction import site_checks
from crawler.extraction.decoding import decode_page
from crawler.extraction.page import FIELDS, ArticlePage
from crawler.extraction.parsing import LXML, parse_page
from crawler.extraction.unicode_repair import repair
from crawler.items import ArticleItem

if TYPE_CHECKING:
    from crawler.sites.base import Site


def page_for(html: bytes | str, url: str, site: type[Site] | None = None,
             headers: dict[str, str] | None = None) -> ArticlePage | None:
    """The :class:`ArticlePage` (or the site's ``page_class``) for a page; ``None`` when the
    input is empty, binary or unparseable."""
    decoded = decode_page(html, headers)
    parsed = parse_page(decoded.text)
    if parsed is None:
        return None
    cls = getattr(site, "page_class", None) if site is not None else None
    page = (cls or ArticlePage)(parsed.root, url, site, headers)
    page.encoding = decoded.encoding
    page.encoding_source = decoded.how
    page.parser = parsed.parser
    return page


def extract(html: bytes | str, url: str, site: type[Site] | None = None,
            headers: dict[str, str] | None = None,
            site_of_canonical: Callable[[str], type[Site] | None] | None = None) -> ArticleItem:
    """Extract metadata and the body container of one page.

    With no ``site``, ``site_of_canonical`` may name the site that owns the page's canonical URL
    (a mirrored copy of a known site): its rules are then used, on the same parse.
    Empty or binary input gives ``is_article=False`` and no container (never an exception).
    """
    page = page_for(html, url, site, headers)
    if page is not None and site is None and site_of_canonical is not None:
        canonical, _ = page.canonical_url()
        owner = site_of_canonical(canonical) if canonical else None
        if owner is not None:
            site = owner
            encoding, how, parser = page.encoding, page.encoding_source, page.parser
            page = (owner.page_class or ArticlePage)(page.root, url, owner, headers)
            page.encoding, page.encoding_source, page.parser = encoding, how, parser
    item = ArticleItem(url=url, site=site.slug if site is not None else None)
    if page is None:
        item.is_article = False
        return item
    for name in FIELDS:
        value, source = getattr(page, name)()
        if source == "site" and name in site_checks.CHECKS:
            generic = getattr(ArticlePage, name)(page)
            problem = site_checks.CHECKS[name](page, value, generic[0])
            if problem is not None:  # the site rule missed (another layout): the generic value
                page.rejected[name] = problem
                value, source = generic
        if value is None or value == [] or value == "":
            continue
        if isinstance(value, str):
            value = repair(value)
        elif isinstance(value, list):
            value = [repair(v) if isinstance(v, str) else v for v in value]

        setattr(item, name, value)
        if source:
            item.field_sources[name] = source
    if page.encoding_source in ("declared", "guessed"):
        # how the bytes were read: "guessed" means no declared charset fitted them
        item.field_sources["encoding"] = f"{page.encoding_source}:{page.encoding}"
    if page.parser != LXML:
        # the first parse lost text (libxml2 ended the document early); the spider counts it
        item.field_sources["parser"] = page.parser
    container, source = page.container()
    item.container = container
    item.body_evidence = page.body_evidence()
    item.page_root = page.root  # for a second opinion on the body; dropped once it is settled
    item.site_rule_rejected = dict(page.rejected)
    if source:
        item.field_sources["container"] = source
    if container is None and item.field_sources.get("is_article") == "html":
        item.is_article = False
    return item


__all__ = ["ArticlePage", "extract", "page_for"]
