"""The one code path from HTML to a cleaned article, shared by the pipelines and ``scrapy extract``.

The spider calls :func:`crawler.extraction.extract`; the item pipelines then run the stages below
in this order (see ``ITEM_PIPELINES``). :func:`process_page` runs the same stages offline.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urljoin

from crawler import cleaning, urls
from crawler.cleaning.learned import LearnedBoilerplate, LearnedLibrary
from crawler.exceptions import EmptyBody, NotAnArticle, NotHtml, SoftBlock, TooDeep
from crawler.extraction import TOO_DEEP, confidence, document_notes, extract
from crawler.extraction.page import trafilatura_container
from crawler.extraction.parsing import MAX_DEPTH
from crawler.items import ArticleItem
from crawler.sites import Site, get_site, site_for_url

#: Stored with every article version; bump it when extraction or cleaning output changes.
EXTRACTOR_VERSION = "0.1.0"

Stage = Callable[[ArticleItem, "type[Site] | None"], None]

_SOFT_BLOCK_TITLES = (
    "just a moment", "attention required", "access denied", "are you a robot", "captcha",
    "verify you are human", "before you continue", "we value your privacy", "pardon our interruption",
)
#: Markers of bot checks and consent walls in the raw page (only decisive when little text is left).
#: Matched on the lower-cased head of the page; ``_BLOCK_HINTS`` (plain substrings, found at
#: memchr speed) must hit first: the regex alone cost ~6 ms on a 64 KiB head.
_BLOCK_MARKERS = re.compile(
    rb"(cf-challenge|challenge-platform|/cdn-cgi/challenge|_incapsula_resource|px-captcha|"
    rb"captcha-delivery|verify(?:ing)? you are (?:a )?human|checking your browser before|"
    rb"enable javascript and cookies to continue|unusual traffic from your computer)",
)
_BLOCK_HINTS = (b"challenge", b"incapsula", b"captcha", b"you are", b"checking your browser",
                b"enable javascript and cookies", b"unusual traffic")
_BLOCK_TITLE = re.compile(rb"<title[^>]*>\s*(just a moment|attention required|access denied|"
                          rb"pardon our interruption)")



def site_of(item: ArticleItem) -> type[Site] | None:
    """The site module an item belongs to (by slug, then by its URL or canonical URL)."""
    if item.site:
        return get_site(item.site)
    return site_for_url(item.url) or (site_for_url(item.canonical_url) if item.canonical_url else None)


def canonicalize(item: ArticleItem, site: type[Site] | None) -> None:
    """Set the canonical URL and collect the URLs that are aliases of it."""
    item.canonical_url = urls.resolve_canonical(item.url, item.canonical_url)
    seen = {item.canonical_url}
    aliases = []
    for candidate in [item.url, *item.aliases]:
        norm = urls.canonical(candidate)
        for alias in (candidate, norm):
            if alias not in seen:
                seen.add(alias)
                aliases.append(alias)
    item.aliases = aliases


def strip_junk(item: ArticleItem, site: type[Site] | None) -> None:
    """DOM cleaning of the body container (generic + site rules)."""
    cleaning.strip_junk(item, site)


def body_text(item: ArticleItem, site: type[Site] | None,
              learned: LearnedBoilerplate | None = None) -> None:
    """Paragraphs out of the cleaned container, then the text rules, then the site's ``learned``
    boilerplate (paragraphs the archive shows repeating across its articles), if given; then
    the body is checked (:func:`settle_body`)."""
    cleaning.body_text(item, site)
    if learned is not None:
        learned.apply(item)
    settle_body(item, site, learned)


def settle_body(item: ArticleItem, site: type[Site] | None,
                learned: LearnedBoilerplate | None = None) -> None:
    """Give the body a confidence; when the page's evidence raises a doubt, take a second
    opinion (trafilatura, recall-oriented, cleaned by the same rules) and keep the body the
    evidence supports. Recorded in ``field_sources["body"]`` as ``<source>`` or
    ``<source>; doubts: ...; kept|replaced``. The page's tree is dropped afterwards."""
    # The tree (and the evidence's block, an element of it) are not kept past this stage.
    root, item.page_root = item.page_root, None
    evidence, item.body_evidence = item.body_evidence or confidence.BodyEvidence(), None
    source = item.field_sources.get("container", "none")
    reasons = confidence.doubts(item.body, evidence)
    item.body_confidence = confidence.confidence(reasons)
    if not reasons:
        item.field_sources["body"] = source
        return
    verdict = "kept"
    if "furniture" in reasons:
        # Mostly furniture: a contact box or legal small print after a short story goes first.
        cut = confidence.furniture_tail(item.body)
        trimmed = item.body[:cut]
        if cut < len(item.body) and not confidence.doubts(trimmed, evidence):
            item.removed.extend(("furniture-text", p) for p in item.body[cut:])
            item.body = trimmed
            item.body_confidence = confidence.confidence([])
            item.field_sources["body"] = f"{source}; doubts: furniture; furniture at the end removed"
            return
    if root is not None and source != "trafilatura":
        # The block's words before cleaning, read before trafilatura changes the tree.
        block_words = (confidence.words([evidence.block.text_content()])
                       if evidence.block is not None else None)
        alt = ArticleItem(url=item.url, site=item.site, title=item.title, authors=list(item.authors))
        alt.container = trafilatura_container(root, item.url, copy=False, favor_recall=True)
        if alt.container is not None:
            cleaning.strip_junk(alt, site)
            cleaning.body_text(alt, site)
            if learned is not None:
                learned.apply(alt)
            pick, their_doubts = confidence.choose(item.body, alt.body, evidence, block_words)
            if pick == "theirs":
                verdict = "replaced by trafilatura"
                item.body, item.captions, item.embeds = alt.body, alt.captions, alt.embeds
                item.removed = [*item.removed, *alt.removed]
                item.body_confidence = confidence.confidence(their_doubts)
    item.field_sources["body"] = f"{source}; doubts: {', '.join(reasons)}; {verdict}"


def validate(item: ArticleItem, site: type[Site] | None) -> None:
    """Raise an :class:`~crawler.exceptions.ArticleDropped` subclass when the item is no article."""
    if item.non_html:
        raise NotHtml(f"the body is {item.non_html}"
                      + ("" if item.non_html == "empty" else ", not an HTML page"), item.url)
    title = (item.title or "").strip().lower()
    words = sum(len(p.split()) for p in item.body)
    if words < 150 and item.block_reason:
        raise SoftBlock(f"the page is a bot check or consent wall ({item.block_reason})", item.url)
    if any(title.startswith(t) for t in _SOFT_BLOCK_TITLES) and words < 150:
        raise SoftBlock(f"title {item.title!r} looks like a block page", item.url)
    if (not item.is_article or words == 0) and TOO_DEEP in document_notes(item):
        raise TooDeep(f"elements nested deeper than {MAX_DEPTH} levels; the parser stops there "
                      "and no article came before", item.url)
    if not item.is_article:
        raise NotAnArticle("page declares no article and has no article body", item.url)
    if words == 0:
        raise EmptyBody("no text left after extraction and cleaning", item.url)


#: The stages after extraction, in pipeline order.
STAGES: tuple[Stage, ...] = (canonicalize, strip_junk, body_text, validate)


def extract_page(
    html: bytes | str,
    url: str,
    site: type[Site] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[ArticleItem, type[Site] | None]:
    """Extract one page with the rules of its site (found by URL, or by canonical URL for mirrors)."""
    site = site or site_for_url(url)
    # A mirrored copy (e.g. on a local server) of a known site gets that site's rules.
    item = extract(html, url, site, headers,
                   site_of_canonical=lambda canonical: site_for_url(urljoin(url, canonical)))
    if item.site is not None:
        site = get_site(item.site)
    head = html[:65536]
    head = head if isinstance(head, bytes) else head.encode("utf-8", "replace")
    low = head.lower()
    title_at = low.find(b"<title")
    if title_at >= 0 and (marker := _BLOCK_TITLE.match(low, title_at)):
        item.block_reason = head[marker.start(1):marker.end(1)].decode("latin-1")
    elif any(hint in low for hint in _BLOCK_HINTS) and (marker := _BLOCK_MARKERS.search(low)):
        item.block_reason = head[marker.start():marker.end()].decode("latin-1")
    return item, site


def process_page(
    html: bytes | str,
    url: str,
    site: type[Site] | None = None,
    headers: dict[str, str] | None = None,
    *,
    validate_item: bool = True,
    learned: LearnedLibrary | None = None,
) -> ArticleItem:
    """Extract and clean one page offline, exactly as the crawl does.

    ``learned``: the per-site learned boilerplate, its segments read from an archive by the
    caller (:func:`crawler.learned_archive.learned_library`, as the crawl does) or given as data;
    without it no learned boilerplate is removed. Raises an ``ArticleDropped`` subclass when
    ``validate_item`` and the page is not an article.
    """
    item, site = extract_page(html, url, site, headers)
    for stage in STAGES:
        if stage is validate and not validate_item:
            continue
        if stage is body_text and learned is not None:
            body_text(item, site, learned.for_site(item.site))
        else:
            stage(item, site)
    return item
