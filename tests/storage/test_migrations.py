"""The Alembic migration creates the models' schema on both backends; PostgreSQL is explicit."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import storage
from storage import ArchiveNotMigrated
from storage.engine import create_archive_engine
from storage.migration_runner import current_revision, head_revision, upgrade
from storage.models import Base
from storage.search import in_models
from tests.storage.conftest import ArchiveTarget
from tests.storage.factory import make_record

TABLES = {"sites", "articles", "article_versions", "url_aliases", "captures", "removed_segments",
          "url_state", "crawl_runs", "alembic_version"}


def test_migrate_to_head_creates_every_table(archive_target: ArchiveTarget) -> None:
    with archive_target.open(migrate=True) as archive:
        assert current_revision(archive.engine) == head_revision() == "0006"
        assert set(sa.inspect(archive.engine).get_table_names()) >= TABLES


def test_migration_matches_the_models(archive_target: ArchiveTarget) -> None:
    with archive_target.open(migrate=True) as archive, archive.engine.connect() as conn:
        # the full-text index (0006) lives beside the models; env.py leaves it out the same way
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": in_models})
        assert compare_metadata(context, Base.metadata) == []


def test_migrate_twice_is_a_no_op(archive_target: ArchiveTarget) -> None:
    storage.migrate(archive_target.url, schema=archive_target.schema)
    storage.migrate(archive_target.url, schema=archive_target.schema)
    with archive_target.open(migrate=False) as archive:
        assert archive.stats()["articles"] == 0


def test_sqlite_is_migrated_on_open(tmp_path) -> None:
    with storage.Archive.open(f"sqlite:///{tmp_path / 'new.db'}") as archive:
        assert archive.stats()["articles"] == 0


def test_sqlite_without_migration_is_refused(tmp_path) -> None:
    with pytest.raises(ArchiveNotMigrated, match="scrapy archive migrate"):
        storage.Archive.open(f"sqlite:///{tmp_path / 'new.db'}", migrate=False)


@pytest.mark.postgres
def test_unmigrated_postgresql_is_refused_until_migrated(postgres_server: str,
                                                         postgres_schema: str) -> None:
    target = ArchiveTarget("postgresql", postgres_server, postgres_schema)
    with pytest.raises(ArchiveNotMigrated, match="run `scrapy archive migrate`"):
        target.open()
    with target.open(migrate=True):
        pass
    with target.open() as archive:
        assert archive.stats()["articles"] == 0


@pytest.mark.postgres
def test_schema_keeps_tables_out_of_public(postgres_server: str, postgres_schema: str) -> None:
    with ArchiveTarget("postgresql", postgres_server, postgres_schema).open(migrate=True):
        pass
    engine = sa.create_engine(postgres_server)
    with engine.connect() as conn:
        in_schema = set(sa.inspect(conn).get_table_names(schema=postgres_schema))
    engine.dispose()
    assert in_schema >= TABLES


@pytest.mark.postgres
def test_schema_given_in_the_url_works_too(postgres_server: str, postgres_schema: str) -> None:
    url = f"{postgres_server}?options=-csearch_path%3D{postgres_schema}"
    with storage.Archive.open(url, migrate=True) as archive, archive.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == "0006"
        assert conn.scalar(sa.text("SELECT current_schema()")) == postgres_schema


def test_upgrade_from_0001_keeps_articles_and_adds_captions(archive_target: ArchiveTarget) -> None:
    engine = create_archive_engine(archive_target.url, schema=archive_target.schema)
    try:
        upgrade(engine, schema=archive_target.schema, revision="0001")
        with engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO articles (canonical_url, published_date, date_is_fallback, authors, tags,"
                " body, word_count, body_sha256, field_sources, first_seen_at, last_seen_at,"
                " current_version) VALUES ('https://variety.example/a-b-c-1/', '2025-03-01', false,"
                " '[]', '[]', 'Old body text.', 3, 'x', '{}', '2025-03-01 10:00:00+00:00',"
                " '2025-03-01 10:00:00+00:00', 1)"))
    finally:
        engine.dispose()
    with archive_target.open(migrate=True) as archive:
        assert archive.query("SELECT body, captions FROM articles")[1] == [("Old body text.", None)]
        archive.store([make_record(captions=["Tom Cruise in a scene"], embeds=["https://youtu.be/x"])])
        rows = {r["canonical_url"]: r for r in archive.articles()}
        new = rows["https://variety.example/2025/film/news/oscars-recap-1234/"]
        assert new["captions"] == ["Tom Cruise in a scene"]
        assert new["embeds"] == ["https://youtu.be/x"]


def test_upgrade_from_0001_leaves_old_dates_of_unknown_precision(archive_target: ArchiveTarget) -> None:
    """An archive of 0001 holding a dated row: after the upgrade the row's precision is NULL
    (unknown, never guessed), and new records store theirs."""
    engine = create_archive_engine(archive_target.url, schema=archive_target.schema)
    try:
        upgrade(engine, schema=archive_target.schema, revision="0001")
        with engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO articles (canonical_url, published_date, published_at, date_is_fallback,"
                " authors, tags, body, word_count, body_sha256, field_sources, first_seen_at,"
                " last_seen_at, current_version) VALUES ('https://variety.example/old-1/',"
                " '2019-04-15', '2019-04-15 00:00:00+00:00', false, '[]', '[]', 'Old body text.', 3,"
                " 'x', '{}', '2019-04-16 10:00:00+00:00', '2019-04-16 10:00:00+00:00', 1)"))
    finally:
        engine.dispose()
    with archive_target.open(migrate=True) as archive:
        assert current_revision(archive.engine) == "0006"
        assert archive.query("SELECT canonical_url, published_precision FROM articles")[1] == [
            ("https://variety.example/old-1/", None)]
        archive.store([make_record(published_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC),
                                   published_precision="day")])
        rows = {r["canonical_url"]: r for r in archive.articles()}
        assert rows["https://variety.example/old-1/"]["published_precision"] is None
        assert rows["https://variety.example/2025/film/news/oscars-recap-1234/"][
            "published_precision"] == "day"


def test_views_and_search_index_downgrade_and_come_back(archive_target: ArchiveTarget) -> None:
    """0006 and 0005 undo cleanly (no index, no views), and upgrading again indexes what is there."""
    from alembic import command

    from storage.migration_runner import alembic_config

    with archive_target.open(migrate=True) as archive:
        archive.store([make_record(title="Keanu Reeves returns")])
        with archive.engine.connect() as conn, conn.begin():
            command.downgrade(alembic_config(conn), "0004")
        inspector = sa.inspect(archive.engine)
        assert not {"articles_latest", "site_daily"} & set(inspector.get_view_names())
        assert "search_vector" not in {c["name"] for c in inspector.get_columns("articles")}
        assert not [t for t in inspector.get_table_names() if t.startswith("articles_fts")]
        archive.migrate()
        assert [h["title"] for h in archive.search("keanu")] == ["Keanu Reeves returns"]
        assert archive.query("SELECT title FROM articles_latest")[1] == [("Keanu Reeves returns",)]
