"""Deadline (Penske Media).

Evidence: ``tests/fixtures/sites/deadline/`` is a 2013 page of the old layout (body
``div.post-content``, a newsletter box ``div.dl-signup-article`` inside it, share row
``div.post-social`` and ``#print_footer`` around it). No page of the current (PMC theme) layout was
found; there the selector matches nothing and the generic body finder is used.
Articles: ``/YYYY/MM/<slug>-<id>/`` (before 2014 without the id).
"""

from __future__ import annotations

from crawler.sites import register
from crawler.sites.base import Site
from crawler.sites.rollingstone import PMC_JUNK_SELECTORS


@register
class Deadline(Site):
    slug = "deadline"
    name = "Deadline"
    base_url = "https://deadline.com/"
    domains = ("deadline.com",)
    start_urls = (
        "https://deadline.com/news-sitemap.xml",  # declared in robots.txt
        "https://deadline.com/sitemap_index.xml",
        "https://deadline.com/feed/",
        "https://deadline.com/category/film/feed/",
        "https://deadline.com/v/film/",
    )
    article_url_pattern = r"^/\d{4}/\d{2}/[a-z0-9]+(?:-[a-z0-9]+)*/?(?:\?|$)"
    body_selector = "div.post-content"
    junk_selectors = (*PMC_JUNK_SELECTORS, ".dl-signup-article", ".post-social", "#print_footer")
