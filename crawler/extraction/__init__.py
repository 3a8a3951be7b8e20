"""Article extraction: page bytes → :class:`~crawler.items.ArticleItem` with metadata and body container.

One lxml parse per page (two when libxml2 ended the document early); every field remembers its
source in ``item.field_sources``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from crawler.extraction import site_checks, sniffing
from crawler.extraction.decoding import decode_page
from crawler.extraction.page import FIELDS, UNREADABLE_JSONLD, ArticlePage
from crawler.extraction.parsing import LXML, MAX_DEPTH, parse_page
from crawler.extraction.unicode_repair import repair
from crawler.items import ArticleItem

if TYPE_CHECKING:
    from crawler.sites.base import Site


# Notes on a page whose markup was broken, joined by "; " in ``field_sources["document"]``
# (stored with the article; the validate pipeline logs and counts each):
#: the page ends inside its content (no ``</body>`` or ``</html>``, and no complete tag last):
#: the server sent it cut short;
CUT_SHORT = "cut short"
#: it nests elements deeper than libxml2 reads (what came before that point was read);
TOO_DEEP = f"nested deeper than {MAX_DEPTH} elements"
#: it holds control characters (NUL...) or invisible noncharacters, removed before the parse;
CONTROLS = "control characters removed"
#: and ``UNREADABLE_JSONLD``: one of its JSON-LD scripts cannot be read (syntax error, nested
#: too deep) and is ignored.


def document_notes(item: ArticleItem) -> list[str]:
    """The notes on an item's page (see ``CUT_SHORT`` ...)."""
    notes = item.field_sources.get("document")
    return notes.split("; ") if notes else []


def page_for(html: bytes | str, url: str, site: type[Site] | None = None,
             headers: dict[str, str] | None = None) -> ArticlePage | None:
    """The :class:`ArticlePage` (or the site's ``page_class``) for a page; ``None`` when the
    input is empty, binary, no HTML or unparseable."""
    return _read(html, url, site, headers)[0]


def _read(html: bytes | str, url: str, site: type[Site] | None,
          headers: dict[str, str] | None) -> tuple[ArticlePage | None, str | None]:
    """The page, or ``None`` and what the body is instead (see ``sniffing.describe``)."""
    kind = sniffing.file_kind(html) if isinstance(html, bytes) else None
    if kind is not None:
        return None, kind
    decoded = decode_page(html, headers)
    kind = sniffing.text_kind(decoded.text)
    if kind is not None:
        return None, kind
    parsed = parse_page(decoded.text)
    if parsed is None:
        return None, "no HTML document"
    cls = getattr(site, "page_class", None) if site is not None else None
    page = (cls or ArticlePage)(parsed.root, url, site, headers)
    page.encoding = decoded.encoding
    page.encoding_source = decoded.how
    page.parser = parsed.parser
    page.notes = [note for note, wrong in ((TOO_DEEP, parsed.too_deep), (CONTROLS, parsed.controls),
                                           (CUT_SHORT, _cut_short(decoded.text))) if wrong]
    return page, None


#: The end of a document: ``</body>`` or ``</html>``.
_DOCUMENT_END = re.compile(r"</(?:body|html)\b", re.I)


def _cut_short(text: str) -> bool:
    """True for a page that stops inside its content: no end of document and no complete tag
    last (HTML may leave out ``</body></html>``, but then it ends with a tag, not mid-text)."""
    return not text.rstrip().endswith(">") and not _DOCUMENT_END.search(text, max(0, len(text) - 65536))


def extract(html: bytes | str, url: str, site: type[Site] | None = None,
            headers: dict[str, str] | None = None,
            site_of_canonical: Callable[[str], type[Site] | None] | None = None) -> ArticleItem:
    """Extract metadata and the body container of one page.

    With no ``site``, ``site_of_canonical`` may name the site that owns the page's canonical URL
    (a mirrored copy of a known site): its rules are then used, on the same parse.
    Empty or binary input, or a body that is no HTML (``item.non_html`` says what it is),
    gives ``is_article=False`` and no container (never an exception).
    """
    page, non_html = _read(html, url, site, headers)
    if page is not None and site is None and site_of_canonical is not None:
        canonical, _ = page.canonical_url()
        owner = site_of_canonical(canonical) if canonical else None
        if owner is not None:
            site = owner
            found = page
            page = (owner.page_class or ArticlePage)(page.root, url, owner, headers)
            page.encoding, page.encoding_source = found.encoding, found.encoding_source
            page.parser, page.notes = found.parser, found.notes
    item = ArticleItem(url=url, site=site.slug if site is not None else None)
    if page is None:
        item.is_article = False
        item.non_html = non_html
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
    if notes := page.document_notes():
        # part of the page was broken and left out; the validate stage says so
        item.field_sources["document"] = "; ".join(notes)
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


__all__ = ["CONTROLS", "CUT_SHORT", "TOO_DEEP", "UNREADABLE_JSONLD", "ArticlePage", "document_notes",
           "extract", "page_for"]
