"""The bridge from the archive to learned-boilerplate cleaning.

A site's frequent paragraphs are read from ``storage`` here, by the callers (the body_text
pipeline, ``scrapy extract --archive``, ``scrapy reparse``), and handed to
:mod:`crawler.cleaning.learned` as plain normalised strings, so that cleaning stays a function
of the page and the data it is given.
"""

from __future__ import annotations

from typing import Any

from crawler.cleaning.learned import LearnedLibrary
from storage import Archive


def learned_thresholds(settings: Any) -> dict[str, Any]:
    """``min_articles``/``min_share``/``sample`` for :meth:`Archive.learned_boilerplate` from the
    LEARNED_* settings, so that crawls, ``scrapy extract --archive`` and ``scrapy reparse`` agree."""
    return {"min_articles": settings.getint("LEARNED_MIN_ARTICLES", 3),
            "min_share": settings.getfloat("LEARNED_MIN_SHARE", 0.2),
            "sample": settings.getint("LEARNED_SAMPLE", 500)}


def site_segments(archive: Archive, site: str, **thresholds: Any) -> list[str]:
    """The frequent paragraphs of ``site`` in the archive, in normalised form, most frequent first."""
    return [count.segment for count in archive.learned_boilerplate(site, **thresholds)]


def learned_library(archive: Archive, **thresholds: Any) -> LearnedLibrary:
    """A library that reads each site's segments from ``archive`` on first use."""
    return LearnedLibrary(lambda site: site_segments(archive, site, **thresholds))
