"""Log lines of the crawl: a dropped item is logged by its reason and URL, not its whole body."""

from __future__ import annotations

from typing import Any

from scrapy.logformatter import LogFormatter, LogFormatterResult


class ArchiverLogFormatter(LogFormatter):
    """Scrapy's formatter, with one line per dropped item (the reason already names the URL)."""

    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any
                ) -> LogFormatterResult:
        result = super().dropped(item, exception, response, spider)
        return {**result, "msg": "Dropped: %(exception)s", "args": {"exception": exception}}
