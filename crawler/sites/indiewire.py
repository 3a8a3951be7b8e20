"""IndieWire (Penske Media). No recorded page was found.

Articles: ``/<section>/<subsection>/<slug>-<id>/`` since 2023 (``/features/general/…-1234726800/``),
``/YYYY/MM/<slug>-<id>/`` before; sections are ``/c/…/``. The junk selectors are the PMC theme boxes
seen on Rolling Stone (same platform; unverified here).
"""

from __future__ import annotations

from crawler.sites import register
from crawler.sites.base import Site
from crawler.sites.rollingstone import PMC_JUNK_SELECTORS


@register
class IndieWire(Site):
    slug = "indiewire"
    name = "IndieWire"
    base_url = "https://www.indiewire.com/"
    domains = ("indiewire.com",)
    start_urls = (
        "https://www.indiewire.com/news-sitemap.xml",  # declared in robots.txt
        "https://www.indiewire.com/sitemap_index.xml",
        "https://www.indiewire.com/feed/",
        "https://www.indiewire.com/c/film/feed/",
        "https://www.indiewire.com/c/tv/feed/",
        "https://www.indiewire.com/c/film/",
        "https://www.indiewire.com/c/criticism/movies/",
    )
    article_url_pattern = (
        r"^/(?:\d{4}/\d{2}|(?!(?:video|gallery|c|t|author)/)[a-z0-9-]+/[a-z0-9-]+)/"
        r"[a-z0-9]+(?:-[a-z0-9]+)*-\d{6,}/?(?:\?|$)"
    )
    junk_selectors = PMC_JUNK_SELECTORS
