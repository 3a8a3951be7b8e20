"""The archive's tables as SQLAlchemy 2 typed declarative models.

Every ``str`` column is TEXT, every datetime a timezone-aware UTC :class:`UTCDateTime`, every
JSON column :data:`JSONType`. The Alembic migrations create exactly these tables (a test
compares them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, LargeBinary, MetaData, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.columns import JSONType, UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        str: Text(),
        dt.datetime: UTCDateTime(),
        dict[str, Any]: JSONType,
        list[str]: JSONType,
    }


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(unique=True)
    name: Mapped[str]
    base_url: Mapped[str | None]
    enabled: Mapped[bool] = mapped_column(default=True)


class Article(Base):
    """The newest state of one article (identity: canonical URL + published calendar date)."""

    __tablename__ = "articles"
    __table_args__ = (UniqueConstraint("canonical_url", "published_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    canonical_url: Mapped[str]
    published_date: Mapped[dt.date] = mapped_column(index=True)
    published_at: Mapped[dt.datetime | None]
    #: "day" when the page gave only the day (``published_at`` is midnight UTC of it), "time"
    #: when it gave the time; NULL without a date or for rows stored before it was recorded.
    published_precision: Mapped[str | None]
    modified_at: Mapped[dt.datetime | None]
    date_is_fallback: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str | None]
    dek: Mapped[str | None]
    authors: Mapped[list[str]]
    section: Mapped[str | None]
    tags: Mapped[list[str]]
    language: Mapped[str | None]
    image_url: Mapped[str | None]
    image_credit: Mapped[str | None]
    article_type: Mapped[str | None]
    rating: Mapped[str | None]
    body: Mapped[str]
    #: Image captions and embedded media (YouTube/Instagram/X... URLs), kept out of the body.
    captions: Mapped[list[str] | None]
    embeds: Mapped[list[str] | None]
    word_count: Mapped[int]
    body_sha256: Mapped[str]
    field_sources: Mapped[dict[str, Any]]
    first_seen_at: Mapped[dt.datetime]
    last_seen_at: Mapped[dt.datetime]
    current_version: Mapped[int]

    site: Mapped[Site | None] = relationship()


class ArticleVersion(Base):
    """Every text an article has had; version 1 is the first one stored."""

    __tablename__ = "article_versions"
    __table_args__ = (UniqueConstraint("article_id", "version_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    version_no: Mapped[int]
    fetched_at: Mapped[dt.datetime]
    title: Mapped[str | None]
    body: Mapped[str]
    body_sha256: Mapped[str]
    diff_summary: Mapped[str | None]
    extractor_version: Mapped[str | None]

    removed_segments: Mapped[list[RemovedSegment]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class UrlAlias(Base):
    """Another URL of an article (fetched URL, tracking-parameter and AMP variants, syndication)."""

    __tablename__ = "url_aliases"

    alias_url: Mapped[str] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )


class Capture(Base):
    """A raw HTTP response; ``html`` is gzip-compressed, ``sha256`` is of the raw bytes."""

    __tablename__ = "captures"
    __table_args__ = (Index("ix_captures_url_fetched_at", "url", "fetched_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str]
    fetched_at: Mapped[dt.datetime]
    status: Mapped[int]
    headers: Mapped[dict[str, Any]]
    html: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str]
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )


class RemovedSegment(Base):
    """A piece of text the cleaners removed from one version, with the rule that removed it."""

    __tablename__ = "removed_segments"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_version_id: Mapped[int] = mapped_column(
        ForeignKey("article_versions.id", ondelete="CASCADE"), index=True
    )
    rule: Mapped[str]
    text: Mapped[str]


class UrlStateRow(Base):
    """Per-URL crawl state: validators for conditional GETs and when to look again."""

    __tablename__ = "url_state"

    url: Mapped[str] = mapped_column(primary_key=True)
    site: Mapped[str | None]
    discovered_at: Mapped[dt.datetime | None]
    lastmod: Mapped[dt.datetime | None]
    last_fetched_at: Mapped[dt.datetime | None]
    last_status: Mapped[int | None]
    etag: Mapped[str | None]
    last_modified: Mapped[str | None]
    next_due_at: Mapped[dt.datetime | None] = mapped_column(index=True)


class CrawlRun(Base):
    """One run of ``crawl``, ``crawlall`` or ``reparse``: when, which sites, its verdict."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime | None]
    sites: Mapped[list[str]]
    counts: Mapped[dict[str, Any] | None]
    healthy: Mapped[bool | None]
    exit_code: Mapped[int | None]
    #: crawl, crawlall or reparse
    kind: Mapped[str | None]
    #: healthy, degraded or failed; NULL while the run is going (or when it died)
    verdict: Mapped[str | None]
    reasons: Mapped[list[str] | None]


class CrawlRunSite(Base):
    """One site's figures in one run, with the site's verdict and its reasons."""

    __tablename__ = "crawl_run_sites"
    __table_args__ = (UniqueConstraint("run_id", "site"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id", ondelete="CASCADE"))
    site: Mapped[str] = mapped_column(index=True)
    verdict: Mapped[str]
    reasons: Mapped[list[str]]
    #: article URLs found by discovery (sitemaps, feeds, sections)
    discovered: Mapped[int]
    #: responses received (pages, sitemaps, feeds)
    fetched: Mapped[int]
    #: 304 answers to conditional GETs
    not_modified: Mapped[int]
    new_articles: Mapped[int]
    new_versions: Mapped[int]
    unchanged: Mapped[int]
    #: dropped items by reason (not_an_article, empty_body, soft_block, ...)
    dropped: Mapped[dict[str, Any]]
    #: requests that failed for good
    errors: Mapped[int]
    bytes: Mapped[int] = mapped_column(BigInteger())
    #: everything else the verdict was judged on (parsed pages, coverage shares, ...)
    figures: Mapped[dict[str, Any]]
