"""Collider (Valnet; rules shared with Screen Rant, CBR and MovieWeb in ``valnet.py``).

No Collider HTML was found; the seed text (``../shared/corpus/seed/``) is the evidence for the
Valnet text patterns.
"""

from __future__ import annotations

from crawler.sites import register
from crawler.sites.valnet import ValnetSite


@register
class Collider(ValnetSite):
    slug = "collider"
    name = "Collider"
    base_url = "https://collider.com/"
    domains = ("collider.com",)
    start_urls = (
        "https://collider.com/post_google_news.xml",  # Valnet news sitemap (robots.txt)
        "https://collider.com/sitemap.xml",  # index of monthly sitemap-YYYY-MM-partN-articles.xml
        "https://collider.com/feed/",
        "https://collider.com/feed/category/tv-news/",
        "https://collider.com/movie-news/",
        "https://collider.com/tv-news/",
    )
