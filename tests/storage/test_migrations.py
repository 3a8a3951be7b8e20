"""The Alembic migration creates the models' schema on both backends; PostgreSQL is explicit."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import storage
from storage import ArchiveNotMigrated
from storage.migration_runner import current_revision, head_revision
from storage.models import Base
from tests.storage.conftest import ArchiveTarget

TABLES = {"sites", "articles", "article_versions", "url_aliases", "captures", "removed_segments",
          "url_state", "crawl_runs", "alembic_version"}


def test_migrate_to_head_creates_every_table(archive_target: ArchiveTarget) -> None:
    with archive_target.open(migrate=True) as archive:
        assert current_revision(archive.engine) == head_revision() == "0001"
        assert set(sa.inspect(archive.engine).get_table_names()) >= TABLES


def test_migration_matches_the_models(archive_target: ArchiveTarget) -> None:
    with archive_target.open(migrate=True) as archive, archive.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
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
        assert MigrationContext.configure(conn).get_current_revision() == "0001"
        assert conn.scalar(sa.text("SELECT current_schema()")) == postgres_schema
