"""The Hollywood Reporter (Penske Media). No recorded page was found.

Articles: ``/<section>/<subsection>/<slug>-<id>/`` (``/movies/movie-news/…-1236385658/``), older
``/<section>/<slug>-<id>``; sections are ``/c/…/``, tags ``/t/…/``. The junk selectors are the PMC
theme boxes seen on Rolling Stone (same platform; unverified here).
"""

from __future__ import annotations

from crawler.sites import register
from crawler.sites.base import Site
from crawler.sites.rollingstone import PMC_JUNK_SELECTORS


@register
class HollywoodReporter(Site):
    slug = "hollywoodreporter"
    name = "The Hollywood Reporter"
    base_url = "https://www.hollywoodreporter.com/"
    domains = ("hollywoodreporter.com",)
    start_urls = (
        "https://www.hollywoodreporter.com/news-sitemap.xml",
        "https://www.hollywoodreporter.com/sitemap_index.xml",
        "https://www.hollywoodreporter.com/feed/",
        "https://www.hollywoodreporter.com/c/movies/feed/",
        "https://www.hollywoodreporter.com/c/tv/feed/",
        "https://www.hollywoodreporter.com/c/news/",
        "https://www.hollywoodreporter.com/c/movies/",
        "https://www.hollywoodreporter.com/c/tv/",
    )
    article_url_pattern = (
        r"^/(?!(?:video|gallery|c|t|author|feed)/)[a-z0-9-]+/(?:[a-z0-9-]+/)?"
        r"[a-z0-9]+(?:-[a-z0-9]+)*-\d{5,}/?(?:\?|$)"
    )
    junk_selectors = PMC_JUNK_SELECTORS
