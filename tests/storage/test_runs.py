"""Run records: a run and its per-site rows, history for health, verdicts for ``scrapy sites``."""

from __future__ import annotations

import datetime as dt

import pytest

from storage import Archive, ArchiveError, SiteRun
from tests.storage.factory import DAY1, make_record


def _site(site: str, verdict: str = "healthy", **figures: int) -> SiteRun:
    return SiteRun(site=site, verdict=verdict, reasons=[] if verdict == "healthy" else ["why"],
                   discovered=12, fetched=10, not_modified=3, new_articles=5, new_versions=1,
                   unchanged=1, dropped={"not_an_article": 2}, errors=1, bytes=3_000_000_000,
                   figures={"parsed": 7, **figures})


def test_a_run_with_its_sites_reads_back(archive: Archive) -> None:
    run_id = archive.start_run("crawlall", ["variety", "deadline"])
    (unfinished,) = archive.runs()
    assert (unfinished.id, unfinished.verdict, unfinished.finished_at) == (run_id, None, None)
    archive.record_site_run(run_id, _site("variety"))
    archive.record_site_run(run_id, _site("deadline", "degraded"))
    archive.record_site_run(run_id, _site("deadline", "degraded", parsed=9))  # replaces, no duplicate
    archive.finish_run(run_id, "degraded", ["deadline: why"], 2, counts={"pages": 17})
    (run,) = archive.runs()
    assert (run.kind, run.verdict, run.reasons, run.exit_code) == (
        "crawlall", "degraded", ["deadline: why"], 2)
    assert run.finished_at is not None and run.finished_at >= run.started_at
    assert [(s.site, s.verdict, s.figures["parsed"]) for s in run.site_runs] == [
        ("deadline", "degraded", 9), ("variety", "healthy", 7)]
    assert run.site_runs[1].bytes == 3_000_000_000  # past 32 bits
    assert run.site_runs[1].dropped == {"not_an_article": 2}
    # the same figures are there for SQL users
    _, rows = archive.query("SELECT site, verdict, new_articles FROM crawl_run_sites ORDER BY site")
    assert rows == [("deadline", "degraded", 5), ("variety", "healthy", 5)]


def test_unknown_verdicts_and_runs_are_refused(archive: Archive) -> None:
    run_id = archive.start_run("crawl", ["variety"])
    with pytest.raises(ArchiveError, match="verdict must be one of"):
        archive.record_site_run(run_id, _site("variety", "fine"))
    with pytest.raises(ArchiveError, match="no crawl run"):
        archive.finish_run(run_id + 1, "healthy", [], 0)


def test_history_is_finished_crawls_of_the_site_newest_first(archive: Archive) -> None:
    ids = []
    for parsed in (4, 5, 6):
        run_id = archive.start_run("crawl", ["variety"])
        archive.record_site_run(run_id, _site("variety", parsed=parsed))
        archive.record_site_run(run_id, _site("deadline", parsed=100))
        archive.finish_run(run_id, "healthy", [], 0)
        ids.append(run_id)
    reparse = archive.start_run("reparse", ["variety"])
    archive.record_site_run(reparse, _site("variety", parsed=99))
    archive.finish_run(reparse, "healthy", [], 0)
    running = archive.start_run("crawl", ["variety"])
    archive.record_site_run(running, _site("variety", parsed=98))  # not finished: not history

    assert [h.figures["parsed"] for h in archive.site_history("variety")] == [6, 5, 4]
    assert [h.figures["parsed"] for h in archive.site_history("variety", limit=2)] == [6, 5]
    assert [h.figures["parsed"] for h in archive.site_history("variety", before_run=ids[2])] == [5, 4]
    assert archive.site_history("cbr") == []


def test_last_verdict_per_site_ignores_reparse_runs(archive: Archive) -> None:
    first = archive.start_run("crawlall", ["variety", "deadline"])
    archive.record_site_run(first, _site("variety"))
    archive.record_site_run(first, _site("deadline", "degraded"))
    archive.finish_run(first, "degraded", ["deadline: why"], 2)
    reparse = archive.start_run("reparse", ["variety"])
    archive.finish_run(reparse, "failed", ["broken"], 1)
    archive.start_run("crawl", ["cbr"])  # still going
    assert archive.last_run_verdicts() == {"variety": "healthy", "deadline": "degraded",
                                           "cbr": "unfinished"}


def test_newest_published_per_site_skips_fallback_dates(archive: Archive) -> None:
    archive.store([
        make_record("https://variety.example/a-1/", published_at=DAY1),
        make_record("https://variety.example/b-2/", published_at=DAY1 + dt.timedelta(days=3)),
        # no date on the page: stored under its first-seen day, which does not count
        make_record("https://variety.example/c-3/", published_at=None,
                    fetched_at=DAY1 + dt.timedelta(days=9)),
        make_record("https://deadline.example/d-4/", site="deadline", published_at=DAY1),
    ])
    assert archive.newest_published(["variety", "deadline", "cbr"]) == {
        "variety": DAY1 + dt.timedelta(days=3), "deadline": DAY1}
