"""Canonical URLs, aliases and the generic article test, on real URLs of the target sites."""

from __future__ import annotations

import pytest

from crawler import urls


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://collider.com/mission-impossible-7-image-tom-cruise/?utm_source=twitter&utm_medium=social",
         "https://collider.com/mission-impossible-7-image-tom-cruise/"),
        ("http://www.rollingstone.com/music/music-news/donna-kelce-taylor-swift-1235010328/amp/",
         "https://www.rollingstone.com/music/music-news/donna-kelce-taylor-swift-1235010328/"),
        ("https://variety.com/2024/film/news/some-story-1235900000/?fbclid=abc#comments",
         "https://variety.com/2024/film/news/some-story-1235900000/"),
        ("https://Deadline.com/2024/05/story-1235000000/?b=2&a=1",
         "https://deadline.com/2024/05/story-1235000000/?a=1&b=2"),
        ("https://amp.example.com/news/a-b-c.amp.html", "https://example.com/news/a-b-c.html"),
    ],
)
def test_canonical_drops_tracking_amp_and_fragment(url: str, expected: str) -> None:
    assert urls.canonical(url) == expected


def test_canonical_keeps_meaningful_query() -> None:
    assert urls.canonical("https://example.com/article.php?id=12345") == "https://example.com/article.php?id=12345"


def test_resolve_canonical_prefers_declared_link_and_makes_it_absolute() -> None:
    page = "http://127.0.0.1:8000/mission-impossible-7-image-tom-cruise/"
    assert urls.resolve_canonical(page, "https://collider.com/mission-impossible-7-image-tom-cruise/") == \
        "https://collider.com/mission-impossible-7-image-tom-cruise/"
    assert urls.resolve_canonical(page, "/other-page-here/") == "https://127.0.0.1:8000/other-page-here/"
    assert urls.resolve_canonical(page, "javascript:void(0)") == urls.canonical(page)
    assert urls.resolve_canonical(page, None) == urls.canonical(page)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.rollingstone.com/music/music-news/donna-kelce-taylor-swift-the-tortured-poets-department-best-work-1235010328/",
        "https://movieweb.com/best-anime-2025-ranked-dandadan-chainsaw-man-takopis-original-sin",
        "http://www.guardian.co.uk/film/2011/nov/18/kristen-wiig-bridesmaids",
        "http://finance.yahoo.com/news/best-psvr-games-170003443.html",
    ],
)
def test_generic_article_test_accepts_articles(url: str) -> None:
    assert urls.looks_like_article(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://collider.com/",
        "https://variety.com/v/film/",
        "https://www.rollingstone.com/music/",
        "https://deadline.com/tag/box-office-results-2024/",
        "https://www.billboard.com/author/some-writer-name/",
        "https://screenrant.com/feed/",
        "https://www.indiewire.com/sitemap_index.xml",
        "https://variety.com/wp-content/uploads/2024/05/some-image-name.jpg",
        "https://collider.com/category/movie-news/page/2/",
    ],
)
def test_generic_article_test_rejects_listings_and_files(url: str) -> None:
    assert not urls.looks_like_article(url)
