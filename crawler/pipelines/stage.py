"""Base of the pipelines that run one stage of :mod:`crawler.processing` on each item."""

from __future__ import annotations

from typing import Any, ClassVar

from scrapy.crawler import Crawler

from crawler.items import ArticleItem
from crawler.processing import Stage, site_of


class StagePipeline:
    """Runs ``stage`` on every :class:`ArticleItem`; subclasses name the stage and its stat."""

    stage: ClassVar[Stage]
    name: ClassVar[str]

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StagePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, ArticleItem):
            type(self).stage(item, site_of(item))
            self.crawler.stats.inc_value(f"{self.name}/processed")
        return item
