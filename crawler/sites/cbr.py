"""CBR (Valnet): same platform and rules as Collider (see ``collider.py``).

No recorded CBR page was found; the rules are the shared Valnet ones.
"""

from __future__ import annotations

from crawler.sites import register
from crawler.sites.valnet import ValnetSite


@register
class CBR(ValnetSite):
    slug = "cbr"
    name = "CBR"
    base_url = "https://www.cbr.com/"
    domains = ("cbr.com",)
    start_urls = (
        "https://www.cbr.com/post_google_news.xml",
        "https://www.cbr.com/sitemap.xml",
        "https://www.cbr.com/feed/",
        "https://www.cbr.com/feed/category/movies/news-movies/",
        "https://www.cbr.com/category/comics/reviews/",
    )
