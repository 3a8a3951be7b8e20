"""Variety (Penske Media). No recorded page was found.

Articles: ``/YYYY/<vertical>/<type>/<slug>-<id>/`` (``/2025/film/news/…-1236326853/``); sections are
``/v/<vertical>/…``, videos ``/video/…``, galleries ``/gallery/…``. Sitemaps from robots.txt.
The junk selectors are the PMC theme boxes seen on Rolling Stone (same platform; unverified here).
"""

from __future__ import annotations

from crawler.sites import register
from crawler.sites.base import Site
from crawler.sites.rollingstone import PMC_JUNK_SELECTORS


@register
class Variety(Site):
    slug = "variety"
    name = "Variety"
    base_url = "https://variety.com/"
    domains = ("variety.com",)
    start_urls = (
        "https://variety.com/news-sitemap.xml",
        "https://variety.com/sitemap_index.xml",
        "https://variety.com/feed/",
        "https://variety.com/v/film/feed/",
        "https://variety.com/v/tv/feed/",
        "https://variety.com/v/film/news/",
        "https://variety.com/v/film/reviews/",
    )
    article_url_pattern = (
        r"^/\d{4}/[a-z0-9-]+/(?:[a-z0-9-]+/)?[a-z0-9]+(?:-[a-z0-9]+)*-\d{6,}/?(?:\?|$)"
    )
    junk_selectors = PMC_JUNK_SELECTORS
