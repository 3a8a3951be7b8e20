"""Pipeline: drop what is not an article, with a reason and a stat."""

from __future__ import annotations

import logging
from typing import Any

from crawler.exceptions import ArticleDropped
from crawler.items import ArticleItem
from crawler.pipelines.stage import StagePipeline
from crawler.processing import site_of, validate

logger = logging.getLogger(__name__)


class ValidatePipeline(StagePipeline):
    """Raises an ``ArticleDropped`` subclass (not an article, empty body, soft block...)."""

    stage = staticmethod(validate)
    name = "validate"

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleItem):
            return item
        try:
            validate(item, site_of(item))
        except ArticleDropped as exc:
            self.crawler.stats.inc_value(f"validate/dropped/{exc.reason}")
            raise
        if item.published is None:
            self.crawler.stats.inc_value("validate/no_date")
            logger.warning("no publication date found, first-seen date will be used: %s", item.url)
        self.crawler.stats.inc_value("validate/passed")
        return item
