"""The dek: the page's description first, never an author bio or header junk."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from crawler.extraction import extract
from crawler.sites import get_site
from tests.extraction.conftest import read_page

SITE_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sites"


def test_movieweb_dek_is_the_description_not_the_author_bio() -> None:
    meta = json.loads((SITE_FIXTURES / "movieweb" / "best-anime-2025.json").read_text())
    html = gzip.decompress((SITE_FIXTURES / "movieweb" / "best-anime-2025.html.gz").read_bytes())
    item = extract(html, meta["url"], get_site("movieweb"))
    assert item.dek and item.dek.startswith("Sorry 'Demon Slayer,'")
    assert "writer from South London" not in item.dek
    assert item.field_sources["dek"] == "jsonld"


def test_tmz_dek_is_no_header_junk(corpus_dir, cases) -> None:
    case = cases["readability-testpages/tmz/tmz-1"]
    item = extract(read_page(corpus_dir, case), case["url"])
    assert item.dek and item.dek.startswith("Lupita Nyong'o's now-famous Oscar dress")
    assert "RUNDOWN" not in item.dek


def test_description_markup_is_stripped(corpus_dir, cases) -> None:
    case = cases["fundus-fixtures/nine-news/NineNews_2024_05_02"]
    item = extract(read_page(corpus_dir, case), case["url"])
    assert item.dek and "<p>" not in item.dek and "&#x27;" not in item.dek


def test_short_slogan_loses_to_a_longer_cut_description(corpus_dir, cases) -> None:
    case = cases["fundus-fixtures/lesotho-times/LesothoTimes_2025_11_24"]
    item = extract(read_page(corpus_dir, case), case["url"])
    assert item.dek != "News Without Fear or Favour"
