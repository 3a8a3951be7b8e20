"""``scrapy crawlall [--sites a,b] [--since D]``: the scheduled entry point (cron, systemd).

Crawls every enabled site (``SITES`` or ``--sites`` narrow the list) in one process, at most
``CRAWLALL_CONCURRENT_SITES`` at a time, while holding the archive's lock, and writes one run
record with a verdict per site. Without ``--since``, each site's crawl skips what its sitemaps
and feeds date before its newest archived article minus ``CRAWLALL_SINCE_MARGIN_HOURS``.

Exit codes: 0 every site healthy; 1 the run failed (archive could not be opened, every site
failed, bad arguments); 2 a site degraded or failed; 3 another run holds the lock (nothing
was touched).

``--distributed`` (with ``REDIS_URL``): under the same lock, each site's start URLs and due
re-checks are added once to its shared frontier in Redis, and the command exits (0 when every
site was seeded, 1 otherwise); the workers (``scrapy worker`` on any number of machines) crawl
them and write the run records.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections.abc import Callable
from typing import Any

from scrapy.commands import ScrapyCommand
from scrapy.crawler import Crawler

from crawler import health
from crawler.alerts import alert_payload, post_alert
from crawler.commands.crawl import run_record_of
from crawler.commands.options import day_option
from crawler.scheduling import backend_problem
from crawler.sites import Site, SitesFileError, all_sites, load_sites_file
from storage import Archive, ArchiveError, ArchiveLocked, SiteRun, display_url

logger = logging.getLogger(__name__)


class Command(ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[--sites SLUG,SLUG] [--since YYYY-MM-DD] [--distributed]"

    def short_desc(self) -> str:
        return "Crawl every enabled site under a lock; run record, health verdicts, exit code for cron"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--sites", help="only these sites (comma-separated slugs)")
        parser.add_argument("--since", help="skip entries dated before YYYY-MM-DD (every site)")
        parser.add_argument("--distributed", action="store_true",
                            help="only seed every site's shared frontier in Redis (REDIS_URL) for "
                                 "`scrapy worker`s to crawl, then exit")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        try:
            sites = self._chosen_sites(args, opts)
            since = day_option(opts.since)
            if opts.distributed:
                self.settings.set("SCHEDULER_BACKEND", "redis", priority="cmdline")
                if problem := backend_problem(self.settings):
                    raise ValueError(problem)
        except (SitesFileError, ValueError) as exc:
            return self._fail(f"crawlall: {exc}", 1)
        url = self.settings.get("ARCHIVE_URL")
        try:
            archive = Archive.open(url)
        except ArchiveError as exc:
            return self._fail(f"crawlall: the archive {display_url(url)} cannot be opened: {exc}", 1)
        try:
            with archive.lock("crawlall"):
                if opts.distributed:
                    self.exitcode = self._seed(archive, sites, since)
                else:
                    self.exitcode = self._crawl(archive, sites, since)
        except ArchiveLocked as exc:
            return self._fail(f"crawlall: {exc}; this run does nothing and exits", health.EXIT_LOCKED)
        except ArchiveError as exc:
            return self._fail(f"crawlall: {exc}", 1)
        finally:
            archive.close()

    def _fail(self, message: str, code: int) -> None:
        print(message, file=sys.stderr)
        self.exitcode = code

    def _chosen_sites(self, args: list[str], opts: argparse.Namespace) -> list[type[Site]]:
        if args:
            raise ValueError(f"unexpected arguments {' '.join(args)} (use --sites a,b)")
        load_sites_file(self.settings.get("SITES_FILE"))
        known = all_sites()
        wanted = ([s.strip() for s in opts.sites.split(",") if s.strip()] if opts.sites
                  else self.settings.getlist("SITES"))
        unknown = [slug for slug in wanted if slug not in known]
        if unknown:
            raise ValueError(f"unknown sites: {', '.join(unknown)} (known: {', '.join(known)})")
        chosen = [known[s] for s in wanted] if wanted else list(known.values())
        enabled = [s for s in chosen if s.enabled]
        if not enabled:
            raise ValueError("no enabled site to crawl")
        return enabled

    def _crawlers(self, slugs: list[str], sinces: dict[str, dt.date],
                  settings: dict[str, Any]) -> list[tuple[Crawler, dict[str, Any]]]:
        """One ``news`` crawler per site, with ``settings`` and the site's ``since``."""
        process = self.crawler_process
        assert process is not None
        jobs: list[tuple[Crawler, dict[str, Any]]] = []
        for slug in slugs:
            crawler = process.create_crawler("news")
            for name, value in settings.items():
                crawler.settings.set(name, value, priority="cmdline")
            kwargs = {"site": slug}
            if slug in sinces:
                kwargs["since"] = sinces[slug].isoformat()
            jobs.append((crawler, kwargs))
        return jobs

    def _crawl(self, archive: Archive, sites: list[type[Site]], since: dt.date | None,
               kind: str = "crawlall", settings: dict[str, Any] | None = None) -> int:
        slugs = [s.slug for s in sites]
        sinces = self._sinces(archive, slugs, since) if kind == "crawlall" else {}
        run_id = archive.start_run(kind, slugs)
        logger.info("%s run %d: %d sites: %s", kind, run_id, len(slugs), ", ".join(slugs))
        process = self.crawler_process
        assert process is not None
        jobs = self._crawlers(slugs, sinces, {**(settings or {}), "RUN_ID": run_id})
        start_limited(process.crawl, jobs, self.settings.getint("CRAWLALL_CONCURRENT_SITES"))
        process.start()
        site_runs = [self._site_run(crawler, kwargs["site"]) for crawler, kwargs in jobs]
        verdict, reasons, code = health.overall(site_runs)
        for run in site_runs:
            if run.figures.get("unrecorded"):
                archive.record_site_run(run_id, run)
        archive.finish_run(run_id, verdict, reasons, code)
        for run in site_runs:
            print(f"{kind}: {health.summary_line(run)}", file=sys.stderr)
        print(f"{kind}: run {run_id}: {verdict}", file=sys.stderr)
        webhook = self.settings.get("ALERT_WEBHOOK_URL")
        if verdict != "healthy" and webhook:
            post_alert(webhook, alert_payload(run_id, kind, verdict, reasons, site_runs))
        return code

    def _seed(self, archive: Archive, sites: list[type[Site]], since: dt.date | None) -> int:
        """Add each site's start URLs and due re-checks to its shared frontier; 0 when every
        site was seeded."""
        slugs = [s.slug for s in sites]
        process = self.crawler_process
        assert process is not None
        jobs = self._crawlers(slugs, self._sinces(archive, slugs, since), {
            "SCHEDULER_BACKEND": "redis", "REDIS_CONSUME": False, "RUN_RECORDS_ENABLED": False})
        start_limited(process.crawl, jobs, self.settings.getint("CRAWLALL_CONCURRENT_SITES"))
        process.start()
        code = 0
        for crawler, kwargs in jobs:
            stats = crawler.stats.get_stats() if crawler.stats else {}
            if "frontier/run" not in stats:
                print(f"crawlall: {kwargs['site']}: not seeded (see the log above)", file=sys.stderr)
                code = 1
                continue
            print(f"crawlall: {kwargs['site']}: {stats.get('scheduler/enqueued/redis', 0)} requests "
                  f"added to the shared frontier (run {stats['frontier/run']}; "
                  f"{stats.get('frontier/duplicates', 0)} were there already)", file=sys.stderr)
        return code

    def _sinces(self, archive: Archive, slugs: list[str], since: dt.date | None) -> dict[str, dt.date]:
        """Per site, the ``since`` day of its crawl: ``--since``, else newest article - margin."""
        if since is not None:
            return dict.fromkeys(slugs, since)
        margin = dt.timedelta(hours=self.settings.getfloat("CRAWLALL_SINCE_MARGIN_HOURS"))
        return {slug: (newest - margin).date() for slug, newest in archive.newest_published(slugs).items()}

    @staticmethod
    def _site_run(crawler: Crawler, slug: str) -> SiteRun:
        """The site's figures as its crawler recorded them; a crawler that never ran (its
        spider could not start) is a failed site, recorded here."""
        record = run_record_of(crawler)
        if record is not None and record.report is not None:
            return record.report
        return SiteRun(site=slug, verdict="failed", reasons=["the crawl did not start"],
                       figures={"unrecorded": True})


def start_limited(crawl: Callable[..., Any], jobs: list[tuple[Crawler, dict[str, Any]]],
                  limit: int) -> None:
    """Start ``jobs`` with at most ``limit`` running at once: each crawl that ends starts the
    next (from its completion callback, so the process's join still sees it as active)."""
    pending = list(jobs)

    def launch(_: Any = None) -> Any:
        if pending:
            crawler, kwargs = pending.pop(0)
            running = crawl(crawler, **kwargs)
            if hasattr(running, "add_done_callback"):  # asyncio Task (AsyncCrawlerProcess)
                running.add_done_callback(launch)
            else:  # Twisted Deferred (CrawlerProcess)
                running.addBoth(lambda result: (launch(), result)[1])
        return _

    for _ in range(max(1, limit)):
        launch()
