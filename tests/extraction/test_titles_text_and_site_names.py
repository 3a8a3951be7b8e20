"""Titles are text, never the site's name alone, and lose site decorations: small pages written
here and tuning pages of the corpus (``cases-wcxb-articles.jsonl``)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from crawler.evaluation import split_of
from crawler.extraction import extract, page_for
from crawler.extraction.titles import clean_title, names_site, plain_text, site_keys, untruncate
from crawler.sites.rollingstone import RollingStone
from tests.extraction.conftest import read_page

_BODY = "<p>" + "The band played for three hours and the crowd sang every word. " * 8 + "</p>"


def _page(head: str, body: str) -> bytes:
    return f"<html><head>{head}</head><body>{body}{_BODY}</body></html>".encode()


@cache
def _wcxb_cases(corpus_dir: Path) -> dict[str, dict[str, Any]]:
    with open(corpus_dir / "cases-wcxb-articles.jsonl", encoding="utf-8") as f:
        return {c["id"]: c for c in map(json.loads, f)}


def _corpus_item(corpus_dir: Path, cid: str):
    case = _wcxb_cases(corpus_dir)[cid]
    assert split_of(case["publisher"]) == "tuning"  # tests never use unseen pages
    return extract(read_page(corpus_dir, case), case["url"]), case


# -- the site's name alone is never the title --------------------------------------------------

def test_og_title_that_is_the_site_name_is_passed_over() -> None:
    """An old layout whose og:title is the publication's name (og:site_name says so)."""
    html = _page(
        '<title>Ozzy Osbourne Plans Farewell Tour | Rolling Stone</title>'
        '<meta property="og:site_name" content="Rolling Stone">'
        '<meta property="og:title" content="Rolling Stone">',
        '<header><h1 class="logo"><a href="/">Rolling Stone</a></h1></header>'
        '<h1 class="article-title">Ozzy Osbourne Plans Farewell Tour</h1>')
    item = extract(html, "https://www.rollingstone.com/music/news/ozzy-20160120")
    assert item.title == "Ozzy Osbourne Plans Farewell Tour"
    assert item.field_sources["title"] == "html"


def test_registered_site_older_layout_falls_back_past_the_site_name() -> None:
    """Rolling Stone's rule reads ``h1.article-title``; a page of an older layout has none, and
    the generic title behind it must not answer with the publication's name (og:title here)."""
    html = _page(
        '<title>Bruce Springsteen Announces Memoir | Rolling Stone</title>'
        '<meta property="og:title" content="Rolling Stone">',
        '<h1 class="content-title">Bruce Springsteen Announces Memoir</h1>')
    item = extract(html, "https://www.rollingstone.com/music/news/springsteen-memoir-20160511",
                   site=RollingStone)
    assert item.site == "rollingstone"
    assert item.title == "Bruce Springsteen Announces Memoir"


def test_site_name_known_only_from_the_title_suffix() -> None:
    """No og:site_name and a host that does not spell the name: the ``<title>`` suffix does."""
    html = _page('<title>Spider-Man Spotted Downtown | Daily Bugle</title>'
                 '<meta property="og:title" content="Daily Bugle">', "")
    page = page_for(html, "https://example.org/2016/spider-man")
    assert page is not None and page.is_site_name("Daily Bugle")
    assert not page.is_site_name("Spider-Man Spotted Downtown")
    assert page.title() == ("Spider-Man Spotted Downtown", "html")


def test_logo_h1_is_not_the_headline() -> None:
    """A heading that is one link to the home page is the site's logo: its text names the site."""
    html = _page("<title>Antoyo's Blog</title>",
                 "<h1><a href='https://blog.example.org/'>Antoyo's Blog</a></h1>"
                 "<h2>Progress report #39</h2>")
    page = page_for(html, "https://blog.example.org/progress-report-39")
    assert page is not None
    assert page.h1s == [] and page.h1 is None
    assert page.title() == (None, None)  # the <title> is the site's name too: no title at all


@pytest.mark.parametrize(("text", "url", "names", "expected"), [
    ("Rolling Stone", "https://www.rollingstone.com/x", ("Rolling Stone",), True),
    ("The Rolling Stones", "https://www.rollingstone.com/x", ("Rolling Stone",), False),
    ("Rolling Stone Names the 500 Greatest Albums", "https://www.rollingstone.com/x", (), False),
    ("Antoyo's Blog", "https://blog.antoyo.xyz/x", (), True),
    ("Houstonia Magazine", "https://www.houstoniamag.com/x", ("Houstonia Magazine",), True),
    ("Robomow", "https://www.robomow.com/blog/x", (), True),
    # a "publisher" that is a whole headline (a mislabelled application-name) names nothing
    ("Nintendo's first iPhone game will launch in December for $10", "https://www.msn.com/x",
     ("Nintendo's first iPhone game will launch in December for $10",), False),
])
def test_names_site(text: str, url: str, names: tuple[str, ...], expected: bool) -> None:
    assert names_site(text, site_keys(url, names)) is expected


@pytest.mark.parametrize(("cid", "source"), [
    ("wcxb/robomow/4249", "meta"),  # og:title "Robomow": twitter:title is the headline
    ("wcxb/blog-antoyo-xyz/0389", "html"),  # the only h1 is the blog's name: the <title> is next
])
def test_site_name_candidates_skipped_on_corpus_pages(corpus_dir: Path, cid: str, source: str) -> None:
    item, case = _corpus_item(corpus_dir, cid)
    assert item.title == case["title"]
    assert item.field_sources["title"] == source


def test_logo_h1_naming_the_site_is_not_the_headline(corpus_dir: Path) -> None:
    """The first h1 is the logo "Houstonia Magazine" (a link home, and og:site_name); the second
    is the headline."""
    case = _wcxb_cases(corpus_dir)["wcxb/houstonia-magazine/0140"]
    page = page_for(read_page(corpus_dir, case), case["url"])
    assert page is not None
    assert "Houstonia Magazine" not in page.h1s and page.is_site_name("Houstonia Magazine")
    assert page.h1 == case["title"] == "Houston's Hottest New Restaurants to Visit This Month"


# -- text is text ---------------------------------------------------------------------------------

def test_jsonld_entity_soup_and_tags_are_decoded() -> None:
    ld = ('{"@context": "https://schema.org", "@type": "NewsArticle", "datePublished": "2024-05-01",'
          ' "headline": "Taylor Swift&amp;#8217;s <em>Eras</em> Tour &amp;amp; the <b>Box Office</b>"}')
    html = _page(f'<script type="application/ld+json">{ld}</script>', "")
    item = extract(html, "https://example.org/swift-eras")
    assert item.title == "Taylor Swift’s Eras Tour & the Box Office"
    assert item.field_sources["title"] == "jsonld"


def test_og_title_doubly_escaped_is_decoded() -> None:
    html = _page('<meta property="og:title"'
                 ' content="Beyonc&amp;amp;#233; &amp;amp;#8216;Renaissance&amp;amp;#8217;">', "")
    assert extract(html, "https://example.org/b").title == "Beyoncé ‘Renaissance’"


def test_h1_script_text_and_line_breaks() -> None:
    html = _page("", "<h1>Weekend<br>Coding <span>Agent</span><script>var ad = 1;</script></h1>")
    item = extract(html, "https://example.org/agent")
    assert item.title == "Weekend Coding Agent"


def test_markup_the_page_shows_as_text_is_kept(corpus_dir: Path) -> None:
    """A title about markup: the visible h1 shows "<br>" as text, so it is not a tag."""
    item, case = _corpus_item(corpus_dir, "wcxb/artmann-co/2498")
    assert item.title == case["title"] == "30 Years of <br> Tags"


@pytest.mark.parametrize(("cid", "bad"), [
    ("wcxb/freederia-com/0388", "##"),  # markdown heading marks in every metadata title
    ("wcxb/motivateeducaterepeat-com/4642", "⋆"),  # a separator left with no site name after it
])
def test_markup_and_ornaments_dropped_on_corpus_pages(corpus_dir: Path, cid: str, bad: str) -> None:
    item, case = _corpus_item(corpus_dir, cid)
    assert bad not in item.title
    assert item.title == case["title"]


def test_doubly_escaped_h1(corpus_dir: Path) -> None:
    case = _wcxb_cases(corpus_dir)["wcxb/splunk/0244"]
    page = page_for(read_page(corpus_dir, case), case["url"])
    assert page is not None
    assert page.h1s[0] == "12 Must-Have Data Analysis Tools for 2026 | Python, SQL & AI"


@pytest.mark.parametrize(("raw", "literal", "expected"), [
    ("Mexico&#8217;s <i>big</i> day", (), "Mexico’s big day"),
    ("Mexico&amp;#8217;s big day", (), "Mexico’s big day"),
    ("The <em>Dune</em>, ranked<br/>again", (), "The Dune, ranked again"),
    ("## Hyper-Local Regolith", (), "Hyper-Local Regolith"),
    ("Top Home Gym Must Haves ⋆", (), "Top Home Gym Must Haves"),
    ("30 Years of <br> Tags", ("30 Years of <br> Tags",), "30 Years of <br> Tags"),
    ("*A Treatise Concerning Coffee* (1792)", (), "*A Treatise Concerning Coffee* (1792)"),
    ("#1 Hits of 1984", (), "#1 Hits of 1984"),
])
def test_plain_text(raw: str, literal: tuple[str, ...], expected: str) -> None:
    assert plain_text(raw, literal) == expected


# -- site decorations cut ---------------------------------------------------------------------------

@pytest.mark.parametrize("cid", [
    "wcxb/urgefitness-com/0086",  # og:site_name "Urge Fitness | Affordable 24/7 Gyms …" cut whole
    "wcxb/yeti-co/0184",  # "Headline | by Summer Swann | AI Development | Yeti LLC": the h1 is "Headline"
    "wcxb/garnix-io/0453",  # "Garnix Blog: Hardware-Attested Nix Builds", the h1 without the prefix
    "wcxb/embrace-pet-insurance/4912",  # "How Much is Pet Insurance | 2025 … Cost Guide", h1 "… Insurance?"
    "wcxb/encyclopedia-britannica/4043",  # "History of coffee | Origin, Spread, …", h1 "history of coffee"
])
def test_decoration_after_or_before_the_confirmed_headline_is_cut(corpus_dir: Path, cid: str) -> None:
    item, case = _corpus_item(corpus_dir, cid)
    assert item.title == case["title"]
    assert item.field_sources["title"] == "opengraph"


def test_clean_title_helpers() -> None:
    assert clean_title("Guide - Urge Fitness | Gyms Near Me", "https://urgefitness.com/x",
                       ("Urge Fitness | Gyms Near Me",)) == "Guide"
    assert clean_title("Have an App Idea? | by Ann Lee | AI | Yeti LLC", "https://yeti.co/x", (),
                       ("Have an App Idea?",)) == "Have an App Idea?"
    # a series prefix is kept when the h1 keeps it, and when it does not name the site
    assert clean_title("Garnix Blog: Hardware-Attested Nix Builds", "https://garnix.io/b", (),
                       ("Garnix Blog: Hardware-Attested Nix Builds",)) == (
        "Garnix Blog: Hardware-Attested Nix Builds")
    assert clean_title("Teaching Online: Effective Practices", "https://example.edu/x", (),
                       ("Effective Practices",)) == "Teaching Online: Effective Practices"


# -- cut headlines and the h1 --------------------------------------------------------------------

def test_headline_cut_at_the_110_character_limit_is_completed(corpus_dir: Path) -> None:
    item, case = _corpus_item(corpus_dir, "wcxb/emily-henderson/0121")
    assert item.title == case["title"]
    assert item.title.endswith("(Including One Universal Trick That 9/10 Works)")


def test_untruncate_limit_cut() -> None:
    cut = "Fix It Friday: Struggling With How To Arrange Your Living Room? We Help 4 Readers Find (Including"
    full = cut + " One Universal Trick That Works)"
    assert untruncate(cut, (None, full)) == full
    assert untruncate(cut, (cut + " | Emily Henderson",)) == cut  # a site suffix is no continuation
    assert untruncate("A short headline", ("A short headline about more",)) == "A short headline"


def test_h1_that_a_metadata_title_starts_with(corpus_dir: Path) -> None:
    """The second h1 is the headline: the <title> is it plus "(Erik Demaine)"."""
    item, case = _corpus_item(corpus_dir, "wcxb/erikdemaine-org/0406")
    assert item.title == case["title"] == "The Fold-and-Cut Problem"
