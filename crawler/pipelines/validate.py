"""Pipeline: drop what is not an article, with a reason and a stat."""

from __future__ import annotations

import logging
from typing import Any

from crawler.exceptions import ArticleDropped
from crawler.extraction import CONTROLS, CUT_SHORT, TOO_DEEP, UNREADABLE_JSONLD, document_notes
from crawler.items import ArticleItem
from crawler.pipelines.stage import StagePipeline
from crawler.processing import site_of, validate

logger = logging.getLogger(__name__)

#: Each page note (``crawler.extraction``): its stat (``validate/<stat>``) and what the log says.
_NOTES = {
    CUT_SHORT: ("cut_short", "the page stops inside its content (cut short by the server?)"),
    TOO_DEEP: ("too_deep", f"the page is {TOO_DEEP}; what follows that point is not read"),
    CONTROLS: ("control_characters", "the page holds control characters, removed"),
    UNREADABLE_JSONLD: ("unreadable_jsonld", "a JSON-LD script of the page cannot be read, ignored"),
}


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
        for note in document_notes(item):
            stat, message = _NOTES[note]
            self.crawler.stats.inc_value(f"validate/{stat}")
            logger.warning("%s; archived as read: %s", message, item.url)
        self.crawler.stats.inc_value("validate/passed")
        return item
