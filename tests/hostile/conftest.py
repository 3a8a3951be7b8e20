"""The hostile crawls, one per group of cases, each run once per test session."""

from __future__ import annotations

import pytest

from tests.hostile import cases as hostile
from tests.hostile.discovery_cases import SECTION_MAX_PAGES, discovery_cases
from tests.hostile.harness import CrawlResult, crawl, news_sitemap


@pytest.fixture(scope="session")
def document_crawl(tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    """Every page-content case (truncated, charsets, binary, nesting, JSON-LD, markup, NUL
    bytes, dates) in one crawl with the project's settings."""
    cases = hostile.document_cases()
    answers = {c.path: c.answer for c in cases}
    return crawl(
        answers,
        news_sitemap("{base}", answers),
        tmp_path_factory.mktemp("documents"),
        {"CONCURRENT_REQUESTS_PER_DOMAIN": 8, "AUTOTHROTTLE_ENABLED": 0},
    )


@pytest.fixture(scope="session")
def transport_crawl(tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    """Every transport case (sizes, bombs, redirects, slow and broken servers) in one crawl with
    a small DOWNLOAD_MAXSIZE and DOWNLOAD_TIMEOUT, one retry."""
    cases = hostile.transport_cases()
    answers = {path: answer for c in cases for path, answer in {c.path: c.answer, **c.extra}.items()}
    return crawl(
        answers,
        news_sitemap("{base}", [c.path for c in cases]),
        tmp_path_factory.mktemp("transport"),
        {
            "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
            "AUTOTHROTTLE_ENABLED": 0,
            "RETRY_TIMES": 1,
            "DOWNLOAD_TIMEOUT": hostile.TIMEOUT,
            "DOWNLOAD_MAXSIZE": hostile.MAXSIZE,
            "DOWNLOAD_WARNSIZE": hostile.WARNSIZE,
        },
    )


@pytest.fixture(scope="session")
def discovery_crawl(tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    """Every discovery case, listed by one sitemap index."""
    from tests.hostile.discovery_cases import _index

    cases = discovery_cases()
    answers = {path: answer for c in cases for path, answer in {c.path: c.answer, **c.extra}.items()}
    answers["/hostile-index.xml"] = (
        200,
        {"Content-Type": "application/xml"},
        _index(["{base}" + c.path for c in cases]),
    )
    return crawl(
        answers,
        "/hostile-index.xml",
        tmp_path_factory.mktemp("discovery"),
        {
            "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
            "AUTOTHROTTLE_ENABLED": 0,
            "SECTION_MAX_PAGES": SECTION_MAX_PAGES,
            "DOWNLOAD_MAXSIZE": 8 * 1024 * 1024,
        },
    )
