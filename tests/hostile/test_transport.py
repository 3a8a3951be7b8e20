"""Hostile servers, crawled from the local mirror: pages over DOWNLOAD_MAXSIZE, decompression
bombs, redirect loops and chains, trickling, stalling and lying servers, odd statuses and
header floods. One crawl (DOWNLOAD_TIMEOUT and DOWNLOAD_MAXSIZE set low) serves them all."""

from __future__ import annotations

import pytest

from tests.hostile import cases as hostile
from tests.hostile.checks import check_case, check_crawl
from tests.hostile.harness import CrawlResult

#: Growth of the crawl's resident memory allowed, in DOWNLOAD_MAXSIZEs, while it downloads
#: 64 MiB decompression bombs and pages over the limit (without the limits each bomb alone
#: would take 64 of them).
MEMORY_BOUND = 40


@pytest.mark.parametrize("case", hostile.transport_cases(), ids=lambda c: c.id)
def test_transport_case(case: hostile.Case, transport_crawl: CrawlResult) -> None:
    check_case(case, transport_crawl)


def test_transport_crawl_ends_normally_with_a_stat_per_reason(transport_crawl: CrawlResult) -> None:
    check_crawl(transport_crawl, hostile.transport_cases())


def test_slow_answers_are_abandoned_at_the_download_timeout(transport_crawl: CrawlResult) -> None:
    """Each trickle and stall (30 seconds each) is given up after DOWNLOAD_TIMEOUT, with its
    retry: the whole crawl ends long before one of them would have."""
    slow = [c for c in hostile.transport_cases() if c.category == "slow" and "Timeout" in str(c.allowed)]
    for case in slow:
        (line,) = [line for line in transport_crawl.lines(case.path) if "request failed" in line]
        assert f"took longer than {float(hostile.TIMEOUT)} seconds" in line, line
        assert transport_crawl.fetches(case.path) == 2  # the first try and one retry
    assert transport_crawl.stat("elapsed_time_seconds") < 30


def test_memory_stays_bounded_by_download_maxsize(transport_crawl: CrawlResult) -> None:
    """Peak RSS of the crawl minus its RSS when the engine started, against DOWNLOAD_MAXSIZE."""
    startup = transport_crawl.stat("memusage/startup")
    assert startup > 0 and transport_crawl.peak_rss > 0
    growth = transport_crawl.peak_rss - startup
    assert growth < MEMORY_BOUND * hostile.MAXSIZE, (
        f"the crawl grew by {growth / 2**20:.0f} MiB (DOWNLOAD_MAXSIZE {hostile.MAXSIZE / 2**20:.0f} MiB)"
    )
