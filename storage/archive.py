"""The :class:`Archive`: the one object the crawler and the commands talk to."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any, Self

from sqlalchemy import Engine, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DisconnectionError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from storage import boilerplate, crawl_state, exports, locks, queries, readers, report_data, runs
from storage import copy as archive_copy
from storage.boilerplate import JunkReport, SegmentCount
from storage.captures import decompress_html
from storage.engine import WRITE, create_archive_engine, is_memory_sqlite, parse_url
from storage.errors import (
    ArchiveError,
    ArchiveNotMigrated,
    ArchiveUnavailable,
    QueryError,
    StoreError,
)
from storage.masking import mask_secrets
from storage.migration_runner import current_revision, head_revision, upgrade
from storage.models import Article, Capture, Site
from storage.recheck import RecheckSchedule
from storage.records import (
    ArticleRecord,
    CaptureRecord,
    KnownUrl,
    RunRecord,
    SightingRecord,
    SiteInfo,
    SiteRun,
    StoreOutcome,
    UrlState,
)
from storage.report_data import ReportData
from storage.search import DEFAULT_MARKS, search_articles
from storage.url_locks import lock_urls
from storage.writer import BatchWriter

logger = logging.getLogger(__name__)

#: How often a batch refused by a unique index (a concurrent writer stored the same new rows)
#: or chosen as a deadlock's victim is stored again before the error is raised.
STORE_CONFLICT_RETRIES = 3
#: PostgreSQL's SQLSTATEs of a transaction that lost to a concurrent one (deadlock, serialization).
_CONCURRENCY_SQLSTATES = ("40P01", "40001")


class Archive:
    """An open archive (SQLite file or PostgreSQL database/schema).

    Open it with :meth:`open`; use it as a context manager or call :meth:`close`.
    Every method runs in its own transaction; :meth:`store` writes a whole batch in one.
    Failures raise :class:`~storage.errors.ArchiveError` subclasses with the cause chained.
    """

    def __init__(self, engine: Engine, *, schema: str | None = None) -> None:
        self.engine = engine
        self.schema = schema
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._read_only_engine: Engine | None = None

    @classmethod
    def open(cls, url: str, *, migrate: bool | None = None, schema: str | None = None,
             read_only: bool = False) -> Self:
        """Open the archive at SQLAlchemy ``url``.

        ``migrate``: upgrade the schema to the newest revision first. By default SQLite is
        migrated and PostgreSQL is not (a PostgreSQL archive not at the newest revision raises
        :class:`~storage.errors.ArchiveNotMigrated`). ``schema`` (PostgreSQL only) keeps every
        table in that schema (created by :meth:`migrate`); the URL form
        ``...?options=-csearch_path%3Dname`` works too. ``read_only``: for readers beside a
        crawl; nothing is migrated or created (a missing SQLite file is an error) and any
        write fails.
        """
        if read_only and migrate:
            raise ValueError("a read-only archive cannot be migrated")
        with _translated(f"opening the archive {display_url(url)}"):
            engine = create_archive_engine(url, schema=schema, read_only=read_only)
        archive = cls(engine, schema=schema)
        if read_only:  # query() reads through it as it is (a second read-only URL would not parse)
            archive._read_only_engine = engine
        try:
            if not read_only and (migrate if migrate is not None else engine.dialect.name == "sqlite"):
                archive.migrate()
            else:
                archive._check_migrated()
        except BaseException:
            archive.close()
            raise
        return archive

    @property
    def url(self) -> str:
        """The archive's URL without its password."""
        return self.engine.url.render_as_string(hide_password=True)

    def migrate(self) -> None:
        """Upgrade the schema to the newest revision (creates the tables of a new archive)."""
        with _translated(f"migrating {self.url}"):
            upgrade(self.engine, schema=self.schema)

    def _check_migrated(self) -> None:
        with _translated(f"opening the archive {self.url}"):
            current, head = current_revision(self.engine), head_revision()
        if current != head:
            raise ArchiveNotMigrated(
                f"the archive {self.url} is at schema revision {current or 'none (empty)'}, "
                f"this code needs {head}: run `scrapy archive migrate` first"
            )

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()
        if self._read_only_engine not in (None, self.engine):
            self._read_only_engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def _session(self, what: str, *, write: bool = False,
                 error: type[ArchiveError] = ArchiveError) -> Iterator[Session]:
        """A session in one transaction, committed at the end, rolled back on any error."""
        with _translated(what, error), self._sessions.begin() as session:
            if write:
                session.connection(execution_options=WRITE)
            yield session

    # --- writing ----------------------------------------------------------------------------

    def ensure_sites(self, sites: Sequence[SiteInfo]) -> None:
        """Register ``sites`` (or update their name, base URL and enabled flag): an upsert, so
        that workers starting together on a new archive do not trip over each other."""
        if not sites:
            return
        with self._session("registering sites", write=True) as session:
            insert = postgresql_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
            stmt = insert(Site).values([{"slug": i.slug, "name": i.name, "base_url": i.base_url,
                                         "enabled": i.enabled} for i in sites])
            session.execute(stmt.on_conflict_do_update(index_elements=[Site.slug], set_={
                "name": stmt.excluded.name, "base_url": stmt.excluded.base_url,
                "enabled": stmt.excluded.enabled}))

    def store(self, records: Sequence[ArticleRecord], *,
              recheck: RecheckSchedule | None = None) -> list[StoreOutcome]:
        """Store a batch of articles in ONE transaction under the identity/dedup rules.

        Returns one outcome per record, in order. The ``url_state`` of each fetched URL
        notes the fetch; with ``recheck``, its next re-check too (``next_due_at``, by the
        article's age: :mod:`storage.recheck`); without, ``next_due_at`` is left as it is.
        Writers of the same URLs take turns (:mod:`storage.url_locks`); a batch refused by a
        unique index because another writer stored the same new rows meanwhile, or picked as
        a deadlock's victim, is stored again (``STORE_CONFLICT_RETRIES``): two processes
        storing the same article end with one row and one version. On any other error nothing of
        the batch is written and :class:`~storage.errors.StoreError` (or
        ``ArchiveUnavailable`` when the database cannot be reached or stays locked) is raised.
        """
        if not records:
            return []
        for attempt in range(STORE_CONFLICT_RETRIES + 1):
            try:
                with self._session(f"storing {len(records)} articles", write=True,
                                   error=StoreError) as session:
                    return BatchWriter(session, recheck).store_all(records)
            except ArchiveError as exc:
                # Another writer (a second crawler process) inserted the same new article, URL
                # alias or site between our read and our insert: the unique index refused ours.
                # Run the batch again: the dedup rules now see the other writer's row.
                if attempt < STORE_CONFLICT_RETRIES and _lost_to_concurrent_writer(exc):
                    logger.info("%s; another writer stored the same rows, storing the batch again", exc)
                    continue
                raise
        raise AssertionError("unreachable")  # pragma: no cover

    def mark_seen(self, sightings: Sequence[SightingRecord], *,
                  recheck: RecheckSchedule | None = None) -> int:
        """Record sightings of unchanged pages (304s, byte-identical bodies) in one transaction:
        their articles' ``last_seen_at`` moves forward, their ``url_state`` notes the fetch and,
        with ``recheck``, the next re-check; returns how many articles were touched."""
        if not sightings:
            return 0
        with self._session(f"marking {len(sightings)} pages seen", write=True,
                           error=StoreError) as session:
            lock_urls(session, {s.url for s in sightings})
            return crawl_state.mark_seen(session, sightings, recheck)

    # --- reading ----------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Counts (articles, versions, captures, aliases, fallback dates, per site) and dates."""
        with self._session("reading stats") as session:
            return queries.stats(session)

    def search(self, text: str, site: str | None = None, limit: int = 20, *,
               since: dt.date | None = None, until: dt.date | None = None,
               marks: tuple[str, str] = DEFAULT_MARKS) -> list[dict[str, Any]]:
        """The ``limit`` best full-text hits of ``text`` (words, "phrases", prefix*, OR, -word:
        see :mod:`storage.search`), best first; of ``site`` and published from ``since`` to
        ``until`` (inclusive) only, when given. Each hit: id, site, canonical_url,
        published_date, title, score (higher is better) and a snippet with the matched words
        between ``marks``. A malformed query raises :class:`~storage.errors.SearchSyntaxError`.
        """
        with self._session("searching") as session:
            return search_articles(session, text, site=site, since=since, until=until, limit=limit,
                                   marks=marks)

    def articles(self, site: str | None = None,
                 since: dt.date | None = None) -> Iterator[dict[str, Any]]:
        """Every article's newest state as a dict (see ``queries.ARTICLE_FIELDS``), streamed."""
        with self._session("reading articles") as session:
            yield from queries.articles(session, site=site, since=since)

    def export(self, fmt: str, out: IO[Any], site: str | None = None, since: dt.date | None = None,
               *, until: dt.date | None = None, query: str | None = None,
               progress: exports.Progress | None = None, compress: bool = True) -> int:
        """Write the matching articles to ``out`` as ``jsonl``, ``csv``, ``parquet``, ``text``, or
        their kept captures as ``warc``, streamed; return how many (see :mod:`storage.exports`).

        ``until`` is inclusive; ``query`` keeps the articles matching that search;
        ``progress(rows, total, what)`` wraps the rows as they are written; ``compress``: gzip WARC
        records. ``out``: a binary stream, or a text one for the text formats.
        """
        flt = exports.ExportFilter(site=site, since=since, until=until, query=query)
        with self._session(f"exporting {fmt}") as session:
            return exports.write(fmt, session, flt, out, progress=progress, compress=compress)

    def copy_to(self, url: str, *, schema: str | None = None,
                progress: exports.Progress | None = None) -> archive_copy.CopyReport:
        """Copy this whole archive into the archive at ``url`` (migrated first, also on
        PostgreSQL; empty or an earlier copy of this one), ids kept; see :mod:`storage.copy`.
        The report's ``problems`` list what the final verification (counts, body digests)
        found different; :class:`~storage.copy.CopyConflict` when the target has rows of its own.
        """
        with Archive.open(url, migrate=True, schema=schema) as target, \
                _translated(f"copying {self.url} to {target.url}"):
            return archive_copy.copy_archive(self, target, progress=progress)

    def query(self, sql: str, limit: int | None = None) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Run one read-only SQL statement; return (column names, rows).

        A statement that would change anything raises
        :class:`~storage.errors.ReadOnlyViolation`; other failures
        :class:`~storage.errors.QueryError`.
        """
        if self._read_only_engine is None:
            if is_memory_sqlite(self.engine.url):
                raise QueryError("read-only SQL needs a SQLite file or PostgreSQL archive")
            self._read_only_engine = create_archive_engine(
                self.engine.url, schema=self.schema, read_only=True)
        with _translated("running the query", QueryError):
            return queries.read_only_query(self._read_only_engine, sql, limit)

    def check_reader(self) -> None:
        """Raise :class:`~storage.readers.PrivilegedConnection` unless read-only SQL really is
        read-only here: on PostgreSQL, unless the archive is reached as a plain reader role
        (no superuser, no server file/program roles, no write right on the tables); a
        ``READ ONLY`` transaction alone does not stop ``COPY ... TO PROGRAM``."""
        with _translated("checking the connection's role", QueryError):
            readers.check_reader(self._read_only_engine or self.engine)

    def create_reader(self, name: str) -> str:
        """Create (or refresh) the PostgreSQL login role ``name`` that can only ``SELECT`` this
        archive's tables and views (also those later migrations add); return its URL."""
        with _translated(f"creating the reader role {name!r}"):
            return readers.create_reader(self.engine, name, schema=self.schema)

    def learned_boilerplate(self, site: str, min_articles: int = 3, min_share: float = 0.2,
                            sample: int = 500) -> list[SegmentCount]:
        """Paragraphs repeated across the ``sample`` newest articles of ``site`` (at least
        ``min_articles`` articles and ``min_share`` of them), including those the learned rule
        already removed; see :func:`storage.boilerplate.frequent_paragraphs`."""
        with self._session("reading learned boilerplate") as session:
            return boilerplate.frequent_paragraphs(session, site, min_articles, min_share, sample)

    def junk_report(self, site: str, limit: int = 20) -> JunkReport:
        """The segments most often removed from ``site``'s articles and the frequent paragraphs
        still in their bodies (suspected boilerplate), for a person to review."""
        with self._session("reading the junk report") as session:
            return boilerplate.junk_report(session, site, limit)

    def report_data(self, *, days: int = 90, runs: int = 30, newest: int = 5,
                    rules: int = 25) -> ReportData:
        """The figures of ``scrapy archive report``, aggregated by the database: articles per
        site per day over ``days`` days, field coverage per site, the ``rules`` rules that
        removed most, the ``runs`` newest crawl runs' verdicts, each site's ``newest``
        articles; see :func:`storage.report_data.report_data`."""
        with self._session("reading the report's figures") as session:
            return report_data.report_data(session, days=days, runs=runs, newest=newest, rules=rules)

    def captured_urls(self, site: str | None = None, since: dt.date | None = None) -> list[str]:
        """Every URL with a kept raw response, sorted; of ``site``'s articles and of articles
        published on or after ``since`` only, when given."""
        with self._session("listing captures") as session:
            stmt = select(Capture.url).distinct()
            if site is not None or since is not None:
                stmt = stmt.join(Article, Article.id == Capture.article_id)
            if site is not None:
                stmt = stmt.join(Site, Site.id == Article.site_id).where(Site.slug == site)
            if since is not None:
                stmt = stmt.where(Article.published_date >= since)
            return sorted(session.scalars(stmt))

    def latest_capture(self, url: str) -> CaptureRecord | None:
        """The newest raw response kept for ``url`` (decompressed), for re-parsing."""
        with self._session("reading a capture") as session:
            row = session.scalars(select(Capture).where(Capture.url == url)
                                  .order_by(Capture.fetched_at.desc(), Capture.id.desc())
                                  .limit(1)).first()
            if row is None:
                return None
            return CaptureRecord(url=row.url, fetched_at=row.fetched_at, status=row.status,
                                 headers=dict(row.headers), html=decompress_html(row.html))

    # --- crawl state ------------------------------------------------------------------------

    def get_url_state(self, url: str) -> UrlState | None:
        """What is known about fetching ``url`` (``None``: never fetched)."""
        with self._session("reading url state") as session:
            return crawl_state.get_url_state(session, url)

    def known_urls(self, urls: Sequence[str]) -> dict[str, KnownUrl]:
        """Those of ``urls`` fetched before, by URL: last fetch, next re-check (``next_due_at``)
        and the SHA-256 of the newest kept response; one query per 500 URLs."""
        with self._session("reading the state of discovered URLs") as session:
            return crawl_state.known_urls(session, urls)

    def due_urls(self, site: str, now: dt.datetime, limit: int = 5000) -> list[KnownUrl]:
        """The site's known URLs due for a re-check at ``now``, longest overdue first."""
        with self._session("reading the re-checks due") as session:
            return crawl_state.due_urls(session, site, now, limit)

    def record_fetch(self, url: str, site: str | None, status: int, etag: str | None,
                     last_modified: str | None, fetched_at: dt.datetime,
                     lastmod: dt.datetime | None = None,
                     next_due_at: dt.datetime | None = None) -> None:
        """Remember a fetch of ``url`` (validators for the next conditional GET)."""
        with self._session("recording a fetch", write=True) as session:
            crawl_state.record_fetch(session, url, site=site, status=status, etag=etag,
                                     last_modified=last_modified, fetched_at=fetched_at,
                                     lastmod=lastmod, next_due_at=next_due_at)

    @contextmanager
    def lock(self, name: str = "crawlall") -> Iterator[None]:
        """Hold the archive-wide lock ``name`` for the ``with`` block (one scheduled run at a
        time); :class:`~storage.errors.ArchiveLocked` at once when another process holds it."""
        with _translated(f"locking {self.url}"), locks.hold(self.engine, name, self.schema):
            yield

    # --- run records --------------------------------------------------------------------------

    def start_run(self, kind: str, sites: Sequence[str]) -> int:
        """Record the start of a ``kind`` run (crawl, crawlall, reparse) of ``sites``; its id."""
        with self._session("starting a run record", write=True) as session:
            return runs.start_run(session, kind, sites, started_at=dt.datetime.now(dt.UTC))

    def record_site_run(self, run_id: int, site_run: SiteRun) -> None:
        """Store one site's figures and verdict in run ``run_id``."""
        with self._session("recording a site's run", write=True) as session:
            runs.record_site(session, run_id, site_run)

    def finish_run(self, run_id: int, verdict: str, reasons: Sequence[str], exit_code: int,
                   counts: dict[str, Any] | None = None) -> None:
        """Record the end of run ``run_id``: overall verdict, reasons, exit code, counters."""
        with self._session("finishing a run record", write=True) as session:
            runs.finish_run(session, run_id, verdict=verdict, reasons=reasons, exit_code=exit_code,
                            finished_at=dt.datetime.now(dt.UTC), counts=counts)

    def site_history(self, site: str, limit: int = 10, before_run: int | None = None
                     ) -> list[SiteRun]:
        """The site's figures in its ``limit`` newest finished crawl runs, newest first."""
        with self._session("reading a site's run history") as session:
            return runs.site_history(session, site, limit, before_run)

    def runs(self, last: int = 20) -> list[RunRecord]:
        """The ``last`` newest runs, newest first, with their per-site rows."""
        with self._session("reading run records") as session:
            return runs.recent_runs(session, last)

    def last_run_verdicts(self) -> dict[str, str]:
        """Per site slug, its verdict in its newest crawl run (sites never crawled are absent)."""
        with self._session("reading run records") as session:
            return runs.last_run_verdicts(session)

    def newest_published(self, sites: Sequence[str]) -> dict[str, dt.datetime]:
        """Per site slug, the publication time of its newest dated article."""
        with self._session("reading the newest articles") as session:
            return runs.newest_published(session, sites)


@contextmanager
def _translated(what: str, error: type[ArchiveError] = ArchiveError) -> Iterator[None]:
    """Re-raise any failure as an :class:`ArchiveError` (``error``), the cause chained.

    Connection-level failures (server down, file cannot be opened, database locked) become
    :class:`~storage.errors.ArchiveUnavailable`: the caller may keep the data and retry later.
    """
    try:
        yield
    except ArchiveError:
        raise
    except (OperationalError, InterfaceError, DisconnectionError) as exc:
        raise ArchiveUnavailable(f"{what}: the database is unavailable ({_reason(exc)})") from exc
    except Exception as exc:
        raise error(f"{what} failed: {_reason(exc)}") from exc


def _lost_to_concurrent_writer(exc: ArchiveError) -> bool:
    """Whether ``exc`` is a transaction refused because of a concurrent one: a unique index
    (the other inserted the same row first), a deadlock or a serialization failure."""
    cause = exc.__cause__
    if isinstance(cause, IntegrityError):
        return True
    return getattr(getattr(cause, "orig", None), "sqlstate", None) in _CONCURRENCY_SQLSTATES


def _reason(exc: BaseException) -> str:
    """The driver's message on one line, without SQLAlchemy's echo of the statement and its
    parameters, and without the password of any URL it quotes."""
    cause = getattr(exc, "orig", None) or exc
    return mask_secrets(" ".join(f"{type(cause).__name__}: {cause}".split()))


def display_url(url: str) -> str:
    """``url`` without its password, for messages and logs."""
    try:
        return parse_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is reported as such, never echoed
        return "<unparsable URL>"
