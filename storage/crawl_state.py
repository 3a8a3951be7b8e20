"""Crawl bookkeeping: per-URL fetch state (``url_state``); crawl runs are in :mod:`storage.runs`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from storage.models import Article, UrlAlias, UrlStateRow
from storage.records import UrlState

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
                fetched_at=fetched_at, lastmod=lastmod, next_due_at=next_due_at)


def new_url_state(session: Session, url: str, discovered_at: dt.datetime) -> UrlStateRow:
    """A new ``url_state`` row for ``url``, added to ``session``."""
    row = UrlStateRow(url=url, discovered_at=discovered_at)
    session.add(row)
    return row


def apply_fetch(row: UrlStateRow, *, site: str | None, status: int, etag: str | None,
                last_modified: str | None, fetched_at: dt.datetime,
                lastmod: dt.datetime | None = None, next_due_at: dt.datetime | None = None) -> None:
    """Note one fetch in ``row``; a 304 without validators keeps the stored ones."""
    row.site = site or row.site
    row.last_fetched_at = fetched_at
    row.last_status = status
    if status != NOT_MODIFIED or etag is not None:
        row.etag = etag
    if status != NOT_MODIFIED or last_modified is not None:
        row.last_modified = last_modified
    row.lastmod = lastmod or row.lastmod
    row.next_due_at = next_due_at


def mark_seen(session: Session, sightings: Sequence[tuple[str, dt.datetime]]) -> int:
    """Articles confirmed unchanged (a 304 to a conditional GET of one of their URLs): move
    ``last_seen_at`` forward and note the fetch in ``url_state``. Returns the articles touched.

    One query per table for the whole batch (its articles, aliases and url_state rows).
    """
    urls = sorted({url for url, _ in sightings})
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
    for url, seen_at in sightings:
        for article in by_url.get(url, ()):
            article.last_seen_at = max(article.last_seen_at, seen_at)
            touched.add(article.id)
        row = states.get(url)
        if row is not None:
            row.last_fetched_at = seen_at
            row.last_status = NOT_MODIFIED
    return len(touched)
