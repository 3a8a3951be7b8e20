"""Extraction on single real pages: metadata, embeds, captions, encodings, odd input, site rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, ClassVar

import pytest

from crawler.cleaning import body_text, strip_junk
from crawler.extraction import ArticlePage, extract
from crawler.items import ArticleItem
from crawler.sites.base import Site
from tests.extraction.conftest import read_page, run_page

ENGADGET = "readability-testpages/engadget/engadget"
MIRROR = "fundus-fixtures/the-mirror/TheMirror_2024_08_05"
ROLLING_STONE = "fundus-fixtures/rolling-stone/RollingStone_2024_08_27"
LESOTHO = "fundus-fixtures/lesotho-times/LesothoTimes_2025_11_24"  # JSON-LD in an @graph
GUARDIAN_FILM = "goose3-tests/the-guardian/test_guardian1"


def _page(corpus_dir: Path, cases: dict[str, dict[str, Any]], cid: str) -> tuple[bytes, str]:
    case = cases[cid]
    return read_page(corpus_dir, case), case["url"]


def test_review_page_metadata(corpus_items: dict[str, ArticleItem]) -> None:
    item = corpus_items[ENGADGET]
    assert item.title == "Xbox One X review: A console that keeps up with gaming PCs"
    assert item.authors == ["Devindra Hardawar"]
    assert item.published is not None and item.published.date() == dt.date(2017, 11, 3)
    assert item.article_type == "review"
    assert item.rating == "87/100"
    assert item.section == "Reviews"
    assert "XboxOneX" in item.tags
    assert item.canonical_url == "https://www.engadget.com/2017/11/03/xbox-one-x-review/"
    assert item.field_sources["rating"] == "jsonld"
    assert item.embeds == ["https://www.youtube.com/embed/c8aFcHFu8QM"]


def test_live_page_embeds_and_captions_stay_out_of_body(
        corpus_items: dict[str, ArticleItem]) -> None:
    item = corpus_items[MIRROR]
    assert sorted(item.authors) == sorted(["Lucy Thornton", "Tim Hanlon", "Phoebe Tonks",
                                           "Joseph Gamp"])
    assert any("twitter.com/plymouthbus/status/1820436642806591998" in e for e in item.embeds)
    assert any("Anadolu via Getty Images" in c for c in item.captions)
    body = "\n".join(item.body)
    assert "Anadolu via Getty Images" not in body
    assert "pic.twitter.com" not in body
    assert sum(1 for rule, _text in item.removed if rule == "embed") >= 2


def test_every_set_field_has_a_source(corpus_items: dict[str, ArticleItem]) -> None:
    fields = ("title", "authors", "published", "modified", "section", "tags", "dek", "language",
              "image_url", "canonical_url", "article_type", "rating")
    for item in corpus_items.values():
        for name in fields:
            if getattr(item, name) not in (None, [], ""):
                assert name in item.field_sources, (item.url, name)


def test_jsonld_graph_page(corpus_items: dict[str, ArticleItem]) -> None:
    item = corpus_items[LESOTHO]
    assert item.title == "Mining blasts shatter homes"
    assert item.published == dt.datetime(2025, 11, 21, 13, 34, 26, tzinfo=dt.UTC)
    assert item.field_sources["published"] == "jsonld"


def test_rolling_stone_body_without_promos(corpus_items: dict[str, ArticleItem]) -> None:
    item = corpus_items[ROLLING_STONE]
    assert item.title == ("What an American Crime Film Can Teach About Doing What’s Right, Not "
                          "What’s Easy")
    body = "\n".join(item.body)
    assert "Editor’s picks" not in body
    assert "blogherads" not in body
    assert not any("blogherads" in text for _rule, text in item.removed)
    assert len(item.body) >= 8


def test_wrong_header_charset(corpus_dir: Path, cases: dict[str, dict[str, Any]]) -> None:
    html, url = _page(corpus_dir, cases, ENGADGET)
    good = run_page(html, url)
    # UTF-8 bytes served with a (common, wrong) Latin-1 header still decode as UTF-8.
    item = extract(html, url, headers={"Content-Type": "text/html; charset=ISO-8859-1"})
    assert item.title == good.title
    # A cp1252 page whose header claims UTF-8: the declared charset fails, the guess wins.
    text = html.decode("utf-8").replace("charset=utf-8", "").replace('charset="utf-8"', "")
    cp = text.encode("cp1252", errors="replace")
    item = extract(cp, url, headers={"content-type": "text/html; charset=utf-8"})
    assert item.title == good.title
    assert item.field_sources["encoding"].startswith("guessed:")  # the spider counts and logs it
    assert "encoding" not in good.field_sources  # valid UTF-8 needs no note


def test_meta_charset_latin1_page() -> None:
    html = ("<html><head><meta charset='iso-8859-1'><title>Caf\xe9 soci\xe9t\xe9</title></head>"
            "<body><article><h1>Caf\xe9 soci\xe9t\xe9 opens in Paris</h1>"
            + "<p>The caf\xe9 opened its doors on Monday to a long queue of regulars, who had "
              "waited a year for the new owners to finish the work.</p>" * 4
            + "</article></body></html>").encode("latin-1")
    item = run_page(html, "https://example.org/news/cafe")
    assert item.title == "Caf\xe9 soci\xe9t\xe9 opens in Paris" or item.title == "Caf\xe9 soci\xe9t\xe9"
    assert item.body and "caf\xe9 opened" in item.body[0]
    assert item.field_sources["encoding"] == "declared:cp1252"


@pytest.mark.parametrize("data", [b"", b"   \n", "", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
                                  b"\x00\x01\x02\x03" * 500])
def test_empty_or_binary_input(data: bytes | str) -> None:
    item = extract(data, "https://example.org/a")
    assert item.is_article is False
    assert item.container is None
    strip_junk(item, None)
    body_text(item, None)
    assert item.body == []


def test_page_without_article() -> None:
    html = b"<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
    item = run_page(html, "https://example.org/")
    assert item.is_article is False
    assert item.body == []


def test_site_rules_override_generic_ones(corpus_dir: Path,
                                          cases: dict[str, dict[str, Any]]) -> None:
    html, url = _page(corpus_dir, cases, GUARDIAN_FILM)

    class FilmPage(ArticlePage):
        def title(self) -> tuple[str | None, str | None]:
            return "Site title", "site"

    class Demo(Site):
        slug = "demo-guardian"
        name = "Demo"
        base_url = "https://www.guardian.co.uk/"
        body_selector = "div[itemprop=articleBody]"
        junk_selectors: ClassVar[tuple[str, ...]] = ("p:first-child",)
        page_class = FilmPage

    item = extract(html, url, Demo)
    assert item.title == "Site title" and item.field_sources["title"] == "site"
    assert item.field_sources["container"] == "site"
    first = item.container.xpath(".//p")[0].text_content().strip()
    strip_junk(item, Demo)
    assert ("site:p:first-child", " ".join(first.split())) in item.removed
    body_text(item, Demo)
    assert item.body and item.body[0] != first


#: Furniture that leaked into real bodies before the cleaning rules caught it, by page.
KNOWN_LEAKS = {
    "fundus-fixtures/national-post/NationalPost_2025_05_08": (
        "Article content", "Sign In or Create an Account", "Share this article in your social"),
    "fundus-fixtures/ottawa-citizen/OttawaCitizen_2026_05_26": (
        "Article content", "View more offers", "sign up for our newsletters"),
    "fundus-evaluation/reuters/Reuters_2": ("Purchase Licensing Rights", "Our Standards",
                                            "opens new tab"),
    "fundus-evaluation/occupy-democrats/OccupyDemocrats_1": ("Tags", "Jason Miciak is an"),
    "fundus-evaluation/the-telegraph/TheTelegraph_3": ("8:02PM",),
    "fundus-evaluation/the-independent/TheIndependent_1": ("1709417828", "✕"),
    "wcxb/revolt/5225": ("Image Credit", "btn-primary", "_blank"),
    "wcxb/usa-today/0106": ("Show Caption", "Share your feedback"),
    "wcxb/contemporary-art-issue/1708": ("consulted on October 22, 2025",),
    "fundus-fixtures/times-live/TimesLive_2025_05_22": ("Just R20 for the first month",),
}


@pytest.mark.parametrize("cid", sorted(KNOWN_LEAKS))
def test_known_furniture_stays_out_of_real_bodies(
        corpus_items: dict[str, ArticleItem], cases: dict[str, dict[str, Any]], cid: str) -> None:
    item = corpus_items[cid]
    for junk in KNOWN_LEAKS[cid]:
        assert not any(p == junk or p.startswith(junk) or junk in p for p in item.body), junk
    # ... and the article text is still there: the first and last truth paragraphs.
    truth = cases[cid]["body"]
    body = "\n".join(item.body)
    for paragraph in (truth[1] if len(truth) > 2 else truth[0], truth[-1]):
        assert " ".join(paragraph.split()[:8]) in body


def test_every_removal_names_its_rule_on_a_live_page(corpus_items: dict[str, ArticleItem]) -> None:
    item = corpus_items["fundus-evaluation/the-telegraph/TheTelegraph_3"]
    assert ("timestamp", "8:02PM") in item.removed
    item = corpus_items["fundus-fixtures/national-post/NationalPost_2025_05_08"]
    assert sum(1 for r, t in item.removed if (r, t) == ("hidden", "Article content")) > 100


def test_quietus_chart_entries_are_readable(corpus_dir: Path,
                                         cases: dict[str, dict[str, Any]]) -> None:
    """Artist, album and label are sibling inline elements laid out as blocks by CSS."""
    case = cases["wcxb/the-quietus/0402"]
    item = run_page(read_page(corpus_dir, case), case["url"])
    assert "Danny Brown Stardust Warp" in item.body
    assert "BrownStardust" not in item.body


def test_headline_that_is_not_an_h1_leaves_the_body(corpus_dir: Path,
                                                    cases: dict[str, dict[str, Any]]) -> None:
    """Modern Farmer styles its headline as <p class="post-title h2">, after a "Farm" kicker."""
    case = cases["wcxb/modern-farmer/0329"]
    item = run_page(read_page(corpus_dir, case), case["url"])
    assert item.title == "6 Gardening Shows to Watch for Backyard Inspiration"
    assert item.title not in item.body
    assert "Farm" not in item.body
    assert ("headline", item.title) in item.removed


def test_featured_image_block_is_not_body_text(corpus_dir: Path,
                                               cases: dict[str, dict[str, Any]]) -> None:
    """Revolt's hero image block holds its alt text as a div; it never reaches the body."""
    case = cases["wcxb/revolt/5225"]
    item = run_page(read_page(corpus_dir, case), case["url"])
    assert not any(p.startswith("Gunna performs during") for p in item.body)
    assert len(item.body) > 5


def test_paywalled_paragraphs_served_in_the_page_are_kept(corpus_dir: Path,
                                                          cases: dict[str, dict[str, Any]]) -> None:
    """TechRadar hides metered paragraphs with <p class="paywall" aria-hidden="true">."""
    case = cases["fundus-fixtures/tech-radar/TechRadar_2026_05_21"]
    item = run_page(read_page(corpus_dir, case), case["url"])
    assert any(p.startswith("That's heady, terrifying") for p in item.body)
    assert not any("Contact me with news and offers" in p for p in item.body)


def test_slide_whose_anchor_slug_contains_a_junk_word_stays(corpus_dir: Path,
                                                            cases: dict[str, dict[str, Any]]) -> None:
    """Business Insider: id="zendaya-promoted-dune-part-two-…" is the slide's title, not a promo box."""
    case = cases["fundus-fixtures/business-insider/BusinessInsider_2024_02_14"]
    item = run_page(read_page(corpus_dir, case), case["url"])
    assert any(p.startswith("Designed by Roksanda") for p in item.body)


@pytest.mark.parametrize("cid", [
    "fundus-evaluation/the-independent/TheIndependent_1",  # LiveBlogPosting beside a NewsArticle
    "fundus-evaluation/the-telegraph/TheTelegraph_1",
])
def test_live_blog_is_typed_live(corpus_dir: Path, cases: dict[str, dict[str, Any]], cid: str) -> None:
    case = cases[cid]
    item = run_page(read_page(corpus_dir, case), case["url"])
    assert item.article_type == "live"
