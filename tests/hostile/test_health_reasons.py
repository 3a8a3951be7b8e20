"""The new drop reasons count in a site's health as pages without an article: a site that
starts answering PDFs, JSON or endlessly nested markup for its articles is degraded."""

from __future__ import annotations

import pytest

from crawler import health


@pytest.mark.parametrize("reason", ["not_html", "too_deep"])
def test_pages_without_html_or_too_deep_make_a_site_degraded(reason: str) -> None:
    stats = {"discovery/article_links": 20, "downloader/response_count": 21, "article/parsed": 20,
             f"validate/dropped/{reason}": 15, "validate/passed": 5, "archive/new": 5}
    run = health.site_run_from_stats("variety", stats, 1)
    assert run.figures["coverage"]["body"] == 0.25
    verdict, reasons = health.judge(run, [], health.Thresholds())
    assert verdict == "degraded" and reasons == ["15 of 20 pages dropped as not an article"]
