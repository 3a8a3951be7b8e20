"""``scrapy crawl news`` refuses bad arguments with a clear message and a failing exit code."""

from __future__ import annotations

import pytest

from tests.crawl.conftest import scrapy_command


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-a", "site=nope"], "unknown site 'nope'; known: billboard, cbr, collider"),
        ([], "give -a site=SLUG or -a start_url=URL"),
        (["-a", "start_url=ftp://example.com/feed"], "start_url must be an http(s) URL"),
        (["-a", "site=variety", "-a", "since=last week"], "since must be YYYY-MM-DD"),
    ],
)
def test_bad_arguments(args: list[str], message: str) -> None:
    done = scrapy_command("crawl", "news", *args, "-s", "LOG_LEVEL=ERROR")
    assert done.returncode == 1
    assert message in done.stderr
