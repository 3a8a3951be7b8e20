"""Feeds of articles (scrapyd's items_dir, ``-O FILE.jsonl``) hold their public JSON form."""

from __future__ import annotations

import datetime as dt
import io
import json

import lxml.html
from scrapy.utils.misc import load_object

from crawler import settings
from crawler.items import ArticleItem, Capture, Sighting


def _export(fmt: str, *items: object) -> bytes:
    out = io.BytesIO()
    exporter = load_object(settings.FEED_EXPORTERS[fmt])(out, encoding="utf-8")
    exporter.start_exporting()
    for item in items:
        exporter.export_item(item)
    exporter.finish_exporting()
    return out.getvalue()


def _article() -> ArticleItem:
    when = dt.datetime(2024, 4, 25, 13, 18, tzinfo=dt.UTC)
    page = lxml.html.fromstring("<html><body><article><p>One paragraph.</p></article></body></html>")
    return ArticleItem(url="https://example.com/a/", canonical_url="https://example.com/a/", title="A",
                       published=when, published_precision="time", body=["One paragraph."],
                       container=page.find(".//article"), page_root=page,
                       capture=Capture(url="https://example.com/a/", status=200, headers={},
                                       body=b"<html>\xff</html>", fetched_at=when))


def test_jsonlines_feed_writes_articles_public_form_and_sightings() -> None:
    article = _article()
    sighting = Sighting(url="https://example.com/b/", seen_at=dt.datetime(2024, 5, 1, tzinfo=dt.UTC))
    for fmt in ("jsonlines", "jsonl", "jl"):
        lines = [json.loads(line) for line in _export(fmt, article, sighting).splitlines()]
        assert lines[0] == json.loads(json.dumps(article.to_json()))
        assert lines[0]["body"] == "One paragraph."
        assert lines[1] == {"url": "https://example.com/b/", "seen_at": "2024-05-01T00:00:00+00:00",
                            "status": 304, "etag": None, "last_modified": None}


def test_json_feed_writes_articles_public_form() -> None:
    (exported,) = json.loads(_export("json", _article()))
    assert exported["title"] == "A" and exported["published"] == "2024-04-25T13:18:00+00:00"
