"""Errors raised by the archive; every one is an :class:`ArchiveError`."""

from __future__ import annotations


class ArchiveError(Exception):
    """Base class: anything that went wrong in the archive (the cause is chained)."""


class ArchiveUnavailable(ArchiveError):
    """The database cannot be reached or is locked; retrying later may succeed."""


class ArchiveNotMigrated(ArchiveError):
    """The database schema is missing or older than this code (run ``scrapy archive migrate``)."""


class StoreError(ArchiveError):
    """A batch could not be stored; the whole transaction was rolled back."""


class QueryError(ArchiveError):
    """A read-only SQL query failed (bad SQL, more than one statement, ...)."""


class SearchSyntaxError(ArchiveError):
    """A search query the syntax does not allow (unclosed quote, OR without a side, ...)."""


class ReadOnlyViolation(QueryError):
    """A read-only SQL query tried to change the archive and was refused."""


class ArchiveLocked(ArchiveError):
    """Another run holds the archive's lock (``scrapy crawlall`` runs one at a time)."""
