"""One scheduled run at a time per archive: a lock held for the whole run.

PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) on a connection kept open
for the run; the server drops it when that connection ends, so a killed run never leaves a
stale lock. SQLite: an OS file lock (``flock``/``LockFileEx`` through filelock, which Scrapy's
dependencies bring anyway) on ``<database>.<name>.lock`` beside the database file; the OS releases it
when the process dies. An in-memory SQLite archive belongs to one process: no lock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout
from sqlalchemy import Engine, text

from storage.engine import is_memory_sqlite
from storage.errors import ArchiveLocked


def advisory_key(name: str, schema: str | None, database: str | None) -> int:
    """A signed 64-bit advisory-lock key for ``name`` in this database and schema."""
    digest = hashlib.sha256(f"{database}/{schema or ''}/{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def lock_file(engine: Engine, name: str) -> Path:
    """The lock file ``name`` of a SQLite archive: ``<database>.<name>.lock`` beside it."""
    return Path(f"{engine.url.database}.{name}.lock")


@contextmanager
def hold(engine: Engine, name: str, schema: str | None = None) -> Iterator[None]:
    """Hold the archive's lock ``name`` for the ``with`` block; :class:`ArchiveLocked` at once
    (no waiting) when another process holds it."""
    if engine.dialect.name == "postgresql":
        with _advisory(engine, advisory_key(name, schema, engine.url.database)):
            yield
    elif is_memory_sqlite(engine.url):
        yield
    else:
        path = lock_file(engine, name)
        lock = FileLock(path, timeout=0)
        try:
            lock.acquire()
        except Timeout:
            raise ArchiveLocked(f"another run holds the lock {path}") from None
        try:
            yield
        finally:
            lock.release()


@contextmanager
def _advisory(engine: Engine, key: int) -> Iterator[None]:
    with engine.connect() as conn:
        got = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar()
        conn.commit()
        if not got:
            raise ArchiveLocked(f"another run holds the archive's advisory lock {key} "
                                f"on {engine.url.render_as_string(hide_password=True)}")
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            conn.commit()
