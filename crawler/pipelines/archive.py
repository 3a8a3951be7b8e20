"""Pipeline: batched writes of cleaned articles into the archive (``storage``)."""

from __future__ import annotations

import logging
import time
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings

from crawler.distributed.ledger import InflightLedger
from crawler.items import ArticleItem, Sighting
from crawler.records import to_record, to_sighting
from crawler.shared_archive import SharedArchive
from crawler.sites import all_sites
from crawler.spool import Spool
from storage import (
    Archive,
    ArchiveError,
    ArchiveNotMigrated,
    ArticleRecord,
    RecheckSchedule,
    SightingRecord,
    SiteInfo,
    display_url,
)

logger = logging.getLogger(__name__)

#: While the archive cannot be opened, another try at most this often (at a flush).
REOPEN_INTERVAL = 30.0


class ArchivePipeline:
    """Buffers items and stores them ``ARCHIVE_BATCH_SIZE`` at a time, one transaction per batch.

    When the database cannot be written the batch is spooled to ``SPOOL_DIR`` (nothing is lost)
    and replayed as soon as a batch is stored again (the database is back; an archive that could
    not be opened is tried again every ``REOPEN_INTERVAL`` seconds), or at the start of the next
    run; the stats say how many (``archive/spooled``, ``archive/replayed``, and at the end
    ``archive/spool_left``). The archive is the crawl's
    :class:`~crawler.shared_archive.SharedArchive` (read by other components too), closed
    when the spider closes. Stored articles and sightings (304s, byte-identical pages) get
    their next re-check (``url_state.next_due_at``) from ``RECHECK_SCHEDULE`` /
    ``RECHECK_MAX_AGE``.
    """

    def __init__(self, crawler: Crawler, url: str, batch_size: int, spool_dir: str,
                 recheck: RecheckSchedule) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.url = url
        self.batch_size = max(1, batch_size)
        self.spool = Spool(spool_dir)
        self.recheck = recheck
        self.buffer: list[ArticleRecord] = []
        self.sightings: list[SightingRecord] = []
        self.archive: Archive | None = None
        self.shared = SharedArchive.of(crawler)
        self._next_open = 0.0
        #: a distributed crawl's requests finish once their items are stored or spooled
        self.ledger = InflightLedger.of(crawler)
        self.ledger.buffered_by(self.flush)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        s = crawler.settings
        url = s.get("ARCHIVE_URL")
        if not url:
            raise NotConfigured("ARCHIVE_URL is empty: articles are not archived")
        return cls(crawler, url, s.getint("ARCHIVE_BATCH_SIZE"), s.get("SPOOL_DIR"),
                   recheck_schedule(s))

    def open_spider(self) -> None:
        self._open_archive()

    def _open_archive(self) -> None:
        self._next_open = time.monotonic() + REOPEN_INTERVAL
        try:
            self.archive = self.shared.writer()
        except ArchiveNotMigrated:
            # A configuration error, not an outage: crawling now would only fill the spool.
            self.stats.inc_value("archive/not_migrated")
            raise
        except ArchiveError:
            self.stats.inc_value("archive/unavailable")
            logger.exception("archive %s cannot be opened; items will be spooled to %s",
                             display_url(self.url), self.spool.directory)
            return
        try:
            self.archive.ensure_sites([
                SiteInfo(slug=s.slug, name=s.name, base_url=s.base_url, enabled=s.enabled)
                for s in all_sites().values()
            ])
        except ArchiveError:
            self.stats.inc_value("archive/unavailable")
            logger.exception("archive %s: sites cannot be registered; items will be spooled to %s",
                             display_url(self.url), self.spool.directory)
            self.shared.drop_writer()
            self.archive = None
            return
        self._replay_spool()

    def _reopen(self) -> None:
        """The archive could not be opened: maybe it can now."""
        try:
            self._open_archive()
        except ArchiveNotMigrated:
            logger.error("archive %s is not migrated; items are spooled", display_url(self.url))

    def process_item(self, item: Any) -> Any:
        if isinstance(item, ArticleItem):
            self.buffer.append(to_record(item))
        elif isinstance(item, Sighting):
            self.sightings.append(to_sighting(item))
        if len(self.buffer) + len(self.sightings) >= self.batch_size:
            self.flush()
        return item

    def close_spider(self) -> None:
        if self.archive is None:
            self._reopen()  # once more before the end, whatever the interval
        self.flush()  # the shared archive is closed after this, when the spider closes
        if self.archive is not None:
            self._replay_spool()  # what an outage near the end left
        left = self.spool.pending()
        self.stats.set_value("archive/spool_left", left)
        if left:
            logger.error("%d articles are in the spool %s; they are stored on the next run",
                         left, self.spool.directory)

    def flush(self) -> None:
        """Store the buffered records (or spool them when the database fails) and sightings."""
        batch, self.buffer = self.buffer, []
        if self.archive is None and (batch or self.sightings) and time.monotonic() >= self._next_open:
            self._reopen()
        if batch and self._store(batch, spooled_from=None):
            self._replay_spool()  # the database takes batches (again): the spooled ones too
        sightings, self.sightings = self.sightings, []
        if sightings and self.archive is not None:
            try:
                touched = self.archive.mark_seen(sightings, recheck=self.recheck)
            except ArchiveError as exc:  # only last_seen_at is lost; reported, the crawl goes on
                self.stats.inc_value("archive/seen_failed", len(sightings))
                logger.error("could not mark %d unchanged pages as seen: %s", len(sightings), exc)
            else:
                self.stats.inc_value("archive/seen_unchanged", touched)
        self.ledger.flushed()  # everything buffered is stored or spooled now

    def _store(self, batch: list[ArticleRecord], spooled_from: Any) -> bool:
        if self.archive is None:
            if spooled_from is None:
                self._spool(batch, "archive unavailable")
            return False
        try:
            outcomes = self.archive.store(batch, recheck=self.recheck)
        except ArchiveError as exc:
            logger.error("archive write of %d articles failed: %s", len(batch), exc,
                         exc_info=exc)
            self.stats.inc_value("archive/write_failed", len(batch))
            if spooled_from is None:
                self._spool(batch, str(exc))
            return False
        for outcome in outcomes:
            self.stats.inc_value(f"archive/{outcome.status}")
        logger.info("archived %d articles (%s)", len(batch),
                    ", ".join(f"{o.status}" for o in outcomes[:5]) + (" ..." if len(outcomes) > 5 else ""))
        return True

    def _spool(self, batch: list[ArticleRecord], why: str) -> None:
        path = self.spool.write(batch)
        self.stats.inc_value("archive/spooled", len(batch))
        logger.error("%d articles kept in %s (%s); they are stored once the archive takes a batch "
                     "again, or on the next run", len(batch), path, why)

    def _replay_spool(self) -> None:
        for path, records in self.spool.claim():
            logger.info("replaying %d spooled articles from %s", len(records), path)
            if self._store(records, spooled_from=path):
                path.unlink()
                self.stats.inc_value("archive/replayed", len(records))
            else:
                return



def recheck_schedule(settings: BaseSettings) -> RecheckSchedule:
    """The re-check schedule of ``RECHECK_SCHEDULE`` and ``RECHECK_MAX_AGE``; a malformed one
    stops the crawl before anything is fetched, with a ValueError naming the setting."""
    steps, max_age = settings.get("RECHECK_SCHEDULE") or "", settings.get("RECHECK_MAX_AGE") or ""
    try:
        return RecheckSchedule.parse(steps, max_age)
    except ValueError as exc:
        raise ValueError(f"RECHECK_SCHEDULE={steps!r} / RECHECK_MAX_AGE={max_age!r}: {exc}") from None
