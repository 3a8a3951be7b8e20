"""Finding repeated paragraphs in the archive and reporting removals, on SQLite and PostgreSQL."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from crawler.items import ArticleItem
from crawler.learned_archive import learned_library
from crawler.records import to_record
from storage import Archive, RemovedCount, normalize_segment
from tests.boilerplate.conftest import LONG, corpus_items

SITE = "newyorker"
RULE = f"learned:{SITE}"
PROMPT = ("Want more stories like this? Follow The New Yorker on Google News and add us as a "
          "preferred source.")
TWICE = "Read more from our Spring Culture Preview."


@pytest.fixture
def archive(any_archive_url: str) -> Archive:
    with Archive.open(any_archive_url, migrate=True) as opened:
        yield opened


@pytest.fixture
def items(corpus_dir: Path) -> list[ArticleItem]:
    """Six real New Yorker articles; the template adds PROMPT and LONG to four, TWICE to two."""
    items = corpus_items(corpus_dir, "The New Yorker", SITE)
    assert len(items) == 6
    for item in items[:4]:
        item.body[2:2] = [PROMPT, LONG]
    for item in items[4:]:
        item.body.insert(3, TWICE)
    return items


def test_repeated_paragraphs_are_found(archive: Archive, items: list[ArticleItem]) -> None:
    archive.store([to_record(i) for i in items])
    found = archive.learned_boilerplate(SITE)
    assert [(c.segment, c.articles, c.share) for c in found] == [
        (normalize_segment(LONG), 4, 4 / 6), (normalize_segment(PROMPT), 4, 4 / 6)]
    assert {c.text for c in found} == {PROMPT, LONG}
    # thresholds: articles, share of the sample, and the sample of newest articles
    assert archive.learned_boilerplate(SITE, min_articles=5) == []
    assert archive.learned_boilerplate(SITE, min_share=0.7) == []
    assert archive.learned_boilerplate(SITE, sample=2) == []
    assert {c.text for c in archive.learned_boilerplate(SITE, min_articles=2)} == {PROMPT, LONG, TWICE}
    assert archive.learned_boilerplate("variety") == []


def test_learned_removal_is_recorded_reported_and_stays_learned(
        archive: Archive, items: list[ArticleItem]) -> None:
    archive.store([to_record(i) for i in items])
    library = learned_library(archive)
    learned = library.for_site(SITE)
    assert learned is not None and learned.segments == {normalize_segment(PROMPT)}, "LONG is too long"

    recleaned = [copy.deepcopy(i) for i in items]
    for item in recleaned:
        learned.apply(item)
    for before, after in zip(items, recleaned, strict=True):
        assert after.body == [p for p in before.body if p != PROMPT], "only the prompt goes"
    assert sum(item.removed.count((RULE, PROMPT)) for item in recleaned) == 4
    outcomes = archive.store([to_record(i) for i in recleaned])
    assert [o.status for o in outcomes] == ["version"] * 4 + ["unchanged"] * 2

    report = archive.junk_report(SITE)
    assert report.articles == 6
    assert RemovedCount(RULE, PROMPT, 4) in report.removed
    assert [r.articles for r in report.removed] == sorted((r.articles for r in report.removed), reverse=True)
    assert [s.text for s in report.suspected] == [LONG], "the prompt is no longer in any body"
    # what the learned rule removed still counts: the next crawl removes it again
    assert normalize_segment(PROMPT) in {c.segment for c in archive.learned_boilerplate(SITE)}
    assert archive.junk_report(SITE, limit=1).removed == report.removed[:1]
    assert archive.junk_report("variety").articles == 0


def test_real_template_paragraphs_of_the_guardian(archive: Archive, corpus_dir: Path) -> None:
    """The Guardian's own furniture, as the corpus recorded it: whatever repeats in three of six
    articles is learned, and the learned pass (or a rule) takes it out of every body."""
    items = corpus_items(corpus_dir, "The Guardian", "theguardian")
    archive.store([to_record(i) for i in items])
    learned = learned_library(archive).for_site("theguardian")
    assert learned is not None
    repeated = {normalize_segment(p) for i in items for p in i.body
                if sum(normalize_segment(p) in map(normalize_segment, j.body) for j in items) >= 3}
    assert learned.segments == {s for s in repeated if len(s.split()) <= 60}
    if any("skip past newsletter promotion" in i.body for i in items):
        assert "skip past newsletter promotion" in learned.segments
    for item in items:
        unique = [p for p in item.body if normalize_segment(p) not in learned.segments]
        learned.apply(item)
        assert [p for p in item.body if normalize_segment(p) not in learned.segments] == unique
    assert not any("skip past newsletter promotion" in i.body for i in items)
