"""Requests in the shared frontier are JSON (never pickle) and come back as they were."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from scrapy import Request
from scrapy.utils.request import request_from_dict

from crawler.distributed import codec
from crawler.spiders.news import NewsSpider


def test_a_spider_request_round_trips_through_json() -> None:
    spider = NewsSpider(start_url="https://variety.example/sitemap.xml")
    lastmod = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)
    request = Request("https://variety.example/2025/film/news/story-1/", spider.parse_article,
                      errback=spider.on_error, priority=482_000, headers={"If-None-Match": '"abc"'},
                      meta={"lastmod": lastmod, "article": True, "recheck": None, "$odd": b"\x00\xff",
                            "handle_httpstatus_list": [304], "redirect_urls": ("https://a.example/",)})
    data = codec.dumps(request.to_dict(spider=spider))
    json.loads(data)  # plain JSON
    back = request_from_dict(codec.loads(data), spider=spider)
    assert back.url == request.url and back.priority == request.priority
    assert back.callback == spider.parse_article and back.errback == spider.on_error
    assert back.headers.get("If-None-Match") == b'"abc"'
    assert back.meta["lastmod"] == lastmod and back.meta["$odd"] == b"\x00\xff"
    assert back.meta["handle_httpstatus_list"] == [304] and back.meta["recheck"] is None


def test_what_json_cannot_carry_is_refused_not_pickled() -> None:
    with pytest.raises(TypeError, match="shared frontier"):
        codec.dumps({"meta": {"thing": object()}})
