"""Feed exporters that write an article in its public JSON form (:meth:`ArticleItem.to_json`, what
``scrapy extract`` prints) instead of its internal fields (the parsed page, the raw response),
which no feed can serialise: ``scrapy crawl news -O articles.jsonl``, and scrapyd's ``items_dir``."""

from __future__ import annotations

from typing import Any

from scrapy.exporters import JsonItemExporter, JsonLinesItemExporter

from crawler.items import ArticleItem


def public_form(item: Any) -> Any:
    """What a feed writes for ``item``: an article's public JSON form, anything else as it is."""
    return item.to_json() if isinstance(item, ArticleItem) else item


class ArticleJsonLinesItemExporter(JsonLinesItemExporter):
    def export_item(self, item: Any) -> None:
        super().export_item(public_form(item))


class ArticleJsonItemExporter(JsonItemExporter):
    def export_item(self, item: Any) -> None:
        super().export_item(public_form(item))
