"""Archive writes: articles/s through our store path (``Archive.store`` in batches of
``ARCHIVE_BATCH_SIZE``, as the archive pipeline calls it) against a raw bulk load of the same
rows into the same schema, one transaction per batch on both sides: ``sqlite3`` ``executemany``
on SQLite, psycopg ``COPY`` on PostgreSQL.

The records are corpus pages (their labelled body, the raw HTML as the capture), each under a
URL of its own. Both sides pay for the values every store must compute (gzip of the HTML,
SHA-256 of body and HTML, JSON); the baseline skips what only our rules need (reading what is
stored for dedup, versions, alias moves), which is what the ratio prices.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from benchmarks.harness import Context, Row, ratio
from crawler.evaluation import load_cases, read_html
from storage import Archive, ArticleRecord, CaptureRecord, SiteInfo
from storage.captures import compress_html, html_sha256
from storage.dedup import body_sha256

NAME = "archive"
RECORDS = (100, 1000)
BATCH = 50  # the ARCHIVE_BATCH_SIZE default
FETCHED = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)


def make_records(ctx: Context, count: int) -> list[ArticleRecord]:
    """``count`` records made from the corpus's labelled pages, each with a URL of its own."""
    cases = [c for c in load_cases(ctx.corpus) if c.get("body")][:count]
    htmls = [read_html(c["html"]) for c in cases]
    records = []
    for i in range(count):
        case, html = cases[i % len(cases)], htmls[i % len(cases)]
        url = f"https://bench.example/news/2026/11/article-{i}/"
        published = FETCHED - dt.timedelta(hours=i)
        capture = CaptureRecord(url=url, fetched_at=FETCHED, status=200, html=html,
                                headers={"Content-Type": "text/html", "ETag": f'"e{i}"',
                                         "Last-Modified": "Sun, 01 Nov 2026 12:00:00 GMT"})
        records.append(ArticleRecord(
            url=url, canonical_url=url, aliases=[url + "?utm_source=feed"], site="variety",
            body="\n\n".join(case["body"]), fetched_at=FETCHED, extractor_version="bench",
            title=case.get("title") or f"Article {i}", authors=list(case.get("authors") or []),
            published_at=published, tags=["film", "tv"], language="en",
            field_sources={"title": "jsonld", "body": "generic"},
            removed=[("share_row", "Share Share Tweet"), ("newsletter", "Sign up for our newsletter"),
                     ("related", f"RELATED: another story {i}")],
            capture=capture,
        ))
    return records


def batches(records: Sequence[ArticleRecord]) -> Iterator[Sequence[ArticleRecord]]:
    for start in range(0, len(records), BATCH):
        yield records[start:start + BATCH]


def store_ours(url: str, records: Sequence[ArticleRecord]) -> float:
    """Seconds to store ``records`` with :meth:`Archive.store`, batch by batch."""
    with Archive.open(url, migrate=True) as archive:
        started = time.perf_counter()
        for batch in batches(records):
            archive.store(batch)
        return time.perf_counter() - started


# --- the baseline: the same rows, written raw ------------------------------------------------

TABLES: dict[str, tuple[str, ...]] = {
    "articles": ("id", "site_id", "canonical_url", "published_date", "published_at", "modified_at",
                 "date_is_fallback", "title", "dek", "authors", "section", "tags", "language", "image_url",
                 "image_credit", "article_type", "rating", "body", "captions", "embeds", "word_count",
                 "body_sha256", "field_sources", "first_seen_at", "last_seen_at", "current_version"),
    "article_versions": ("id", "article_id", "version_no", "fetched_at", "title", "body", "body_sha256",
                         "diff_summary", "extractor_version"),
    "removed_segments": ("id", "article_version_id", "rule", "text"),
    "url_aliases": ("alias_url", "article_id"),
    "captures": ("id", "url", "fetched_at", "status", "headers", "html", "sha256", "article_id"),
    "url_state": ("url", "site", "discovered_at", "lastmod", "last_fetched_at", "last_status", "etag",
                  "last_modified", "next_due_at"),
}


def rows_of(records: Sequence[ArticleRecord], first_id: int, site_id: int,
            stamp: Callable[[dt.datetime], Any]) -> dict[str, list[tuple[Any, ...]]]:
    """The rows our store writes for ``records`` (all new), ids from ``first_id`` on."""
    out: dict[str, list[tuple[Any, ...]]] = {t: [] for t in TABLES}
    segment_id = first_id * 10
    for n, r in enumerate(records):
        aid = first_id + n
        sha = body_sha256(r.body)
        when = stamp(r.fetched_at)
        published = r.published_at or r.fetched_at
        out["articles"].append((
            aid, site_id, r.canonical_url, published.date(), stamp(published), None, False, r.title, r.dek,
            json.dumps(r.authors), r.section, json.dumps(r.tags), r.language, r.image_url, r.image_credit,
            r.article_type, r.rating, r.body, json.dumps(r.captions), json.dumps(r.embeds),
            len(r.body.split()), sha, json.dumps(r.field_sources), when, when, 1))
        out["article_versions"].append((aid, aid, 1, when, r.title, r.body, sha, None, r.extractor_version))
        for rule, text in r.removed:
            segment_id += 1
            out["removed_segments"].append((segment_id, aid, rule, text))
        out["url_aliases"] += [(alias, aid) for alias in r.aliases]
        c = r.capture
        assert c is not None
        out["captures"].append((aid, c.url, when, c.status, json.dumps(c.headers), compress_html(c.html),
                                html_sha256(c.html), aid))
        out["url_state"].append((c.url, r.site, when, None, when, c.status, c.headers.get("ETag"),
                                 c.headers.get("Last-Modified"), None))
    return out


def _sqlite_stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def store_sqlite_raw(path: str, records: Sequence[ArticleRecord], site_id: int) -> float:
    """Seconds to write the same rows with ``sqlite3`` ``executemany``, a transaction per batch."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = NORMAL")  # as the archive's engine sets it (WAL is kept)
        conn.execute("PRAGMA foreign_keys = ON")
        started = time.perf_counter()
        for n, batch in enumerate(batches(records)):
            rows = rows_of(batch, 1 + n * BATCH, site_id, _sqlite_stamp)
            conn.execute("BEGIN IMMEDIATE")
            for table, columns in TABLES.items():
                conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) "
                                 f"VALUES ({', '.join('?' * len(columns))})", rows[table])
            conn.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        conn.close()


def store_postgres_copy(url: str, records: Sequence[ArticleRecord], site_id: int) -> float:
    """Seconds to write the same rows with psycopg ``COPY``, a transaction per batch."""
    import psycopg

    with psycopg.connect(url) as conn:
        started = time.perf_counter()
        for n, batch in enumerate(batches(records)):
            rows = rows_of(batch, 1 + n * BATCH, site_id, lambda value: value)
            with conn.transaction(), conn.cursor() as cur:
                for table, columns in TABLES.items():
                    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                        for row in rows[table]:
                            copy.write_row(row)
        return time.perf_counter() - started


def _prepare(url: str) -> int:
    """Migrate the archive at ``url`` and register the records' site; its id."""
    with Archive.open(url, migrate=True) as archive:
        archive.ensure_sites([SiteInfo("variety", "Variety", "https://variety.com")])
        with archive.engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT id FROM sites WHERE slug = 'variety'").scalar_one())


@contextmanager
def postgres_databases(server: str, count: int) -> Iterator[list[str]]:
    """``count`` new, empty databases on ``server`` (dropped afterwards)."""
    import sqlalchemy as sa

    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    names = [f"bench_{uuid.uuid4().hex[:10]}" for _ in range(count)]
    try:
        with admin.connect() as conn:
            for name in names:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        base = sa.engine.make_url(server)
        yield [base.set(database=n).render_as_string(hide_password=False) for n in names]
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _psycopg_url(url: str) -> str:
    import sqlalchemy as sa

    return sa.engine.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _rows(backend: str, baseline: str, ours: float, theirs: float, n: int) -> Row:
    a, b = n / ours, n / theirs
    r = ratio(a, b)
    return Row(NAME, f"articles/s, {backend}", a, baseline, b, "articles/s", "≥ 0.5×", r,
               met=r is not None and r >= 0.5, note=f"{n} articles, batches of {BATCH}")


def run(ctx: Context) -> list[Row]:
    records = make_records(ctx, ctx.scale(*RECORDS))
    rows = []
    ours_db, raw_db = ctx.workdir / "store-ours.db", ctx.workdir / "store-raw.db"
    _prepare(f"sqlite:///{ours_db}")
    raw_site = _prepare(f"sqlite:///{raw_db}")
    ours = store_ours(f"sqlite:///{ours_db}", records)
    raw = store_sqlite_raw(str(raw_db), records, raw_site)
    rows.append(_rows("SQLite", "sqlite3 executemany", ours, raw, len(records)))
    try:
        with postgres_databases(ctx.postgres_url, 2) as (ours_url, raw_url):
            _prepare(ours_url)
            raw_site = _prepare(raw_url)
            ours = store_ours(ours_url, records)
            raw = store_postgres_copy(_psycopg_url(raw_url), records, raw_site)
            rows.append(_rows("PostgreSQL", "psycopg COPY", ours, raw, len(records)))
    except Exception as exc:
        import sqlalchemy.exc

        if not isinstance(exc, sqlalchemy.exc.OperationalError):
            raise
        rows.append(Row.unavailable(NAME, "articles/s, PostgreSQL", "≥ 0.5×",
                                    f"PostgreSQL at {ctx.postgres_url} not reachable"))
    return rows
