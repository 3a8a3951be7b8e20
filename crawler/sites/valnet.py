"""The Valnet platform (Collider, Screen Rant, CBR, MovieWeb): rules shared by its sites.

Evidence: ``tests/fixtures/sites/movieweb/`` (a Valnet page: ``section#article-body`` holding
``div.content-block-regular`` blocks, photo credits in ``small.body-img-caption``) and
``../shared/corpus/seed/collider-mission-impossible-7.*`` (2021 Collider text: "RELATED: …",
"KEEP READING: …", "Share Share Tweet Email" and "Photo by …" paragraphs). No Collider HTML was found.
"""

from __future__ import annotations

from crawler.sites.base import Site

#: Valnet articles live at one slug of three or more words (``/mission-impossible-7-image-tom-cruise/``),
#: or of two words when the second names a single article (``/tenet-review/``, ``/barbie-ending-explained/``
#: has three anyway); sections are one or two words in the plural or a topic (``/movie-news/``,
#: ``/movie-reviews/``), hubs, tags, authors, videos and database pages have more segments
#: (``/tag/anime/``, ``/movie/cruella/``, ``/page/about/``).
VALNET_ARTICLE_PATH = (
    r"^/(?!(?:what-to-watch|work-with-us)/?(?:\?|$))"
    r"(?:[a-z0-9]+(?:-[a-z0-9]+){2,}|[a-z0-9]+-(?:review|interview|explained|recap|trailer|ending))"
    r"/?(?:\?|$)"
)
VALNET_BODY = "section#article-body"
VALNET_JUNK_SELECTORS = (".body-img-caption",)
VALNET_JUNK_PATTERNS = (
    r"(?:RELATED|KEEP READING):\s+.+",
    r"Share\s+Share\s+Tweet\s+Email",
    r"(?:Photo|Image)s? (?:by|via|courtesy of) [^.!?]{1,80}",
)


class ValnetSite(Site):
    """Base of the Valnet sites; a site module only adds its slug, name, domains and start URLs."""

    article_url_pattern = VALNET_ARTICLE_PATH
    body_selector = VALNET_BODY
    junk_selectors = VALNET_JUNK_SELECTORS
    junk_patterns = VALNET_JUNK_PATTERNS
