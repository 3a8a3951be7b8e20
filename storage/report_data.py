"""What ``scrapy archive report`` shows, as plain data (no HTML): articles per site per day,
field coverage per site, removed segments per rule, crawl verdicts per run and site, and the
newest articles of each site.

Every figure is aggregated by the database (GROUP BY, COUNT): no article is loaded except the
few newest of each site, so an archive of millions of articles gives a report
of a few thousand numbers. The same queries run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, case, func, literal, select
from sqlalchemy.orm import Session

from storage.models import Article, CrawlRun, CrawlRunSite, RemovedSegment, Site

#: Articles of no site (rows stored before every article had one) are shown under this name.
NO_SITE = "(no site)"
#: The longest window of the articles-per-day figures.
MAX_DAYS = 36_525
#: The fields whose coverage is counted, in display order.
COVERAGE_FIELDS = ("title", "authors", "date", "image", "section")


@dataclass(frozen=True)
class SiteCoverage:
    """How many of a site's articles have each field (``date``: a date the page gave, not the
    first-seen fallback)."""

    site: str
    articles: int
    present: dict[str, int]

    def share(self, name: str) -> float:
        return self.present[name] / self.articles if self.articles else 0.0


@dataclass(frozen=True)
class RuleCount:
    """Segments one cleaning rule removed (from every stored version)."""

    rule: str
    segments: int


@dataclass(frozen=True)
class RunVerdicts:
    """One crawl run: when, its kind, its overall verdict (``unfinished`` while it runs or when
    it died) and each site's verdict."""

    id: int
    kind: str
    started_at: dt.datetime
    verdict: str
    sites: dict[str, str]


@dataclass(frozen=True)
class NewestArticle:
    site: str
    published_date: dt.date
    date_is_fallback: bool
    title: str | None
    canonical_url: str
    authors: list[str]


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows. ``daily`` covers ``first_day``..``last_day`` (days without
    articles are absent); ``before_window`` counts the articles published before it."""

    articles: int
    oldest: dt.date | None
    newest: dt.date | None
    first_day: dt.date
    last_day: dt.date
    daily: dict[str, dict[dt.date, int]]
    before_window: int
    coverage: list[SiteCoverage]
    removed: list[RuleCount]
    rules: int
    runs: list[RunVerdicts]
    newest_articles: dict[str, list[NewestArticle]] = field(default_factory=dict)


def report_data(session: Session, *, days: int = 90, runs: int = 30, newest: int = 5,
                rules: int = 25, today: dt.date | None = None) -> ReportData:
    """The report's figures.

    ``daily`` covers the ``days`` days up to the newest publication day (or ``today``, when
    articles claim later dates); ``runs``: the newest crawl runs (reparse runs are not crawls),
    oldest first; ``newest``: articles per site; ``rules``: the rules that removed the most
    segments.
    """
    if days < 1 or runs < 1 or newest < 1 or rules < 1:
        raise ValueError("days, runs, newest and rules must be at least 1")
    if days > MAX_DAYS:
        raise ValueError(f"days must be at most {MAX_DAYS} (a century)")
    today = today or dt.datetime.now(dt.UTC).date()
    articles, oldest, newest_day = session.execute(
        select(func.count(Article.id), func.min(Article.published_date),
               func.max(Article.published_date))).one()
    last_day = min(newest_day or today, today)
    first_day = last_day - dt.timedelta(days=days - 1)
    removed = _removed(session)
    return ReportData(
        articles=articles, oldest=oldest, newest=newest_day, first_day=first_day, last_day=last_day,
        daily=_daily(session, first_day, last_day),
        before_window=session.scalar(select(func.count(Article.id))
                                     .where(Article.published_date < first_day)) or 0,
        coverage=_coverage(session), removed=removed[:rules], rules=len(removed),
        runs=_runs(session, runs), newest_articles=_newest(session, newest),
    )


def _site_name() -> ColumnElement[str]:
    return func.coalesce(Site.slug, literal(NO_SITE))


def _daily(session: Session, first: dt.date, last: dt.date) -> dict[str, dict[dt.date, int]]:
    site = _site_name()
    rows = session.execute(
        select(site, Article.published_date, func.count(Article.id))
        .select_from(Article).outerjoin(Site, Article.site_id == Site.id)
        .where(Article.published_date.between(first, last))
        .group_by(site, Article.published_date))
    daily: dict[str, dict[dt.date, int]] = {}
    for slug, day, count in rows:
        daily.setdefault(slug, {})[day] = count
    return daily


def _nonempty(column: ColumnElement[str | None]) -> ColumnElement[bool]:
    return and_(column.is_not(None), column != "")


def _has_authors(dialect: str) -> ColumnElement[bool]:
    """A non-empty ``authors`` list (a JSON array; a JSON null or scalar counts as none)."""
    if dialect == "postgresql":
        length = case((func.jsonb_typeof(Article.authors) == "array",
                       func.jsonb_array_length(Article.authors)), else_=0)
    else:
        length = func.json_array_length(Article.authors)
    return func.coalesce(length, 0) > 0


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


def _coverage(session: Session) -> list[SiteCoverage]:
    site = _site_name()
    conditions = {
        "title": _nonempty(Article.title),
        "authors": _has_authors(session.get_bind().dialect.name),
        "date": Article.date_is_fallback.is_(False),
        "image": _nonempty(Article.image_url),
        "section": _nonempty(Article.section),
    }
    total = func.count(Article.id)
    rows = session.execute(
        select(site, total, *(_count_if(conditions[name]) for name in COVERAGE_FIELDS))
        .select_from(Article).outerjoin(Site, Article.site_id == Site.id)
        .group_by(site).order_by(total.desc(), site))
    return [SiteCoverage(slug, count, dict(zip(COVERAGE_FIELDS, map(int, present), strict=True)))
            for slug, count, *present in rows]


def _removed(session: Session) -> list[RuleCount]:
    """Every rule's count, most segments first: one scan of ``removed_segments`` and no join
    (counting distinct articles per rule would sort the whole table, several times slower).
    Rules are few (the cleaners' names, one learned rule per site)."""
    segments = func.count(RemovedSegment.id)
    rows = session.execute(select(RemovedSegment.rule, segments).group_by(RemovedSegment.rule)
                           .order_by(segments.desc(), RemovedSegment.rule))
    return [RuleCount(rule, count) for rule, count in rows]


def _runs(session: Session, limit: int) -> list[RunVerdicts]:
    """The ``limit`` newest crawl runs, oldest first. A site the run named without a row of its
    own (the run is going, died, or predates per-site rows) gets the run's overall verdict."""
    kind = func.coalesce(CrawlRun.kind, "crawl").label("kind")
    runs = session.execute(
        select(CrawlRun.id, kind, CrawlRun.started_at, CrawlRun.finished_at, CrawlRun.verdict,
               CrawlRun.healthy, CrawlRun.sites)
        .where(kind != "reparse").order_by(CrawlRun.id.desc()).limit(limit)).all()
    own: dict[int, dict[str, str]] = {run.id: {} for run in runs}
    if runs:
        for run_id, slug, verdict in session.execute(
                select(CrawlRunSite.run_id, CrawlRunSite.site, CrawlRunSite.verdict)
                .where(CrawlRunSite.run_id.in_(list(own)))):
            own[run_id][slug] = verdict
    verdicts = []
    for run in reversed(runs):
        overall = _overall(run.finished_at, run.verdict, run.healthy)
        sites = {slug: overall for slug in run.sites or ()} | own[run.id]
        verdicts.append(RunVerdicts(id=run.id, kind=run.kind, started_at=run.started_at,
                                    verdict=overall, sites=dict(sorted(sites.items()))))
    return verdicts


def _overall(finished_at: dt.datetime | None, verdict: str | None, healthy: bool | None) -> str:
    if finished_at is None:
        return "unfinished"
    if verdict:
        return verdict
    # runs recorded before verdicts existed had only ``healthy``
    return "unfinished" if healthy is None else "healthy" if healthy else "failed"


def _newest(session: Session, per_site: int) -> dict[str, list[NewestArticle]]:
    """The ``per_site`` newest articles (by publication day, then id) of every site: one query
    per site through its index (a window function over all articles sorts them all)."""
    site_ids = session.execute(select(Site.id, Site.slug)).all()
    newest: dict[str, list[NewestArticle]] = {}
    for site_id, slug in [*site_ids, (None, NO_SITE)]:
        owned = Article.site_id.is_(None) if site_id is None else Article.site_id == site_id
        rows = session.execute(
            select(Article.published_date, Article.date_is_fallback, Article.title,
                   Article.canonical_url, Article.authors)
            .where(owned).order_by(Article.published_date.desc(), Article.id.desc()).limit(per_site))
        articles = [NewestArticle(slug, day, bool(fallback), title, url,
                                  [str(a) for a in authors] if isinstance(authors, list) else [])
                    for day, fallback, title, url, authors in rows]
        if articles:
            newest[slug] = articles
    return newest
