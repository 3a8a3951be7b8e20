"""Large sites: a ``JOBDIR`` crawl keeps its waiting requests (Scrapy's disk queues) and its
seen-set (:class:`crawler.dupefilter.DiskDupeFilter`) on disk, so memory does not grow with the
number of URLs (the figure: ``python -m benchmarks --only memory``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from scrapy import Request
from scrapy.dupefilters import RFPDupeFilter
from scrapy.utils.test import get_crawler

from crawler.dupefilter import DB_NAME, DiskDupeFilter
from crawler.mirror import Mirror
from tests.crawl.conftest import run_crawl, stat


def dupefilter(**settings: object) -> RFPDupeFilter:
    return DiskDupeFilter.from_crawler(get_crawler(settings_dict=settings))


def seen_rows(jobdir: Path) -> int:
    with sqlite3.connect(jobdir / DB_NAME) as conn:
        return conn.execute("SELECT COUNT(*) FROM seen").fetchone()[0]


def test_without_jobdir_it_is_scrapys_filter_in_memory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    dupes = dupefilter()
    assert not dupes.request_seen(Request("https://example.com/a?x=1&y=2"))
    assert dupes.request_seen(Request("https://example.com/a?y=2&x=1"))  # same canonical URL
    assert not dupes.request_seen(Request("https://example.com/b"))
    dupes.close("finished")
    assert list(tmp_path.iterdir()) == []


def test_with_jobdir_the_seen_set_is_on_disk_and_survives_a_resume(tmp_path: Path) -> None:
    jobdir = tmp_path / "job"
    jobdir.mkdir()
    urls = [f"https://example.com/news/story-{i}/" for i in range(2500)]  # over one commit batch
    first = dupefilter(JOBDIR=str(jobdir))
    assert [first.request_seen(Request(u)) for u in urls] == [False] * len(urls)
    assert all(first.request_seen(Request(u)) for u in urls[::7])
    assert first.request_seen(Request(urls[0] + "#comments"))  # a fragment is the same request
    assert not first.request_seen(Request(urls[0], method="POST"))
    first.close("shutdown")
    assert seen_rows(jobdir) == len(urls) + 1
    assert not (jobdir / "requests.seen").exists(), "Scrapy's in-memory filter was used"

    # the job resumed: what the first run requested is still known, and new URLs are not
    again = dupefilter(JOBDIR=str(jobdir))
    assert all(again.request_seen(Request(u)) for u in urls)
    assert not again.request_seen(Request("https://example.com/news/story-new/"))
    again.close("finished")
    assert seen_rows(jobdir) == len(urls) + 2


def test_a_jobdir_crawl_uses_disk_queues_and_stores_every_article_once(tmp_path: Path,
                                                                        mirror: Mirror) -> None:
    jobdir = tmp_path / "job"
    # the index's sitemaps (all articles; the news sitemap) list some articles twice: the disk
    # seen-set drops the repeats
    done = run_crawl(f"sqlite:///{tmp_path / 'a.db'}", tmp_path,
                     "-a", f"start_url={mirror.url('/sitemap_index.xml')}", "-s", f"JOBDIR={jobdir}")
    pages = [p.path for p in mirror.pages.values()]
    assert stat(done.stderr, "archive/new") == len(pages)
    assert all(mirror.hits.get(path) == 1 for path in pages), mirror.hits
    assert stat(done.stderr, "dupefilter/filtered") > 0
    assert stat(done.stderr, "scheduler/enqueued/disk") > len(pages)
    assert stat(done.stderr, "scheduler/enqueued/memory") == 0
    # every article request went through the disk seen-set (discovery requests are never filtered)
    assert seen_rows(jobdir) >= len(pages)
