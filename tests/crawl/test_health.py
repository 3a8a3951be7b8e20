"""Health verdicts from a run's figures and the site's own history (crawler/health.py)."""

from __future__ import annotations

from crawler import health
from storage import SiteRun

LIMITS = health.Thresholds()


def stats(**counts: int) -> dict[str, int]:
    """Scrapy stats of a site crawl: 20 article links, 20 pages parsed and stored, dated."""
    base = {"discovery/article_links": 20, "downloader/response_count": 23,
            "downloader/response_bytes": 2_500_000, "article/parsed": 20, "validate/passed": 20,
            "archive/new": 18, "archive/version": 1, "archive/unchanged": 1}
    base.update({k.replace("__", "/"): v for k, v in counts.items()})
    return base


def run_of(start_urls: int = 2, **counts: int) -> SiteRun:
    return health.site_run_from_stats("variety", stats(**counts), start_urls)


def history(runs: int = 3) -> list[SiteRun]:
    return [run_of() for _ in range(runs)]


def test_figures_come_from_the_crawl_stats() -> None:
    run = run_of(validate__dropped__not_an_article=2, validate__dropped__empty_body=1,
                 validate__passed=17, validate__no_date=5, request__failed__HttpError=2,
                 **{"downloader/response_status_count/304": 4})
    assert (run.discovered, run.fetched, run.not_modified, run.new_articles, run.new_versions,
            run.unchanged, run.errors, run.bytes) == (20, 23, 4, 18, 1, 1, 2, 2_500_000)
    assert run.dropped == {"not_an_article": 2, "empty_body": 1}
    assert run.figures["coverage"] == {"title": 1.0, "body": 0.85, "date": 0.6, "articles": 0.85}


def test_a_normal_run_is_healthy() -> None:
    assert health.judge(run_of(), history(), LIMITS) == ("healthy", [])
    assert health.judge(run_of(), [], LIMITS) == ("healthy", [])


def test_every_start_url_failing_is_a_failed_site() -> None:
    run = run_of(start__failed=2, article__parsed=0, validate__passed=0,
                 discovery__article_links=0)
    verdict, reasons = health.judge(run, history(), LIMITS)
    assert verdict == "failed" and reasons == ["every start URL failed (2 of 2)"]
    verdict, reasons = health.judge(run_of(start__failed=1), history(), LIMITS)
    assert verdict == "degraded" and reasons == ["1 of 2 start URLs failed"]


def test_articles_spooled_because_the_archive_failed_is_a_failed_site() -> None:
    verdict, reasons = health.judge(run_of(archive__spooled=20), history(), LIMITS)
    assert verdict == "failed" and "20 articles spooled" in reasons[0]


def test_no_links_where_there_usually_are_some_is_degraded() -> None:
    quiet = run_of(discovery__article_links=0, article__parsed=0, validate__passed=0)
    assert health.judge(quiet, history(), LIMITS) == (
        "degraded", ["no article links discovered (usually 20)"])
    # a site that never had links (a new feed) is not judged by history it does not have
    assert health.judge(quiet, [], LIMITS) == ("healthy", [])
    # nor a run told to skip what is older than a day (-a since=): its sitemaps were left out
    skipped = run_of(discovery__article_links=0, article__parsed=0, validate__passed=0,
                     discovery__skipped_sitemap_older_than_since=3)
    assert health.judge(skipped, history(), LIMITS) == ("healthy", [])


def test_a_redesign_that_loses_dates_is_degraded_against_history_only() -> None:
    redesigned = run_of(validate__no_date=18)
    verdict, reasons = health.judge(redesigned, history(), LIMITS)
    assert verdict == "degraded" and reasons == ["date coverage 10% (usually 100%)"]
    # one earlier run is not yet a history (HEALTH_MIN_HISTORY = 2) ...
    assert health.judge(redesigned, history(1), LIMITS)[0] == "healthy"
    # ... and a small drop is within the threshold
    assert health.judge(run_of(validate__no_date=4), history(), LIMITS)[0] == "healthy"


def test_most_pages_not_articles_or_blocked_is_degraded_without_history() -> None:
    run = run_of(validate__dropped__not_an_article=15, validate__passed=5)
    verdict, reasons = health.judge(run, [], LIMITS)
    assert verdict == "degraded" and reasons == ["15 of 20 pages dropped as not an article"]
    run = run_of(validate__dropped__soft_block=8, validate__passed=12)
    assert health.judge(run, [], LIMITS) == (
        "degraded", ["8 of 20 pages were bot checks or consent walls"])
    # two pages are too few to judge a share by
    few = run_of(article__parsed=2, validate__passed=0, validate__dropped__not_an_article=2)
    assert health.judge(few, [], LIMITS)[0] == "healthy"


def test_many_failed_requests_is_degraded() -> None:
    run = run_of(request__failed__TimeoutError=30)
    verdict, reasons = health.judge(run, [], LIMITS)
    assert verdict == "degraded" and reasons == ["30 of 53 requests failed"]


def test_thresholds_are_settings() -> None:
    from scrapy.settings import Settings

    limits = health.Thresholds.from_settings(Settings({"HEALTH_COVERAGE_DROP": "0.05",
                                                       "HEALTH_MIN_HISTORY": "1"}))
    assert (limits.coverage_drop, limits.min_history) == (0.05, 1)
    verdict, _ = health.judge(run_of(validate__no_date=4), history(1), limits)
    assert verdict == "degraded"


def test_the_run_verdict_and_exit_code_follow_the_sites() -> None:
    healthy, degraded, failed = (SiteRun(site="a"), SiteRun(site="b", verdict="degraded",
                                 reasons=["x"]), SiteRun(site="c", verdict="failed", reasons=["y"]))
    assert health.overall([healthy, healthy]) == ("healthy", [], 0)
    assert health.overall([healthy, degraded]) == ("degraded", ["b: x"], 2)
    assert health.overall([healthy, failed]) == ("degraded", ["c: y"], 2)
    assert health.overall([failed, failed]) == ("failed", ["c: y", "c: y"], 1)
    assert health.overall([]) == ("failed", [], 1)
