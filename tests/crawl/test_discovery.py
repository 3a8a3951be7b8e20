"""Sitemaps, news sitemaps, feeds and section pages, as served by the local mirror."""

from __future__ import annotations

import datetime as dt
import urllib.request

from crawler.mirror import Mirror
from crawler.spiders import discovery
from storage import NEVER, KnownUrl


def _get(mirror: Mirror, path: str) -> bytes:
    with urllib.request.urlopen(mirror.url(path), timeout=10) as response:
        return response.read()


def test_sitemap_index_and_news_sitemap_dates(mirror: Mirror) -> None:
    index = _get(mirror, "/sitemap_index.xml")
    assert discovery.xml_kind(index) == "sitemapindex"
    children = discovery.parse_sitemap(index, mirror.base_url)
    assert [c.url for c in children] == [mirror.url("/sitemaps/news.xml"),
                                         mirror.url("/sitemaps/articles.xml")]
    news = _get(mirror, "/sitemaps/news.xml")
    assert discovery.xml_kind(news) == "urlset"
    links = discovery.parse_sitemap(news, mirror.base_url)
    newest = max(p.published for p in mirror.pages.values() if p.published)
    # news:publication_date (nested in <news:news>) is read, not only <lastmod>
    assert links[0].lastmod == newest.astimezone(dt.UTC)
    assert all(link.url.startswith(mirror.base_url) for link in links)
    # A news-sitemap entry is the publisher's own word that the URL is an article.
    assert all(link.declared for link in links)
    plain = discovery.parse_sitemap(_get(mirror, "/sitemaps/articles.xml"), mirror.base_url)
    assert plain and not any(link.declared for link in plain)


def test_feed_links_and_dates(mirror: Mirror) -> None:
    feed = _get(mirror, "/feed.xml")
    assert discovery.xml_kind(feed) == "feed"
    links = discovery.parse_feed(feed, mirror.base_url)
    assert {link.url for link in links} == {mirror.url(p) for p in mirror.pages}
    assert all(link.lastmod and link.lastmod.tzinfo for link in links)
    assert all(link.declared for link in links)


def test_atom_feed() -> None:
    atom = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
      <entry><title>A</title><link rel="alternate" href="https://variety.com/2024/film/news/a-b-c-1236000001/"/>
      <published>2024-05-01T10:00:00-07:00</published></entry></feed>"""
    assert discovery.xml_kind(atom) == "feed"
    (link,) = discovery.parse_feed(atom, "https://variety.com/feed/")
    assert link.url == "https://variety.com/2024/film/news/a-b-c-1236000001/"
    assert link.lastmod == dt.datetime(2024, 5, 1, 17, 0, tzinfo=dt.UTC)


def test_section_pagination(mirror: Mirror) -> None:
    first = _get(mirror, "/section/movies/")
    links, next_url = discovery.parse_section(first, mirror.url("/section/movies/"))
    assert next_url == mirror.url("/section/movies/?page=2")
    second_links, end = discovery.parse_section(_get(mirror, "/section/movies/?page=2"), next_url)
    assert end is None
    movie_paths = {p.path for p in mirror.pages.values() if p.section == "movies"}
    found = {link.removeprefix(mirror.base_url) for link in links + second_links}
    assert movie_paths <= found


def test_html_and_garbage_are_not_xml_documents() -> None:
    assert discovery.xml_kind(b"<html><body>hi</body></html>") is None
    assert discovery.xml_kind(b"\x00\x01\x02binary") is None
    assert discovery.xml_kind(b"") is None


def test_dates() -> None:
    assert discovery.parse_date("2024-05-01") == dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    assert discovery.parse_date("Wed, 01 May 2024 10:00:00 GMT") == dt.datetime(2024, 5, 1, 10, tzinfo=dt.UTC)
    assert discovery.parse_date("not a date") is None


def test_declared_articles_outside_the_site_pattern_are_fetched_and_counted() -> None:
    """A Valnet slug of two plain words fails the site's pattern; a feed or news sitemap that
    lists it still gets it fetched. A section-page link with the same URL does not."""
    from scrapy.utils.test import get_crawler

    from crawler.spiders.news import NewsSpider

    crawler = get_crawler(NewsSpider)
    spider = NewsSpider.from_crawler(crawler, site="collider")
    crawler.spider = spider
    crawler.stats.open_spider()
    url = "https://collider.com/oppenheimer-imax/"
    assert not spider.is_article_url(url)
    fetched = list(spider._article_requests([discovery.Link(url, declared=True)], via="feed"))
    assert [r.url for r in fetched] == [url]
    assert crawler.stats.get_value("discovery/declared_outside_pattern") == 1
    assert list(spider._article_requests([discovery.Link(url)], via="section")) == []
    assert crawler.stats.get_value("discovery/skipped_not_article") == 1



def test_recheck_verdicts() -> None:
    now = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
    fetched = now - dt.timedelta(days=2)

    def known(next_due_at: dt.datetime | None) -> KnownUrl:
        return KnownUrl("https://x.example/a/", last_fetched_at=fetched, next_due_at=next_due_at,
                        capture_sha256="ab")

    published = fetched - dt.timedelta(days=30)
    assert discovery.recheck_verdict(None, published, now) == "new"
    assert discovery.recheck_verdict(known(now + dt.timedelta(hours=1)), published, now) == "not_due"
    assert discovery.recheck_verdict(known(now + dt.timedelta(hours=1)), None, now) == "not_due"
    assert discovery.recheck_verdict(known(now), published, now) == "due"
    assert discovery.recheck_verdict(known(None), published, now) == "due"  # written without a schedule
    # the publisher's lastmod after our last fetch: re-checked, even when retired
    changed = fetched + dt.timedelta(minutes=5)
    assert discovery.recheck_verdict(known(NEVER), changed, now) == "lastmod_changed"
    assert discovery.recheck_verdict(known(NEVER), fetched, now) == "not_due"


def test_age_priority_orders_newest_first_with_a_bounded_number_of_values() -> None:
    now = dt.datetime(2026, 12, 4, 12, 30, tzinfo=dt.UTC)
    # a news site's whole archive, one article an hour for 30 years, oldest first
    hours = [now - dt.timedelta(hours=h) for h in range(30 * 365 * 24, -1, -1)]
    priorities = [discovery.age_priority(when, now) for when in hours]
    assert priorities == sorted(priorities), "an older link came before a newer one"
    # Scrapy keeps a queue (with JOBDIR an open file) per priority: a few hundred at most
    assert len(set(priorities)) <= discovery.MAX_AGE_PRIORITY < 300
    # the last two days hour by hour, then coarser
    assert len({discovery.age_priority(now - dt.timedelta(hours=h), now) for h in range(48)}) == 48
    same_day = [now - dt.timedelta(days=10, hours=h) for h in (0, 5)]
    assert len({discovery.age_priority(when, now) for when in same_day}) == 1
    # undated links come after every dated one; a date in the future is the newest
    assert discovery.age_priority(None, now) == 0
    assert discovery.age_priority(dt.datetime(1, 1, 1, tzinfo=dt.UTC), now) == 1
    assert discovery.age_priority(dt.datetime(9999, 1, 1, tzinfo=dt.UTC), now) == discovery.MAX_AGE_PRIORITY
