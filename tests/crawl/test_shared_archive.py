"""One archive per crawl: the writer, the conditional-GET middleware, discovery's look-up of known
URLs and the learned-boilerplate loader share the archive pipeline's connection; readers alone
open a read-only one."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy import signals
from scrapy.utils.test import get_crawler

from crawler.middlewares.conditional_get import ConditionalGetMiddleware
from crawler.pipelines.archive import ArchivePipeline
from crawler.pipelines.body_text import BodyTextPipeline
from crawler.shared_archive import SharedArchive
from crawler.spiders.news import NewsSpider
from storage import Archive, ArchiveError


def crawler_for(tmp_path: Path, url: str):
    return get_crawler(settings_dict={"ARCHIVE_URL": url, "SPOOL_DIR": str(tmp_path / "spool"),
                                      "CONDITIONAL_GET_ENABLED": True, "LEARNED_BOILERPLATE": True,
                                      "RECHECK_SCHEDULE": "1h,1d", "RECHECK_MAX_AGE": "30d"})


def test_writer_and_readers_use_one_archive_closed_when_the_spider_closes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[tuple[str, bool]] = []
    real_open = Archive.open.__func__  # type: ignore[attr-defined]

    def counting_open(cls, url, **kwargs):
        opened.append((url, kwargs.get("read_only", False)))
        return real_open(cls, url, **kwargs)

    monkeypatch.setattr(Archive, "open", classmethod(counting_open))
    crawler = crawler_for(tmp_path, f"sqlite:///{tmp_path / 'archive.db'}")
    writer = ArchivePipeline.from_crawler(crawler)
    middleware = ConditionalGetMiddleware.from_crawler(crawler)
    body_text = BodyTextPipeline.from_crawler(crawler)
    spider = NewsSpider.from_crawler(crawler, start_url="http://127.0.0.1:1/feed.xml")
    writer.open_spider()
    assert writer.archive is not None
    assert middleware._open() is writer.archive
    assert body_text._load("variety") == []  # read through the same archive: nothing learned yet
    assert spider._known_urls(["http://127.0.0.1:1/an-article-a-b/"]) == {}  # nothing fetched yet
    assert SharedArchive.of(crawler).reader() is writer.archive
    assert opened == [(f"sqlite:///{tmp_path / 'archive.db'}", False)]

    writer.close_spider()
    crawler.signals.send_catch_log(signals.spider_closed, spider=None, reason="finished")
    assert writer.archive.engine.pool.checkedout() == 0
    assert SharedArchive.of(crawler)._writer is None


def test_a_reader_without_the_writer_opens_read_only_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "never-created.db"
    crawler = crawler_for(tmp_path, f"sqlite:///{missing}")
    middleware = ConditionalGetMiddleware.from_crawler(crawler)
    with pytest.raises(ArchiveError):
        SharedArchive.of(crawler).reader()
    assert middleware._open() is None  # conditional GETs off, the crawl goes on
    assert crawler.stats.get_value("conditional_get/unavailable") == 1
    assert not missing.exists()
