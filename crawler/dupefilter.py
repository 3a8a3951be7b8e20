"""Scrapy's duplicate-request filter, with a ``JOBDIR`` crawl's fingerprints on disk.

Scrapy's ``RFPDupeFilter`` keeps the fingerprint of every request a crawl made in a Python set
(~90 bytes each), also when ``JOBDIR`` puts the waiting requests on disk; a crawl's memory then
grows with the number of URLs (9 MB per 100,000). :class:`DiskDupeFilter` keeps them, in a
``JOBDIR`` crawl, in an SQLite file of the job directory instead, so that a crawl of a large site
(README: Large sites) has flat memory; without ``JOBDIR`` it is Scrapy's filter unchanged.

Written here (on the standard library's ``sqlite3``) because no maintained Scrapy add-on keeps
the seen-set on local disk: scrapy-redis keeps it in Redis (our distributed mode), and a Bloom
filter would drop some new URLs as seen.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from scrapy.dupefilters import RFPDupeFilter
from scrapy.http import Request
from scrapy.utils.request import RequestFingerprinterProtocol

logger = logging.getLogger(__name__)

#: The file in the job directory (Scrapy's own filter writes ``requests.seen``).
DB_NAME = "requests.seen.sqlite"
#: Fingerprints written per transaction. A crawl killed outright loses at most these: their
#: requests are made again when the job resumes (the archive stores nothing twice).
COMMIT_EVERY = 1000


class DiskDupeFilter(RFPDupeFilter):
    """``RFPDupeFilter`` (same fingerprints, same ``dupefilter/filtered`` stat and log lines)
    whose seen-set is an SQLite table under ``JOBDIR`` when there is one.

    A lookup is one primary-key insert (``INSERT OR IGNORE``: no row added means seen); SQLite's
    page cache (2 MiB) is all it holds in memory. The file stays with the job directory, so a
    paused and resumed job (Scrapy's ``JOBDIR`` semantics) still knows what it requested.
    """

    def __init__(self, path: str | None = None, debug: bool = False, *,
                 fingerprinter: RequestFingerprinterProtocol | None = None) -> None:
        super().__init__(None, debug, fingerprinter=fingerprinter)  # never Scrapy's file or set
        self._db: sqlite3.Connection | None = None
        self._pending = 0
        if path:
            file = Path(path, DB_NAME)
            self._db = sqlite3.connect(file, isolation_level=None)
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS seen (fp BLOB PRIMARY KEY) WITHOUT ROWID")
            known = self._db.execute("SELECT COUNT(*) FROM seen").fetchone()[0]
            if known:
                logger.info("job directory %s: resuming with %d requests already made", path, known)

    def request_seen(self, request: Request) -> bool:
        if self._db is None:
            return super().request_seen(request)
        if not self._db.in_transaction:
            self._db.execute("BEGIN")
        added = self._db.execute("INSERT OR IGNORE INTO seen (fp) VALUES (?)",
                                 (self._fingerprint(request),)).rowcount
        if not added:
            return True
        self._pending += 1
        if self._pending >= COMMIT_EVERY:
            self._commit()
        return False

    def _commit(self) -> None:
        if self._db is not None and self._db.in_transaction:
            self._db.execute("COMMIT")
        self._pending = 0

    def close(self, reason: str) -> None:
        if self._db is not None:
            self._commit()
            self._db.close()
            self._db = None
        super().close(reason)
