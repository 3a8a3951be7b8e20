"""``scrapy reparse``: extract and clean the archived raw pages again with the current code.

When extraction or cleaning improves (or the learned boilerplate of a site grows), the articles
already in the archive are re-derived from their kept captures: a changed text becomes a new
version (the old one stays), an unchanged one is left alone. No network is used.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections import Counter

from scrapy.commands import ScrapyCommand

from crawler.cleaning.learned import LearnedLibrary
from crawler.exceptions import ArticleDropped
from crawler.items import Capture
from crawler.learned_archive import learned_library, learned_thresholds
from crawler.processing import process_page
from crawler.records import to_record
from crawler.sites import SitesFileError, load_sites_file
from storage import Archive, ArchiveError, ArticleRecord

logger = logging.getLogger(__name__)


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return "[--site SLUG] [--url ARCHIVE_URL]"

    def short_desc(self) -> str:
        return "Re-extract archived raw pages with the current code; changed text becomes a version"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", help="archive URL (default: the ARCHIVE_URL setting)")
        parser.add_argument("--site", help="only this site's articles")
        parser.add_argument("--no-learned", action="store_true", help="without learned boilerplate")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        try:  # pages of SITES_FILE sites keep their site, as in the crawl
            load_sites_file(self.settings.get("SITES_FILE"))
        except SitesFileError as exc:
            print(f"reparse: {exc}", file=sys.stderr)
            self.exitcode = 1
            return
        url = opts.url or self.settings.get("ARCHIVE_URL")
        batch_size = max(1, self.settings.getint("ARCHIVE_BATCH_SIZE"))
        counts: Counter[str] = Counter()
        try:
            with Archive.open(url) as archive:
                learned = None if opts.no_learned else learned_library(
                    archive, **learned_thresholds(self.settings))
                batch: list[ArticleRecord] = []
                for page_url in archive.captured_urls(opts.site):
                    record = self._reparse(archive, page_url, learned, counts)
                    if record is not None:
                        batch.append(record)
                    if len(batch) >= batch_size:
                        counts.update(o.status for o in archive.store(batch))
                        batch = []
                if batch:
                    counts.update(o.status for o in archive.store(batch))
        except ArchiveError as exc:
            print(f"reparse: {exc}", file=sys.stderr)
            self.exitcode = 1
            return
        print("reparse: {} pages: {} new, {} new versions, {} unchanged, {} dropped".format(
            counts["pages"], counts["new"], counts["version"], counts["unchanged"], counts["dropped"]))

    @staticmethod
    def _reparse(archive: Archive, page_url: str, learned: LearnedLibrary | None,
                 counts: Counter[str]) -> ArticleRecord | None:
        capture = archive.latest_capture(page_url)
        if capture is None or capture.status != 200:
            return None
        counts["pages"] += 1
        try:
            item = process_page(capture.html, page_url, headers=capture.headers, learned=learned)
        except ArticleDropped as exc:
            counts["dropped"] += 1
            logger.warning("reparse dropped %s", exc)
            return None
        item.capture = Capture(url=capture.url, status=capture.status, headers=capture.headers,
                               body=capture.html, fetched_at=capture.fetched_at)
        return to_record(item)
