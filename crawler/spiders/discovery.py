"""Finding article URLs: sitemap indexes, (news) sitemaps, RSS/Atom feeds and section pages.

Scrapy's own ``scrapy.utils.sitemap.Sitemap`` reads only the direct children of ``<url>``, so the
nested ``<news:publication_date>`` of a news sitemap is lost; this module reads sitemaps and feeds
with one lxml parse each and keeps every date it finds.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html

from storage import KnownUrl

_XML_PARSER = lxml.etree.XMLParser(
    recover=True, resolve_entities=False, no_network=True, remove_comments=True, huge_tree=False
)


#: Links read from one sitemap, feed or index (the sitemap protocol's limit per file).
MAX_LINKS = 50_000
#: Sitemap indexes listing sitemap indexes are followed this deep (the protocol allows none;
#: some sites nest one level); deeper ones are a trap.
MAX_SITEMAP_DEPTH = 3
#: Schemes an article or discovery link may have: anything else (``file:``, ``data:``,
#: ``javascript:``, ``ftp:``) is never requested.
_WEB_SCHEMES = ("http", "https")


@dataclass(frozen=True)
class Link:
    """A URL found by discovery with the newest date known for it.

    ``declared`` is True when the publisher itself lists the URL as an article: a news-sitemap
    entry (``<news:news>``) or a feed item.
    """

    url: str
    lastmod: dt.datetime | None = None
    declared: bool = False


#: What discovery does with a link: fetch it as new, re-check it (due, or its lastmod moved)
#: with a conditional GET after every new one, or leave it for a later crawl.
Verdict = Literal["new", "due", "lastmod_changed", "not_due"]


def recheck_verdict(known: KnownUrl | None, lastmod: dt.datetime | None, now: dt.datetime) -> Verdict:
    """Whether a discovered link is fetched now, from what the archive knows of it (``known``,
    ``None``: never fetched) and the date discovery found for it.

    A lastmod newer than the last fetch means the publisher says the page changed: re-checked
    whatever the schedule says (even past the schedule's maximum age). Otherwise the schedule's
    ``next_due_at`` decides; a URL without one (stored before schedules) is due.
    """
    if known is None:
        return "new"
    if lastmod is not None and (known.last_fetched_at is None or lastmod > known.last_fetched_at):
        return "lastmod_changed"
    if known.next_due_at is None or known.next_due_at <= now:
        return "due"
    return "not_due"


#: Age buckets of :func:`age_priority`, newest first: (bucket width, buckets of that width).
_AGE_BUCKETS = ((dt.timedelta(hours=1), 48), (dt.timedelta(days=1), 60), (dt.timedelta(weeks=1), 52),
                (dt.timedelta(days=30), 60), (dt.timedelta(days=365), 30))
#: The highest priority :func:`age_priority` gives (a link dated now or later).
MAX_AGE_PRIORITY = 1 + sum(count for _width, count in _AGE_BUCKETS)


def age_priority(lastmod: dt.datetime | None, now: dt.datetime) -> int:
    """A request priority from a link's date: the newer, the higher; 0 without a date.

    Hours for the last two days, then days for two months, weeks for a year, months for five
    years, then years (older than ~37 years: 1): at most :data:`MAX_AGE_PRIORITY` (251) values,
    whatever the site's age; links in one bucket come in no particular order. Scrapy keeps a
    queue per priority (with ``JOBDIR``, an open file each, and processes may open 1,024 files),
    so an hour of its own for every hour a site's archive spans would open tens of thousands.
    """
    if lastmod is None:
        return 0
    age = now - lastmod
    bucket = 0
    for width, count in _AGE_BUCKETS:
        if age < width * count:
            return MAX_AGE_PRIORITY - bucket - max(0, age // width)
        age -= width * count
        bucket += count
    return 1


def parse_date(text: str | None) -> dt.datetime | None:
    """ISO 8601 or RFC 822 date → aware UTC datetime (naive values are taken as UTC)."""
    if not text:
        return None
    text = text.strip()
    value: dt.datetime | None = None
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            value = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def xml_kind(body: bytes) -> str | None:
    """``sitemapindex``, ``urlset``, ``feed`` (RSS or Atom) or ``None`` when ``body`` is none of them."""
    head = body[:2048].lstrip().lower()
    if not (head.startswith(b"<?xml") or head.startswith(b"<urlset") or head.startswith(b"<sitemapindex")
            or head.startswith(b"<rss") or head.startswith(b"<feed")):
        return None
    try:
        root = lxml.etree.fromstring(body, _XML_PARSER)
    except lxml.etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    name = _local(root.tag)
    if name in ("sitemapindex", "urlset"):
        return name
    if name in ("rss", "feed", "rdf"):
        return "feed"
    return None


def parse_sitemap(body: bytes, base_url: str) -> list[Link]:
    """Every ``<loc>`` of a sitemap or sitemap index, dated by news:publication_date or lastmod."""
    root = lxml.etree.fromstring(body, _XML_PARSER)
    links = []
    for entry in root:
        if _local(entry.tag) not in ("url", "sitemap"):
            continue
        loc = None
        dates = []
        news = False
        for child in entry.iter():
            name = _local(child.tag)
            if name == "loc" and loc is None and child.text:
                loc = child.text.strip()
            elif name in ("lastmod", "publication_date") and child.text:
                dates.append(parse_date(child.text))
            news = news or name == "news"
        if loc and _is_web(url := urljoin(base_url, loc)):
            known = [d for d in dates if d]
            links.append(Link(url, max(known) if known else None, declared=news))
    return links


def _is_web(url: str) -> bool:
    """True for an http(s) URL with a host."""
    parts = urlsplit(url)
    return parts.scheme in _WEB_SCHEMES and bool(parts.netloc)


def parse_feed(body: bytes, base_url: str) -> list[Link]:
    """The item links of an RSS 2.0, RSS 1.0 or Atom feed with their dates."""
    root = lxml.etree.fromstring(body, _XML_PARSER)
    links = []
    for entry in root.iter():
        if _local(entry.tag) not in ("item", "entry"):
            continue
        url = None
        date = None
        for child in entry:
            name = _local(child.tag)
            if name == "link":
                href = child.get("href") if child.get("href") else (child.text or "").strip()
                rel = child.get("rel", "alternate")
                if href and rel == "alternate" and url is None:
                    url = href
            elif name in ("pubdate", "published", "updated", "date") and child.text:
                date = date or parse_date(child.text)
        if url and _is_web(url := urljoin(base_url, url)):
            links.append(Link(url, date, declared=True))
    return links


_NEXT_TEXT = re.compile(r"^\s*(next|older|more)\b|[›»→]\s*$", re.I)
_PAGE_PARAM = re.compile(r"([?&](page|paged|p)=\d+|/page/\d+/?$)", re.I)


def parse_section(body: bytes | str, base_url: str) -> tuple[list[str], str | None]:
    """Same-host links of a section page and the URL of its next page (``None`` at the end)."""
    doc = lxml.html.fromstring(body, base_url=base_url)
    host = urlsplit(base_url).netloc
    seen: dict[str, None] = {}
    next_url = None
    for a in doc.iter("a"):
        href = a.get("href")
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = urljoin(base_url, href).split("#", 1)[0]
        if urlsplit(url).netloc != host or not _is_web(url):
            continue
        rel = (a.get("rel") or "").lower().split()
        if next_url is None and (
            "next" in rel or (_PAGE_PARAM.search(url) and _NEXT_TEXT.search(a.text_content() or ""))
        ):
            next_url = url
        seen.setdefault(url, None)
    if next_url is None:
        for link in doc.iter("link"):
            if (link.get("rel") or "").lower() == "next" and link.get("href"):
                next_url = urljoin(base_url, link.get("href"))
                break
    return list(seen), next_url
