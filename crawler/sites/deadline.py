"""Deadline (Penske Media).

Evidence: ``tests/fixtures/sites/deadline/`` is a 2013 page of the old layout (body
``div.post-content``, a newsletter box ``div.dl-signup-article`` inside it, share row
``div.post-social`` and ``#print_footer`` around it). No page of the current (PMC theme) layout was
found; there the selector matches nothing and the generic body finder is used.
The old layout has no date or author metadata but the day (``sailthru.date``): the byline
``div.meta`` reads "By DAVID LIEBERMAN, Executive Editor | Friday June 7, 2013 @ 6:43pm EDT".
Articles: ``/YYYY/MM/<slug>-<id>/`` (before 2014 without the id).
"""

from __future__ import annotations

import datetime as dt
import re

from crawler.extraction.authors import clean_name
from crawler.extraction.page import ArticlePage, Field
from crawler.sites import register
from crawler.sites.base import Site
from crawler.sites.rollingstone import PMC_JUNK_SELECTORS

_BYLINE_DATE = re.compile(r"([A-Z][a-z]+\.? \d{1,2}, \d{4}) @ (\d{1,2}:\d{2} ?[ap]m) ([ECMP][SD]T)")
_US_ZONES = {"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7}


class DeadlinePage(ArticlePage):
    """Author and time from the byline of the old layout; otherwise the generic fields."""

    def authors(self) -> Field:
        names = []
        for a in self.root.cssselect("div.meta span.meta-author a"):
            name = clean_name(a.text_content().split(",")[0])  # "DAVID LIEBERMAN, Executive Editor"
            if name:
                names.append(name)
        # the capitals are the layout's style: the page's mixed-case spelling where it has one
        return (self._mixed_case(names), "site") if names else super().authors()

    def published(self) -> Field:
        for meta in self.root.cssselect("div.meta"):
            m = _BYLINE_DATE.search(" ".join(meta.text_content().split()))
            if not m:
                continue
            day = m[1].replace(".", "")
            for fmt in ("%B %d, %Y", "%b %d, %Y"):
                try:
                    d = dt.datetime.strptime(f"{day} {m[2].replace(' ', '').upper()}", f"{fmt} %I:%M%p")
                except ValueError:
                    continue
                return d.replace(tzinfo=dt.timezone(dt.timedelta(hours=_US_ZONES[m[3]]))), "site"
        return super().published()


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
    page_class = DeadlinePage
