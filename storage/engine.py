"""Engines for the archive: SQLite tuned for a crawler, PostgreSQL through psycopg 3.

SQLite connections get WAL mode, foreign keys, a busy timeout and ``synchronous=NORMAL``;
SQLAlchemy (not the ``sqlite3`` module) emits ``BEGIN`` so that reads and writes of one
transaction are really one transaction, and writers can ask for ``BEGIN IMMEDIATE``
(see :data:`WRITE`). On PostgreSQL, ``schema`` puts every table in that schema through the
connection's ``search_path``.
"""

from __future__ import annotations

import re
import sqlite3
import urllib.parse
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool, StaticPool

#: Seconds a SQLite connection waits for another writer before giving up.
SQLITE_BUSY_TIMEOUT = 30.0
#: Execution options for a writing transaction: takes SQLite's write lock at BEGIN, so that
#: a busy database waits (busy timeout) instead of failing half-way through the batch.
WRITE = {"sqlite_begin": "IMMEDIATE"}

_SCHEMA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def parse_url(url: str | URL) -> URL:
    """The SQLAlchemy URL, with plain ``postgresql://`` meaning psycopg 3."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def check_schema(schema: str | None, url: URL) -> None:
    """Refuse a schema on SQLite and names that would need quoting."""
    if schema is None:
        return
    if url.get_backend_name() != "postgresql":
        raise ValueError("schema= is only for PostgreSQL archives")
    if not _SCHEMA_NAME.match(schema):
        raise ValueError(f"invalid schema name {schema!r} (letters, digits, underscore)")


def create_archive_engine(
    url: str | URL, *, schema: str | None = None, read_only: bool = False
) -> Engine:
    """An engine for the archive at ``url``; ``read_only`` engines cannot change anything."""
    parsed = parse_url(url)
    check_schema(schema, parsed)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, read_only=read_only)
    options = []
    if schema:
        options.append(f"-csearch_path={schema}")
    if read_only:
        options.append("-cdefault_transaction_read_only=on")
    connect_args = {"options": " ".join(options)} if options else {}
    if read_only:  # a fresh connection per query: nothing a query changes outlives it
        return create_engine(parsed, connect_args=connect_args, poolclass=NullPool)
    return create_engine(parsed, connect_args=connect_args, pool_pre_ping=True)


def is_memory_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def _sqlite_engine(url: URL, *, read_only: bool) -> Engine:
    kwargs: dict[str, Any] = {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT}}
    if is_memory_sqlite(url):
        if read_only:
            raise ValueError("an in-memory SQLite archive has no read-only view")
        # one shared connection, or every thread would see its own empty database
        kwargs["poolclass"] = StaticPool
        kwargs["connect_args"]["check_same_thread"] = False
    elif read_only:
        path = urllib.parse.quote(url.database or "")  # a URI: '?', '#', '%' must be escaped
        url = url.set(database=f"file:{path}", query={"mode": "ro", "uri": "true"})
        kwargs["poolclass"] = NullPool
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (see _on_begin)
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT * 1000)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if read_only:
            cursor.execute("PRAGMA query_only = ON")
            dbapi_conn.set_authorizer(_read_only_authorizer)
        else:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


#: Pragmas whose argument names what to read (``PRAGMA table_info(articles)``), not a value to set.
_READ_PRAGMAS = frozenset(("table_info", "table_xinfo", "table_list", "index_info", "index_list",
                           "index_xinfo", "foreign_key_list", "foreign_key_check", "integrity_check",
                           "quick_check"))


def _read_only_authorizer(action: int, arg1: str | None, arg2: str | None, *_args: Any) -> int:
    """SQLite authorizer of read-only connections: no ATTACH (nor VACUUM INTO, which attaches):
    they could create or write other files; no PRAGMA that sets a value (``query_only = OFF``);
    no ``load_extension``. Pragmas that only read a table's description keep their argument."""
    if action == sqlite3.SQLITE_ATTACH:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA and arg2 is not None and (arg1 or "").lower() not in _READ_PRAGMAS:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() == "load_extension":
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK
