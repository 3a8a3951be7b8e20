"""Boilerplate learned from the archive: paragraphs that repeat across many articles of a site.

A newsletter prompt, a share row or a standard disclaimer that the rule-based cleaners miss
ends up in the stored bodies of many articles of one site. :func:`frequent_paragraphs` finds
such paragraphs among a site's newest articles; :func:`frequent_removed` lists what the
cleaners removed most often, so a person can review both (``scrapy archive junk``).

Plain Python counting over rows read with portable SQL: the same results on SQLite and
PostgreSQL. Knows nothing of Scrapy. The normal form of a paragraph and the rule name of learned
removals come from :mod:`learned_segments`, shared with the cleaners that match them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from learned_segments import learned_rule, normalize_segment
from storage.models import Article, ArticleVersion, RemovedSegment, Site


@dataclass(frozen=True)
class SegmentCount:
    """A normalised paragraph, one original text of it, and in how many articles it appears."""

    segment: str
    text: str
    articles: int
    share: float

    @property
    def words(self) -> int:
        return len(self.segment.split())


@dataclass(frozen=True)
class RemovedCount:
    """A (rule, text) the cleaners removed, and from how many articles (their newest version)."""

    rule: str
    text: str
    articles: int


@dataclass(frozen=True)
class JunkReport:
    """What ``scrapy archive junk`` shows for one site."""

    site: str
    articles: int
    removed: list[RemovedCount]
    suspected: list[SegmentCount]


def site_article_count(session: Session, site: str) -> int:
    """How many articles of ``site`` the archive holds."""
    return session.scalar(
        select(func.count(Article.id)).join(Site, Article.site_id == Site.id).where(Site.slug == site)
    ) or 0


def frequent_paragraphs(session: Session, site: str, min_articles: int = 3, min_share: float = 0.2,
                        sample: int = 500, *, include_learned: bool = True) -> list[SegmentCount]:
    """Paragraphs that appear in at least ``min_articles`` distinct articles and at least
    ``min_share`` of the ``sample`` newest articles of ``site``, most frequent first.

    Bodies are split on blank lines and each paragraph normalised (:func:`normalize_segment`);
    paragraphs without a letter are ignored. With ``include_learned``, what the learned rule
    already removed from an article's newest version counts as present in it: once removed, a
    segment would otherwise drop out of the bodies, stop being learned, and come back on the
    next crawl. Without it (the junk report's "suspected" list) only stored bodies count.
    """
    rows = session.execute(
        select(Article.id, Article.body).join(Site, Article.site_id == Site.id)
        .where(Site.slug == site)
        .order_by(Article.published_date.desc(), Article.id.desc()).limit(sample)
    ).all()
    if not rows:
        return []
    texts: dict[int, list[str]] = {article_id: body.split("\n\n") for article_id, body in rows}
    if include_learned:
        removed = session.execute(
            select(Article.id, RemovedSegment.text)
            .join(ArticleVersion, and_(ArticleVersion.article_id == Article.id,
                                       ArticleVersion.version_no == Article.current_version))
            .join(RemovedSegment, RemovedSegment.article_version_id == ArticleVersion.id)
            .where(Article.id.in_(list(texts)), RemovedSegment.rule == learned_rule(site))
        ).all()
        for article_id, text in removed:
            texts[article_id].append(text)
    counts: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for article_id, _ in rows:  # newest first: the example is the newest wording
        seen = set()
        for text in texts[article_id]:
            segment = normalize_segment(text)
            if segment and segment not in seen and any(c.isalpha() for c in segment):
                seen.add(segment)
                examples.setdefault(segment, text.strip())
        counts.update(seen)
    total = len(rows)
    floor = max(min_articles, min_share * total)
    return [SegmentCount(segment, examples[segment], n, n / total)
            for segment, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            if n >= floor]


def frequent_removed(session: Session, site: str, limit: int = 20) -> list[RemovedCount]:
    """The (rule, text) pairs removed from the most articles of ``site`` (newest versions).

    Ties are broken by first removal (lowest row id), not by text: collations differ between
    SQLite and PostgreSQL, ids do not.
    """
    articles = func.count(func.distinct(Article.id))
    rows = session.execute(
        select(RemovedSegment.rule, RemovedSegment.text, articles)
        .join(ArticleVersion, RemovedSegment.article_version_id == ArticleVersion.id)
        .join(Article, and_(ArticleVersion.article_id == Article.id,
                            ArticleVersion.version_no == Article.current_version))
        .join(Site, Article.site_id == Site.id)
        .where(Site.slug == site)
        .group_by(RemovedSegment.rule, RemovedSegment.text)
        .order_by(articles.desc(), func.min(RemovedSegment.id))
        .limit(limit)
    ).all()
    return [RemovedCount(rule, text, n) for rule, text, n in rows]


def junk_report(session: Session, site: str, limit: int = 20, min_articles: int = 3,
                min_share: float = 0.2, sample: int = 500) -> JunkReport:
    """The most often removed segments and the suspected ones still in stored bodies."""
    suspected = frequent_paragraphs(session, site, min_articles, min_share, sample,
                                    include_learned=False)
    return JunkReport(site=site, articles=site_article_count(session, site),
                      removed=frequent_removed(session, site, limit), suspected=suspected[:limit])
