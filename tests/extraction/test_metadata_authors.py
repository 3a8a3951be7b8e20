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
    assert split_names("Gear Team") == []  # page text: "team" is navigation
    assert split_names("Gear Team", strict=False) == ["Gear Team"]  # a declared author


#: The byline XPath as it was written before the cheap pre-filter was put in front of it.
_BYLINE_XPATH_REFERENCE = (
    ".//*[@rel='author']|.//*[@itemprop='author']"
    "|.//*[contains(concat(' ', normalize-space(@class), ' '), ' byline ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' author ')"
    " or contains(@class, 'author-name') or contains(@class, 'byline__name')"
    " or contains(@class, 'author__name') or contains(@class, 'article-author')"
    " or contains(@class, 'byline-name') or contains(@class, 'c-byline')"
    " or contains(@class, 'author-link') or contains(@class, 'authorName')"
    " or contains(@class, 'byline__author') or contains(@class, 'entry-author')"
    " or contains(@class, 'post-author') or contains(@class, 'meta-author')]"
)


def test_byline_xpath_selects_what_the_unfiltered_one_did() -> None:
    from lxml import html as lhtml

    from crawler.extraction.page import _BYLINE_XPATH

    classes = ["byline", "x byline y", "author", "\tauthor\n", "bylines", "authors", "coauthor",
               "author-name", "byline__name", "author__name", "article-author", "byline-name",
               "c-byline", "author-link", "authorName", "AuthorName", "byline__author",
               "entry-author", "post-author", "meta-author", "Byline", "AUTHOR", "nothing", ""]
    spans = "".join(f'<span class="{c}">{i}</span>' for i, c in enumerate(classes))
    root = lhtml.fromstring(f'<html><body><div>{spans}<a rel="author">a</a><a rel="authors">b</a>'
                            f'<p itemprop="author">c</p><p itemprop="name">d</p></div></body></html>')
    assert root.xpath(_BYLINE_XPATH) == root.xpath(_BYLINE_XPATH_REFERENCE)
    assert len(root.xpath(_BYLINE_XPATH)) == 18  # 16 classes, rel=author, itemprop=author


def test_byline_xpath_same_on_every_corpus_page(corpus_dir, cases) -> None:
    from crawler.extraction import page_for
    from crawler.extraction.page import _BYLINE_XPATH

    for case in cases.values():
        page = page_for(read_page(corpus_dir, case), case.get("url") or "https://example.invalid/")
        if page is not None:
            assert page.root.xpath(_BYLINE_XPATH) == page.root.xpath(_BYLINE_XPATH_REFERENCE), case["id"]
