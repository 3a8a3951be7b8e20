"""Plain records passed into and out of the archive (no database types, no Scrapy)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass
class CaptureRecord:
    """The raw HTTP response a page was extracted from."""

    url: str
    fetched_at: dt.datetime
    status: int
    headers: dict[str, str]
    html: bytes


@dataclass(kw_only=True)
class ArticleRecord:
    """One cleaned article as the crawler hands it to :meth:`storage.Archive.store`.

    ``url`` is the fetched URL, ``body`` the paragraphs joined with ``"\\n\\n"``, ``removed``
    the (rule, text) segments the cleaners took out, all datetimes timezone-aware.
    """

    url: str
    canonical_url: str
    body: str
    fetched_at: dt.datetime
    extractor_version: str
    site: str | None = None
    aliases: list[str] = field(default_factory=list)
    title: str | None = None
    dek: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: dt.datetime | None = None
    #: "day" (``published_at`` is midnight UTC of the day the page gives) or "time".
    published_precision: str | None = None
    modified_at: dt.datetime | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    image_url: str | None = None
    image_credit: str | None = None
    article_type: str | None = None
    rating: str | None = None
    captions: list[str] = field(default_factory=list)
    embeds: list[str] = field(default_factory=list)
    field_sources: dict[str, Any] = field(default_factory=dict)
    removed: list[tuple[str, str]] = field(default_factory=list)
    capture: CaptureRecord | None = None


@dataclass
class SiteInfo:
    """A crawled site, as registered in the ``sites`` table."""

    slug: str
    name: str
    base_url: str
    enabled: bool = True


@dataclass(frozen=True)
class StoreOutcome:
    """What :meth:`storage.Archive.store` did with one record."""

    article_id: int
    status: Literal["new", "version", "unchanged"]
    version_no: int


@dataclass(frozen=True)
class UrlState:
    """What the crawler knows about one URL (for conditional GETs and recrawl scheduling)."""

    url: str
    site: str | None
    discovered_at: dt.datetime | None
    lastmod: dt.datetime | None
    last_fetched_at: dt.datetime | None
    last_status: int | None
    etag: str | None
    last_modified: str | None
    next_due_at: dt.datetime | None


@dataclass
class SiteRun:
    """One site's figures in one run (a ``crawl_run_sites`` row) and its verdict."""

    site: str
    verdict: str = "healthy"
    reasons: list[str] = field(default_factory=list)
    discovered: int = 0
    fetched: int = 0
    not_modified: int = 0
    new_articles: int = 0
    new_versions: int = 0
    unchanged: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    bytes: int = 0
    #: what else the verdict was judged on: parsed pages, coverage shares, soft blocks ...
    figures: dict[str, Any] = field(default_factory=dict)


@dataclass
class RunRecord:
    """One run of ``crawl``, ``crawlall`` or ``reparse`` as ``scrapy archive runs`` shows it."""

    id: int
    kind: str | None
    started_at: dt.datetime
    finished_at: dt.datetime | None
    sites: list[str]
    verdict: str | None
    reasons: list[str]
    exit_code: int | None
    site_runs: list[SiteRun] = field(default_factory=list)
    counts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SightingRecord:
    """A fetch that found a known page unchanged: a 304 answer to a conditional GET, or a 200
    whose raw body is byte-identical to the newest capture of ``url``. ``etag`` and
    ``last_modified`` are the response's validators (a 304 without them keeps the stored ones)."""

    url: str
    seen_at: dt.datetime
    status: int = 304
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class KnownUrl:
    """What discovery needs about a URL fetched before: when it was last fetched, when it is
    due again (see :mod:`storage.recheck`) and the SHA-256 of its newest kept raw response."""

    url: str
    last_fetched_at: dt.datetime | None
    next_due_at: dt.datetime | None
    capture_sha256: str | None
