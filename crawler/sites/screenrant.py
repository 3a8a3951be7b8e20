"""Screen Rant (Valnet): same platform and rules as Collider (see ``collider.py``).

No recorded Screen Rant page was found; the rules are the shared Valnet ones.
"""

from __future__ import annotations

from crawler.sites import register
from crawler.sites.valnet import ValnetSite


@register
class ScreenRant(ValnetSite):
    slug = "screenrant"
    name = "Screen Rant"
    base_url = "https://screenrant.com/"
    domains = ("screenrant.com",)
    start_urls = (
        "https://screenrant.com/post_google_news.xml",
        "https://screenrant.com/sitemap.xml",
        "https://screenrant.com/feed/",
        "https://screenrant.com/feed/movie-news/",
        "https://screenrant.com/movie-news/",
        "https://screenrant.com/tv-news/",
    )
