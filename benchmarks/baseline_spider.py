"""The crawl benchmark's baselines, run with ``scrapy runspider`` outside the project (Scrapy's
default settings): fetch every page of the sitemap and do nothing with it (``-a extract=``),
or pass it to ``trafilatura.extract`` in a one-line callback (``-a extract=trafilatura``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import trafilatura
from scrapy.http import Response
from scrapy.spiders import SitemapSpider


class BaselineSpider(SitemapSpider):
    name = "baseline"

    def __init__(self, sitemap: str, extract: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sitemap_urls = [sitemap]
        self.extract = extract == "trafilatura"

    def parse(self, response: Response) -> Iterator[dict[str, Any]]:
        self.crawler.stats.inc_value("baseline/pages")
        if self.extract:
            yield {"url": response.url, "text": trafilatura.extract(response.text)}
