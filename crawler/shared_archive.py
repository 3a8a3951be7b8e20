"""One archive connection per crawl, shared by the archive pipeline (the writer) and the
components that read it beside the crawl (conditional GETs, learned boilerplate).

Before, each of the three opened the archive itself: three engines, three connection pools,
three schema checks per crawl. Now the writer opens it once (migrating SQLite) and the readers
borrow that :class:`~storage.Archive`. A reader that comes first, or runs without the writer
(``ArchivePipeline`` switched off, or the archive could not be opened for writing), opens one
read-only archive of its own, as before: nothing is created or migrated for a reader, and a
missing SQLite file stays an error. Everything is closed once, when the spider closes (after
the pipelines' last flush).
"""

from __future__ import annotations

import weakref

from scrapy import signals
from scrapy.crawler import Crawler

from storage import Archive

_HANDLES: weakref.WeakKeyDictionary[Crawler, SharedArchive] = weakref.WeakKeyDictionary()


class SharedArchive:
    """The archive of one crawl: :meth:`writer` for the pipeline, :meth:`reader` for the rest."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._writer: Archive | None = None
        self._reader: Archive | None = None

    @classmethod
    def of(cls, crawler: Crawler) -> SharedArchive:
        """The crawl's handle (made on first use, closed when the spider closes)."""
        handle = _HANDLES.get(crawler)
        if handle is None:
            handle = _HANDLES[crawler] = cls(crawler.settings.get("ARCHIVE_URL") or "")
            crawler.signals.connect(handle.close, signal=signals.spider_closed)
        return handle

    def writer(self) -> Archive:
        """The writable archive, opened (and SQLite migrated) on the first call.

        Raises :class:`~storage.ArchiveError` like :meth:`Archive.open`.
        """
        if self._writer is None:
            self._writer = Archive.open(self.url)
        return self._writer

    def drop_writer(self) -> None:
        """Close the writable archive (it turned out unusable); readers open their own."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def reader(self) -> Archive:
        """An archive to read: the writer's when it is open, else a read-only one of its own.

        Raises :class:`~storage.ArchiveError` like :meth:`Archive.open` with ``read_only``.
        """
        if self._writer is not None:
            return self._writer
        if self._reader is None:
            self._reader = Archive.open(self.url, read_only=True)
        return self._reader

    def close(self) -> None:
        """Release every connection."""
        for archive in (self._writer, self._reader):
            if archive is not None:
                archive.close()
        self._writer = self._reader = None
