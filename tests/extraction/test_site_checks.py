"""Site rules are hints: a site module's value that the page contradicts gives way to the generic one."""

from __future__ import annotations

import gzip

from crawler.extraction import extract
from crawler.sites import get_site
from tests.conftest import FIXTURES

ARTICLE = "".join(
    f"<p>Paragraph {i} of the review says what the critic thought of the band's long-awaited "
    f"record, track by track, with the kind of detail a reader came for.</p>" for i in range(8))


def _rollingstone_page(head_h1: str, paywall: str, article: str) -> str:
    return (
        "<html><head><meta property='og:site_name' content='Rolling Stone'>"
        "<meta property='og:title' content='The Band Returns With a Quiet Masterpiece'>"
        "</head><body><header>" + head_h1 + "</header>"
        "<div class='a-content'><div class='pmc-paywall'>" + paywall + "</div></div>"
        "<article><h1>The Band Returns With a Quiet Masterpiece</h1>" + article + "</article>"
        "</body></html>")


URL = "https://www.rollingstone.com/music/music-album-reviews/band-returns-quiet-masterpiece-1234567/"


def test_site_title_that_is_the_site_name_is_rejected() -> None:
    """An older layout: the site's headline selector hits the logo, "Rolling Stone"."""
    html = _rollingstone_page("<h1 class='article-title'>Rolling Stone</h1>", ARTICLE, "")
    item = extract(html, URL, get_site("rollingstone"))
    assert item.title == "The Band Returns With a Quiet Masterpiece"
    assert item.field_sources["title"] != "site"
    assert "title" in item.site_rule_rejected


def test_site_body_that_is_a_fragment_is_rejected() -> None:
    """The site's body selector matches a teaser box; the article is elsewhere on the page."""
    teaser = "<p>Subscribe to read more reviews like this one.</p>"
    html = _rollingstone_page("", teaser, ARTICLE)
    item = extract(html, URL, get_site("rollingstone"))
    assert item.field_sources["container"] == "html"
    assert "container" in item.site_rule_rejected
    assert "track by track" in item.container.text_content()


def test_site_date_contradicting_the_page_is_rejected() -> None:
    """Deadline's byline-date rule reads a date two years away from the page's own metadata."""
    html = ("<html><head><meta property='article:published_time' content='2015-03-02T10:00:00Z'>"
            "</head><body><div class='meta'>By Someone | Friday June 7, 2013 @ 6:43pm EDT</div>"
            "<article>" + ARTICLE + "</article></body></html>")
    item = extract(html, "https://deadline.com/2015/03/some-story-1201234567/", get_site("deadline"))
    assert item.published.date().isoformat() == "2015-03-02"
    assert "published" in item.site_rule_rejected


def test_site_rules_that_fit_the_page_are_kept() -> None:
    """The recorded Rolling Stone pages: every site value agrees with the page."""
    for path in sorted((FIXTURES / "sites" / "rollingstone").glob("*.html.gz")):
        html = gzip.decompress(path.read_bytes())
        item = extract(html, "https://www.rollingstone.com/music/music-news/x-1235010328/",
                       get_site("rollingstone"))
        assert item.site_rule_rejected == {}, path.name
        assert item.field_sources["container"] == "site", path.name
