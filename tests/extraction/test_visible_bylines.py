"""Bylines a reader sees (no author metadata), credentials, roles and capitalisation: small pages
written here and tuning pages of the corpus (``cases-wcxb-articles.jsonl``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crawler.evaluation.cases import split_of
from crawler.extraction import extract, page_for
from crawler.extraction.authors import label_end, line_names, split_names
from tests.extraction.conftest import read_page

_PARAS = "".join(f"<p>Paragraph {i} of the story goes on about the premiere, the cast and the reviews, "
                 "with enough words to make an article body of ordinary length.</p>" for i in range(8))


def _page(header: str = "", after: str = "", head: str = "") -> str:
    """An article page: ``header`` under the headline, ``after`` after the article."""
    return (f"<html><head><title>Big Premiere Night | Example News</title>{head}</head><body>"
            "<nav><a href='/'>Home</a> <a href='/film/'>Film</a></nav>"
            f"<main><article><header><h1>Big Premiere Night</h1>{header}</header>"
            f"<div class='entry-content'>{_PARAS}</div></article>{after}</main>"
            "<footer><p>© 2025 Example News. Made by Example Media.</p></footer></body></html>")


def _authors(html: str) -> tuple[list[str], str | None]:
    item = extract(html, "https://news.example.com/film/big-premiere-night/")
    return item.authors, item.field_sources.get("authors")


@pytest.mark.parametrize("header, expected", [
    ("<p>By Jane Doe · 5 min read</p>", ["Jane Doe"]),
    ("<div><span>Written by</span></div><div>Jane Doe</div><div>May 3, 2024</div>", ["Jane Doe"]),
    ("<p>Posted by Jane Doe on Friday December 19, 2025 @08:00PM</p>", ["Jane Doe"]),
    ("<p>Published August 7, 2023 by Jane Doe</p>", ["Jane Doe"]),
    ("<p>By <a href='/people/jane'>Jane Doe</a> and <a href='/people/john'>John Roe</a> - Mar 27</p>",
     ["Jane Doe", "John Roe"]),
    ("<p>Author: Jane Doe, MD</p>", ["Jane Doe, MD"]),  # the credential as printed, no author "MD"
    ("<p>By Jane Doe, Senior Film Critic</p>", ["Jane Doe"]),  # the role is no second author
    ("<p>By Jane Doe. Reviewed by John Roe</p>", ["Jane Doe"]),  # the reviewer is no author
])
def test_plain_text_byline_next_to_the_headline(header: str, expected: list[str]) -> None:
    assert _authors(_page(header)) == (expected, "html")


def test_author_box_at_the_end_of_the_article() -> None:
    after = "<div class='about'><h3>Written by Jane Doe</h3><p>Jane covers film and TV.</p></div>"
    assert _authors(_page(after=after)) == (["Jane Doe"], "html")


def test_byline_nearest_the_headline_wins() -> None:
    header = "<p>By Jane Doe</p>"
    after = "<div class='about'><p>Written by John Roe</p></div>"
    assert _authors(_page(header, after)) == (["Jane Doe"], "html")


@pytest.mark.parametrize("after", [
    # a related-stories box (its class says so)
    "<section class='related-stories'><h2>More from Film</h2><ul>"
    "<li><a href='/film/a/'>Another premiere</a><p>By John Roe</p></li>"
    "<li><a href='/film/b/'>A third premiere</a><p>By Mary Major</p></li></ul></section>",
    # teasers known by their linked headlines alone
    "<div class='grid'><div><h3><a href='/film/a/'>Another premiere</a></h3><p>By John Roe</p></div>"
    "<div><h3><a href='/film/b/'>A third premiere</a></h3><p>By Mary Major</p></div></div>",
    # a sidebar
    "<aside><p>By John Roe</p><p>Our film critic picks the week's releases.</p></aside>",
])
def test_byline_in_related_stories_is_not_taken(after: str) -> None:
    assert _authors(_page(after=after)) == ([], None)


def test_a_sentence_with_by_is_no_byline() -> None:
    header = "<p>The film was produced by Warner Bros. and directed by Greta Gerwig.</p>"
    assert _authors(_page(header)) == ([], None)


def test_capitals_are_kept_when_the_page_has_no_other_spelling() -> None:
    assert _authors(_page("<p>By JANE DOE</p>")) == (["JANE DOE"], "html")


def test_page_capitalisation_is_kept() -> None:
    assert _authors(_page("<p>By Danielle DeSiato and Nick van Mead</p>")) == (
        ["Danielle DeSiato", "Nick van Mead"], "html")


def test_mixed_case_spelling_from_the_metadata_is_preferred() -> None:
    head = ("<meta name='author' content='JANE DOE'>"
            "<meta name='twitter:label1' content='Written by'><meta name='twitter:data1' content='Jane Doe'>")
    assert _authors(_page(head=head)) == (["Jane Doe"], "meta")


def test_split_names_credentials_roles_and_credits() -> None:
    assert split_names("Dylan Bailey, MS, RD, FAND") == ["Dylan Bailey, MS, RD, FAND"]
    assert split_names("Genevieve Carlton, Ph.D.") == ["Genevieve Carlton, Ph.D."]
    assert split_names("Tracy Parker, Dietitian") == ["Tracy Parker"]
    assert split_names("Danielle Padula, Head of Marketing and Community Development") == ["Danielle Padula"]
    assert split_names("Tom Cary, Fiona Parker") == ["Tom Cary", "Fiona Parker"]
    assert split_names("JOHN SMITH, JANE DOE") == ["JOHN SMITH", "JANE DOE"]  # capitals: no credentials
    assert split_names("Emma Ryan, Researched by Oliver Simpson") == ["Emma Ryan"]
    assert split_names('"David Kim"') == ["David Kim"]
    assert split_names("content: Acme, design: Scott McDaniel, code: Steve Beger") == []
    assert split_names("page.head.extra.author") == []


def test_byline_labels() -> None:
    assert label_end("Byron Smith") is None and label_end("Photo by Jane Doe") is None
    assert label_end("Author Spotlight") is None  # a heading, not a label and a name
    assert line_names("Dr. Vahid Osman - Mar 27, 2024") == ["Dr. Vahid Osman"]
    assert line_names("Dec. 19, 2025 · Niko Matsakis on behalf of the Vision Doc group") == ["Niko Matsakis"]
    assert line_names("using the new tool") == []
    assert line_names("The Numbers") == []


# -- tuning pages of the corpus ------------------------------------------------------------------

@pytest.fixture(scope="module")
def wcxb_cases(corpus_dir: Path) -> dict[str, dict[str, Any]]:
    """The WCXB article cases by id."""
    with open(corpus_dir / "cases-wcxb-articles.jsonl", encoding="utf-8") as f:
        return {c["id"]: c for c in map(json.loads, f) if c}


def _corpus_authors(corpus_dir: Path, wcxb_cases: dict[str, dict[str, Any]], cid: str):
    case = wcxb_cases[cid]
    assert split_of(case["publisher"]) == "tuning"  # tests never read unseen pages
    page = page_for(read_page(corpus_dir, case), case["url"])
    assert page is not None
    return page.authors(), case


@pytest.mark.parametrize("cid, source", [
    ("wcxb/tryotter-com/0058", "html"),  # "Written by" and the name in the next paragraph
    ("wcxb/yeti-co/0184", "html"),  # "By" | "Summer Swann" | "-" in three boxes
    ("wcxb/halomentalhealth-com/0190", "html"),  # "By Dr. Vahid Osman - Mar 27, 2024"
    ("wcxb/developers-slashdot-org/0396", "html"),  # "Posted by BeauHD on Friday …"
    ("wcxb/gardenary/0145", "html"),  # "Published August 7, 2023 by Nicole Burke"
    ("wcxb/uforocks-com/0222", "html"),  # "Written by John Crenshaw" after the article
    ("wcxb/learn-hms-harvard-edu/4079", "html"),  # "Author" | "Lisa D. Ellis" in the article's aside
    ("wcxb/blog-scholasticahq-com/2381", "html"),  # "This post was written by …, Head of …"
    ("wcxb/parkview/4574", "html"),  # "… written by Vanessa Mendez, MD, gastroenterologist, …"
    ("wcxb/blog-rust-lang-org/0379", "html"),  # "Dec. 19, 2025 · Niko Matsakis on behalf of …"
    ("wcxb/jobber/0127", "html"),  # class "…post-hero__author"
    ("wcxb/glossgenius-com/0151", "html"),  # JSON-LD names the site; "Shauna Mitchell" + date
    ("wcxb/booking-com-for-business/4363", "html"),  # the role in its own element
    ("wcxb/cherry-servers/4232", "html"),  # a link to /blog/authors/<name>
    ("wcxb/garnix-io/0453", "html"),  # the byline, not the "Other Posts" list under the article
    ("wcxb/petmd-com/4594", "html"),  # "Shelby Loos, DVM. Reviewed by Molly Price, DVM"
    ("wcxb/website-builder-expert/4858", "html"),  # "Researched by" is no author
    ("wcxb/tiger-data-blog/4416", "html"),  # a person's byline before a team credit
    ("wcxb/linkedin-com/0003", "jsonld"),  # "Dylan Bailey, MS, RD, FAND": one author
    ("wcxb/terabyte-systems/0426", "jsonld"),  # quotes around the JSON-LD name
    ("wcxb/marketingsherpa/0327", "html"),  # a credits list in <meta name=author> is no author
])
def test_corpus_bylines(corpus_dir, wcxb_cases, cid, source) -> None:
    (names, src), case = _corpus_authors(corpus_dir, wcxb_cases, cid)
    assert sorted(names) == sorted(case["authors"])
    assert src == source


@pytest.mark.parametrize("cid, wrong", [
    ("wcxb/erin-spain/4451", "YOU MIGHT ALSO LIKE"),  # a bold label is no signature
    ("wcxb/midwest-life-and-style-blog/4673", "Simple Summer Porch Refresh"),  # a bold link
    ("wcxb/paycom-com/0293", "Company Size"),  # "by company size": lower case is no name
    ("wcxb/echo-live/0399", "Sat"),  # a byline box holding only a date
    ("wcxb/beonpath-org/4880", "Personal finance"),  # a tag link in the byline box
])
def test_corpus_non_names(corpus_dir, wcxb_cases, cid, wrong) -> None:
    (names, _src), _case = _corpus_authors(corpus_dir, wcxb_cases, cid)
    assert wrong not in (names or [])


def test_deadline_capitals_take_the_pages_own_spelling(corpus_dir: Path) -> None:
    from crawler.sites import site_for_url

    with open(corpus_dir / "cases-sites.jsonl", encoding="utf-8") as f:
        case = next(c for c in map(json.loads, f) if c["id"].startswith("sites/deadline/"))
    assert split_of(case["publisher"]) == "tuning"
    # the byline prints "DAVID LIEBERMAN"; the headline "… With David Lieberman, Episode 38"
    item = extract(read_page(corpus_dir, case), case["url"], site_for_url(case["url"]))
    assert item.authors == ["David Lieberman"]
