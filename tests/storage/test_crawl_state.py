"""url_state (conditional GETs, recrawl schedule); run records are in test_runs.py."""

from __future__ import annotations

import datetime as dt
import hashlib

from storage import NEVER, Archive, RecheckSchedule, SightingRecord
from tests.storage.factory import DAY1, URL, make_record, paragraphs

PAGE = "https://variety.example/a/"
SCHEDULE = RecheckSchedule.parse("1h,6h,1d,3d,7d,30d", "365d")
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)


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
    assert archive.mark_seen([SightingRecord(amp, later),
                              SightingRecord("https://variety.example/never-stored-1/", later)]) == 1
    (row,) = list(archive.articles())
    assert row["last_seen_at"] == later
    assert archive.mark_seen([SightingRecord(URL, DAY1)]) == 1  # an older sighting never moves it back
    (row,) = list(archive.articles())
    assert row["last_seen_at"] == later


def _due(archive: Archive, url: str = URL) -> dt.datetime | None:
    state = archive.get_url_state(url)
    assert state is not None
    return state.next_due_at


def test_storing_schedules_the_next_recheck_by_the_articles_age(archive: Archive) -> None:
    # published DAY1, fetched 2 hours later: the 1h-7h bracket, next check in 6 hours
    first = make_record()
    archive.store([first], recheck=SCHEDULE)
    assert _due(archive) == DAY1 + 2 * H + 6 * H
    # fetched again 3 days later, same text: the 31h-4d7h bracket, 3 days
    again = DAY1 + 3 * D
    (same,) = archive.store([make_record(fetched_at=again)], recheck=SCHEDULE)
    assert same.status == "unchanged"
    assert _due(archive) == again + 3 * D
    # a new version 20 days after publication: monthly
    later = DAY1 + 20 * D
    (version,) = archive.store([make_record(fetched_at=later, body=paragraphs("edited"))],
                               recheck=SCHEDULE)
    assert version.status == "version"
    assert _due(archive) == later + 30 * D
    # stored without a schedule (``scrapy reparse``): the next check is left as it was
    archive.store([make_record(fetched_at=later + D, body=paragraphs("reparsed"))])
    assert _due(archive) == later + 30 * D


def test_an_undated_article_ages_from_when_it_was_first_seen(archive: Archive) -> None:
    fetched = DAY1 + 400 * D
    archive.store([make_record(published_at=None, fetched_at=fetched)], recheck=SCHEDULE)
    assert _due(archive) == fetched + H


def test_an_article_past_the_max_age_is_not_rechecked(archive: Archive) -> None:
    fetched = DAY1 + 365 * D
    archive.store([make_record(fetched_at=fetched)], recheck=SCHEDULE)
    assert _due(archive) == NEVER


def test_mark_seen_schedules_the_next_recheck_and_notes_the_validators(archive: Archive) -> None:
    archive.store([make_record()], recheck=SCHEDULE)
    # a 304 ten days after publication: the 4d7h-11d7h bracket, a week
    seen = DAY1 + 10 * D
    archive.mark_seen([SightingRecord(URL, seen)], recheck=SCHEDULE)
    state = archive.get_url_state(URL)
    assert state is not None
    assert (state.last_status, state.last_fetched_at, state.next_due_at) == (304, seen, seen + 7 * D)
    assert state.etag == '"abc"', "a 304 without validators keeps the stored ones"
    # a byte-identical 200 with a new ETag, 40 days in: monthly, and the new ETag is kept
    later = DAY1 + 40 * D
    archive.mark_seen([SightingRecord(URL, later, status=200, etag='"def"')], recheck=SCHEDULE)
    state = archive.get_url_state(URL)
    assert state is not None
    assert (state.last_status, state.etag, state.last_modified) == (200, '"def"', None)
    assert state.next_due_at == later + 30 * D
    # without a schedule the next check stays
    archive.mark_seen([SightingRecord(URL, later + D)])
    assert _due(archive) == later + 30 * D
    (row,) = list(archive.articles())
    assert row["last_seen_at"] == later + D


def test_known_urls_gives_the_state_and_newest_capture_of_fetched_urls(archive: Archive) -> None:
    other = "https://variety.example/2025/tv/news/finale-5678/"
    archive.store([make_record(html=b"<html>one</html>"), make_record(other, body=paragraphs("tv"))],
                  recheck=SCHEDULE)
    archive.store([make_record(html=b"<html>two</html>", fetched_at=DAY1 + D)], recheck=SCHEDULE)
    never = "https://variety.example/never-fetched/"
    known = archive.known_urls([URL, other, never, URL])
    assert set(known) == {URL, other}
    assert known[URL].capture_sha256 == hashlib.sha256(b"<html>two</html>").hexdigest()
    assert known[URL].last_fetched_at == DAY1 + D
    assert known[URL].next_due_at == _due(archive, URL) == DAY1 + D + D  # age 1 day: daily
    assert known[other].capture_sha256 is not None
    assert known[other].capture_sha256 != known[URL].capture_sha256
    # a fetch whose capture was not kept (byte-identical) leaves the newest sha as it was
    archive.store([make_record(html=b"<html>two</html>", fetched_at=DAY1 + 2 * D)], recheck=SCHEDULE)
    assert archive.known_urls([URL])[URL].capture_sha256 == known[URL].capture_sha256
    assert archive.known_urls([]) == {}


def test_due_urls_are_the_sites_overdue_ones_longest_overdue_first(archive: Archive) -> None:
    now = DAY1 + dt.timedelta(days=10)
    for path, due in (("a", now - dt.timedelta(days=1)), ("b", now - dt.timedelta(days=3)),
                      ("c", now + dt.timedelta(hours=1)), ("d", None), ("e", NEVER)):
        archive.record_fetch(f"https://variety.example/{path}/", "variety", 200, None, None, DAY1,
                             next_due_at=due)
    archive.record_fetch("https://deadline.example/x/", "deadline", 200, None, None, DAY1,
                         next_due_at=now - dt.timedelta(days=5))
    archive.store([make_record()])  # a capture: its hash comes along
    archive.record_fetch(URL, "variety", 200, None, None, DAY1, next_due_at=now - dt.timedelta(days=2))
    due = archive.due_urls("variety", now)
    # unscheduled rows (stored before re-checks had a schedule) first, then by how overdue
    assert [k.url.rsplit("/", 2)[-2] for k in due] == [
        "d", "b", URL.rsplit("/", 2)[-2], "a"]
    assert due[2].capture_sha256 is not None and due[0].capture_sha256 is None
    assert [k.url for k in archive.due_urls("variety", now, limit=1)] == ["https://variety.example/d/"]
    assert archive.due_urls("cbr", now) == []
