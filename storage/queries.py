"""Reading the archive: stats, article rows and read-only SQL (exports: storage.exports;
search: storage.search)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, Select, func, select
from sqlalchemy.orm import Session

from storage.errors import QueryError, ReadOnlyViolation
from storage.models import Article, ArticleVersion, Capture, Site, UrlAlias

#: Columns of an article row, in export order (``site`` is the site's slug).
ARTICLE_FIELDS = ["id", "site", *(c.key for c in Article.__table__.columns
                                  if c.key not in ("id", "site_id", "body")), "body"]


def stats(session: Session) -> dict[str, Any]:
    """Counts and date range of the archive."""
    count = lambda model: session.scalar(select(func.count()).select_from(model))  # noqa: E731
    per_site = session.execute(
        select(Site.slug, func.count(Article.id)).select_from(Article)
        .outerjoin(Site, Article.site_id == Site.id).group_by(Site.slug).order_by(Site.slug)
    ).all()
    oldest, newest, last_seen = session.execute(
        select(func.min(Article.published_date), func.max(Article.published_date),
               func.max(Article.last_seen_at))
    ).one()
    return {
        "articles": count(Article),
        "versions": count(ArticleVersion),
        "captures": count(Capture),
        "aliases": count(UrlAlias),
        "fallback_dates": session.scalar(
            select(func.count()).select_from(Article).where(Article.date_is_fallback)),
        "sites": {slug: n for slug, n in per_site},
        "oldest": oldest,
        "newest": newest,
        "last_seen_at": last_seen,
    }


def _filtered(stmt: Select[Any], site: str | None, since: dt.date | None) -> Select[Any]:
    if site is not None:
        stmt = stmt.where(Site.slug == site)
    if since is not None:
        stmt = stmt.where(Article.published_date >= since)
    return stmt


def articles(session: Session, *, site: str | None = None,
             since: dt.date | None = None) -> Iterator[dict[str, Any]]:
    """Every article (newest state) as a dict of :data:`ARTICLE_FIELDS`, streamed, oldest first."""
    stmt = _filtered(
        select(Article, Site.slug).outerjoin(Site, Article.site_id == Site.id)
        .order_by(Article.published_date, Article.id),
        site, since,
    ).execution_options(yield_per=200)
    for article, slug in session.execute(stmt):
        row = {key: getattr(article, key) for key in ARTICLE_FIELDS if key != "site"}
        row["site"] = slug
        yield {key: row[key] for key in ARTICLE_FIELDS}


def read_only_query(engine: Engine, sql: str, limit: int | None = None
                    ) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one SQL statement on a read-only connection; return (column names, rows).

    ``engine`` is a read-only engine (:func:`storage.engine.create_archive_engine` with
    ``read_only=True``): SQLite opened ``mode=ro`` with ``query_only``; PostgreSQL in a
    ``READ ONLY`` transaction, the statement sent as a prepared statement so that a second
    statement (``COMMIT; DROP ...``) cannot be smuggled in.
    """
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "postgresql":
            cursor.execute("SET TRANSACTION READ ONLY")
            cursor.execute(sql, prepare=True)
        else:
            cursor.execute(sql)  # sqlite3 runs one statement only
        if cursor.description is None:
            return [], []
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall() if limit is None else cursor.fetchmany(limit)
        return columns, [tuple(row) for row in rows]
    except engine.dialect.loaded_dbapi.Error as exc:
        if _is_write_refusal(exc):
            primary = getattr(getattr(exc, "diag", None), "message_primary", None) or exc
            raise ReadOnlyViolation(f"read-only query refused: {primary}") from exc
        raise QueryError(f"query failed: {exc}") from exc
    finally:
        raw.close()


def _is_write_refusal(exc: Exception) -> bool:
    sqlstate = getattr(exc, "sqlstate", None)  # psycopg
    if sqlstate is not None:
        # read_only_sql_transaction; insufficient_privilege (a reader role has SELECT only)
        return sqlstate in ("25006", "42501")
    name = getattr(exc, "sqlite_errorname", "")
    return name.startswith(("SQLITE_READONLY", "SQLITE_AUTH")) or "not authorized" in str(exc)
