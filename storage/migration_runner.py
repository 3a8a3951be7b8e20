"""Run the Alembic migrations in ``storage/migrations`` from code (no ``alembic.ini`` needed)."""

from __future__ import annotations

import functools
import tempfile
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import URL

from storage.engine import WRITE, create_archive_engine

#: Directories extracted from a zipped package, kept (and removed at exit) by their objects.
_EXTRACTED: list[tempfile.TemporaryDirectory[str]] = []


@functools.cache
def migrations_dir() -> Path:
    """``storage/migrations`` as a directory on disk, which Alembic needs: the package's own, or
    a copy extracted once per process when ``storage`` is imported from a zip (scrapyd runs the
    project's egg that way)."""
    source = files("storage") / "migrations"
    if isinstance(source, Path):
        return source
    extracted = tempfile.TemporaryDirectory(prefix="archive-migrations-")
    _EXTRACTED.append(extracted)
    target = Path(extracted.name)
    _copy_tree(source, target)
    return target


def _copy_tree(source: Traversable, target: Path) -> None:
    for entry in source.iterdir():
        if entry.is_dir():
            (target / entry.name).mkdir()
            _copy_tree(entry, target / entry.name)
        else:
            (target / entry.name).write_bytes(entry.read_bytes())


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at our migrations (and at ``connection`` when given)."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    """The newest revision this code knows."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (``None``: never migrated)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, *, schema: str | None = None, revision: str = "head") -> None:
    """Upgrade the database behind ``engine`` to ``revision`` in one transaction."""
    with engine.connect().execution_options(**WRITE) as conn, conn.begin():
        if schema:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        command.upgrade(alembic_config(conn), revision)


def migrate(url: str | URL, *, schema: str | None = None) -> None:
    """Upgrade the archive at ``url`` to the newest schema (creating it if empty)."""
    engine = create_archive_engine(url, schema=schema)
    try:
        upgrade(engine, schema=schema)
    finally:
        engine.dispose()
