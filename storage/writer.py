"""Writes article records into an open session (the caller owns the one transaction).

Each record is matched against the stored articles of its URLs by :mod:`storage.dedup` and
becomes a new article, a new version of one, or an unchanged sighting.

A batch is written set-wise, not row by row: everything its records may touch (the articles
and aliases of their URLs, the newest capture hash and the ``url_state`` of each fetched URL)
is read up front with one query per table; the records are then matched in order against that
in-memory view, which each record updates (later records see earlier ones); and the new rows
go out in two flushes, in which SQLAlchemy sends each table's INSERTs as one statement:
multi-row ``INSERT ... RETURNING id`` on PostgreSQL. SQLite cannot tell which returned id is
which row's, so SQLAlchemy would insert row by row there; instead the ids are given here, from
the table's largest id, which is safe because a SQLite write transaction holds the database's
write lock from its ``BEGIN IMMEDIATE`` (see :data:`storage.engine.WRITE`) to its end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import crawl_state
from storage.captures import compress_html, html_sha256
from storage.columns import as_utc
from storage.dedup import body_sha256, diff_summary, find_same_article, identity_date
from storage.models import Article, ArticleVersion, Capture, RemovedSegment, Site, UrlAlias, UrlStateRow
from storage.recheck import RecheckSchedule
from storage.records import ArticleRecord, CaptureRecord, StoreOutcome
from storage.url_locks import lock_urls

#: Values per ``IN (...)`` list: far below SQLite's and PostgreSQL's parameter limits.
IN_CHUNK = 500

T = TypeVar("T")


def chunked(values: Iterable[T], size: int = IN_CHUNK) -> Iterator[list[T]]:
    """``values`` in lists of at most ``size`` (for ``IN`` lists of bounded length)."""
    chunk: list[T] = []
    for value in values:
        chunk.append(value)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass
class _Newest:
    """The newest kept capture of a URL: what a new capture is compared with."""

    fetched_at: dt.datetime
    sha256: str


@dataclass
class _PendingVersion:
    article: Article
    version_no: int
    record: ArticleRecord
    fetched_at: dt.datetime
    diff: str | None
    body_sha256: str


class BatchWriter:
    """Stores a batch of records in ``session``, in order; later records see earlier ones.

    Each fetched URL's ``url_state`` gets the fetch's validators and, when a ``recheck``
    schedule is given, its next re-check (``next_due_at``) by the article's age; without one
    ``next_due_at`` is left as it is (``scrapy reparse`` stores old fetches, not new ones).
    """

    def __init__(self, session: Session, recheck: RecheckSchedule | None = None) -> None:
        self.session = session
        self.recheck = recheck
        self._site_ids: dict[str, int] = {}
        #: canonical URL → stored or new articles with that canonical URL
        self._by_canonical: dict[str, list[Article]] = {}
        #: alias URL → the article it points at now (stored or new)
        self._alias_target: dict[str, Article] = {}
        self._alias_rows: dict[str, UrlAlias] = {}
        self._newest_capture: dict[str, _Newest] = {}
        self._url_states: dict[str, UrlStateRow] = {}
        self._known_urls: set[str] = set()
        self._known_fetches: set[str] = set()
        #: next free id per table, when ids are given here (SQLite); None: the database gives them
        self._next_ids: dict[type, int] | None = (
            {} if session.get_bind().dialect.name == "sqlite" else None)

    def store_all(self, records: Iterable[ArticleRecord]) -> list[StoreOutcome]:
        """Store ``records`` in order; one outcome per record."""
        records = list(records)
        if not records:
            return []
        versions: list[_PendingVersion] = []
        captures: list[tuple[CaptureRecord, str, Article]] = []
        moved_aliases: dict[str, Article] = {}
        results: list[tuple[Article, Literal["new", "version", "unchanged"], int]] = []
        # Another writer storing one of these URLs now finishes first (PostgreSQL; see url_locks).
        lock_urls(self.session, {u for r in records for u in _urls_of(r)}
                  | {r.capture.url for r in records if r.capture is not None})
        with self.session.no_autoflush:
            self._preload(records)
            for record in records:
                results.append(self._match(record, versions, captures, moved_aliases))
        self.session.flush()  # new articles get their ids (one multi-row INSERT)
        for pending in versions:
            self._add_version(pending)
        for url, article in moved_aliases.items():
            alias = self._alias_rows.get(url)
            if alias is None:
                self._alias_rows[url] = alias = UrlAlias(alias_url=url, article_id=article.id)
                self.session.add(alias)
            elif alias.article_id != article.id:
                alias.article_id = article.id
        for capture, html_sha, article in captures:
            self._add_capture(capture, html_sha, article.id)
        self.session.flush()
        return [StoreOutcome(article.id, status, version) for article, status, version in results]

    def store(self, record: ArticleRecord) -> StoreOutcome:
        """Store one record under the identity rules and say what happened."""
        return self.store_all([record])[0]

    # --- reading what the batch may touch ---------------------------------------------------

    def _preload(self, records: Sequence[ArticleRecord]) -> None:
        """Read the rows of every URL of ``records`` not read yet, one query per table."""
        urls = {u for r in records for u in _urls_of(r)} - self._known_urls
        fetched = {r.capture.url for r in records if r.capture is not None} - self._known_fetches
        self._known_urls |= urls
        self._known_fetches |= fetched
        if not self._site_ids:
            self._site_ids = dict(self.session.execute(select(Site.slug, Site.id)).all())
        articles: dict[int, Article] = {}
        alias_rows: list[UrlAlias] = []
        for chunk in chunked(sorted(urls)):
            alias_rows += self.session.scalars(select(UrlAlias).where(UrlAlias.alias_url.in_(chunk)))
            for article in self.session.scalars(select(Article).where(Article.canonical_url.in_(chunk))):
                articles[article.id] = article
        missing = {a.article_id for a in alias_rows} - articles.keys()
        for chunk in chunked(sorted(missing)):
            for article in self.session.scalars(select(Article).where(Article.id.in_(chunk))):
                articles[article.id] = article
        for article in sorted(articles.values(), key=lambda a: a.id):
            known = self._by_canonical.setdefault(article.canonical_url, [])
            if all(a is not article for a in known):
                known.append(article)
        for alias in alias_rows:
            self._alias_rows[alias.alias_url] = alias
            self._alias_target[alias.alias_url] = articles[alias.article_id]
        for chunk in chunked(sorted(fetched)):
            for url, fetched_at, sha in self.session.execute(
                    select(Capture.url, Capture.fetched_at, Capture.sha256).where(Capture.url.in_(chunk))
                    .order_by(Capture.fetched_at, Capture.id)):
                self._newest_capture[url] = _Newest(fetched_at, sha)  # the last one read is the newest
            for row in self.session.scalars(select(UrlStateRow).where(UrlStateRow.url.in_(chunk))):
                self._url_states[row.url] = row

    def _with_id(self, row: T) -> T:
        """``row`` with its primary key set here when ids are given client-side (SQLite)."""
        if self._next_ids is not None:
            model = type(row)
            if model not in self._next_ids:
                self._next_ids[model] = (self.session.scalar(select(func.max(model.id))) or 0) + 1  # type: ignore[attr-defined]
            row.id = self._next_ids[model]  # type: ignore[attr-defined]
            self._next_ids[model] += 1
        return row

    def _articles_of(self, urls: set[str]) -> list[Article]:
        """Articles whose canonical URL or one of whose aliases is among ``urls``."""
        found: dict[int, Article] = {}
        for url in urls:
            for article in self._by_canonical.get(url, ()):
                found[id(article)] = article
            if url in self._alias_target:
                article = self._alias_target[url]
                found[id(article)] = article
        return list(found.values())

    # --- one record -------------------------------------------------------------------------

    def _match(self, record: ArticleRecord, versions: list[_PendingVersion],
               captures: list[tuple[CaptureRecord, str, Article]], moved_aliases: dict[str, Article],
               ) -> tuple[Article, Literal["new", "version", "unchanged"], int]:
        canonical = record.canonical_url or record.url
        urls = _urls_of(record)
        fetched_at = as_utc(record.fetched_at)
        published_date = identity_date(record.published_at)
        sha = body_sha256(record.body)
        status: Literal["new", "version", "unchanged"]
        match = find_same_article(self._articles_of(urls), canonical_url=canonical,
                                  published_date=published_date, body=record.body)
        if match is None:
            article = self._new_article(record, canonical, sha, fetched_at)
            versions.append(_PendingVersion(article, 1, record, fetched_at, None, sha))
            status = "new"
        elif match.body_sha256 == sha and _moved_date(match, record) is None:
            article = match
            article.last_seen_at = max(article.last_seen_at, fetched_at)
            status = "unchanged"
        else:
            article = match
            diff = self._new_version(article, record, sha, fetched_at)
            versions.append(_PendingVersion(article, article.current_version, record, fetched_at, diff,
                                             sha))
            status = "version"
        for url in sorted(urls - {article.canonical_url}):  # a reused alias moves to the newest
            if self._alias_target.get(url) is not article:
                self._alias_target[url] = article
                moved_aliases[url] = article
        if record.capture is not None:
            html_sha = html_sha256(record.capture.html)
            if self._keep_capture(record.capture, html_sha):
                captures.append((record.capture, html_sha, article))
            self._remember_fetch(record, article)
        return article, status, article.current_version

    def _site_id(self, slug: str | None) -> int | None:
        """The id of site ``slug``, registering an unknown slug with its slug as name."""
        if slug is None:
            return None
        if slug not in self._site_ids:
            site = Site(slug=slug, name=slug, base_url=None, enabled=True)
            self.session.add(site)
            self.session.flush()
            self._site_ids[slug] = site.id
        return self._site_ids[slug]

    def _new_article(self, record: ArticleRecord, canonical: str, sha: str,
                     fetched_at: dt.datetime) -> Article:
        published_date = identity_date(record.published_at)
        article = self._with_id(Article(
            canonical_url=canonical,
            published_date=published_date or fetched_at.date(),
            published_at=record.published_at,
            published_precision=_precision(record),
            date_is_fallback=published_date is None,
            first_seen_at=fetched_at,
            last_seen_at=fetched_at,
            current_version=1,
        ))
        self._copy_content(article, record, sha)
        self.session.add(article)
        self._by_canonical.setdefault(canonical, []).append(article)
        return article

    def _new_version(self, article: Article, record: ArticleRecord, sha: str,
                     fetched_at: dt.datetime) -> str:
        """Make ``record`` the article's newest state; return the version's diff summary."""
        notes = [diff_summary(article.body, record.body)]
        if record.title != article.title:
            notes.append("title changed")
        moved_to = _moved_date(article, record)
        if moved_to is not None:
            first_seen = " (first seen)" if article.date_is_fallback else ""
            notes.append(f"date {article.published_date.isoformat()}{first_seen} → {moved_to}")
            article.published_date = moved_to
            article.date_is_fallback = False
        if record.published_at is not None:
            article.published_at = record.published_at
            article.published_precision = _precision(record)
        self._copy_content(article, record, sha)
        article.current_version += 1
        article.last_seen_at = max(article.last_seen_at, fetched_at)
        return "; ".join(notes)

    def _copy_content(self, article: Article, record: ArticleRecord, sha: str) -> None:
        """Everything but identity and bookkeeping, from ``record`` onto ``article``."""
        if record.site is not None or article.site_id is None:
            article.site_id = self._site_id(record.site)
        article.modified_at = record.modified_at
        article.title = record.title
        article.dek = record.dek
        article.authors = list(record.authors)
        article.section = record.section
        article.tags = list(record.tags)
        article.language = record.language
        article.image_url = record.image_url
        article.image_credit = record.image_credit
        article.article_type = record.article_type
        article.rating = record.rating
        article.body = record.body
        article.captions = list(record.captions)
        article.embeds = list(record.embeds)
        article.word_count = len(record.body.split())
        article.body_sha256 = sha
        article.field_sources = dict(record.field_sources)

    # --- rows written after the articles have ids -------------------------------------------

    def _add_version(self, pending: _PendingVersion) -> None:
        record = pending.record
        self.session.add(self._with_id(ArticleVersion(
            article_id=pending.article.id,
            version_no=pending.version_no,
            fetched_at=pending.fetched_at,
            title=record.title,
            body=record.body,
            body_sha256=pending.body_sha256,
            diff_summary=pending.diff,
            extractor_version=record.extractor_version,
            removed_segments=[self._with_id(RemovedSegment(rule=r, text=t)) for r, t in record.removed],
        )))

    def _keep_capture(self, capture: CaptureRecord, sha: str) -> bool:
        """Whether the raw response is kept: not when byte-identical to the newest one of its
        URL (the stored ones and those of this batch)."""
        newest = self._newest_capture.get(capture.url)
        fetched_at = as_utc(capture.fetched_at)
        if newest is not None and newest.sha256 == sha:
            return False
        if newest is None or fetched_at >= newest.fetched_at:
            self._newest_capture[capture.url] = _Newest(fetched_at, sha)
        return True

    def _add_capture(self, capture: CaptureRecord, sha: str, article_id: int) -> None:
        self.session.add(self._with_id(Capture(
            url=capture.url,
            fetched_at=capture.fetched_at,
            status=capture.status,
            headers=dict(capture.headers),
            html=compress_html(capture.html),
            sha256=sha,
            article_id=article_id,
        )))

    def _remember_fetch(self, record: ArticleRecord, article: Article) -> None:
        """Keep ETag / Last-Modified of the fetch in ``url_state`` for the next conditional GET,
        and when to re-check it."""
        capture = record.capture
        assert capture is not None
        row = self._url_states.get(capture.url)
        if row is None:
            row = self._url_states[capture.url] = crawl_state.new_url_state(
                self.session, capture.url, as_utc(capture.fetched_at))
        crawl_state.apply_fetch(
            row, site=record.site, status=capture.status,
            etag=_header(capture.headers, "ETag"),
            last_modified=_header(capture.headers, "Last-Modified"),
            fetched_at=as_utc(capture.fetched_at),
        )
        if self.recheck is not None:
            row.next_due_at = self.recheck.next_check(crawl_state.age_origin(article),
                                                      as_utc(capture.fetched_at))


def _urls_of(record: ArticleRecord) -> set[str]:
    return {record.canonical_url or record.url, record.url, *record.aliases}


def _header(headers: dict[str, str], name: str) -> str | None:
    """A header value by case-insensitive name."""
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)


def _precision(record: ArticleRecord) -> str | None:
    """The record's date precision ("day" or "time"); ``None`` without a date or a known one."""
    if record.published_at is None or record.published_precision not in ("day", "time"):
        return None
    return record.published_precision


def _moved_date(article: Article, record: ArticleRecord) -> dt.date | None:
    """The record's date when it gives a real one that differs from the stored (or first-seen)."""
    new = identity_date(record.published_at)
    if new is None or (new == article.published_date and not article.date_is_fallback):
        return None
    return new
