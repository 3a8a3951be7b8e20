"""``scrapy crawl``: Scrapy's command; a malformed ``SITES_FILE`` or a start URL that could not be
fetched ends it with one line on standard error and exit code 1."""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from crawler.sites import SitesFileError, load_sites_file


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
        for url, why in getattr(crawler.spider, "start_failures", ()):
            # One line per start URL: a crawl that fetched nothing must not look like success.
            print(f"crawl: start URL could not be fetched: {url}: {why}", file=sys.stderr)
            self.exitcode = 1
