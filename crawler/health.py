"""A site's health in one run, judged from the run's own figures and the site's recent history.

Pure: Scrapy stats in, :class:`storage.SiteRun` (figures) and a verdict out; the caller reads
the history from the archive and hands it in. Verdicts: ``healthy``; ``degraded`` (the site was
crawled but looks broken: a redesign, a bot wall, a dead sitemap); ``failed`` (nothing could be
fetched: every start URL failed, or the archive could not take the articles).

Why not Spidermon: its monitors judge one spider's stats against fixed thresholds inside that
spider's process; the verdict here compares each site with its own earlier runs read from the
archive, and ``crawlall`` needs one verdict per site and one alert for the whole run across
several crawlers. The rules below are a few comparisons; the alert is one JSON POST
(:mod:`crawler.alerts`).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from storage import SiteRun

#: Exit codes of ``crawl`` and ``crawlall`` (``3``: another run holds the lock).
EXIT_CODES = {"healthy": 0, "failed": 1, "degraded": 2}
EXIT_LOCKED = 3
_DROP_PREFIX = "validate/dropped/"
#: Drop reasons of a page that holds no article: none declared, no HTML at all (a PDF, JSON,
#: binary data), or nested past what the parser reads.
_NOT_ARTICLE_REASONS = ("not_an_article", "not_html", "too_deep")

_COVERAGE = ("title", "body", "date", "articles")


def _not_articles(dropped: dict[str, int]) -> int:
    """Pages dropped as holding no article (:data:`_NOT_ARTICLE_REASONS`)."""
    return sum(dropped.get(reason, 0) for reason in _NOT_ARTICLE_REASONS)


@dataclass(frozen=True)
class Thresholds:
    """When a site counts as degraded (settings ``HEALTH_*``)."""

    #: the site's runs compared with
    history_runs: int = 10
    #: earlier runs with pages needed before coverage is compared with history
    min_history: int = 2
    #: article pages parsed in this run before shares and coverage are judged
    min_pages: int = 3
    #: a coverage share (title, body, date, pages that became articles) this much below the
    #: median of the site's earlier runs
    coverage_drop: float = 0.3
    #: share of parsed pages dropped as not an article
    not_article_share: float = 0.5
    #: share of parsed pages that were bot checks or consent walls
    soft_block_share: float = 0.3
    #: share of requests that failed for good
    error_share: float = 0.5

    @classmethod
    def from_settings(cls, settings: Any) -> Thresholds:
        return cls(
            history_runs=settings.getint("HEALTH_HISTORY_RUNS", cls.history_runs),
            min_history=settings.getint("HEALTH_MIN_HISTORY", cls.min_history),
            min_pages=settings.getint("HEALTH_MIN_PAGES", cls.min_pages),
            coverage_drop=settings.getfloat("HEALTH_COVERAGE_DROP", cls.coverage_drop),
            not_article_share=settings.getfloat("HEALTH_NOT_ARTICLE_SHARE", cls.not_article_share),
            soft_block_share=settings.getfloat("HEALTH_SOFT_BLOCK_SHARE", cls.soft_block_share),
            error_share=settings.getfloat("HEALTH_ERROR_SHARE", cls.error_share),
        )


def site_run_from_stats(site: str, stats: Mapping[str, Any], start_urls: int) -> SiteRun:
    """The figures of one site's crawl from its crawler's stats (verdict not judged yet)."""

    def get(name: str) -> int:
        return int(stats.get(name, 0) or 0)

    def total(prefix: str) -> int:
        return sum(int(v) for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int))

    dropped = {k[len(_DROP_PREFIX):]: int(v) for k, v in stats.items()
               if k.startswith(_DROP_PREFIX) and isinstance(v, int)}
    parsed, passed = get("article/parsed"), get("validate/passed")
    figures: dict[str, Any] = {
        "parsed": parsed,
        "passed": passed,
        "no_date": get("validate/no_date"),
        "start_urls": start_urls,
        "start_failed": get("start/failed"),
        "requests_failed": total("request/failed/"),
        "spooled": get("archive/spooled"),
        "replayed": get("archive/replayed"),
        "archive_unavailable": get("archive/unavailable") + get("archive/not_migrated"),
        "finish_reason": stats.get("finish_reason"),
        # entries and sitemaps left out on purpose (-a since=): fewer links is no breakage then
        "skipped_by_since": get("discovery/skipped_older_than_since")
        + get("discovery/skipped_sitemap_older_than_since"),
    }
    if "archive/spool_left" in stats:  # articles still spooled when the crawl ended
        figures["spool_left"] = get("archive/spool_left")
    if stats.get("frontier/shared"):  # one worker of a shared frontier: its share of the listings
        figures["distributed"] = True
    if parsed:
        figures["coverage"] = {
            "title": round(1 - dropped.get("missing_title", 0) / parsed, 4),
            "body": round(1 - (dropped.get("empty_body", 0) + _not_articles(dropped)) / parsed, 4),
            "date": round((passed - get("validate/no_date")) / parsed, 4),
            "articles": round(passed / parsed, 4),
        }
    return SiteRun(
        site=site,
        discovered=get("discovery/article_links"),
        fetched=get("downloader/response_count"),
        not_modified=get("downloader/response_status_count/304"),
        new_articles=get("archive/new"),
        new_versions=get("archive/version"),
        unchanged=get("archive/unchanged"),
        dropped=dropped,
        errors=figures["requests_failed"] + total("spider_exceptions/"),
        bytes=get("downloader/response_bytes"),
        figures=figures,
    )


def judge(run: SiteRun, history: Sequence[SiteRun], limits: Thresholds) -> tuple[str, list[str]]:
    """The verdict of ``run`` and its reasons, against the site's earlier runs ``history``."""
    f = run.figures
    start_urls, start_failed = f.get("start_urls", 0), f.get("start_failed", 0)
    if start_urls and start_failed >= start_urls:
        return "failed", [f"every start URL failed ({start_failed} of {start_urls})"]
    spooled = f.get("spooled", 0)
    left = f.get("spool_left", spooled)
    if left or (f.get("archive_unavailable") and not spooled):
        return "failed", [f"the archive could not be written: {left} articles spooled for the next run"]
    reasons: list[str] = []
    if spooled or f.get("archive_unavailable"):
        reasons.append(f"the archive could not be written for a while: {spooled} articles spooled, "
                       f"stored when it came back ({f.get('replayed', 0)} replayed)")
    if start_failed:
        reasons.append(f"{start_failed} of {start_urls} start URLs failed")
    parsed = f.get("parsed", 0)
    earlier = [h for h in history if h.figures.get("parsed", 0) >= limits.min_pages]
    usual_links = _median(h.discovered for h in history)
    if run.discovered == 0 and usual_links and not f.get("skipped_by_since") and not f.get("distributed"):
        reasons.append(f"no article links discovered (usually {usual_links:g})")
    if parsed >= limits.min_pages:
        not_article = _not_articles(run.dropped)
        if not_article / parsed > limits.not_article_share:
            reasons.append(f"{not_article} of {parsed} pages dropped as not an article")
        blocked = run.dropped.get("soft_block", 0)
        if blocked / parsed > limits.soft_block_share:
            reasons.append(f"{blocked} of {parsed} pages were bot checks or consent walls")
        if len(earlier) >= limits.min_history:
            now = f.get("coverage", {})
            for field in _COVERAGE:
                usual = _median(h.figures.get("coverage", {}).get(field) for h in earlier)
                if usual is not None and field in now and usual - now[field] > limits.coverage_drop:
                    reasons.append(f"{field} coverage {now[field]:.0%} (usually {usual:.0%})")
    requests = run.fetched + f.get("requests_failed", 0)
    if requests >= limits.min_pages and f.get("requests_failed", 0) / requests > limits.error_share:
        reasons.append(f"{f['requests_failed']} of {requests} requests failed")
    return ("degraded" if reasons else "healthy"), reasons


def overall(site_runs: Sequence[SiteRun]) -> tuple[str, list[str], int]:
    """The run's verdict, reasons (``site: reason``) and exit code from its sites' verdicts:
    failed when every site failed, degraded when any site is not healthy."""
    reasons = [f"{r.site}: {why}" for r in site_runs for why in r.reasons]
    verdicts = {r.verdict for r in site_runs}
    if not site_runs or verdicts == {"failed"}:
        verdict = "failed"
    elif verdicts - {"healthy"}:
        verdict = "degraded"
    else:
        verdict = "healthy"
    return verdict, reasons, EXIT_CODES[verdict]


def summary_line(run: SiteRun) -> str:
    """One log line per site at the end of a run: its verdict and counts."""
    dropped = sum(run.dropped.values())
    line = (f"{run.site}: {run.verdict} - {run.discovered} discovered, {run.fetched} fetched, "
            f"{run.not_modified} not modified, {run.new_articles} new, {run.new_versions} new "
            f"versions, {run.unchanged} unchanged, {dropped} dropped, {run.errors} errors, "
            f"{run.bytes / 1e6:.1f} MB")
    return line + (f" ({'; '.join(run.reasons)})" if run.reasons else "")


def _median(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None
