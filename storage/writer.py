"""Writes article records into an open session (the caller owns the one transaction).

Each record is matched against the stored articles of its URLs by :mod:`storage.dedup` and
becomes a new article, a new version of one, or an unchanged sighting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Literal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from storage import crawl_state
from storage.captures import compress_html, html_sha256
from storage.columns import as_utc
from storage.dedup import body_sha256, diff_summary, find_same_article, identity_date
from storage.models import Article, ArticleVersion, Capture, RemovedSegment, Site, UrlAlias
from storage.records import ArticleRecord, CaptureRecord, StoreOutcome


class BatchWriter:
    """Stores records one after the other in ``session``; later records see earlier ones."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._site_ids: dict[str, int] = {}

    def store_all(self, records: Iterable[ArticleRecord]) -> list[StoreOutcome]:
        return [self.store(record) for record in records]

    def store(self, record: ArticleRecord) -> StoreOutcome:
        """Store one record under the identity rules and say what happened."""
        canonical = record.canonical_url or record.url
        urls = {canonical, record.url, *record.aliases}
        fetched_at = as_utc(record.fetched_at)
        published_date = identity_date(record.published_at)
        sha = body_sha256(record.body)
        status: Literal["new", "version", "unchanged"]
        match = find_same_article(self._articles_of(urls), canonical_url=canonical,
                                  published_date=published_date, body=record.body)
        if match is None:
            article = self._new_article(record, canonical, sha, fetched_at)
            status = "new"
        elif match.body_sha256 == sha and _moved_date(match, record) is None:
            article = match
            article.last_seen_at = max(article.last_seen_at, fetched_at)
            status = "unchanged"
        else:
            article = match
            self._new_version(article, record, sha, fetched_at)
            status = "version"
        self._add_aliases(article, urls - {article.canonical_url})
        if record.capture is not None:
            self._add_capture(record.capture, article.id)
            self._remember_validators(record)
        self.session.flush()
        return StoreOutcome(article.id, status, article.current_version)

    # --- lookups ----------------------------------------------------------------------------

    def _articles_of(self, urls: set[str]) -> Sequence[Article]:
        """Articles whose canonical URL or one of whose aliases is among ``urls``."""
        aliased = select(UrlAlias.article_id).where(UrlAlias.alias_url.in_(urls))
        stmt = select(Article).where(or_(Article.canonical_url.in_(urls), Article.id.in_(aliased)))
        return self.session.scalars(stmt).all()

    def _site_id(self, slug: str | None) -> int | None:
        """The id of site ``slug``, registering an unknown slug with its slug as name."""
        if slug is None:
            return None
        if slug not in self._site_ids:
            site_id = self.session.scalar(select(Site.id).where(Site.slug == slug))
            if site_id is None:
                site = Site(slug=slug, name=slug, base_url=None, enabled=True)
                self.session.add(site)
                self.session.flush()
                site_id = site.id
            self._site_ids[slug] = site_id
        return self._site_ids[slug]

    # --- writes -----------------------------------------------------------------------------

    def _new_article(self, record: ArticleRecord, canonical: str, sha: str,
                     fetched_at: dt.datetime) -> Article:
        published_date = identity_date(record.published_at)
        article = Article(
            canonical_url=canonical,
            published_date=published_date or fetched_at.date(),
            published_at=record.published_at,
            published_precision=_precision(record),
            date_is_fallback=published_date is None,
            first_seen_at=fetched_at,
            last_seen_at=fetched_at,
            current_version=1,
        )
        self._copy_content(article, record, sha)
        self.session.add(article)
        self.session.flush()
        self._add_version(article, record, fetched_at, diff=None)
        return article

    def _new_version(self, article: Article, record: ArticleRecord, sha: str,
                     fetched_at: dt.datetime) -> None:
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
        self._add_version(article, record, fetched_at, diff="; ".join(notes))

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

    def _add_version(self, article: Article, record: ArticleRecord, fetched_at: dt.datetime,
                     diff: str | None) -> None:
        self.session.add(ArticleVersion(
            article_id=article.id,
            version_no=article.current_version,
            fetched_at=fetched_at,
            title=record.title,
            body=record.body,
            body_sha256=article.body_sha256,
            diff_summary=diff,
            extractor_version=record.extractor_version,
            removed_segments=[RemovedSegment(rule=r, text=t) for r, t in record.removed],
        ))

    def _add_aliases(self, article: Article, urls: set[str]) -> None:
        """Point each of ``urls`` at ``article`` (a reused alias moves to the newest article)."""
        for url in sorted(urls):
            alias = self.session.get(UrlAlias, url)
            if alias is None:
                self.session.add(UrlAlias(alias_url=url, article_id=article.id))
            elif alias.article_id != article.id:
                alias.article_id = article.id

    def _remember_validators(self, record: ArticleRecord) -> None:
        """Keep ETag / Last-Modified of the fetch in ``url_state`` for the next conditional GET."""
        capture = record.capture
        assert capture is not None
        crawl_state.record_fetch(
            self.session, capture.url, site=record.site, status=capture.status,
            etag=_header(capture.headers, "ETag"),
            last_modified=_header(capture.headers, "Last-Modified"),
            fetched_at=as_utc(capture.fetched_at),
        )

    def _add_capture(self, capture: CaptureRecord, article_id: int) -> None:
        """Keep the raw response unless it is byte-identical to the newest one of its URL."""
        sha = html_sha256(capture.html)
        newest = self.session.scalar(
            select(Capture.sha256).where(Capture.url == capture.url)
            .order_by(Capture.fetched_at.desc(), Capture.id.desc()).limit(1)
        )
        if newest == sha:
            return
        self.session.add(Capture(
            url=capture.url,
            fetched_at=capture.fetched_at,
            status=capture.status,
            headers=dict(capture.headers),
            html=compress_html(capture.html),
            sha256=sha,
            article_id=article_id,
        ))


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
