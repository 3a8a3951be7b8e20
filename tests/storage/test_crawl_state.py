"""url_state (conditional GETs, recrawl schedule); run records are in test_runs.py."""

from __future__ import annotations

import datetime as dt

from storage import Archive
from tests.storage.factory import DAY1, URL, make_record

PAGE = "https://variety.example/a/"


def test_url_state_round_trip(archive: Archive) -> None:
    assert archive.get_url_state(PAGE) is None
    due = DAY1 + dt.timedelta(hours=6)
    archive.record_fetch(PAGE, "variety", 200, '"v1"', "Sat, 01 Mar 2025 09:30:00 GMT", DAY1,
                         lastmod=DAY1 - dt.timedelta(hours=1), next_due_at=due)
    state = archive.get_url_state(PAGE)
    assert state is not None
    assert (state.site, state.last_status, state.etag) == ("variety", 200, '"v1"')
    assert state.discovered_at == DAY1 == state.last_fetched_at
    assert state.next_due_at == due and state.next_due_at.tzinfo is not None
    assert state.lastmod == DAY1 - dt.timedelta(hours=1)


def test_not_modified_keeps_validators(archive: Archive) -> None:
    archive.record_fetch(PAGE, "variety", 200, '"v1"', "Sat, 01 Mar 2025 09:30:00 GMT", DAY1)
    later = DAY1 + dt.timedelta(days=1)
    archive.record_fetch(PAGE, "variety", 304, None, None, later)
    state = archive.get_url_state(PAGE)
    assert state is not None
    assert (state.last_status, state.etag, state.last_fetched_at) == (304, '"v1"', later)
    assert state.last_modified == "Sat, 01 Mar 2025 09:30:00 GMT"
    assert state.discovered_at == DAY1
    archive.record_fetch(PAGE, "variety", 200, None, None, later)
    assert archive.get_url_state(PAGE).etag is None  # type: ignore[union-attr]


def test_storing_an_article_keeps_its_validators_for_conditional_gets(archive: Archive) -> None:
    record = make_record()
    record.capture.headers = {"content-type": "text/html", "etag": 'W/"v1"',
                              "last-modified": "Sat, 01 Mar 2025 09:30:00 GMT"}
    archive.store([record])
    state = archive.get_url_state(URL)
    assert state is not None
    assert (state.etag, state.last_modified, state.last_status) == (
        'W/"v1"', "Sat, 01 Mar 2025 09:30:00 GMT", 200)
    assert state.site == "variety"


def test_mark_seen_moves_last_seen_forward_by_url_or_alias(archive: Archive) -> None:
    amp = URL.rstrip("/") + "/amp/"
    archive.store([make_record(aliases=[amp])])
    later = DAY1 + dt.timedelta(days=3)
    assert archive.mark_seen([(amp, later), ("https://variety.example/never-stored-1/", later)]) == 1
    (row,) = list(archive.articles())
    assert row["last_seen_at"] == later
    assert archive.mark_seen([(URL, DAY1)]) == 1  # an older sighting never moves it back
    (row,) = list(archive.articles())
    assert row["last_seen_at"] == later
