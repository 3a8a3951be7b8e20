"""Run records (``crawl_runs`` and ``crawl_run_sites``): what each crawl, crawlall and reparse
did per site, with its verdict; read back for ``scrapy archive runs``, ``scrapy sites`` and to
judge a site's health against its own recent history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storage.models import Article, CrawlRun, CrawlRunSite, Site
from storage.records import RunRecord, SiteRun

VERDICTS = ("healthy", "degraded", "failed")
_SITE_COLUMNS = ("verdict", "reasons", "discovered", "fetched", "not_modified", "new_articles",
                 "new_versions", "unchanged", "dropped", "errors", "bytes", "figures")


def start_run(session: Session, kind: str, sites: Sequence[str], started_at: dt.datetime) -> int:
    """A new run row (unfinished: no verdict yet); returns its id."""
    run = CrawlRun(kind=kind, started_at=started_at, sites=list(sites))
    session.add(run)
    session.flush()
    return run.id


def record_site(session: Session, run_id: int, site_run: SiteRun) -> None:
    """Store (or replace) one site's figures and verdict in run ``run_id``."""
    _check_verdict(site_run.verdict)
    _run(session, run_id)
    session.execute(delete(CrawlRunSite).where(CrawlRunSite.run_id == run_id,
                                               CrawlRunSite.site == site_run.site))
    session.add(CrawlRunSite(run_id=run_id, site=site_run.site,
                             **{name: getattr(site_run, name) for name in _SITE_COLUMNS}))


def finish_run(session: Session, run_id: int, *, verdict: str, reasons: Sequence[str],
               exit_code: int, finished_at: dt.datetime, counts: dict[str, Any] | None = None
               ) -> None:
    """Close run ``run_id`` with its overall verdict and the exit code the command returns."""
    _check_verdict(verdict)
    run = _run(session, run_id)
    run.finished_at = finished_at
    run.verdict = verdict
    run.reasons = list(reasons)
    run.healthy = verdict == "healthy"
    run.exit_code = exit_code
    run.counts = dict(counts or {})


def site_history(session: Session, site: str, limit: int, before_run: int | None = None
                 ) -> list[SiteRun]:
    """The site's figures in its ``limit`` newest finished runs (newest first), not counting
    run ``before_run`` and later ones."""
    stmt = (select(CrawlRunSite).join(CrawlRun, CrawlRun.id == CrawlRunSite.run_id)
            .where(CrawlRunSite.site == site, CrawlRun.finished_at.is_not(None),
                   CrawlRun.kind != "reparse")
            .order_by(CrawlRun.id.desc()).limit(limit))
    if before_run is not None:
        stmt = stmt.where(CrawlRun.id < before_run)
    return [_site_run(row) for row in session.scalars(stmt)]


def recent_runs(session: Session, last: int) -> list[RunRecord]:
    """The ``last`` newest runs, newest first, each with its per-site rows."""
    runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(last)))
    by_run: dict[int, list[SiteRun]] = {}
    if runs:
        for row in session.scalars(select(CrawlRunSite).where(
                CrawlRunSite.run_id.in_([r.id for r in runs])).order_by(CrawlRunSite.site)):
            by_run.setdefault(row.run_id, []).append(_site_run(row))
    return [RunRecord(id=r.id, kind=r.kind, started_at=r.started_at, finished_at=r.finished_at,
                      sites=list(r.sites or ()), verdict=r.verdict or _old_verdict(r),
                      reasons=list(r.reasons or ()), exit_code=r.exit_code,
                      site_runs=by_run.get(r.id, []), counts=dict(r.counts or {}))
            for r in runs]


def last_run_verdicts(session: Session) -> dict[str, str]:
    """Per site slug, its verdict in the newest run that included it: ``healthy``,
    ``degraded``, ``failed`` or ``unfinished`` (reparse runs do not count)."""
    verdicts: dict[str, str] = {}
    site_rows: dict[int, dict[str, str]] = {}
    for row in session.execute(select(CrawlRunSite.run_id, CrawlRunSite.site, CrawlRunSite.verdict)):
        site_rows.setdefault(row.run_id, {})[row.site] = row.verdict
    runs = session.scalars(select(CrawlRun).where(func.coalesce(CrawlRun.kind, "crawl") != "reparse")
                           .order_by(CrawlRun.started_at, CrawlRun.id))
    for run in runs:
        overall = "unfinished" if run.finished_at is None else (run.verdict or _old_verdict(run))
        own = site_rows.get(run.id, {})
        for slug in run.sites or ():
            verdicts[slug] = own.get(slug, overall or "unfinished")
    return verdicts


def newest_published(session: Session, sites: Sequence[str]) -> dict[str, dt.datetime]:
    """Per site slug, the publication time of its newest archived article whose date the page
    gave (first-seen fallbacks do not count); sites without one are absent."""
    rows = session.execute(
        select(Site.slug, func.max(Article.published_at))
        .join(Article, Article.site_id == Site.id)
        .where(Site.slug.in_(list(sites)), Article.date_is_fallback.is_(False),
               Article.published_at.is_not(None))
        .group_by(Site.slug))
    return {slug: published for slug, published in rows if published is not None}


def _run(session: Session, run_id: int) -> CrawlRun:
    run = session.get(CrawlRun, run_id)
    if run is None:
        raise LookupError(f"no crawl run {run_id}")
    return run


def _check_verdict(verdict: str) -> None:
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}, got {verdict!r}")


def _old_verdict(run: CrawlRun) -> str | None:
    """Runs recorded before verdicts existed had only ``healthy``."""
    return None if run.healthy is None else "healthy" if run.healthy else "failed"


def _site_run(row: CrawlRunSite) -> SiteRun:
    return SiteRun(site=row.site, **{name: getattr(row, name) for name in _SITE_COLUMNS})
