"""``Archive.copy_to``: a whole archive, SQLite ⇄ PostgreSQL, ids kept, idempotent, verified."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from storage import Archive, SiteRun
from storage.copy import IDENTITY, CopyConflict, tables, verify
from storage.models import Base
from tests.storage.factory import DAY1, make_record, paragraphs


def _fill(archive: Archive) -> None:
    """Something in every table: versions, aliases, removed segments, captures, URL state, runs."""
    archive.store([
        make_record(f"https://variety.example/{i}/", title=f"Article {i}", body=paragraphs(f"a{i}"),
                    aliases=[f"https://variety.example/{i}/?utm_source=x"],
                    published_at=DAY1 + dt.timedelta(days=i), html=bytes(range(256)) * (i + 1))
        for i in range(7)
    ])
    archive.store([make_record("https://variety.example/1/", title="Article 1", body=paragraphs("v2"),
                               published_at=DAY1 + dt.timedelta(days=1),
                               fetched_at=DAY1 + dt.timedelta(days=3))])
    archive.store([make_record("https://deadline.example/x/", site="deadline", published_at=None,
                               body=paragraphs("undated"))])
    archive.record_fetch("https://variety.example/feed.xml", "variety", 200, '"e"', None,
                         DAY1, next_due_at=DAY1 + dt.timedelta(hours=6))
    run = archive.start_run("crawlall", ["variety", "deadline"])
    archive.record_site_run(run, SiteRun(
        site="variety", verdict="healthy", reasons=[], discovered=9, fetched=8, not_modified=1,
        new_articles=7, new_versions=1, unchanged=0, dropped={"not_an_article": 1}, errors=0,
        bytes=12345, figures={"parsed": 8}))
    archive.finish_run(run, "healthy", [], 0, counts={"pages": 8})


def _rows(archive: Archive) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, by primary key (values as the models read them)."""
    out = {}
    with archive.engine.connect() as conn:
        for table in tables():
            pk = next(iter(table.primary_key.columns))
            out[table.name] = [tuple(r) for r in conn.execute(sa.select(table).order_by(pk))]
    return out


def _sqlite(tmp_path: Path, name: str) -> str:
    return f"sqlite:///{tmp_path / name}"


@pytest.mark.parametrize("direction", [
    pytest.param("sqlite-to-postgresql", marks=pytest.mark.postgres),
    pytest.param("postgresql-to-sqlite", marks=pytest.mark.postgres),
    "sqlite-to-sqlite",
])
def test_copy_keeps_every_row_and_id_and_adds_nothing_the_second_time(
        direction: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    source_kind, target_kind = direction.split("-to-")
    pg = request.getfixturevalue("postgres_database") if "postgresql" in direction else None
    source_url = pg if source_kind == "postgresql" else _sqlite(tmp_path, "source.db")
    target_url = pg if target_kind == "postgresql" else _sqlite(tmp_path, "target.db")

    with Archive.open(source_url, migrate=True) as source:
        _fill(source)
        first = source.copy_to(target_url)  # a PostgreSQL target is migrated by the copy
        assert first.verified, first.problems
        assert {t.table: t.added for t in first.tables} == {
            name: len(rows) for name, rows in _rows(source).items()}
        assert all(t.source == t.after for t in first.tables)
        second = source.copy_to(target_url)
        assert second.verified and all(t.added == 0 for t in second.tables)
        expected = _rows(source)
        assert all(expected[name] for name in expected), "every table has rows to copy"

    with Archive.open(target_url) as target:
        assert _rows(target) == expected
        assert target.latest_capture("https://variety.example/3/").html == bytes(range(256)) * 4
        assert [r.site_runs[0].bytes for r in target.runs()] == [12345]
        # ids go on after the copied ones (PostgreSQL sequences were moved past them)
        (outcome,) = target.store([make_record("https://variety.example/new/", body=paragraphs("new"))])
        assert outcome.status == "new" and outcome.article_id == 1 + max(r[0] for r in expected["articles"])
        assert target.start_run("crawl", ["variety"]) == 1 + max(r[0] for r in expected["crawl_runs"])


@pytest.mark.postgres
def test_a_copy_after_more_crawling_brings_the_changes(postgres_database: str, tmp_path: Path) -> None:
    with Archive.open(_sqlite(tmp_path, "source.db")) as source:
        _fill(source)
        source.copy_to(postgres_database)
        source.store([make_record("https://variety.example/2/", title="Article 2, corrected",
                                  body=paragraphs("v3"), published_at=DAY1 + dt.timedelta(days=2),
                                  fetched_at=DAY1 + dt.timedelta(days=5))])
        report = source.copy_to(postgres_database)
        assert report.verified, report.problems
        added = {t.table: t.added for t in report.tables}
        assert added["article_versions"] == 1 and added["captures"] == 1 and added["articles"] == 0
        expected = _rows(source)
    with Archive.open(postgres_database) as target:
        assert _rows(target) == expected
        assert {r["title"] for r in target.articles()} >= {"Article 2, corrected"}


@pytest.mark.postgres
def test_a_target_with_articles_of_its_own_is_refused_untouched(postgres_database: str,
                                                                 tmp_path: Path) -> None:
    with Archive.open(postgres_database, migrate=True) as target:
        target.store([make_record("https://other.example/mine/", title="Mine")])
        before = _rows(target)
    with Archive.open(_sqlite(tmp_path, "source.db")) as source:
        _fill(source)
        with pytest.raises(CopyConflict, match=r"not in the source.*copy into an empty archive"):
            source.copy_to(postgres_database)
    with Archive.open(postgres_database) as target:
        assert _rows(target) == before


def test_the_verification_sees_a_changed_body(tmp_path: Path) -> None:
    with Archive.open(_sqlite(tmp_path, "source.db")) as source:
        _fill(source)
        assert source.copy_to(_sqlite(tmp_path, "target.db")).verified
        with Archive.open(_sqlite(tmp_path, "target.db")) as target:
            with target.engine.begin() as conn:
                conn.execute(sa.text("UPDATE article_versions SET body = body || '!' WHERE id = 2"))
                conn.execute(sa.text("DELETE FROM url_state"))
            problems = verify(source.engine, target.engine)
    assert problems == ["url_state: 9 rows in the source, 0 in the target",
                        "article_versions: the body of some rows differ between source and target"]


def test_copy_into_itself_is_refused(tmp_path: Path) -> None:
    with Archive.open(_sqlite(tmp_path, "a.db")) as archive, pytest.raises(Exception, match="same archive"):
        archive.copy_to(_sqlite(tmp_path, "a.db"))


def test_every_table_of_the_archive_is_copied() -> None:
    assert set(IDENTITY) == set(Base.metadata.tables)
