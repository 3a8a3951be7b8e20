"""The item that travels from the spider through the pipelines to the archive."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Capture:
    """The raw HTTP response an article was extracted from."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: dt.datetime


@dataclass
class ArticleItem:
    """One article page on its way to the archive.

    The spider fills the metadata and ``container`` (the lxml element holding the body);
    the pipelines canonicalise the URL, strip junk from ``container`` (recording each
    removal in ``removed``), turn it into ``body`` paragraphs and validate it.
    """

    url: str
    site: str | None = None
    canonical_url: str | None = None
    aliases: list[str] = field(default_factory=list)
    title: str | None = None
    dek: str | None = None
    authors: list[str] = field(default_factory=list)
    published: dt.datetime | None = None
    #: "day" when the page gives only a calendar day (``published`` is then midnight UTC of it),
    #: "time" when it gives a time of day too; ``None`` without a date.
    published_precision: str | None = None
    modified: dt.datetime | None = None
    date_is_fallback: bool = False
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    image_url: str | None = None
    image_credit: str | None = None
    article_type: str | None = None
    rating: str | None = None
    body: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    embeds: list[str] = field(default_factory=list)
    field_sources: dict[str, str] = field(default_factory=dict)
    removed: list[tuple[str, str]] = field(default_factory=list)
    is_article: bool = True
    #: Site-rule fields found implausible on this page and replaced by generic values (field → why).
    site_rule_rejected: dict[str, str] = field(default_factory=dict)
    #: Why the page looks like a bot check / consent wall rather than content (``None``: it does not).
    block_reason: str | None = None
    #: What the body is when it is no HTML page at all ("a PDF document", "JSON", "binary
    #: data", "empty"; see ``crawler.extraction.sniffing``); ``None`` for an HTML page.
    non_html: str | None = None
    #: How far the body is trusted (1.0: no doubt; see ``crawler.extraction.confidence``).
    body_confidence: float | None = None
    container: Any = field(default=None, repr=False, compare=False)
    #: ``confidence.BodyEvidence`` of the page, and its parsed tree until the body is settled.
    body_evidence: Any = field(default=None, repr=False, compare=False)
    page_root: Any = field(default=None, repr=False, compare=False)
    capture: Capture | None = field(default=None, repr=False, compare=False)

    def published_iso(self) -> str | None:
        """The publication date as the page gives it: ``2019-04-15`` for a day,
        ``2019-04-15T13:18:00+00:00`` for a time (never an invented midnight)."""
        if self.published is None:
            return None
        if self.published_precision == "day":
            return self.published.date().isoformat()
        return self.published.isoformat()

    def to_json(self) -> dict[str, Any]:
        """The public JSON form (what ``scrapy extract`` prints)."""
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        return {
            "url": self.url,
            "canonical_url": self.canonical_url,
            "site": self.site,
            "title": self.title,
            "authors": self.authors,
            "published": self.published_iso(),
            "published_precision": self.published_precision,
            "modified": iso(self.modified),
            "date_is_fallback": self.date_is_fallback,
            "section": self.section,
            "tags": self.tags,
            "dek": self.dek,
            "language": self.language,
            "image_url": self.image_url,
            "image_credit": self.image_credit,
            "article_type": self.article_type,
            "rating": self.rating,
            "body": "\n\n".join(self.body),
            "body_confidence": self.body_confidence,
            "paragraphs": self.body,
            "captions": self.captions,
            "embeds": self.embeds,
            "field_sources": self.field_sources,
            "site_rule_rejected": self.site_rule_rejected,
            "removed": [{"rule": r, "text": t} for r, t in self.removed],
        }


@dataclass
class Sighting:
    """An article page found unchanged: a 304 Not Modified, or a 200 whose raw body is
    byte-identical to the page's newest capture (``status`` 200). Still online, text unchanged;
    ``etag`` / ``last_modified`` are the response's validators."""

    url: str
    seen_at: dt.datetime
    status: int = 304
    etag: str | None = None
    last_modified: str | None = None
