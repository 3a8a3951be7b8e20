"""MovieWeb (Valnet): rules shared with Collider (see ``collider.py``).

Evidence: ``tests/fixtures/sites/movieweb/best-anime-2025`` — body in ``section#article-body``,
photo credits as ``small.body-img-caption``; author bio, share row, AI-summary box and "Trending Now"
sit outside the body. Section links (``/movie-news/``, ``/tv-lists/``, ``/what-to-watch/``) are from
its navigation.
"""

from __future__ import annotations

from crawler.sites import register
from crawler.sites.valnet import ValnetSite


@register
class MovieWeb(ValnetSite):
    slug = "movieweb"
    name = "MovieWeb"
    base_url = "https://movieweb.com/"
    domains = ("movieweb.com",)
    start_urls = (
        "https://movieweb.com/post_google_news.xml",
        "https://movieweb.com/sitemap.xml",
        "https://movieweb.com/feed/",
        "https://movieweb.com/movie-news/",
        "https://movieweb.com/tv-news/",
        "https://movieweb.com/movie-lists/",
        "https://movieweb.com/tv-lists/",
    )
