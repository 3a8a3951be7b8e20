"""Broken page content, crawled from the local mirror: truncated HTML, wrong or missing
charsets, binary bodies served as text/html, deep nesting, hostile JSON-LD, hidden markup in
odd places, NUL bytes and control characters, impossible dates. One crawl serves them all;
each case is checked from the log and the archive."""

from __future__ import annotations

import pytest

from tests.hostile.cases import Case, document_cases
from tests.hostile.checks import check_case, check_crawl
from tests.hostile.harness import CrawlResult


@pytest.mark.parametrize("case", document_cases(), ids=lambda c: c.id)
def test_document_case(case: Case, document_crawl: CrawlResult) -> None:
    check_case(case, document_crawl)


def test_document_crawl_ends_normally_with_a_stat_per_reason(document_crawl: CrawlResult) -> None:
    check_crawl(document_crawl, document_cases())
