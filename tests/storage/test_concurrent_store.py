"""Two writers (two crawler workers) storing the same articles at the same moment.

Each writer is its own :class:`Archive` (own engine and connections), started together by a
barrier, as two worker processes sharing one PostgreSQL archive would be: the result must be
the one a single writer storing both batches in turn gives.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import pytest
import sqlalchemy as sa

from storage import Archive, ArticleRecord, SiteInfo, StoreOutcome
from tests.storage.conftest import ArchiveTarget
from tests.storage.factory import DAY1, DAY2, make_record, paragraphs

ARTICLES = 30


def _records(day_offset: int = 0, fetched_hour: int = 2, fetched_from: str = "") -> list[ArticleRecord]:
    """The same ``ARTICLES`` stories; ``fetched_from`` a suffix of the fetched URL (an AMP or
    tracking variant whose canonical link names the story's URL)."""
    published = DAY2 if day_offset else DAY1
    records = []
    for i in range(ARTICLES):
        canonical = f"https://variety.example/2025/film/news/story-{i}/"
        record = make_record(canonical + fetched_from, body=paragraphs(f"story {i}"),
                             published_at=published, fetched_at=DAY2.replace(hour=fetched_hour))
        record.canonical_url = canonical
        records.append(record)
    return records


def _race(target: ArchiveTarget, batches: Sequence[list[ArticleRecord]]) -> list[list[StoreOutcome]]:
    """Store each batch from its own thread and archive, all released at once."""
    archives = [target.open() for _ in batches]
    start = threading.Barrier(len(batches))
    results: list[Any] = [None] * len(batches)

    def store(i: int) -> Callable[[], None]:
        def run() -> None:
            start.wait()
            try:
                results[i] = archives[i].store(batches[i])
            except BaseException as exc:  # reported by the assertion below
                results[i] = exc
        return run

    threads = [threading.Thread(target=store(i)) for i in range(len(batches))]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        for archive in archives:
            archive.close()
    for result in results:
        assert isinstance(result, list), result
    return results


def _counts(target: ArchiveTarget) -> dict[str, int]:
    with target.open() as archive, archive.engine.connect() as conn:
        return {table: conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
                for table in ("articles", "article_versions", "captures", "url_aliases", "url_state")}


@pytest.fixture
def migrated(archive_target: ArchiveTarget) -> ArchiveTarget:
    with archive_target.open(migrate=True) as archive:
        # registered beforehand, as the crawl does: the writers' only common row is the article
        archive.ensure_sites([SiteInfo(slug="variety", name="Variety", base_url=None, enabled=True)])
    return archive_target


def test_two_writers_storing_the_same_articles_keep_one_row_and_one_version(
        migrated: ArchiveTarget) -> None:
    first, second = _race(migrated, [_records(), _records()])
    for a, b in zip(first, second, strict=True):
        assert a.article_id == b.article_id
        assert sorted([a.status, b.status]) == ["new", "unchanged"]
        assert a.version_no == b.version_no == 1
    counts = _counts(migrated)
    assert counts["articles"] == counts["article_versions"] == ARTICLES
    assert counts["captures"] == ARTICLES, "the same bytes are kept once"
    assert counts["url_state"] == ARTICLES


def test_concurrent_pages_of_the_same_urls_under_another_date_become_versions(
        migrated: ArchiveTarget) -> None:
    # Read one after the other, the second page of each story (its date moved a day, same text,
    # fetched from its AMP URL) is a new version of the first. No unique index tells the writers
    # so (other date, other fetched URL, other url_state row): the URL locks do.
    _race(migrated, [_records(), _records(day_offset=1, fetched_hour=3, fetched_from="amp/")])
    counts = _counts(migrated)
    assert counts["articles"] == ARTICLES, "a concurrent writer made a second article of a URL"
    assert counts["article_versions"] == 2 * ARTICLES
    with migrated.open() as archive:
        current = {a["current_version"] for a in archive.articles()}
    assert current == {2}


def test_many_writers_of_overlapping_batches(migrated: ArchiveTarget) -> None:
    records = _records()
    # four workers, each with an overlapping half of the articles, in another order
    batches = [records[: ARTICLES // 2 + 5], records[ARTICLES // 2 - 5:],
               list(reversed(records[5:25])), records[::2]]
    outcomes = _race(migrated, batches)
    new = [o.article_id for batch in outcomes for o in batch if o.status == "new"]
    assert sorted(new) == sorted(set(new)) and len(new) == ARTICLES, "each article is new exactly once"
    counts = _counts(migrated)
    assert counts["articles"] == counts["article_versions"] == counts["captures"] == ARTICLES
    with Archive.open(migrated.url, schema=migrated.schema) as archive:
        assert archive.stats()["articles"] == ARTICLES


def test_workers_registering_the_sites_of_a_new_archive_at_once(archive_target: ArchiveTarget) -> None:
    with archive_target.open(migrate=True):
        pass
    sites = [SiteInfo(slug=f"site{i}", name=f"Site {i}", base_url=None, enabled=True) for i in range(20)]
    archives = [archive_target.open() for _ in range(4)]
    start = threading.Barrier(len(archives))
    errors: list[BaseException] = []

    def register(archive: Archive) -> None:
        start.wait()
        try:
            archive.ensure_sites(sites)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=register, args=(a,)) for a in archives]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for archive in archives:
        archive.close()
    assert errors == []
    renamed = [SiteInfo(slug="site0", name="Site Zero", base_url="https://zero.example/", enabled=False)]
    with archive_target.open() as archive:
        archive.ensure_sites(renamed)
        with archive.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT slug, name, base_url, enabled FROM sites "
                                        "ORDER BY slug")).all()
    assert len(rows) == 20
    assert tuple(rows[0]) == ("site0", "Site Zero", "https://zero.example/", False)
