"""Title choice on real corpus pages: JSON-LD entities, the h1 as arbiter, site-name segments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crawler.extraction import extract, page_for
from crawler.extraction.titles import clean_title, same_text, title_key, untruncate
from tests.extraction.conftest import read_page


def _item(corpus_dir: Path, cases: dict[str, dict[str, Any]], cid: str):
    case = cases[cid]
    return extract(read_page(corpus_dir, case), case["url"]), case


@pytest.mark.parametrize("cid", [
    "fundus-fixtures/mexico-news-daily/MexicoNewsDaily_2025_04_16",  # &#8216; in JSON-LD
    "fundus-fixtures/tech-radar/TechRadar_2026_05_21",  # &#039;
    "trafilatura-eval/tone-deaf/tonedeaf.thebrag.com.luboku",
    "trafilatura-eval/tonight-de/tonight.de-Arschloch",  # &#8222; … &#8220;
])
def test_jsonld_headline_entities_are_decoded(corpus_dir, cases, cid) -> None:
    item, case = _item(corpus_dir, cases, cid)
    assert item.title == case["title"]
    assert "&#" not in item.title
    assert item.field_sources["title"] == "jsonld"


@pytest.mark.parametrize("cid", [
    "fundus-fixtures/the-telegraph/TheTelegraph_2024_09_17",
    "fundus-fixtures/la-times/LATimes_2023_06_26",
    "fundus-fixtures/business-insider/BusinessInsider_2025_04_01",
])
def test_h1_equal_to_og_title_beats_a_different_jsonld_headline(corpus_dir, cases, cid) -> None:
    item, case = _item(corpus_dir, cases, cid)
    assert item.title == case["title"]
    assert item.field_sources["title"] == "html"


@pytest.mark.parametrize("cid", [
    # og:title is only an ASCII copy of the h1: no evidence against the JSON-LD headline.
    "fundus-fixtures/metro/Metro_2024_11_29",
    # JSON-LD headline = h1, og:title differs: the JSON-LD headline stays.
    "fundus-fixtures/west-australian/WestAustralian_2024_11_26",
    "wcxb/movieweb/0417",  # Valnet: no site override needed any more
])
def test_jsonld_headline_kept_without_h1_evidence(corpus_dir, cases, cid) -> None:
    item, case = _item(corpus_dir, cases, cid)
    assert item.title == case["title"]
    assert item.field_sources["title"] == "jsonld"


@pytest.mark.parametrize("cid", [
    "fundus-fixtures/the-nation/TheNation_2024_01_11",  # first h1 is "Log In"
    "readability-testpages/msn-business-insider/msn",  # first h1 is "msn back to msn home news"
    "wcxb/whatever-scalzi/0479",  # first h1 is the blog name
])
def test_headline_h1_is_the_one_agreeing_with_metadata(corpus_dir, cases, cid) -> None:
    case = cases[cid]
    page = page_for(read_page(corpus_dir, case), case["url"])
    assert page is not None
    assert page.h1 == case["title"]


def test_site_name_suffix_cut_from_og_title(corpus_dir, cases) -> None:
    item, case = _item(corpus_dir, cases, "wcxb/contemporary-art-issue/1708")
    assert item.title == case["title"] == "Top 30 Fine Art Photography Artists in the World"


def test_helpers() -> None:
    assert title_key("Mexico’s ‘illogical’ tariffs") == title_key("Mexico's 'illogical' Tariffs")
    assert same_text("A  b", "a B") and not same_text("It’s", "It's")
    assert untruncate("A very long headline that was cut...",
                      ("A very long headline that was cut short by the CMS",)) == (
        "A very long headline that was cut short by the CMS")
    assert untruncate("Who is he?...", ("Who is he?",)) == "Who is he?..."
    assert clean_title("Headline here | Variety", "https://variety.com/x", ("Variety",)) == (
        "Headline here")
