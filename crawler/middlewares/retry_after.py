"""Downloader middleware: honour ``Retry-After`` on 429 and 503 answers.

Scrapy's RetryMiddleware retries 429/503 at once, ignoring the server's ``Retry-After``. This
middleware runs before it (on the response path), slows the whole download slot down for the
requested time and reschedules the request; a wait longer than ``RETRY_AFTER_MAX`` gives up.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response

logger = logging.getLogger(__name__)


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())


class RetryAfterMiddleware:
    """Waits as long as the server asks (per download slot) before trying again."""

    def __init__(self, crawler: Crawler, max_wait: int, max_times: int) -> None:
        self.crawler = crawler
        self.max_wait = max_wait
        self.max_times = max_times

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        s = crawler.settings
        if not s.getbool("RETRY_ENABLED", True):
            raise NotConfigured("RETRY_ENABLED is off")
        return cls(crawler, s.getint("RETRY_AFTER_MAX"), s.getint("RETRY_TIMES"))

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status not in (429, 503):
            return response
        header = response.headers.get(b"Retry-After")
        wait = retry_after_seconds(header.decode("latin-1") if header else None)
        if wait is None:
            return response  # plain RetryMiddleware handles it
        stats = self.crawler.stats
        tries = request.meta.get("retry_after_times", 0) + 1
        if wait > self.max_wait or tries > self.max_times:
            stats.inc_value("retry_after/gave_up")
            logger.warning("giving up on %s: server asks to wait %.0fs (try %d)", request.url, wait, tries)
            raise IgnoreRequest(f"Retry-After {wait:.0f}s")
        self._slow_down(request, wait)
        stats.inc_value("retry_after/waited")
        logger.info("%s answered %d, Retry-After %.0fs: slowing down its slot", request.url,
                    response.status, wait)
        retry = request.replace(dont_filter=True)
        retry.meta["retry_after_times"] = tries
        return retry

    def _slow_down(self, request: Request, wait: float) -> None:
        downloader = self.crawler.engine.downloader if self.crawler.engine else None
        if downloader is None:
            return
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is not None:
            slot.delay = max(slot.delay, wait)
