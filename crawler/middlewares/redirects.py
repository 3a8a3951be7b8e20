"""Downloader middlewares: Scrapy's redirects (HTTP 3xx and ``<meta http-equiv=refresh>``), with
loops and over-long chains given up with one warning and a stat.

Scrapy follows a redirect back to a URL already in its chain (a loop) into the scheduler's
duplicate filter, which drops it without a word (a request marked ``dont_filter`` goes round
until ``REDIRECT_MAX_TIMES``), and gives up an over-long chain at DEBUG level, naming only its
last URL. Here both raise ``IgnoreRequest`` (the spider's errback reports the request) after a
warning that names the chain's first URL: ``redirect/loop`` and ``redirect/too_many``.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as ScrapyMetaRefresh
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware as ScrapyRedirect
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request

logger = logging.getLogger(__name__)


class _ChainGuard:
    """Checks each redirect against the request's chain before Scrapy follows it."""

    max_redirect_times: int
    crawler: Any

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if redirected.url in chain:
            problem, stat = "redirect loop", "redirect/loop"
        elif request.meta.get("redirect_times", 0) >= self.max_redirect_times:
            problem, stat = f"more than {self.max_redirect_times} redirects", "redirect/too_many"
        else:
            return super()._redirect(redirected, request, reason)  # type: ignore[misc]
        self.crawler.stats.inc_value(stat)
        path = " → ".join([*chain, redirected.url]) if len(chain) <= 3 else (
            f"{chain[0]} → … ({len(chain) - 1} more) → {redirected.url}")
        logger.warning("%s, given up: %s", problem, path)
        raise IgnoreRequest(f"{problem} from {chain[0]}")


class RedirectMiddleware(_ChainGuard, ScrapyRedirect):
    """Scrapy's 3xx redirects, loops and over-long chains given up with a warning."""


class MetaRefreshMiddleware(_ChainGuard, ScrapyMetaRefresh):
    """Scrapy's ``<meta http-equiv=refresh>`` redirects, loops given up with a warning."""
