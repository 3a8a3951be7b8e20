"""Spider middleware of a distributed crawl: counts the items each taken request yields, and
says when its callback has ended (:class:`~crawler.distributed.ledger.InflightLedger`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawler.distributed.ledger import TOKEN, InflightLedger


class FrontierAckMiddleware:
    """Outermost spider middleware (its output is the engine's input) of a distributed crawl."""

    def __init__(self, ledger: InflightLedger) -> None:
        self.ledger = ledger

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierAckMiddleware:
        if crawler.settings.get("SCHEDULER_BACKEND") != "redis":
            raise NotConfigured("not a distributed crawl")
        return cls(InflightLedger.of(crawler))

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        token = response.meta.get(TOKEN)
        try:
            for output in result:
                if not isinstance(output, Request):
                    self.ledger.item_made(token)
                yield output
        finally:
            self.ledger.callback_ended(token)

    async def process_spider_output_async(self, response: Response,
                                          result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        token = response.meta.get(TOKEN)
        try:
            async for output in result:
                if not isinstance(output, Request):
                    self.ledger.item_made(token)
                yield output
        finally:
            self.ledger.callback_ended(token)
