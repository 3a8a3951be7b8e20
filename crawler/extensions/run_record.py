"""Extension: every crawl leaves a run record (``crawl_runs`` + ``crawl_run_sites``) with its
figures and a health verdict judged against the site's own recent runs.

A plain ``scrapy crawl`` (or a scrapyd job) owns its run: the row is opened when the spider
opens and finished when it closes, with the exit code the crawl command returns; an unhealthy
run sends the alert. Under ``scrapy crawlall`` the command owns the run (setting ``RUN_ID``):
each site's crawler adds its site row and the command finishes the run and alerts once.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler import health
from crawler.alerts import alert_payload, post_alert
from crawler.sites import owning_site
from storage import Archive, ArchiveError, SiteRun, display_url

logger = logging.getLogger(__name__)


class RunRecordExtension:
    """Writes the crawl's run record; ``report`` holds the site's :class:`SiteRun` at the end."""

    def __init__(self, crawler: Crawler, url: str, run_id: int | None,
                 limits: health.Thresholds, webhook: str | None) -> None:
        self.crawler = crawler
        self.url = url
        self.run_id = run_id
        self.owns_run = run_id is None
        self.limits = limits
        self.webhook = webhook
        self.archive: Archive | None = None
        self.site = ""
        self.report: SiteRun | None = None
        #: the exit code this run asks for (0 healthy, 1 failed, 2 degraded)
        self.exit_code = 0
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecordExtension:
        s = crawler.settings
        if not s.getbool("RUN_RECORDS_ENABLED", True):
            raise NotConfigured("RUN_RECORDS_ENABLED is off")
        if not s.get("ARCHIVE_URL"):
            raise NotConfigured("no ARCHIVE_URL to write run records to")
        return cls(crawler, s.get("ARCHIVE_URL"), s.getint("RUN_ID") or None,
                   health.Thresholds.from_settings(s), s.get("ALERT_WEBHOOK_URL") or None)

    def spider_opened(self, spider: Spider) -> None:
        self.site = site_of_spider(spider)
        try:
            self.archive = Archive.open(self.url)
            if self.run_id is None:
                self.run_id = self.archive.start_run("crawl", [self.site])
        except ArchiveError as exc:
            self.crawler.stats.inc_value("run_record/unavailable")
            logger.error("no run record for this crawl: the archive %s cannot be written: %s",
                         display_url(self.url), exc)
            self._close_archive()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = dict(self.crawler.stats.get_stats())
        stats["finish_reason"] = reason
        run = health.site_run_from_stats(self.site, stats, len(getattr(spider, "start_urls", ())))
        history = self._history()
        run.verdict, run.reasons = health.judge(run, history, self.limits)
        if self.archive is None:  # the run record is lost with the archive; the crawl is not
            run.verdict = "failed"
            run.reasons = [*run.reasons, "the archive could not be opened"]
        self.report = run
        self.crawler.stats.set_value("health/verdict", run.verdict)
        log = logger.info if run.verdict == "healthy" else logger.warning
        log("%s", health.summary_line(run))
        if self.owns_run:
            self.exit_code = health.overall([run])[2]
        self._write(run)
        alert = self.owns_run and run.verdict != "healthy" and self.webhook
        if alert and post_alert(self.webhook, alert_payload(self.run_id, "crawl", run.verdict,
                                                            run.reasons, [run])):
            self.crawler.stats.inc_value("run_record/alert_sent")
        self._close_archive()

    def _history(self) -> list[SiteRun]:
        if self.archive is None:
            return []
        try:
            return self.archive.site_history(self.site, self.limits.history_runs,
                                             before_run=self.run_id)
        except ArchiveError as exc:
            logger.error("cannot read the run history of %s: %s", self.site, exc)
            return []

    def _write(self, run: SiteRun) -> None:
        if self.archive is None or self.run_id is None:
            return
        try:
            self.archive.record_site_run(self.run_id, run)
            if self.owns_run:
                verdict, reasons, code = health.overall([run])
                self.archive.finish_run(self.run_id, verdict, reasons, code, counts=_counts(
                    self.crawler.stats.get_stats()))
        except ArchiveError as exc:
            self.crawler.stats.inc_value("run_record/write_failed")
            logger.error("the run record of this crawl could not be written: %s", exc)

    def _close_archive(self) -> None:
        if self.archive is not None:
            self.archive.close()
            self.archive = None


def site_of_spider(spider: Spider) -> str:
    """The slug the crawl's figures are kept under: the site crawled, or the site named after
    the start URL's host."""
    site = getattr(spider, "site", None)
    if site is not None:
        return str(site.slug)
    urls = getattr(spider, "start_urls", None) or [""]
    return owning_site(urls[0]).slug


def _counts(stats: dict[str, Any]) -> dict[str, Any]:
    """The crawl's counters worth keeping with the run (numbers only, no timestamps)."""
    return {k: v for k, v in stats.items() if isinstance(v, int | float) and not isinstance(v, bool)}
