"""The generic news spider: ``scrapy crawl news -a site=SLUG`` or ``-a start_url=URL``."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import UsageError
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import sitemap_urls_from_robots

from crawler import urls
from crawler.distinct import DistinctCounter
from crawler.distributed.ledger import request_failed
from crawler.items import Capture, Sighting
from crawler.processing import extract_page
from crawler.shared_archive import SharedArchive
from crawler.sites import Site, SitesFileError, get_site, load_sites_file, owning_site, site_for_url
from crawler.spiders import discovery
from crawler.spiders.discovery import Link, Verdict
from storage import ArchiveError, ArchiveNotMigrated, KnownUrl
from storage.captures import html_sha256

#: Sitemaps, feeds and section pages are expanded before any article is fetched, so that the
#: article queue can be ordered newest first across all of them.
DISCOVERY_PRIORITY = 10**9
#: Added to a re-check's priority (from its lastmod, like a new article's: discovery.age_priority,
#: below 10**7): every due re-check waits until no new article is queued.
RECHECK_PRIORITY = -(10**7)
_HTML_TYPES = ("text/html", "application/xhtml+xml")


class NewsSpider(scrapy.Spider):
    """Discovers article URLs from sitemaps, feeds and section pages and yields ``ArticleItem``s."""

    name = "news"

    def __init__(
        self,
        site: str | None = None,
        start_url: str | None = None,
        since: str | None = None,
        max_articles: str | int | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not site and not start_url:
            raise UsageError("give -a site=SLUG or -a start_url=URL")
        try:
            self.site: type[Site] | None = get_site(site) if site else None
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from None
        if start_url:
            if urlsplit(start_url).scheme not in ("http", "https") or not urlsplit(start_url).hostname:
                raise UsageError(f"start_url must be an http(s) URL, got {start_url!r}")
            self.start_urls = [start_url]
        else:
            assert self.site is not None
            self.start_urls = list(self.site.start_urls)
        #: Hosts the user typed (a start URL, a SITES_FILE site): crawlable even when private.
        self.user_named_hosts: frozenset[str] = frozenset(
            (urlsplit(u).hostname or "").lower() for u in self.start_urls
            if start_url or self.site is None or self.site.source != "module")
        #: (start URL, why) of every start URL that could not be fetched.
        self.start_failures: list[tuple[str, str]] = []
        self.since = _parse_since(since)
        self._max_articles_arg = int(max_articles) if max_articles else None
        self.scheduled_articles = 0
        self._warned_selector: set[str] = set()
        # Which article URLs were requested is the scheduler's dupefilter's to know (Scrapy's,
        # or the shared one of a distributed crawl); a request it drops as requested before has
        # its counts undone (_request_dropped). What the counters below need is how many
        # distinct URLs, in bounded memory (exact for the usual numbers: crawler.distinct).
        self._links = DistinctCounter()  # article links discovered
        self._not_due = DistinctCounter()  # judged not due in some listing
        self._requested = DistinctCounter()  # article requests made
        #: One listing (sitemap, feed, section page) expanded into requests at a time. Scrapy
        #: runs the callbacks of several responses side by side; a 50,000-URL sitemap's links
        #: take tens of MB as Python objects, so expanding every sitemap of a large index at once
        #: would make the peak memory of a crawl grow with the site.
        self._expanding = asyncio.Lock()
        #: A crawl of the shared frontier (SCHEDULER_BACKEND=redis): start requests go through
        #: the shared dupefilter, so that only one worker's copy of each is fetched.
        self.distributed = False
        #: Whether this crawl adds its start URLs and due re-checks to the frontier (a
        #: distributed worker started with `scrapy worker` only takes from it).
        self.seeds = True
        self._archive: SharedArchive | None = None
        self._state_unreadable = False
        #: Like a conditional GET on our side: a body identical to the newest capture is not parsed.
        self.skip_same_body = True

    @classmethod
    def from_crawler(cls, crawler: scrapy.crawler.Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        try:
            load_sites_file(crawler.settings.get("SITES_FILE"))
        except SitesFileError as exc:
            raise UsageError(str(exc)) from None
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.section_max_pages = crawler.settings.getint("SECTION_MAX_PAGES")
        spider.max_articles = spider._max_articles_arg or crawler.settings.getint("MAX_ARTICLES")
        if crawler.settings.get("ARCHIVE_URL"):
            spider._archive = SharedArchive.of(crawler)
        spider.skip_same_body = crawler.settings.getbool("CONDITIONAL_GET_ENABLED", True)
        spider.distributed = crawler.settings.get("SCHEDULER_BACKEND") == "redis"
        spider.seeds = not spider.distributed or crawler.settings.getbool("REDIS_SEED", True)
        crawler.signals.connect(spider._request_dropped, signal=signals.request_dropped)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        if not self.seeds:
            return
        for url in self.start_urls:
            # Fetched whatever the dupefilter says, except in a distributed crawl: every worker
            # seeds the same start URLs there, and the shared dupefilter keeps one of each.
            yield Request(
                url, self.parse_discovery, priority=DISCOVERY_PRIORITY, dont_filter=not self.distributed,
                meta={"discovered_via": "start", "section_page": 0}, errback=self.on_error,
            )
        for known in self._due_from_archive():
            yield self._recheck_request(known)

    def _due_from_archive(self) -> list[KnownUrl]:
        """The site's archived articles due for a re-check now, whatever discovery finds: an
        old article's sitemap may be skipped (``since``) or gone, and it is still re-checked
        on schedule. Only for a site crawl (``-a site=``), at most MAX_ARTICLES or 5000."""
        if self.site is None or self._archive is None:
            return []
        try:
            return self._archive.reader().due_urls(self.site.slug, dt.datetime.now(dt.UTC),
                                                   limit=self.max_articles or 5000)
        except ArchiveNotMigrated:
            return []  # a new archive: nothing is due
        except ArchiveError as exc:
            self.crawler.stats.inc_value("recheck/state_unknown")
            self.logger.warning("cannot read the re-checks due from the archive: %s", exc)
            return []

    def _recheck_request(self, known: KnownUrl) -> Request:
        """A due re-check of an archived article (after every new URL; a conditional GET)."""
        self._requested.add(known.url)
        self.scheduled_articles += 1
        self.crawler.stats.inc_value("recheck/due_from_archive")
        return Request(known.url, self.parse_article, errback=self.on_error,
                       priority=RECHECK_PRIORITY,
                       meta={"discovered_via": "recheck", "lastmod": None, "article": True,
                             "recheck": "due",
                             "capture_sha256": known.capture_sha256 if self.skip_same_body else None,
                             "handle_httpstatus_list": [304]})

    # --- discovery ----------------------------------------------------------------------------

    async def parse_discovery(self, response: Response) -> AsyncIterator[Any]:
        """Expand a robots.txt, sitemap index, sitemap, feed or section page into requests,
        one document at a time (:attr:`_expanding`)."""
        async with self._expanding:
            for result in self._expand(response):
                yield result

    def _expand(self, response: Response) -> Iterator[Any]:
        """What :meth:`parse_discovery` yields for one document."""
        stats = self.crawler.stats
        if urlsplit(response.url).path == "/robots.txt":
            sitemaps = list(sitemap_urls_from_robots(response.body, base_url=response.url))
            stats.inc_value("discovery/robots_txt")
            self.logger.info("robots.txt %s: %d sitemaps", response.url, len(sitemaps))
            for url in sitemaps:
                yield Request(url, self.parse_discovery, priority=DISCOVERY_PRIORITY,
                              meta={"discovered_via": "robots", "section_page": 0},
                              errback=self.on_error)
            return
        body = self._xml_body(response)
        kind = discovery.xml_kind(body) if body is not None else None
        if kind == "sitemapindex":
            stats.inc_value("discovery/sitemapindex")
            links = self._capped(self._newest_first(discovery.parse_sitemap(body, response.url)),
                                 response.url)
            self.logger.info("sitemap index %s: %d sitemaps", response.url, len(links))
            depth = response.meta.get("sitemap_depth", 0) + 1
            if depth > discovery.MAX_SITEMAP_DEPTH:  # indexes listing indexes, on and on: a trap
                stats.inc_value("discovery/sitemap_too_deep")
                self.logger.warning("sitemap index %s is nested %d deep; its sitemaps are not "
                                    "followed", response.url, depth)
                return
            for link in links:
                if self.since and link.lastmod and link.lastmod < self.since:
                    # nothing in a sitemap last changed before `since` can be newer than it
                    stats.inc_value("discovery/skipped_sitemap_older_than_since")
                    continue
                yield Request(link.url, self.parse_discovery, priority=DISCOVERY_PRIORITY,
                              meta={"discovered_via": "sitemap", "section_page": 0,
                                    "sitemap_depth": depth},
                              errback=self.on_error)
        elif kind in ("urlset", "feed"):
            stats.inc_value(f"discovery/{'sitemap' if kind == 'urlset' else 'feed'}")
            parse = discovery.parse_sitemap if kind == "urlset" else discovery.parse_feed
            links = self._capped(self._newest_first(parse(body, response.url)), response.url)
            self.logger.info("%s %s: %d links", kind, response.url, len(links))
            yield from self._article_requests(links, via=kind)
        elif isinstance(response, TextResponse) and self._is_html(response):
            yield from self._parse_html_listing(response)
        else:
            stats.inc_value("discovery/unrecognised")
            self.logger.warning("not a sitemap, feed or HTML page, ignored: %s", response.url)

    def _parse_html_listing(self, response: TextResponse) -> Iterator[Any]:
        if response.meta.get("discovered_via") == "start" and self.is_article_url(response.url):
            # The start URL is itself an article.
            yield from self.parse_article(response)
            return
        self.crawler.stats.inc_value("discovery/section_page")
        found, next_url = discovery.parse_section(response.body, response.url)
        articles = [Link(u) for u in found if self.is_article_url(u)]
        self.logger.info("section %s: %d article links", response.url, len(articles))
        yield from self._article_requests(articles, via="section")
        page = response.meta.get("section_page", 0) + 1
        if next_url and page < self.section_max_pages:
            yield Request(next_url, self.parse_discovery, priority=DISCOVERY_PRIORITY,
                          meta={"discovered_via": "section", "section_page": page},
                          errback=self.on_error)
        elif next_url:  # endless pagination (or a long archive) stops here
            self.crawler.stats.inc_value("discovery/section_max_pages")
            self.logger.info("section %s: next page not followed (SECTION_MAX_PAGES=%d)",
                             response.url, self.section_max_pages)

    def _article_requests(self, links: list[Link], via: str) -> Iterator[Request]:
        """Requests for the article links of one sitemap, feed or section page.

        What the archive knows of them is read in one query: new URLs are requested first
        (priority: the newer the lastmod, the higher), then the known ones that are due for a
        re-check or whose lastmod moved (in a lower priority band, sent as conditional GETs by
        ConditionalGetMiddleware); known URLs not due yet are left for a later crawl.
        """
        stats = self.crawler.stats
        now = dt.datetime.now(dt.UTC)
        wanted = []
        in_listing: set[str] = set()  # one listing's URLs (bounded by the listing)
        for link in links:
            if link.url in in_listing:  # named twice in this listing
                continue
            in_listing.add(link.url)
            if not self.is_article_url(link.url):
                if not link.declared:
                    stats.inc_value("discovery/skipped_not_article")
                    continue
                # The publisher lists it as an article (news sitemap, feed) though the site's URL
                # pattern says otherwise ("/oppenheimer-imax/" on a Valnet site): trust the publisher,
                # and count it so the pattern can be fixed.
                stats.inc_value("discovery/declared_outside_pattern")
            self._links.add(link.url)  # each article URL counted once, however often listed
            if self.since and link.lastmod and link.lastmod < self.since:
                stats.inc_value("discovery/skipped_older_than_since")
                continue
            wanted.append(link)
        for link, verdict, state in self._judged(wanted, now):
            if verdict == "not_due":
                self._not_due.add(link.url)
                continue
            if self.max_articles and self.scheduled_articles >= self.max_articles:
                stats.inc_value("discovery/skipped_max_articles")
                continue
            # Listed again elsewhere and requested already: the dupefilter drops this request
            # and its counts are undone (_request_dropped).
            self.scheduled_articles += 1
            self._requested.add(link.url)  # not due by an earlier listing? its lastmod moved here
            stats.inc_value(_VERDICT_STATS[verdict])
            priority = discovery.age_priority(link.lastmod, now)
            yield Request(link.url, self.parse_article, errback=self.on_error,
                          priority=priority if verdict in ("new", None) else priority + RECHECK_PRIORITY,
                          meta={"discovered_via": via, "lastmod": link.lastmod, "article": True,
                                "recheck": verdict,
                                "capture_sha256": state.capture_sha256
                                if state and self.skip_same_body else None,
                                "handle_httpstatus_list": [304]})
        self._count_links()

    def _count_links(self) -> None:
        """Set discovery/article_links (distinct article URLs listed) and
        discovery/skipped_not_due: those found not due and not requested (by another listing
        whose lastmod moved), |not due ∪ requested| - |requested|. Once per listing."""
        stats = self.crawler.stats
        stats.set_value("discovery/article_links", len(self._links))
        if len(self._not_due):
            skipped = self._not_due.union_len(self._requested) - len(self._requested)
            stats.set_value("discovery/skipped_not_due", skipped)

    def _request_dropped(self, request: Request) -> None:
        """An article request the scheduler's dupefilter dropped (requested before in this
        crawl, or by another worker of a distributed one) is not counted as requested."""
        meta = request.meta
        if not meta.get("article") or meta.get("redirect_urls") or meta.get("retry_times"):
            return  # a redirect or retry of a counted request: it was counted once, as it should
        self.scheduled_articles -= 1
        stat = "recheck/due_from_archive" if meta.get("discovered_via") == "recheck" \
            else _VERDICT_STATS.get(meta.get("recheck"))
        if stat:
            self.crawler.stats.inc_value(stat, -1)

    def _judged(self, links: list[Link], now: dt.datetime
                ) -> list[tuple[Link, Verdict | None, KnownUrl | None]]:
        """``links`` with their verdict at ``now`` (``None``: the archive could not be read) and
        archived state, new ones first, newest first within each band (one archive query)."""
        known = self._known_urls([link.url for link in links])
        if known is None:
            return [(link, None, None) for link in links]
        judged = [(link, discovery.recheck_verdict(known.get(link.url), link.lastmod, now),
                   known.get(link.url)) for link in links]
        return sorted(judged, key=lambda j: j[1] != "new")  # stable: keeps newest first

    def _known_urls(self, urls: list[str]) -> dict[str, KnownUrl] | None:
        """The archive's state of those of ``urls`` fetched before, in one query; ``None`` when
        the archive cannot be read (then every URL is fetched, as if new: discovery/state_unknown)."""
        if not urls or self._archive is None:
            return {}
        if self._state_unreadable:
            return None
        try:
            return self._archive.reader().known_urls(urls)
        except ArchiveNotMigrated:
            return {}  # a new archive: nothing was fetched before
        except ArchiveError as exc:
            self._state_unreadable = True
            self.logger.warning("cannot read which articles were fetched before; fetching every "
                                "discovered article in this crawl: %s", exc)
            return None

    def _capped(self, links: list[Link], url: str) -> list[Link]:
        """The first ``discovery.MAX_LINKS`` of a document's links (the sitemap protocol's
        limit): a larger document is broken or a trap, and its queue would grow without end."""
        if len(links) <= discovery.MAX_LINKS:
            return links
        self.crawler.stats.inc_value("discovery/links_capped")
        self.logger.warning("%s lists %d links, more than the %d a sitemap may hold; the first %d "
                            "are read", url, len(links), discovery.MAX_LINKS, discovery.MAX_LINKS)
        return links[:discovery.MAX_LINKS]

    def _newest_first(self, links: list[Link]) -> list[Link]:
        oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
        return sorted(links, key=lambda link: link.lastmod or oldest, reverse=True)

    def is_article_url(self, url: str) -> bool:
        """The site's article pattern, or the generic article test for unknown sites."""
        site = self.site if self.site and self.site.owns(url) else site_for_url(url)
        verdict = site.is_article_url(url) if site else None
        return urls.looks_like_article(url) if verdict is None else verdict

    def _xml_body(self, response: Response) -> bytes | None:
        if gzip_magic_number(response):
            try:
                return gunzip(response.body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
            except Exception:  # corrupt or oversized archive: reported, not fatal
                self.crawler.stats.inc_value("discovery/bad_gzip")
                self.logger.warning("cannot gunzip %s", response.url)
                return None
        return response.body

    @staticmethod
    def _is_html(response: Response) -> bool:
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        return not ctype or any(t in ctype for t in _HTML_TYPES)

    # --- articles -----------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[Any]:
        """Extract an article page into an ``ArticleItem`` (cleaned later by the pipelines)."""
        stats = self.crawler.stats
        if response.status == 304:
            stats.inc_value("article/not_modified")
            self.logger.debug("not modified since the last crawl: %s", response.url)
            yield self._sighting(response)
            return
        known_sha = response.meta.get("capture_sha256")
        if (known_sha and response.status == 200 and not response.meta.get("redirect_urls")
                and html_sha256(response.body) == known_sha):
            # The same bytes as the newest capture (a server without validators): nothing to
            # parse, the page is only seen again.
            stats.inc_value("article/unchanged_body")
            self.logger.debug("same body as the last capture: %s", response.url)
            yield self._sighting(response)
            return
        if not isinstance(response, TextResponse) or not self._is_html(response):
            stats.inc_value("article/not_html")
            self.logger.warning("not an HTML page (%s), skipped: %s",
                                response.headers.get(b"Content-Type", b"?").decode("latin-1"),
                                response.url)
            return
        headers = {k.decode("latin-1"): b", ".join(v).decode("latin-1")
                   for k, v in response.headers.items()}
        site = self.site if self.site and self.site.owns(response.url) else None
        item, site = extract_page(response.body, response.url, site, headers)
        if (site is not None and site.body_selector and item.field_sources.get("container") != "site"
                and "container" not in item.site_rule_rejected):
            # The site's own body selector found nothing: a redesign. Extraction fell back to the
            # generic finder; say so once per crawl and count every page.
            stats.inc_value(f"extraction/site_selector_missed/{site.slug}")
            if site.slug not in self._warned_selector:
                self._warned_selector.add(site.slug)
                self.logger.warning("%s: body selector %r matched nothing on %s (site redesign?); "
                                    "using the generic body finder", site.slug, site.body_selector,
                                    response.url)
        for name, why in item.site_rule_rejected.items():
            # A site rule gave an implausible value (another layout): the generic one was used.
            stats.inc_value("extraction/site_rule_rejected")
            stats.inc_value(f"extraction/site_rule_rejected/{name}")
            key = f"{item.site}:{name}"
            if key not in self._warned_selector:
                self._warned_selector.add(key)
                self.logger.warning("%s: site rule for %s rejected (%s) on %s; using the generic value",
                                    item.site, name, why, response.url)
        encoding = item.field_sources.get("encoding", "")
        if encoding.startswith("guessed:"):
            # No charset was declared, or the declared one does not fit the bytes.
            stats.inc_value("extraction/charset_guessed")
            self.logger.info("charset missing or wrong, read as %s: %s",
                             encoding.split(":", 1)[1], response.url)
        if parser := item.field_sources.get("parser"):
            # The first parse lost text (libxml2 ended the document at an early </html>).
            stats.inc_value("extraction/reparsed")
            self.logger.info("page ends its document early, parsed again (%s): %s", parser, response.url)
        if item.site is None:
            # No site's rules apply (an unregistered host): the site named after the page's host.
            item.site = owning_site(response.url).slug
        item.aliases = list(response.meta.get("redirect_urls", []))
        item.capture = Capture(
            url=response.url, status=response.status, headers=headers, body=response.body,
            fetched_at=dt.datetime.now(dt.UTC),
        )
        stats.inc_value("article/parsed")
        yield item

    @staticmethod
    def _sighting(response: Response) -> Sighting:
        """A page found unchanged, with the response's validators."""
        etag, last_modified = response.headers.get(b"ETag"), response.headers.get(b"Last-Modified")
        return Sighting(url=response.url, seen_at=dt.datetime.now(dt.UTC), status=response.status,
                        etag=etag.decode("latin-1") if etag else None,
                        last_modified=last_modified.decode("latin-1") if last_modified else None)

    def on_error(self, failure: Any) -> None:
        """Count and log a request that failed for good (after retries, refused, HTTP error)."""
        request = failure.request
        if failure.check(HttpError):
            why = f"HTTP {failure.value.response.status}"
        else:
            why = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        self.crawler.stats.inc_value(f"request/failed/{failure.type.__name__}")
        self.logger.error("request failed (%s): %s", why, request.url)
        request_failed(self.crawler, request)  # a distributed crawl's request is done
        if request.meta.get("discovered_via") == "start":
            start = (request.meta.get("redirect_urls") or [request.url])[0]
            redirected = f" (redirected to {request.url})" if start != request.url else ""
            self.start_failures.append((start, why + redirected))
            self.crawler.stats.inc_value("start/failed")

    def closed(self, reason: str) -> None:
        """Say once more, at the end, which start URLs could not be fetched."""
        for url, why in self.start_failures:
            self.logger.error("start URL could not be fetched: %s: %s", url, why)


#: The counter of each verdict on a requested link (None: the archive could not be read).
_VERDICT_STATS: dict[Verdict | None, str] = {
    None: "discovery/state_unknown",
    "new": "discovery/new",
    "due": "discovery/recheck_due",
    "lastmod_changed": "discovery/recheck_lastmod_changed",
}


def _parse_since(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"since must be YYYY-MM-DD, got {value!r}") from None
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
