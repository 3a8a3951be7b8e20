"""NewsSpider.parse_article on single responses: what it counts and logs."""

from __future__ import annotations

from typing import Any

from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.spiders.news import NewsSpider


def _spider(**arguments: Any) -> tuple[Any, NewsSpider]:
    """A crawler with its ``news`` spider (stats open), as a crawl sets them up."""
    crawler = get_crawler(NewsSpider)
    spider = NewsSpider.from_crawler(crawler, **arguments)
    crawler.spider = spider
    crawler.stats.open_spider()
    return crawler, spider


def test_page_with_a_wrong_charset_is_counted_and_logged(caplog) -> None:
    """cp1252 bytes served as UTF-8: the text is read with a guessed charset, and the crawl says so."""
    crawler, spider = _spider(start_url="https://news.example/")
    body = ("<html><head><title>Caf\xe9 soci\xe9t\xe9</title></head><body><article>"
            "<h1>Caf\xe9 soci\xe9t\xe9 opens</h1>" + "<p>The caf\xe9 opened on Monday to a long "
            "queue of regulars who had waited a year for the work to end.</p>" * 4
            + "</article></body></html>").encode("cp1252")
    url = "https://news.example/2025/03/cafe-societe-opens"
    response = HtmlResponse(url, body=body, headers={"Content-Type": "text/html; charset=utf-8"},
                            request=Request(url))
    with caplog.at_level("INFO"):
        (item,) = list(spider.parse_article(response))
    assert item.title.startswith("Caf\xe9 soci\xe9t\xe9")
    assert item.site == "news.example", "an unregistered host's article belongs to the host's site"
    assert crawler.stats.get_value("extraction/charset_guessed") == 1
    assert any("charset missing or wrong" in r.getMessage() and url in r.getMessage()
               for r in caplog.records)


def test_rejected_site_rule_is_counted_and_logged(caplog) -> None:
    """A Rolling Stone page of another layout: the site's headline rule hits the logo."""
    crawler, spider = _spider(site="rollingstone")
    paragraph = ("<p>The critic walks through the record track by track, with the kind of detail "
                 "a reader came for, and ends on the closing song.</p>")
    body = ("<html><head><meta property='og:site_name' content='Rolling Stone'>"
            "<meta property='og:title' content='The Band Returns With a Quiet Masterpiece'></head><body>"
            "<header><h1 class='article-title'>Rolling Stone</h1></header><article>"
            "<h1>The Band Returns With a Quiet Masterpiece</h1>" + paragraph * 6
            + "</article></body></html>").encode()
    url = "https://www.rollingstone.com/music/music-album-reviews/band-returns-1234567/"
    response = HtmlResponse(url, body=body, headers={"Content-Type": "text/html; charset=utf-8"},
                            request=Request(url))
    with caplog.at_level("WARNING"):
        (item,) = list(spider.parse_article(response))
    assert item.title == "The Band Returns With a Quiet Masterpiece"
    assert crawler.stats.get_value("extraction/site_rule_rejected") == 1
    assert crawler.stats.get_value("extraction/site_rule_rejected/title") == 1
    assert any("site rule for title rejected" in r.getMessage() for r in caplog.records)


def test_page_parsed_twice_is_counted_and_logged(caplog) -> None:
    """A header template that ends the document before the article: the re-parse is counted."""
    crawler, spider = _spider(start_url="https://news.example/")
    body = ("<html><head><title>Theatre saved</title></head><body><header><a href='/'>Home</a>"
            "</header></body></html>\n<article><h1>Theatre saved</h1>" + "".join(
                f"<p>Paragraph {n} of the story: the council voted to keep the old theatre open for "
                f"another ten years after a long campaign by its regulars.</p>" for n in range(4))
            + "</article></body></html>").encode()
    url = "https://news.example/2025/03/theatre-saved"
    response = HtmlResponse(url, body=body, headers={"Content-Type": "text/html; charset=utf-8"},
                            request=Request(url))
    with caplog.at_level("INFO"):
        (item,) = list(spider.parse_article(response))
    assert crawler.stats.get_value("extraction/reparsed") == 1
    assert any("parsed again" in r.getMessage() and url in r.getMessage() for r in caplog.records)
    assert item.field_sources["parser"] == "lxml:doc-end-tags-ignored"
    assert item.container is not None and "Paragraph 3 of the story" in item.container.text_content()
