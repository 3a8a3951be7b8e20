"""Rolling Stone (Penske Media). Also holds the PMC rules shared by the other Penske sites.

Evidence: ``tests/fixtures/sites/rollingstone/`` (three 2024 pages). The body is
``div.a-content > div.pmc-paywall`` (also the JSON-LD ``hasPart.cssSelector``). Inside it, nested in
``<p>`` elements, sit ``section.brands-most-popular`` boxes ("Editor's picks", "Related", "Trending")
and ``div.admz`` ad slots; figure credits are ``figcaption cite``. Culture Council pages carry a
yellow "The Rolling Stone Culture Council is an invitation-only community …" paragraph.
The headline is ``h1.article-title``; og:title is an ASCII copy ("'Shōgun' … -- and …" for
"‘Shōgun’ … — and …") and a second JSON-LD NewsArticle carries the SEO title.
"""

from __future__ import annotations

from crawler.extraction.page import ArticlePage, Field
from crawler.sites import register
from crawler.sites.base import Site

#: Recirculation boxes and ad slots of the PMC "Larva" theme (seen in the Rolling Stone fixtures).
PMC_JUNK_SELECTORS = ("section.brands-most-popular", ".admz")


class RollingStonePage(ArticlePage):
    """Headline from ``h1.article-title`` (the generic layer takes the ASCII og:title)."""

    def title(self) -> Field:
        for h1 in self.root.cssselect("h1.article-title"):
            text = " ".join(h1.text_content().split())
            if text:
                return text, "site"
        return super().title()


@register
class RollingStone(Site):
    slug = "rollingstone"
    name = "Rolling Stone"
    base_url = "https://www.rollingstone.com/"
    domains = ("rollingstone.com",)
    start_urls = (
        "https://www.rollingstone.com/news-sitemap.xml",
        "https://www.rollingstone.com/sitemap_index.xml",
        "https://www.rollingstone.com/feed/",
        "https://www.rollingstone.com/music/feed/",
        "https://www.rollingstone.com/music/music-news/",
        "https://www.rollingstone.com/tv-movies/tv-movie-news/",
        "https://www.rollingstone.com/tv-movies/tv-movie-reviews/",
        "https://www.rollingstone.com/culture/culture-news/",
    )
    #: ``/<section>/<subsection>/<slug>-<id>/``; the older form ends in ``-YYYYMMDD``.
    #: ``*-pictures`` and ``*-videos`` subsections are galleries and videos.
    article_url_pattern = (
        r"^/(?!video/)[a-z0-9-]+/(?![a-z0-9-]*-(?:pictures|videos)/)[a-z0-9-]+/"
        r"[a-z0-9]+(?:-[a-z0-9]+)*-\d{5,}/?(?:\?|$)"
    )
    body_selector = "div.a-content div.pmc-paywall"
    junk_selectors = (*PMC_JUNK_SELECTORS, "figcaption cite")
    junk_patterns = (
        r"The Rolling Stone Culture Council is an invitation-only community for .+",
    )
    page_class = RollingStonePage
