"""Hostile discovery documents, crawled from the local mirror: broken and huge sitemaps and
feeds, entity tricks, links to other schemes and hosts, nested sitemap indexes, endless
pagination and calendar traps. One crawl from one sitemap index listing them all."""

from __future__ import annotations

import re

import pytest

from tests.hostile.discovery_cases import DiscoveryCase, discovery_cases
from tests.hostile.harness import CrawlResult, junk


@pytest.mark.parametrize("case", discovery_cases(), ids=lambda c: c.id)
def test_discovery_case(case: DiscoveryCase, discovery_crawl: CrawlResult) -> None:
    result = discovery_crawl
    assert result.fetches(case.path) >= 1, f"{case.path} was never requested"
    lines = result.lines(case.path)
    pattern = re.compile(case.line.format(url=re.escape(result.url(case.path))))
    assert any(pattern.search(line) for line in lines), f"{case.id}: no line like {case.line!r}\n" + (
        "\n".join(lines) or "(no line names it)"
    )
    for name in case.stats:
        assert result.stat(name) >= 1, f"{case.id}: no {name} stat"
    for prefix, most in case.at_most.items():
        assert result.fetches(prefix) <= most, f"{case.id}: {prefix} fetched {result.fetches(prefix)} times"
    for path in case.fetched_once:
        assert result.fetches(path) == 1, f"{case.id}: {path} fetched {result.fetches(path)} times"
        if path in result.articles:
            assert not junk(result.articles[path]), junk(result.articles[path])
    for text in case.never:
        assert text not in result.log, f"{case.id}: {text!r} in the log"


def test_discovery_crawl_ends_normally(discovery_crawl: CrawlResult) -> None:
    result = discovery_crawl
    assert result.returncode in (0, 2), result.log[-3000:]
    assert "Traceback" not in result.log, result.log[result.log.find("Traceback") - 2000 :][:6000]
    assert "'finish_reason': 'finished'" in result.log
    assert not any(k.startswith("spider_exceptions") for k in result.stats)
    # Only http(s) URLs on the mirror (or the refused 127.0.0.2) were ever requested.
    requested = re.findall(r"<GET ([^ >]+)>|request failed \([^)]*\): (\S+)|blocked (\S+):", result.log)
    for url in (u for group in requested for u in group if u):
        assert url.startswith((result.base_url, "http://127.0.0.2:9/")), url
