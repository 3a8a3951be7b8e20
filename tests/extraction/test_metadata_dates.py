"""Publication dates: zone abbreviations, dates printed in the page, modified kept apart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from crawler.extraction import extract
from crawler.extraction.dates import date_in_text, parse_date
from tests.extraction.conftest import read_page


def _item(corpus_dir: Path, cases: dict[str, dict[str, Any]], cid: str):
    case = cases[cid]
    return extract(read_page(corpus_dir, case), case["url"]), case


@pytest.mark.parametrize("text, iso", [
    ("June 7, 2013 6:43pm EDT", "2013-06-07T18:43:00-04:00"),
    ("Feb 26, 2015 7:11 AM PST", "2015-02-26T07:11:00-08:00"),
    ("March 3, 2024 10:00 CET", "2024-03-03T10:00:00+01:00"),
    ("2024-04-25T08:21:02Z", "2024-04-25T08:21:02+00:00"),
    ("June 7, 2013 6:43pm", "2013-06-07T18:43:00+00:00"),  # naive: taken as UTC
])
def test_parse_date_zone_abbreviations(text, iso) -> None:
    d = parse_date(text)
    assert d is not None and d.tzinfo is not None
    assert d.isoformat() == iso


@pytest.mark.parametrize("text, day", [
    ("Erschienen am: 01.11.2023", "2023-11-01"),
    ("December 3, 2025. Updated: December 7, 2025", "2025-12-03"),
    ("31. Oktober 2023.", "2023-10-31"),
    ("12 mars 2021", "2021-03-12"),
    ("no date here", None),
])
def test_date_in_text(text, day) -> None:
    d = date_in_text(text)
    assert (d.date().isoformat() if d else None) == day


@pytest.mark.parametrize("cid", [
    "trafilatura-eval/literaturkritik-de/literaturkritik.de-Ann-Cotten",  # "Erschienen am:"
    "wcxb/five-books/4371",  # p.date "December 3, 2025. Updated: December 7, 2025"
    "trafilatura-eval/nachtkritik-de/nachtkritik.de-Dragqueens",  # today's date in the nav bar
])
def test_published_day_printed_in_the_page(corpus_dir, cases, cid) -> None:
    item, case = _item(corpus_dir, cases, cid)
    assert item.published is not None and item.published.tzinfo is not None
    assert item.published.date() == dt.date.fromisoformat(case["published"])
    assert item.field_sources["published"] == "html"


def test_modified_kept_apart(corpus_dir, cases) -> None:
    item, _ = _item(corpus_dir, cases, "wcxb/five-books/4371")
    assert item.modified is not None and item.modified.date() == dt.date(2025, 12, 7)
    assert item.published.date() == dt.date(2025, 12, 3)


def test_asset_version_dates_are_not_publication_dates(corpus_dir, cases) -> None:
    """galore.de prints no year; htmldate used to take ``galore.min.js?v=2022-06-15`` for the date."""
    item, _ = _item(corpus_dir, cases, "trafilatura-eval/galore/galore.de.buch")
    assert item.published is None, f"{item.published} from {item.field_sources.get('published')}"
