"""``scrapy crawl``: Scrapy's command, with exit codes for cron: 0 healthy, 1 failed (a start URL
could not be fetched, the archive could not be opened, a malformed ``SITES_FILE``), 2 the site
is degraded (see :mod:`crawler.health`). Each failed start URL is one line on standard error."""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError

from crawler.extensions.run_record import RunRecordExtension
from crawler.sites import SitesFileError, load_sites_file
from storage import mask_secrets, mask_url


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one spider: scrapy crawl news -a site=SLUG | -a start_url=URL")
        assert self.crawler_process is not None
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


def run_record_of(crawler: Crawler) -> RunRecordExtension | None:
    """The crawler's run-record extension (``None`` when it is switched off)."""
    extensions = getattr(crawler, "extensions", None)
    return next((e for e in getattr(extensions, "middlewares", ())
                 if isinstance(e, RunRecordExtension)), None)
