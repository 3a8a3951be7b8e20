"""Crawl bookkeeping: per-URL fetch state (``url_state``); crawl runs are in :mod:`storage.runs`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from storage.models import Article, Capture, UrlAlias, UrlStateRow
from storage.recheck import RecheckSchedule
from storage.records import KnownUrl, SightingRecord, UrlState

NOT_MODIFIED = 304
#: Values per ``IN (...)`` list.
IN_CHUNK = 500


def get_url_state(session: Session, url: str) -> UrlState | None:
    row = session.get(UrlStateRow, url)
    if row is None:
        return None
    return UrlState(url=row.url, site=row.site, discovered_at=row.discovered_at,
                    lastmod=row.lastmod, last_fetched_at=row.last_fetched_at,
                    last_status=row.last_status, etag=row.etag, last_modified=row.last_modified,
                    next_due_at=row.next_due_at)


def record_fetch(session: Session, url: str, *, site: str | None, status: int,
                 etag: str | None, last_modified: str | None, fetched_at: dt.datetime,
                 lastmod: dt.datetime | None = None, next_due_at: dt.datetime | None = None
                 ) -> None:
    """Remember one fetch of ``url``; a 304 without validators keeps the stored ones."""
    row = session.get(UrlStateRow, url) or new_url_state(session, url, fetched_at)
    apply_fetch(row, site=site, status=status, etag=etag, last_modified=last_modified,
                fetched_at=fetched_at, lastmod=lastmod)
    row.next_due_at = next_due_at


def new_url_state(session: Session, url: str, discovered_at: dt.datetime) -> UrlStateRow:
    """A new ``url_state`` row for ``url``, added to ``session``."""
    row = UrlStateRow(url=url, discovered_at=discovered_at)
    session.add(row)
    return row


def apply_fetch(row: UrlStateRow, *, site: str | None, status: int, etag: str | None,
                last_modified: str | None, fetched_at: dt.datetime,
                lastmod: dt.datetime | None = None) -> None:
    """Note one fetch in ``row``; a 304 without validators keeps the stored ones (the next
    re-check, ``next_due_at``, is the caller's to set)."""
    row.site = site or row.site
    row.last_fetched_at = fetched_at
    row.last_status = status
    if status != NOT_MODIFIED or etag is not None:
        row.etag = etag
    if status != NOT_MODIFIED or last_modified is not None:
        row.last_modified = last_modified
    row.lastmod = lastmod or row.lastmod


def mark_seen(session: Session, sightings: Sequence[SightingRecord],
              recheck: RecheckSchedule | None = None) -> int:
    """Articles confirmed unchanged (a 304 to a conditional GET of one of their URLs, or a
    byte-identical body): move ``last_seen_at`` forward and note the fetch in ``url_state``,
    with its next re-check from ``recheck`` (none given: ``next_due_at`` is left as it is).
    Returns the articles touched.

    One query per table for the whole batch (its articles, aliases and url_state rows).
    """
    urls = sorted({s.url for s in sightings})
    by_url: dict[str, list[Article]] = {}
    states: dict[str, UrlStateRow] = {}
    for start in range(0, len(urls), IN_CHUNK):
        chunk = urls[start:start + IN_CHUNK]
        wanted = set(chunk)
        aliased = dict(session.execute(
            select(UrlAlias.alias_url, UrlAlias.article_id).where(UrlAlias.alias_url.in_(chunk))).all())
        articles = session.scalars(select(Article).where(
            or_(Article.canonical_url.in_(chunk), Article.id.in_(set(aliased.values()))))).all()
        by_id = {a.id: a for a in articles}
        for article in articles:
            if article.canonical_url in wanted:
                by_url.setdefault(article.canonical_url, []).append(article)
        for url, article_id in aliased.items():
            if article_id in by_id:
                by_url.setdefault(url, []).append(by_id[article_id])
        states.update((row.url, row) for row in session.scalars(
            select(UrlStateRow).where(UrlStateRow.url.in_(chunk))))
    touched = set()
    for seen in sightings:
        articles = by_url.get(seen.url, [])
        for article in articles:
            article.last_seen_at = max(article.last_seen_at, seen.seen_at)
            touched.add(article.id)
        row = states.get(seen.url)
        if row is not None:
            apply_fetch(row, site=None, status=seen.status, etag=seen.etag,
                        last_modified=seen.last_modified, fetched_at=seen.seen_at)
            if recheck is not None:
                born = max((age_origin(a) for a in articles), default=row.discovered_at or seen.seen_at)
                row.next_due_at = recheck.next_check(born, seen.seen_at)
    return len(touched)


def age_origin(article: Article) -> dt.datetime:
    """Where an article's age counts from: its publication, or when it was first seen."""
    return article.published_at or article.first_seen_at


def known_urls(session: Session, urls: Sequence[str]) -> dict[str, KnownUrl]:
    """The ``url_state`` of those of ``urls`` fetched before, with the SHA-256 of each one's
    newest capture: one query per ``IN_CHUNK`` URLs."""
    newest_sha = (select(Capture.sha256).where(Capture.url == UrlStateRow.url)
                  .order_by(Capture.fetched_at.desc(), Capture.id.desc()).limit(1)
                  .correlate(UrlStateRow).scalar_subquery())
    wanted = sorted(set(urls))
    found: dict[str, KnownUrl] = {}
    for start in range(0, len(wanted), IN_CHUNK):
        chunk = wanted[start:start + IN_CHUNK]
        for url, fetched_at, due, sha in session.execute(
                select(UrlStateRow.url, UrlStateRow.last_fetched_at, UrlStateRow.next_due_at, newest_sha)
                .where(UrlStateRow.url.in_(chunk))):
            found[url] = KnownUrl(url=url, last_fetched_at=fetched_at, next_due_at=due,
                                  capture_sha256=sha)
    return found


def due_urls(session: Session, site: str, now: dt.datetime, limit: int) -> list[KnownUrl]:
    """The site's URLs fetched before whose re-check is due at ``now`` (``next_due_at`` passed,
    or unset on rows written before re-checks were scheduled), longest overdue first, at most
    ``limit``; with each one's newest capture hash."""
    newest_sha = (select(Capture.sha256).where(Capture.url == UrlStateRow.url)
                  .order_by(Capture.fetched_at.desc(), Capture.id.desc()).limit(1)
                  .correlate(UrlStateRow).scalar_subquery())
    rows = session.execute(
        select(UrlStateRow.url, UrlStateRow.last_fetched_at, UrlStateRow.next_due_at, newest_sha)
        .where(UrlStateRow.site == site, UrlStateRow.last_fetched_at.is_not(None),
               or_(UrlStateRow.next_due_at.is_(None), UrlStateRow.next_due_at <= now))
        .order_by(UrlStateRow.next_due_at.is_not(None), UrlStateRow.next_due_at, UrlStateRow.url)
        .limit(limit))
    return [KnownUrl(url=url, last_fetched_at=fetched, next_due_at=due, capture_sha256=sha)
            for url, fetched, due, sha in rows]
