"""``scrapy reparse``: archived raw pages are extracted again; changed text becomes a version."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.mirror import Mirror
from storage import Archive
from tests.boilerplate.conftest import PROMPT, rollingstone_mirror_pages
from tests.crawl.conftest import run_crawl, scrapy_command, stat


@pytest.fixture
def mirror() -> Iterator[Mirror]:
    """Recorded Rolling Stone pages that all carry the same newsletter-style prompt."""
    with Mirror(rollingstone_mirror_pages(PROMPT)) as served:
        yield served


def test_reparse_applies_what_the_archive_learned(tmp_path: Path, mirror: Mirror) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    pages = len(mirror.pages)
    first = run_crawl(url, tmp_path, "-a", f"start_url={mirror.url('/feed.xml')}")
    assert stat(first.stderr, "archive/new") == pages

    # The archive now shows the prompt in every article: reparsing the kept captures removes it
    # (learned boilerplate) and stores each cleaner text as a new version, offline.
    done = scrapy_command("reparse", "--url", url, "--site", "rollingstone")
    assert done.returncode == 0, done.stderr
    assert f"reparse: {pages} pages: 0 new, {pages} new versions, 0 unchanged, 0 dropped" in done.stdout
    with Archive.open(url) as archive:
        assert all(PROMPT not in row["body"] for row in archive.articles("rollingstone"))
        _, rows = archive.query("SELECT body FROM article_versions WHERE version_no = 1")
        assert all(PROMPT in body for (body,) in rows), "the first versions are kept as they were"

    # Nothing changed since: a second reparse adds nothing.
    again = scrapy_command("reparse", "--url", url)
    assert f"reparse: {pages} pages: 0 new, 0 new versions, {pages} unchanged, 0 dropped" in again.stdout


def test_reparse_of_a_missing_archive_fails_clearly(tmp_path: Path) -> None:
    done = scrapy_command("reparse", "--url", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert done.returncode == 1
    assert done.stderr.startswith("reparse: ")
