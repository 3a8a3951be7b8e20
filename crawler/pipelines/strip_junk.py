"""Pipeline: remove share widgets, promos and other junk from the body container."""

from __future__ import annotations

from typing import Any

from crawler.items import ArticleItem
from crawler.pipelines.stage import StagePipeline
from crawler.processing import strip_junk


class StripJunkPipeline(StagePipeline):
    """DOM junk rules (generic + site); every removal is recorded in ``item.removed``."""

    stage = staticmethod(strip_junk)
    name = "strip_junk"

    def process_item(self, item: Any) -> Any:
        before = len(item.removed) if isinstance(item, ArticleItem) else 0
        item = super().process_item(item)
        if isinstance(item, ArticleItem):
            self.crawler.stats.inc_value("strip_junk/removed", len(item.removed) - before)
        return item
