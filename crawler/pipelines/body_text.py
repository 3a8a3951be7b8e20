"""Pipeline: paragraphs out of the cleaned container, the text junk rules, learned boilerplate."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler

from crawler.cleaning.learned import LearnedLibrary
from crawler.items import ArticleItem
from crawler.learned_archive import learned_thresholds, site_segments
from crawler.pipelines.stage import StagePipeline
from crawler.processing import body_text, site_of
from crawler.shared_archive import SharedArchive
from learned_segments import learned_rule
from storage import ArchiveError

logger = logging.getLogger(__name__)


class BodyTextPipeline(StagePipeline):
    """Container → ``body`` paragraphs (headings kept), captions and embeds apart; then the
    site's learned boilerplate (:mod:`crawler.cleaning.learned`) read from ``ARCHIVE_URL``.

    The archive is the crawl's :class:`~crawler.shared_archive.SharedArchive`, asked for on
    the first article, not in ``open_spider``: by then the archive pipeline has created or
    migrated it (and this pipeline reads through the writer's connection). Each site's set is
    loaded once per run. When the archive cannot be read the crawl goes on without learned
    boilerplate (a warning and ``body_text/learned_unavailable``). ``LEARNED_BOILERPLATE =
    False`` turns the step off.
    """

    stage = staticmethod(body_text)
    name = "body_text"

    def __init__(self, crawler: Crawler, archive_url: str | None = None,
                 thresholds: dict[str, Any] | None = None) -> None:
        super().__init__(crawler)
        self.archive_url = archive_url
        #: ``min_articles``, ``min_share``, ``sample`` of :meth:`Archive.learned_boilerplate`.
        self.thresholds = thresholds or {}
        self.shared = SharedArchive.of(crawler) if archive_url else None
        self._unavailable = False
        self.learned = LearnedLibrary(self._load)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BodyTextPipeline:
        s = crawler.settings
        url = s.get("ARCHIVE_URL") if s.getbool("LEARNED_BOILERPLATE", True) else None
        return cls(crawler, url or None, learned_thresholds(s))

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleItem):
            return item
        learned = self.learned.for_site(item.site) if self.archive_url else None
        before = len(item.removed)
        body_text(item, site_of(item), learned)
        stats = self.crawler.stats
        stats.inc_value(f"{self.name}/processed")
        how = item.field_sources.get("body", "")
        if "doubts:" in how:  # see processing.settle_body
            stats.inc_value(f"{self.name}/body_doubted")
            if how.endswith("replaced by trafilatura"):
                stats.inc_value(f"{self.name}/second_opinion_taken")
                logger.info("body replaced by the second opinion (%s): %s", how, item.url)
        if learned is not None:
            removed = sum(1 for rule, _ in item.removed[before:] if rule == learned.rule)
            if removed:
                stats.inc_value(f"{self.name}/learned_removed", removed)
        return item

    def _load(self, site: str) -> list[str]:
        """The frequent paragraphs of ``site`` in the archive, normalised (none when it cannot
        be read)."""
        if self._unavailable:
            return []
        if self.shared is None:
            return []
        try:
            segments = site_segments(self.shared.reader(), site, **self.thresholds)
        except ArchiveError as exc:
            self._unavailable = True
            self.crawler.stats.inc_value(f"{self.name}/learned_unavailable")
            logger.warning("learned boilerplate unavailable, articles are cleaned without it: %s", exc)
            return []
        logger.info("learned boilerplate of %s: %d frequent paragraphs (rule %s)", site,
                    len(segments), learned_rule(site))
        return segments
