"""The private-address guard and Retry-After handling."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from scrapy.http import Request
from scrapy.utils.test import get_crawler

from crawler.middlewares.private_address import BlockedAddress, PrivateAddressGuard, is_public
from crawler.middlewares.retry_after import retry_after_seconds
from crawler.spiders.news import NewsSpider

# Only loopback and documentation addresses; the guard is given a stub resolver, nothing is sent.
_DNS = {"mirror.test": ["127.0.0.2"], "dual.test": ["127.0.0.3", "::1"], "public.test": ["93.184.215.14"]}


def _guard(allowed: list[str] | None = None) -> PrivateAddressGuard:
    crawler = get_crawler()
    crawler.stats.open_spider()
    return PrivateAddressGuard(crawler, allowed or [], resolver=lambda host: _DNS[host])


def _process(guard: PrivateAddressGuard, url: str) -> None:
    asyncio.run(guard.process_request(Request(url)))


@pytest.mark.parametrize("url", ["http://127.0.0.2:8080/x", "http://[::1]/x", "http://localhost/x",
                                 "http://mirror.test/x", "http://dual.test/x"])
def test_guard_blocks_loopback_and_names_resolving_to_it(url: str) -> None:
    guard = _guard()
    with pytest.raises(BlockedAddress):
        _process(guard, url)
    assert guard.stats.get_value("private_address/blocked") == 1


def test_guard_lets_public_and_allowed_hosts_pass() -> None:
    guard = _guard(allowed=["127.0.0.2"])
    _process(guard, "http://public.test/article-a-b")
    _process(guard, "http://127.0.0.2:8000/")
    assert guard.stats.get_value("private_address/blocked") is None


def test_guard_lets_the_typed_start_host_pass_and_nothing_else() -> None:
    crawler = get_crawler(NewsSpider)
    crawler.stats.open_spider()
    crawler.spider = NewsSpider.from_crawler(crawler, start_url="http://Mirror.test:8080/feed.xml")
    guard = PrivateAddressGuard(crawler, [], resolver=lambda host: _DNS[host])
    _process(guard, "http://mirror.test:8080/some-article-a-b/")  # resolves to 127.0.0.2: typed
    for url in ["http://127.0.0.2:8080/some-article-a-b/", "http://dual.test/x", "http://localhost/x"]:
        with pytest.raises(BlockedAddress):
            _process(guard, url)
    assert guard.stats.get_value("private_address/blocked") == 3


def test_is_public() -> None:
    assert is_public("93.184.215.14")
    assert not is_public("127.0.0.2")
    assert not is_public("::ffff:127.0.0.1")


def test_retry_after_values() -> None:
    now = dt.datetime(2024, 5, 1, 10, 0, tzinfo=dt.UTC)
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds("Wed, 01 May 2024 10:05:00 GMT", now) == 300
    assert retry_after_seconds("Wed, 01 May 2024 09:00:00 GMT", now) == 0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
