"""/Film (Static Media). No recorded page was found: no body or junk rules.

Articles are ``/<numeric id>/<slug>/`` (``/1717150/best-sitcoms-all-time-ranked/``); sections are
``/category/…/``. Old WordPress ``/<slug>/`` URLs redirect to the new form.
"""

from __future__ import annotations

from crawler.sites import register
from crawler.sites.base import Site


@register
class SlashFilm(Site):
    slug = "slashfilm"
    name = "/Film"
    base_url = "https://www.slashfilm.com/"
    domains = ("slashfilm.com",)
    start_urls = (
        "https://www.slashfilm.com/sitemap_index.xml",
        "https://www.slashfilm.com/feed/",
        "https://www.slashfilm.com/category/movies/",
        "https://www.slashfilm.com/category/movie-news/",
        "https://www.slashfilm.com/category/reviews/",
    )
    article_url_pattern = r"^/\d{5,}/[a-z0-9]+(?:-[a-z0-9]+)*/?(?:\?|$)"
