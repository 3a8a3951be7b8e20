"""Downloader middleware: conditional GETs for article pages fetched before.

The archive keeps each article URL's ``ETag`` and ``Last-Modified`` (``url_state``, written with
the article). A re-crawl sends them back as ``If-None-Match`` / ``If-Modified-Since``; an unchanged
page then answers 304 with no body, which the spider counts and skips. Discovery requests a
known article only when it is due for a re-check (``url_state.next_due_at``, see
``storage/recheck.py``) and marks URLs it found no state for (``meta["recheck"] == "new"``),
which are not looked up again here.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request

from crawler.shared_archive import SharedArchive
from storage import Archive, ArchiveError, ArchiveNotMigrated

logger = logging.getLogger(__name__)


class ConditionalGetMiddleware:
    """Adds validators from the archive to requests marked ``meta["article"]``.

    Reads through the crawl's :class:`~crawler.shared_archive.SharedArchive` (the archive
    pipeline's connection when it has one), which is closed when the spider closes.
    """

    def __init__(self, crawler: Crawler, url: str) -> None:
        self.stats = crawler.stats
        self.url = url
        self.shared = SharedArchive.of(crawler)
        self._failed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGetMiddleware:
        s = crawler.settings
        if not s.getbool("CONDITIONAL_GET_ENABLED", True):
            raise NotConfigured("CONDITIONAL_GET_ENABLED is off")
        if not s.get("ARCHIVE_URL"):
            raise NotConfigured("no ARCHIVE_URL to read validators from")
        return cls(crawler, s.get("ARCHIVE_URL"))

    def _open(self) -> Archive | None:
        if self._failed:
            return None
        try:
            return self.shared.reader()
        except ArchiveNotMigrated:
            self._failed = True  # a new archive: nothing was fetched before
        except ArchiveError as exc:
            self._failed = True
            self.stats.inc_value("conditional_get/unavailable")
            logger.warning("conditional GETs off for this crawl: %s", exc)
        return None

    def process_request(self, request: Request) -> None:
        if not request.meta.get("article") or b"If-None-Match" in request.headers:
            return None
        if request.meta.get("recheck") == "new":  # discovery found no url_state for it
            return None
        archive = self._open()
        if archive is None:
            return None
        try:
            state = archive.get_url_state(request.url)
        except ArchiveError as exc:
            self.stats.inc_value("conditional_get/lookup_failed")
            logger.warning("cannot read url_state of %s: %s", request.url, exc)
            return None
        if state is None or not (state.etag or state.last_modified):
            return None
        if state.etag:
            request.headers[b"If-None-Match"] = state.etag
        if state.last_modified:
            request.headers[b"If-Modified-Since"] = state.last_modified
        self.stats.inc_value("conditional_get/sent")
        return None
