"""Copying a whole archive to another (SQLite ⇄ PostgreSQL), streamed, ids kept.

Tables are copied parents first (sites, articles, versions, removed segments, aliases,
captures, URL state, runs, their sites) in chunks read with ``yield_per``; every row keeps its
id, so foreign keys stay right. Rows are upserted on their primary key, so a second copy adds
nothing and an interrupted one can be run again. A target that holds rows of its own (not an
earlier copy of this source) is refused before anything is written. At the end the row counts
and a digest of every body (articles, versions, captures) are compared on both sides.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, Table, func, or_, select, text
from sqlalchemy.dialects import postgresql, sqlite

from storage.engine import WRITE
from storage.errors import ArchiveError
from storage.models import Base

if TYPE_CHECKING:
    from storage.archive import Archive
    from storage.exports import Progress

#: Rows read and written at a time (captures: a whole page each, fewer).
ROWS_PER_CHUNK = 1000
CAPTURES_PER_CHUNK = 50
#: Columns that say which thing a row is, beyond its id: a target row with the same id must
#: have the same values there (else the target is another archive, not a copy of the source).
IDENTITY = {
    "sites": ("slug",),
    "articles": ("canonical_url", "published_date"),
    "article_versions": ("article_id", "version_no"),
    "removed_segments": ("article_version_id",),
    "url_aliases": ("article_id",),
    "captures": ("url", "sha256"),
    "url_state": (),
    "crawl_runs": ("started_at",),
    "crawl_run_sites": ("run_id", "site"),
}
#: Per table, the column whose content the verification hashes.
HASHED = {"articles": "body", "article_versions": "body", "captures": "html"}


class CopyConflict(ArchiveError):
    """The target holds rows that are not from the source (it is not empty, nor a copy)."""


@dataclass
class TableCopy:
    """One table's rows: in the source, in the target before and after the copy."""

    table: str
    source: int
    before: int
    after: int

    @property
    def added(self) -> int:
        return self.after - self.before


@dataclass
class CopyReport:
    """What :func:`copy_archive` did; ``problems`` empty when the verification passed."""

    tables: list[TableCopy] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return not self.problems


def tables() -> list[Table]:
    """The archive's tables, parents before children (the order of :data:`IDENTITY`)."""
    return [Base.metadata.tables[name] for name in IDENTITY]


def copy_archive(source: Archive, target: Archive, *, progress: Progress | None = None) -> CopyReport:
    """Copy every row of ``source`` into ``target`` (migrated, empty or an earlier copy);
    verify counts and body digests; return the report. Raises :class:`CopyConflict` before
    writing anything when the target holds rows of its own."""
    if _same_place(source, target):
        raise ArchiveError("the source and the target are the same archive")
    for table in tables():
        _check_is_copy(source.engine, target.engine, table)
    report = CopyReport()
    for table in tables():
        before = _count(target.engine, table)
        total = _count(source.engine, table)
        rows: Iterable[dict[str, Any]] = _stream(source.engine, table)
        if progress is not None:
            rows = progress(rows, total, table.name)
        _write(target.engine, table, rows)
        report.tables.append(TableCopy(table.name, total, before, _count(target.engine, table)))
    if target.engine.dialect.name == "postgresql":
        fix_sequences(target.engine)
    report.problems = verify(source.engine, target.engine)
    return report


def _same_place(source: Archive, target: Archive) -> bool:
    a, b = source.engine.url, target.engine.url
    if a.get_backend_name() == "sqlite" and b.get_backend_name() == "sqlite":
        import os

        return os.path.realpath(a.database or "") == os.path.realpath(b.database or "")
    return (a.set(password=None, drivername="x") == b.set(password=None, drivername="x")
            and source.schema == target.schema)


def _pk(table: Table) -> Any:
    (column,) = table.primary_key.columns
    return column


def _count(engine: Engine, table: Table) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table)) or 0


def _stream(engine: Engine, table: Table, columns: list[Any] | None = None) -> Iterator[dict[str, Any]]:
    """The rows of ``table`` by primary key, streamed (a server-side cursor on PostgreSQL)."""
    per = CAPTURES_PER_CHUNK if table.name == "captures" else ROWS_PER_CHUNK
    stmt = select(*(columns or table.columns)).order_by(_pk(table)).execution_options(yield_per=per)
    with engine.connect() as conn:
        for row in conn.execute(stmt):
            yield dict(row._mapping)


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _check_is_copy(source: Engine, target: Engine, table: Table) -> None:
    """Every row of ``table`` in the target is in the source with the same identity."""
    pk = _pk(table)
    identity = [table.c[name] for name in IDENTITY[table.name]]
    with source.connect() as conn:
        for chunk in _chunks(_stream(target, table, [pk, *identity]), ROWS_PER_CHUNK):
            ids = [row[pk.name] for row in chunk]
            known = {row[0]: tuple(row[1:]) for row in
                     conn.execute(select(pk, *identity).where(pk.in_(ids)))}
            for row in chunk:
                mine = tuple(row[c.name] for c in identity)
                if known.get(row[pk.name]) != mine:
                    what = f"{pk.name} {row[pk.name]!r}" + (f" ({', '.join(map(str, mine))})" if mine else "")
                    raise CopyConflict(
                        f"the target already holds a {table.name} row that is not in the source "
                        f"({what}): copy into an empty archive, or into an earlier copy of this one")


def _upsert(conn: Connection, table: Table) -> Any:
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(table)
    pk = _pk(table)
    others = [c for c in table.columns if c is not pk]
    return stmt.on_conflict_do_update(
        index_elements=[pk],
        set_={c.name: stmt.excluded[c.name] for c in others},
        where=or_(*(c.is_distinct_from(stmt.excluded[c.name]) for c in others)),
    )


def _write(engine: Engine, table: Table, rows: Iterable[dict[str, Any]]) -> None:
    size = CAPTURES_PER_CHUNK if table.name == "captures" else ROWS_PER_CHUNK
    for chunk in _chunks(rows, size):
        with engine.connect().execution_options(**WRITE) as conn, conn.begin():
            conn.execute(_upsert(conn, table), chunk)


def fix_sequences(engine: Engine) -> None:
    """Move every id sequence past the highest id (rows were inserted with explicit ids)."""
    with engine.begin() as conn:
        for table in tables():
            pk = _pk(table)
            if pk.name != "id":
                continue
            conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))


def verify(source: Engine, target: Engine) -> list[str]:
    """Differences between the two archives: row counts per table, and for articles, versions
    and captures a digest of every (id, SHA-256 of the content); empty when they agree."""
    problems = []
    for table in tables():
        mine, theirs = _count(source, table), _count(target, table)
        if mine != theirs:
            problems.append(f"{table.name}: {mine} rows in the source, {theirs} in the target")
    for name, column in HASHED.items():
        table = Base.metadata.tables[name]
        if _digest(source, table, column) != _digest(target, table, column):
            problems.append(f"{name}: the {column} of some rows differ between source and target")
    return problems


def _digest(engine: Engine, table: Table, column: str) -> str:
    digest = hashlib.sha256()
    for row in _stream(engine, table, [_pk(table), table.c[column]]):
        value = row[column]
        data = value.encode("utf-8") if isinstance(value, str) else value
        digest.update(f"{row[_pk(table).name]}:{hashlib.sha256(data).hexdigest()}\n".encode())
    return digest.hexdigest()
