"""The archive of cleaned articles (SQLite or PostgreSQL). Knows nothing of Scrapy.

Usage::

    from storage import Archive, ArticleRecord, CaptureRecord, RecheckSchedule, SiteInfo

    with Archive.open("sqlite:///archive.db") as archive:          # SQLite: migrated on open
        archive.ensure_sites([SiteInfo("variety", "Variety", "https://variety.com")])
        outcomes = archive.store(records)       # one transaction; StoreOutcome per record
        schedule = RecheckSchedule.parse("1h,6h,1d,3d,7d,30d", "365d")
        archive.store(records, recheck=schedule)    # ... and url_state.next_due_at by age
        archive.known_urls(urls)                # discovery: which were fetched, which are due
        archive.stats(); archive.search('"tom cruise" oscar*'); archive.query("SELECT ...")
        archive.export("jsonl", sys.stdout)
        archive.learned_boilerplate("variety")  # paragraphs repeated across a site's articles
        archive.junk_report("variety")          # most removed + suspected segments, for review
        archive.report_data(days=90)            # the figures of `scrapy archive report`

PostgreSQL archives are migrated explicitly (``storage.migrate(url)``,
``Archive.open(url, migrate=True)`` or ``scrapy archive migrate``); opening one that is not
at the newest schema raises :class:`ArchiveNotMigrated`. ``schema=`` keeps the tables in a
PostgreSQL schema of their own.

Identity and dedup (DESIGN.md): canonical URL + publication date (UTC calendar day); see
:mod:`storage.dedup`. All errors are :class:`ArchiveError` subclasses (:mod:`storage.errors`).
"""

from storage.archive import Archive, display_url
from storage.boilerplate import (
    JunkReport,
    RemovedCount,
    SegmentCount,
    learned_rule,
    normalize_segment,
)
from storage.errors import (
    ArchiveError,
    ArchiveLocked,
    ArchiveNotMigrated,
    ArchiveUnavailable,
    QueryError,
    ReadOnlyViolation,
    SearchSyntaxError,
    StoreError,
)
from storage.masking import mask_secrets, mask_url
from storage.migration_runner import migrate
from storage.recheck import NEVER, RecheckSchedule
from storage.records import (
    ArticleRecord,
    CaptureRecord,
    KnownUrl,
    RunRecord,
    SightingRecord,
    SiteInfo,
    SiteRun,
    StoreOutcome,
    UrlState,
)

__all__ = [
    "NEVER",
    "Archive",
    "ArchiveError",
    "ArchiveLocked",
    "ArchiveNotMigrated",
    "ArchiveUnavailable",
    "ArticleRecord",
    "CaptureRecord",
    "JunkReport",
    "KnownUrl",
    "QueryError",
    "ReadOnlyViolation",
    "RecheckSchedule",
    "RemovedCount",
    "RunRecord",
    "SearchSyntaxError",
    "SegmentCount",
    "SightingRecord",
    "SiteInfo",
    "SiteRun",
    "StoreError",
    "StoreOutcome",
    "UrlState",
    "display_url",
    "learned_rule",
    "mask_secrets",
    "mask_url",
    "migrate",
    "normalize_segment",
]
