"""``scrapy sites``: every site (modules and ``SITES_FILE``), its start URLs and last crawl verdict."""

from __future__ import annotations

import argparse
import sys

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.sites import SitesFileError, all_sites, load_sites_file
from storage import Archive, ArchiveError


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[--url ARCHIVE_URL]"

    def short_desc(self) -> str:
        return "List every site: source (module or file), start URLs, enabled, last crawl verdict"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", help="archive URL (default: the ARCHIVE_URL setting)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError("scrapy sites takes no arguments")
        try:
            load_sites_file(self.settings.get("SITES_FILE"))
        except SitesFileError as exc:
            print(f"sites: {exc}", file=sys.stderr)
            self.exitcode = 1
            return
        verdicts = last_run_verdicts(opts.url or self.settings.get("ARCHIVE_URL"))
        print("site\tsource\tenabled\tlast run\tstart URLs")
        for slug, site in all_sites().items():
            print(f"{slug}\t{site.source}\t{'yes' if site.enabled else 'no'}\t"
                  f"{verdicts.get(slug, '-')}\t{' '.join(site.start_urls)}")


def last_run_verdicts(url: str | None) -> dict[str, str]:
    """The archive's last crawl verdict per site; empty when there is no usable archive."""
    if not url:
        return {}
    try:
        with Archive.open(url, read_only=True) as archive:  # never creates or migrates
            return archive.last_run_verdicts()
    except ArchiveError:  # no archive yet, not migrated, unreachable: no verdicts to show
        return {}
