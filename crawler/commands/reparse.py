"""``scrapy reparse``: extract and clean the archived raw pages again with the current code.

When extraction or cleaning improves (or the learned boilerplate of a site grows), the articles
already in the archive are re-derived from their kept captures: a changed text becomes a new
version (the old one stays), an unchanged one is left alone. No network is used.
``--site`` and ``--since`` narrow what is re-derived; every reparse writes a run record (kind
``reparse``) with its counts: changed, unchanged, failed (dropped or broken pages).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections import Counter

from scrapy.commands import ScrapyCommand

from crawler.cleaning.learned import LearnedLibrary
from crawler.commands.options import day_option
from crawler.exceptions import ArticleDropped
from crawler.items import Capture
from crawler.learned_archive import learned_library, learned_thresholds
from crawler.processing import process_page
from crawler.progress import progress
from crawler.records import to_record
from crawler.sites import SitesFileError, load_sites_file
from storage import Archive, ArchiveError, ArticleRecord

logger = logging.getLogger(__name__)


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return "[--site SLUG] [--since YYYY-MM-DD] [--url ARCHIVE_URL]"

    def short_desc(self) -> str:
        return "Re-extract archived raw pages with the current code; changed text becomes a version"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", help="archive URL (default: the ARCHIVE_URL setting)")
        parser.add_argument("--site", help="only this site's articles")
        parser.add_argument("--since", help="only articles published on or after YYYY-MM-DD")
        parser.add_argument("--no-learned", action="store_true", help="without learned boilerplate")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        try:  # pages of SITES_FILE sites keep their site, as in the crawl
            load_sites_file(self.settings.get("SITES_FILE"))
            since = day_option(opts.since)
        except (SitesFileError, ValueError) as exc:
            print(f"reparse: {exc}", file=sys.stderr)
            self.exitcode = 1
            return
        url = opts.url or self.settings.get("ARCHIVE_URL")
        counts: Counter[str] = Counter()
        try:
            with Archive.open(url) as archive:
                run_id = archive.start_run("reparse", [opts.site] if opts.site else [])
                try:
                    self._reparse_all(archive, opts, since, counts)
                except BaseException as exc:  # the run record says the run broke off, then re-raise
                    archive.finish_run(run_id, "failed", [f"{type(exc).__name__}: {exc}"], 1,
                                       counts=dict(counts))
                    raise
                failed = counts["dropped"] + counts["errors"]
                reasons = [f"{failed} of {counts['pages']} pages failed"] if failed else []
                archive.finish_run(run_id, "degraded" if failed else "healthy", reasons, 0,
                                   counts=dict(counts))
        except ArchiveError as exc:
            print(f"reparse: {exc}", file=sys.stderr)
            self.exitcode = 1
            return
        print("reparse: {} pages: {} changed ({} new, {} new versions), {} unchanged, {} failed "
              "({} dropped, {} errors); run {}".format(
                  counts["pages"], counts["new"] + counts["version"], counts["new"],
                  counts["version"], counts["unchanged"], counts["dropped"] + counts["errors"],
                  counts["dropped"], counts["errors"], run_id))

    def _reparse_all(self, archive: Archive, opts: argparse.Namespace, since: dt.date | None,
                     counts: Counter[str]) -> None:
        """Re-derive every chosen capture, storing the records a batch at a time."""
        batch_size = max(1, self.settings.getint("ARCHIVE_BATCH_SIZE"))
        learned = None if opts.no_learned else learned_library(
            archive, **learned_thresholds(self.settings))
        urls = archive.captured_urls(opts.site, since=since)
        batch: list[ArticleRecord] = []
        for page_url in progress(urls, len(urls), "reparse"):
            record = self._reparse(archive, page_url, learned, counts)
            if record is not None:
                batch.append(record)
            if len(batch) >= batch_size:
                counts.update(o.status for o in archive.store(batch))
                batch = []
        if batch:
            counts.update(o.status for o in archive.store(batch))

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
        except Exception:  # one page's failure (a bug the page triggers) must not end the run
            counts["errors"] += 1
            logger.exception("reparse failed on %s; the archived article is left as it was", page_url)
            return None
        item.capture = Capture(url=capture.url, status=capture.status, headers=capture.headers,
                               body=capture.html, fetched_at=capture.fetched_at)
        return to_record(item)
