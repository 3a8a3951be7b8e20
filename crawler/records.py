"""The bridge from crawler items to storage records (the crawler's only contact with ``storage``)."""

from __future__ import annotations

import datetime as dt

from crawler.items import ArticleItem, Sighting
from crawler.processing import EXTRACTOR_VERSION
from storage import ArticleRecord, CaptureRecord, SightingRecord


def to_record(item: ArticleItem) -> ArticleRecord:
    """The storage record of a cleaned item."""
    capture = None
    if item.capture is not None:
        c = item.capture
        capture = CaptureRecord(url=c.url, fetched_at=c.fetched_at, status=c.status,
                                headers=dict(c.headers), html=c.body)
    return ArticleRecord(
        site=item.site,
        url=item.url,
        canonical_url=item.canonical_url or item.url,
        aliases=list(item.aliases),
        title=item.title,
        dek=item.dek,
        authors=list(item.authors),
        published_at=item.published,
        published_precision=item.published_precision if item.published is not None else None,
        modified_at=item.modified,
        section=item.section,
        tags=list(item.tags),
        language=item.language,
        image_url=item.image_url,
        image_credit=item.image_credit,
        article_type=item.article_type,
        rating=item.rating,
        body="\n\n".join(item.body),
        captions=list(item.captions),
        embeds=list(item.embeds),
        field_sources=dict(item.field_sources),
        removed=list(item.removed),
        extractor_version=EXTRACTOR_VERSION,
        fetched_at=capture.fetched_at if capture else dt.datetime.now(dt.UTC),
        capture=capture,
    )


def to_sighting(item: Sighting) -> SightingRecord:
    """The storage record of a page found unchanged."""
    return SightingRecord(url=item.url, seen_at=item.seen_at, status=item.status, etag=item.etag,
                          last_modified=item.last_modified)
