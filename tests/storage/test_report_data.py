"""The report's figures (``Archive.report_data``): aggregated by the database, on SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.orm import Session

from storage import Archive, ArchiveError, ArticleRecord, SiteRun
from storage.report_data import NO_SITE, ReportData, report_data
from tests.storage.factory import DAY1, make_record, paragraphs


def _day(n: int) -> dt.datetime:
    """``DAY1`` plus ``n`` days (negative: before it)."""
    return DAY1 + dt.timedelta(days=n)


def _article(site: str | None, n: int, day: int, **fields: Any) -> ArticleRecord:
    fields.setdefault("body", paragraphs(f"{site} {day} {n}"))
    return make_record(f"https://{site or 'nosite'}.example/news/{day}/story-{n}/",
                       site=site, published_at=_day(day), **fields)


@pytest.fixture
def filled(archive: Archive) -> Archive:
    """variety: 3 articles on DAY1, 1 the day before, 1 forty days before; deadline: 2 on DAY1,
    one without authors, image, section or date; one article of no site."""
    archive.store([
        *(_article("variety", n, 0, image_url="https://img.example/v.jpg", section="film")
          for n in range(3)),
        _article("variety", 3, -1, image_url="https://img.example/v.jpg", section="tv"),
        _article("variety", 4, -40, image_url="", section=""),
        _article("deadline", 0, 0, removed=[("share-row", "Share Tweet"), ("share-row", "Email"),
                                            ("newsletter", "Sign up")]),
        make_record("https://deadline.example/undated/", site="deadline", published_at=None,
                    authors=[], title=None, fetched_at=DAY1 + dt.timedelta(hours=1),
                    body=paragraphs("undated"), removed=[]),
        _article(None, 0, -1, removed=[]),
    ])
    return archive


def _data(archive: Archive, **kwargs: Any) -> ReportData:
    with Session(archive.engine) as session:
        return report_data(session, today=DAY1.date() + dt.timedelta(days=3), **kwargs)


def test_articles_per_site_per_day_cover_the_window_up_to_the_newest_day(filled: Archive) -> None:
    data = _data(filled, days=10)
    assert (data.first_day, data.last_day) == (DAY1.date() - dt.timedelta(days=9), DAY1.date())
    assert data.daily == {
        "variety": {DAY1.date(): 3, DAY1.date() - dt.timedelta(days=1): 1},
        "deadline": {DAY1.date(): 2},  # the undated article counts on the day it was first seen
        NO_SITE: {DAY1.date() - dt.timedelta(days=1): 1},
    }
    assert data.before_window == 1
    assert (data.articles, data.oldest, data.newest) == (8, (DAY1 - dt.timedelta(days=40)).date(),
                                                         DAY1.date())
    wide = _data(filled, days=41)
    assert wide.before_window == 0 and sum(wide.daily["variety"].values()) == 5


def test_the_window_ends_today_when_articles_claim_later_days(archive: Archive) -> None:
    archive.store([_article("variety", 0, 0), _article("variety", 1, 30)])
    data = _data(archive, days=5)  # "today" is DAY1 + 3 days
    assert data.last_day == DAY1.date() + dt.timedelta(days=3)
    assert data.daily == {"variety": {DAY1.date(): 1}}  # the later one is beyond the window
    assert data.newest == (DAY1 + dt.timedelta(days=30)).date()


def test_field_coverage_per_site(filled: Archive) -> None:
    coverage = {c.site: c for c in _data(filled).coverage}
    assert list(coverage) == ["variety", "deadline", NO_SITE]  # most articles first
    assert (coverage["variety"].articles, coverage["variety"].present) == (5, {
        "title": 5, "authors": 5, "date": 5, "image": 4, "section": 4})
    assert (coverage["deadline"].articles, coverage["deadline"].present) == (2, {
        "title": 1, "authors": 1, "date": 1, "image": 0, "section": 0})
    assert coverage["deadline"].share("title") == 0.5
    assert coverage[NO_SITE].articles == 1


def test_removed_segments_per_rule_count_every_version(filled: Archive) -> None:
    data = _data(filled)
    # make_record's default removal is on each of variety's 5 articles
    assert [(r.rule, r.segments) for r in data.removed] == [
        ("related_links", 5), ("share-row", 2), ("newsletter", 1)]
    assert data.rules == 3
    # a new version with its own removals adds to the counts
    filled.store([_article("deadline", 0, 0, body=paragraphs("changed"),
                           removed=[("share-row", "Share Tweet")])])
    assert {r.rule: r.segments for r in _data(filled).removed}["share-row"] == 3
    limited = _data(filled, rules=1)
    assert [r.rule for r in limited.removed] == ["related_links"] and limited.rules == 3


def _site(site: str, verdict: str) -> SiteRun:
    return SiteRun(site=site, verdict=verdict, reasons=[] if verdict == "healthy" else ["why"])


def test_run_verdicts_oldest_first_without_reparse_runs(archive: Archive) -> None:
    first = archive.start_run("crawlall", ["variety", "deadline"])
    archive.record_site_run(first, _site("variety", "healthy"))
    archive.record_site_run(first, _site("deadline", "degraded"))
    archive.finish_run(first, "degraded", ["deadline: why"], 2)
    reparse = archive.start_run("reparse", ["variety"])
    archive.finish_run(reparse, "healthy", [], 0)
    second = archive.start_run("crawl", ["variety"])
    archive.record_site_run(second, _site("variety", "failed"))
    archive.finish_run(second, "failed", ["variety: why"], 1)
    going = archive.start_run("crawl", ["cbr"])

    runs = _data(archive).runs
    assert [(r.id, r.kind, r.verdict, r.sites) for r in runs] == [
        (first, "crawlall", "degraded", {"deadline": "degraded", "variety": "healthy"}),
        (second, "crawl", "failed", {"variety": "failed"}),
        (going, "crawl", "unfinished", {"cbr": "unfinished"}),  # named, no row of its own yet
    ]
    assert all(r.started_at.tzinfo is not None for r in runs)
    assert [r.id for r in _data(archive, runs=2).runs] == [second, going]


def test_newest_articles_per_site(filled: Archive) -> None:
    newest = _data(filled, newest=2).newest_articles
    assert set(newest) == {"variety", "deadline", NO_SITE}
    variety = newest["variety"]
    assert [a.published_date for a in variety] == [DAY1.date(), DAY1.date()]
    # same day: the one stored last first
    assert [a.canonical_url for a in variety] == [
        "https://variety.example/news/0/story-2/", "https://variety.example/news/0/story-1/"]
    assert variety[0].authors == ["Jane Doe"] and variety[0].title == "Oscars recap"
    deadline = newest["deadline"]
    assert {a.date_is_fallback for a in deadline} == {True, False}
    assert len(_data(filled, newest=5).newest_articles["variety"]) == 5


def test_an_empty_archive_gives_an_empty_report(archive: Archive) -> None:
    data = archive.report_data()
    assert (data.articles, data.oldest, data.daily, data.coverage, data.removed, data.runs,
            data.newest_articles) == (0, None, {}, [], [], [], {})
    assert data.last_day == dt.datetime.now(dt.UTC).date()


def test_bad_limits_are_refused(archive: Archive) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        _data(archive, days=0)
    with pytest.raises(ValueError, match="at most 36525"):
        _data(archive, days=40_000)
    with pytest.raises(ArchiveError, match="at least 1"):
        archive.report_data(runs=0)
