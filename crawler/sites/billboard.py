"""Billboard (Penske Media). No recorded page was found.

Articles: ``/<section>/<subsection>/<slug>-<id>/`` (``/music/music-news/…-1235352544/``), older
``/articles/<section>/<id>/<slug>``; sections are ``/c/…/``, charts ``/charts/…``, galleries
``/photos/…``. The junk selectors are the PMC theme boxes seen on Rolling Stone (same platform;
unverified here).
"""

from __future__ import annotations

from crawler.sites import register
from crawler.sites.base import Site
from crawler.sites.rollingstone import PMC_JUNK_SELECTORS


@register
class Billboard(Site):
    slug = "billboard"
    name = "Billboard"
    base_url = "https://www.billboard.com/"
    domains = ("billboard.com",)
    start_urls = (
        "https://www.billboard.com/news-sitemap.xml",  # PMC convention; not seen for this site
        "https://www.billboard.com/sitemap_index.xml",
        "https://www.billboard.com/feed/",
        "https://www.billboard.com/c/music/music-news/feed/",
        "https://www.billboard.com/c/music/music-news/",
        "https://www.billboard.com/c/business/",
    )
    article_url_pattern = (
        r"^/(?:(?!(?:video|photos|charts|c|t|artist|author)/)[a-z0-9-]+/(?:[a-z0-9-]+/)?"
        r"[a-z0-9]+(?:-[a-z0-9]+)*-\d{6,}/?"
        r"|articles/[a-z0-9-]+/(?:[a-z0-9-]+/)?\d{5,}/[a-z0-9-]+/?)(?:\?|$)"
    )
    junk_selectors = PMC_JUNK_SELECTORS
