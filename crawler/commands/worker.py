"""``scrapy worker [--sites a,b]``: one machine's share of a distributed crawl.

Takes requests from the shared frontier in Redis (``REDIS_URL``; seeded by
``scrapy crawlall --distributed`` or by any ``scrapy crawl news -a site=S`` with
``SCHEDULER_BACKEND=redis``) of every enabled site (``SITES`` or ``--sites`` narrow the list),
at most ``CRAWLALL_CONCURRENT_SITES`` at a time, without adding start URLs; each site's crawl
closes once its frontier has been empty for ``REDIS_IDLE_CLOSE`` seconds. One run record of
kind ``worker`` with this worker's figures per site; exit codes as ``crawlall``'s (no lock:
workers run side by side).
"""

from __future__ import annotations

import argparse

from crawler.commands import crawlall
from crawler.scheduling import backend_problem
from crawler.sites import SitesFileError
from storage import Archive, ArchiveError, display_url


class Command(crawlall.Command):
    def syntax(self) -> str:
        return "[--sites SLUG,SLUG]"

    def short_desc(self) -> str:
        return "Crawl from the shared frontier in Redis (distributed crawl) until it is drained"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super(crawlall.Command, self).add_options(parser)
        parser.add_argument("--sites", help="only these sites (comma-separated slugs)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        self.settings.set("SCHEDULER_BACKEND", "redis", priority="cmdline")
        try:
            sites = self._chosen_sites(args, opts)
            if problem := backend_problem(self.settings):
                raise ValueError(problem)
        except (SitesFileError, ValueError) as exc:
            return self._fail(f"worker: {exc}", 1)
        url = self.settings.get("ARCHIVE_URL")
        try:
            archive = Archive.open(url)
        except ArchiveError as exc:
            return self._fail(f"worker: the archive {display_url(url)} cannot be opened: {exc}", 1)
        try:
            self.exitcode = self._crawl(archive, sites, None, kind="worker",
                                        settings={"SCHEDULER_BACKEND": "redis", "REDIS_SEED": False})
        except ArchiveError as exc:
            return self._fail(f"worker: {exc}", 1)
        finally:
            archive.close()
