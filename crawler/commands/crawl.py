"""``scrapy crawl``: Scrapy's command, with exit codes for cron: 0 healthy, 1 failed (a start URL
could not be fetched, the archive could not be opened, a malformed ``SITES_FILE``, Redis
unreachable in a distributed crawl), 2 the site is degraded (see :mod:`crawler.health`). Each
failed start URL is one line on standard error.

With ``SCHEDULER_BACKEND=redis`` the crawl is one worker of the site's shared frontier
(:mod:`crawler.distributed`); ``--no-seed`` makes it take requests only, without adding its
start URLs (as ``scrapy worker`` does)."""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError

from crawler.extensions.run_record import RunRecordExtension
from crawler.scheduling import backend_problem
from crawler.sites import SitesFileError, load_sites_file
from storage import mask_secrets, mask_url


class Command(ScrapyCrawlCommand):
    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--no-seed", action="store_true",
                            help="distributed crawl (SCHEDULER_BACKEND=redis): only take requests from "
                                 "the shared frontier, do not add the start URLs")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if opts.no_seed:
            self.settings.set("REDIS_SEED", False, priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one spider: scrapy crawl news -a site=SLUG | -a start_url=URL")
        assert self.crawler_process is not None
        problem = backend_problem(self.settings)
        if problem or (opts.no_seed and self.settings.get("SCHEDULER_BACKEND") != "redis"):
            print(f"crawl: {problem or '--no-seed needs SCHEDULER_BACKEND=redis'}", file=sys.stderr)
            self.exitcode = 1
            return
        try:  # a malformed sites file is one line naming the file and table, not a traceback
            load_sites_file(self.settings.get("SITES_FILE"))
        except SitesFileError as exc:
            print(f"crawl: {exc}", file=sys.stderr)
            self.exitcode = 1
            return
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        record = run_record_of(crawler)
        if record is not None and record.owns_run:
            self.exitcode = max(self.exitcode, record.exit_code)
        for url, why in getattr(crawler.spider, "start_failures", ()):
            # One line per start URL: a crawl that fetched nothing must not look like success.
            print(f"crawl: start URL could not be fetched: {mask_url(url)}: {mask_secrets(why)}",
                  file=sys.stderr)
            if self.exitcode == 0:  # without a run record (switched off) it is still a failure
                self.exitcode = 1
        if crawler.stats and crawler.stats.get_value("finish_reason") == "redis_unavailable":
            print("crawl: stopped, Redis could not be reached: start the worker again once it "
                  "answers (its unfinished requests go back to the shared frontier)", file=sys.stderr)
            self.exitcode = 1


def run_record_of(crawler: Crawler) -> RunRecordExtension | None:
    """The crawl's run-record extension (``None`` when it is switched off)."""
    extensions = getattr(crawler, "extensions", None)
    return next((e for e in getattr(extensions, "middlewares", ())
                 if isinstance(e, RunRecordExtension)), None)
