"""Archive backends for the storage tests: a SQLite file, or a PostgreSQL schema of its own.

Self-contained apart from the root ``postgres_server`` fixture (which skips, or fails when
``CI=true``, if PostgreSQL does not answer), so these can move into ``tests/conftest.py`` as is.
Each PostgreSQL test gets a uniquely named schema in the shared test database (the archive
is opened with ``schema=``, i.e. ``search_path``); the schema is dropped afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from storage import Archive

ARCHIVE_BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@dataclass(frozen=True)
class ArchiveTarget:
    """Where a test's archive lives: a SQLAlchemy URL, plus a schema on PostgreSQL."""

    backend: str
    url: str
    schema: str | None = None

    def open(self, **kwargs: Any) -> Archive:
        return Archive.open(self.url, schema=self.schema, **kwargs)


@pytest.fixture
def postgres_schema(postgres_server: str) -> Iterator[str]:
    """A fresh, empty schema in the test database (dropped with everything in it afterwards)."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    try:
        yield name
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        admin.dispose()


def archive_target_for(backend: str, request: pytest.FixtureRequest,
                       tmp_path: Path) -> ArchiveTarget:
    """An empty archive location on ``backend`` ("sqlite" or "postgresql") for one test."""
    if backend == "sqlite":
        return ArchiveTarget("sqlite", f"sqlite:///{tmp_path / 'archive.db'}")
    server = request.getfixturevalue("postgres_server")
    return ArchiveTarget("postgresql", server, request.getfixturevalue("postgres_schema"))


@pytest.fixture(params=ARCHIVE_BACKENDS)
def archive_target(request: pytest.FixtureRequest, tmp_path: Path) -> ArchiveTarget:
    """An empty archive location, once per backend."""
    return archive_target_for(request.param, request, tmp_path)


@pytest.fixture
def archive(archive_target: ArchiveTarget) -> Iterator[Archive]:
    """A migrated, empty archive, once per backend."""
    with archive_target.open(migrate=True) as opened:
        yield opened
