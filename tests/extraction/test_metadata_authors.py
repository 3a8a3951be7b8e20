"""Author names on real corpus pages: JSON-LD people, bylines, comments, roles, organisations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crawler.extraction import extract
from crawler.extraction.authors import split_names
from tests.extraction.conftest import read_page


def _item(corpus_dir: Path, cases: dict[str, dict[str, Any]], cid: str):
    case = cases[cid]
    return extract(read_page(corpus_dir, case), case["url"]), case


@pytest.mark.parametrize("cid, source", [
    ("fundus-fixtures/wired/Wired_2024_04_28", "jsonld"),  # JSON-LD Person "Gear Team"
    ("wcxb/artlyst/0408", "jsonld"),  # JSON-LD author "News Desk"
    ("fundus-fixtures/bbc/BBC_2024_08_01", "jsonld"),  # only the organisation: "BBC News"
    ("readability-testpages/yahoo-finance/yahoo-1", "html"),  # innermost byline, no "Games Editor"
    ("trafilatura-eval/goodnight-at/goodnight.at.konzert", "html"),  # "… Alle Artikel"
    ("wcxb/strategy-and-wargaming/4682", "html"),  # comment authors left out
    ("wcxb/smart-bitches-trashy-books/0461", "html"),  # "by Amanda · Dec 20, 2025 …"
    ("trafilatura-eval/vip-flash/vipflash.de-Ehezoff", "html"),  # "06.11.2023 13:30 von Olga"
    ("wcxb/five-books/4371", "meta"),  # twitter:label1 "Interview by" / twitter:data1
    ("wcxb/damien-g-walter/4373", "html"),  # the blog's own name is its author
    ("fundus-fixtures/lesotho-times/LesothoTimes_2025_11_24", "html"),  # bold names in the body
    # "<p><strong>Marina Mucha</strong></p>" after a body that is one paragraph
    ("trafilatura-eval/galore/galore.de.buch", "html"),
])
def test_authors(corpus_dir, cases, cid, source) -> None:
    item, case = _item(corpus_dir, cases, cid)
    assert sorted(item.authors) == sorted(case["authors"])
    assert item.field_sources["authors"] == source


def test_all_names_of_the_first_byline_box(corpus_dir, cases) -> None:
    item, _ = _item(corpus_dir, cases, "fundus-evaluation/the-telegraph/TheTelegraph_0")
    assert item.authors == ["Tom Cary", "Fiona Parker"]


def test_place_after_the_publication_is_no_author(corpus_dir, cases) -> None:
    item, _ = _item(corpus_dir, cases, "trafilatura-eval/hessenschau/d76cf81a74fa4633bd19d7060f5c05ee")
    assert "Frankfurt" not in item.authors and "Germany" not in item.authors


def test_split_names() -> None:
    assert split_names("By Jane Doe, Executive Editor") == ["Jane Doe"]
    assert split_names("By Jane Doe and John Roe") == ["Jane Doe", "John Roe"]
    assert split_names("Staff Writer") == ["Staff Writer"]  # a byline that is only a role stays
    assert split_names("View all posts") == []  # page text: navigation words
    assert split_names("Gear Team") == ["Gear Team"]  # a desk credit: kept, but names no person


@pytest.mark.parametrize("cls, expected", [
    ("byline", True), ("x byline y", True), ("author", True), ("\tauthor\n", True),
    ("author-name", True), ("byline__name", True), ("article-author", True), ("c-byline__item", True),
    ("entry-author-link", True), ("AuthorName", True), ("wp-block-jobber-academy-post-hero__author", True),
    ("elementor-post-info__item--type-author", True), ("elementor-author-box__name", True),
    ("Author_author__4ceOm", True), ("styles__AuthorName-sc-185vu23-2", True), ("author vcard fn", True),
    # not a byline: plurals, images, bios, job titles, quotes, teaser cards, comments
    ("bylines", False), ("authors", False), ("coauthor", False), ("author-avatar", False),
    ("author-bio", False), ("c-author-info__title", False), ("Quote_author__bxaUq", False),
    ("card__byline mntl-card__byline", False), ("related_articles_related_article_author__KH6SU", False),
    ("comment-author vcard", False), ("nothing", False), ("", False),
])
def test_byline_markup_classes(cls: str, expected: bool) -> None:
    from lxml import html as lhtml

    from crawler.extraction.bylines import BYLINE_XPATH, is_byline_markup

    root = lhtml.fromstring(f'<html><body><div><span class="{cls}">Jane Doe</span></div></body></html>')
    hits = [el for el in root.xpath(BYLINE_XPATH) if is_byline_markup(el)]
    assert bool(hits) is expected
