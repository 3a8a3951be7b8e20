"""Publication dates: zone abbreviations, dates printed in the page, modified kept apart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from crawler.evaluation import load_cases, read_html, split_of
from crawler.extraction import extract
from crawler.extraction.dates import date_in_text, dates_in_text, parse_date, parse_when
from crawler.records import to_record
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


# -- precision, printed datelines, "Updated" lines (issue 8) -----------------------------------

#: Manifests holding the tuning pages used below (``cases`` reads the first four only).
_MANIFESTS = ("cases-wcxb-articles.jsonl", "cases-sites.jsonl")


@pytest.fixture(scope="module")
def more_cases(corpus_dir: Path) -> dict[str, dict[str, Any]]:
    """The cases of :data:`_MANIFESTS` by id (tuning publishers only: see ``split_of``)."""
    found = load_cases(corpus_dir, None, _MANIFESTS)
    return {c["id"]: c for c in found if c["split"] == "tuning"}


def _extract(more_cases: dict[str, dict[str, Any]], cid: str):
    case = more_cases[cid]
    assert split_of(case["publisher"]) == "tuning"
    return extract(read_html(case["html"]), case["url"]), case


def _page(head: str = "", header: str = "", before: str = "") -> str:
    """A small article page: ``head`` markup, a ``header`` line under the headline, ``before``
    the article (a sidebar)."""
    text = "<p>" + "The text of the article goes on for a while. " * 30 + "</p>"
    return (f"<html lang='en'><head><title>A headline of the story</title>{head}</head><body>"
            f"{before}<article><header><h1>A headline of the story</h1>{header}</header>"
            f"<div class='entry-content'>{text}</div></article></body></html>")


def _ld(date: str) -> str:
    return ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
            f'"A headline of the story", "datePublished": "{date}"}}</script>')


URL = "https://example.com/news/a-headline-of-the-story/"


@pytest.mark.parametrize("value, iso, precision", [
    ("2019-04-15", "2019-04-15T00:00:00+00:00", "day"),
    ("Jun 12, 2025", "2025-06-12T00:00:00+00:00", "day"),
    ("2019-04-15T13:18:00Z", "2019-04-15T13:18:00+00:00", "time"),
    ("June 7, 2013 6:43pm EDT", "2013-06-07T18:43:00-04:00", "time"),
    ("2019-04-15T00:00:00-04:00", "2019-04-15T00:00:00-04:00", "time"),  # an instant: kept
])
def test_parse_when_tells_a_day_from_a_time(value, iso, precision) -> None:
    found = parse_when(value)
    assert found is not None
    assert (found.at.isoformat(), found.precision) == (iso, precision)


@pytest.mark.parametrize("text, iso, precision", [
    ("Published April 15, 2019 at 1:18 pm UTC", "2019-04-15T13:18:00+00:00", "time"),
    ("| Friday June 7, 2013 @ 6:43pm EDT", "2013-06-07T18:43:00-04:00", "time"),
    ("January 2, 2025, 9:06am CST", "2025-01-02T09:06:00-06:00", "time"),
    ("30 Sep 2022, 11:07am", "2022-09-30T00:00:00+00:00", "day"),  # no zone: no instant
    ("February 4, 2025 - 11 minutes", "2025-02-04T00:00:00+00:00", "day"),  # a reading time
])
def test_printed_time_needs_a_zone(text, iso, precision) -> None:
    found, _start, _end = next(dates_in_text(text))
    assert (found.at.isoformat(), found.precision) == (iso, precision)


@pytest.mark.parametrize("head, iso, precision", [
    (_ld("2019-04-15"), "2019-04-15", "day"),
    (_ld("2019-04-15T13:18:00+00:00"), "2019-04-15T13:18:00+00:00", "time"),
])
def test_precision_of_the_published_date(head, iso, precision) -> None:
    item = extract(_page(head=head), URL)
    assert (item.published_iso(), item.published_precision) == (iso, precision)
    assert item.to_json()["published"] == iso
    record = to_record(item)
    assert record.published_precision == precision
    assert record.published_at == item.published


def test_a_day_gets_the_time_printed_for_it() -> None:
    """JSON-LD gives the day; the byline gives the time of that day (with its zone)."""
    item = extract(_page(head=_ld("2019-04-15"),
                         header="<p class='byline'>By Jane Doe | Published April 15, 2019 at "
                                "1:18 pm UTC</p>"), URL)
    assert item.published_iso() == "2019-04-15T13:18:00+00:00"
    assert item.published_precision == "time"


def test_a_time_of_another_day_is_no_refinement() -> None:
    item = extract(_page(head=_ld("2019-04-15"),
                         header="<p class='byline'>By Jane Doe | April 16, 2019 9:00 am UTC</p>"), URL)
    assert (item.published_iso(), item.published_precision) == ("2019-04-15", "day")


def test_day_of_the_metadata_refined_by_the_byline(more_cases) -> None:
    """Deadline (2013): ``sailthru.date`` gives "June 7, 2013"; the byline "Friday June 7, 2013
    @ 6:43pm EDT" gives the time, read by the generic page (no site rules)."""
    item, case = _extract(more_cases, "sites/deadline/deadline-big-media-episode-38")
    assert item.published_iso() == case["published"] == "2013-06-07T18:43:00-04:00"
    assert item.published_precision == "time"


def test_visible_dateline_without_metadata() -> None:
    """The byline's day, not the date of a sidebar's other story printed before it."""
    sidebar = ("<aside class='sidebar'><ul><li><a href='/other/'>Other story</a> "
               "<span class='date'>May 2, 2019</span></li></ul></aside>")
    item = extract(_page(header="<p class='byline'>By Jane Doe | 15 April 2019</p>",
                         before=sidebar), URL)
    assert (item.published_iso(), item.published_precision) == ("2019-04-15", "day")
    assert item.field_sources["published"] == "html"


def test_updated_line_is_the_modified_date() -> None:
    item = extract(_page(header="<div class='meta'><span>Updated April 20, 2019</span></div>"
                                "<div class='byline'>By Jane Doe</div><p>April 15, 2019</p>"), URL)
    assert item.published_iso() == "2019-04-15"
    assert item.modified == dt.datetime(2019, 4, 20, tzinfo=dt.UTC)
    assert item.field_sources["modified"] == "html"


@pytest.mark.parametrize("line", [
    "By Jane Doe | March 3, 2099",  # the future
    "By Jane Doe | May 3, 1990",  # before the web archive's horizon
    "By Jane Doe | 3 days ago",  # relative: no reference day
])
def test_implausible_or_relative_datelines_are_not_dates(line) -> None:
    item = extract(_page(header=f"<p class='byline'>{line}</p>"), URL)
    assert item.published is None and item.published_precision is None


@pytest.mark.parametrize("cid, day, source", [
    # Yoast's JSON-LD WebPage carries the date when the page has no Article object
    ("wcxb/krioda-com/0097", "2024-03-17", "jsonld"),
    ("wcxb/silverback-strategies/3036", "2025-10-15", "jsonld"),
    # Highwire Press <meta name="citation_publication_date" content="2019/1/22">
    ("wcxb/jefftk-com/0495", "2019-01-22", "meta"),
    # <meta property="og:published_time"> (not article:published_time)
    ("wcxb/marketingsherpa/0327", "2024-10-08", "opengraph"),
])
def test_more_metadata_dates(more_cases, cid, day, source) -> None:
    item, _ = _extract(more_cases, cid)
    assert item.published.date().isoformat() == day
    assert item.field_sources["published"] == source


@pytest.mark.parametrize("cid, day", [
    ("wcxb/educate-me-co/0357", "2025-10-14"),  # <div>Published</div><div>October 14, 2025</div>
    ("wcxb/osso-nl/0440", "2025-12-19"),  # "Published on <time>"; a sidebar lists other days
    ("wcxb/realestate-com-au/4565", "2019-09-26"),  # "This article was originally published on …"
    ("wcxb/cherry-servers/4232", "2025-10-21"),  # then related cards "Published on Mar 11, 2026"
])
def test_published_label_and_its_date(more_cases, cid, day) -> None:
    item, _ = _extract(more_cases, cid)
    assert (item.published_iso(), item.field_sources["published"]) == (day, "html")


@pytest.mark.parametrize("cid, day", [
    ("wcxb/mongodb/0444", "2025-12-18"),  # "December 18, 2025 ・ 3 min read"
    ("wcxb/enphase-com/4191", "2025-01-23"),  # a pre-headline above the h1
    ("wcxb/ecovacs-us/4809", "2024-11-06"),  # "2024-11-06" under the h1; related posts later
    ("wcxb/ironhack-com/0352", "2025-02-04"),
    ("wcxb/beonpath-org/4880", "2025-01-27"),  # not the cards' "byline__date"
    ("wcxb/oakywood-shop/4524", "2026-02-06"),  # not the slider's "article-item__date"
    ("wcxb/melissa-k-norris/4659", "2024-04-26"),  # <time class="entry-time"> with no datetime
])
def test_dateline_by_the_headline(more_cases, cid, day) -> None:
    item, _ = _extract(more_cases, cid)
    assert (item.published_iso(), item.published_precision) == (day, "day")
    assert item.field_sources["published"] == "html"


def test_updated_dateline_is_not_the_publication(more_cases) -> None:
    """UC Davis Health prints "DECEMBER 22, 2022" and "Updated: JANUARY 02, 2026"."""
    item, _ = _extract(more_cases, "wcxb/health-ucdavis-edu/4558")
    assert item.published_iso() == "2022-12-22"


@pytest.mark.parametrize("cid", ["wcxb/astrobackyard/4146", "wcxb/security-org/4601"])
def test_last_updated_is_never_read_as_published_by_our_rules(more_cases, cid) -> None:
    """"Last updated: <time>…" (in a long note) and "Last Updated on Feb 27, 2026" (label and
    date in two spans): whatever gives the date, it is not our printed-date rules."""
    item, _ = _extract(more_cases, cid)
    assert item.field_sources.get("published") != "html"


@pytest.mark.parametrize("cid, day", [
    ("wcxb/siteline-com/0358", "2023-04-26"),  # JSON-LD published Aug 21 > modified Aug 20, 2025
    ("wcxb/hubermanlab-com/0228", "2022-11-02"),  # a newsletter issue: its date is in "newsletter-*"
])
def test_published_after_modified_is_a_republication(more_cases, cid, day) -> None:
    item, _ = _extract(more_cases, cid)
    assert item.published_iso() == day and item.field_sources["published"] == "html"
