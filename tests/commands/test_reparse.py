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
    assert (f"reparse: {pages} pages: {pages} changed (0 new, {pages} new versions), 0 unchanged, "
            "0 failed (0 dropped, 0 errors)") in done.stdout
    with Archive.open(url) as archive:
        assert all(PROMPT not in row["body"] for row in archive.articles("rollingstone"))
        _, rows = archive.query("SELECT body FROM article_versions WHERE version_no = 1")
        assert all(PROMPT in body for (body,) in rows), "the first versions are kept as they were"

    # Nothing changed since: a second reparse adds nothing.
    again = scrapy_command("reparse", "--url", url)
    assert (f"reparse: {pages} pages: 0 changed (0 new, 0 new versions), {pages} unchanged, "
            "0 failed") in again.stdout

    # --since narrows to the articles published on or after that day; every reparse is a run
    days = sorted(p.published.date() for p in mirror.pages.values() if p.published)
    since = days[-1]
    newest = sum(day >= since for day in days)
    assert 0 < newest < pages
    narrowed = scrapy_command("reparse", "--url", url, "--site", "rollingstone",
                              "--since", since.isoformat())
    assert f"reparse: {newest} pages: 0 changed" in narrowed.stdout, narrowed.stdout
    with Archive.open(url) as archive:
        runs = archive.runs()
    assert [(r.kind, r.verdict, r.counts.get("pages")) for r in runs[:3]] == [
        ("reparse", "healthy", newest), ("reparse", "healthy", pages), ("reparse", "healthy", pages)]
    assert runs[0].sites == ["rollingstone"] and runs[1].sites == []


def test_reparse_of_a_missing_archive_fails_clearly(tmp_path: Path) -> None:
    done = scrapy_command("reparse", "--url", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert done.returncode == 1
    assert done.stderr.startswith("reparse: ")


def test_reparse_refuses_a_malformed_day(tmp_path: Path) -> None:
    done = scrapy_command("reparse", "--url", f"sqlite:///{tmp_path / 'a.db'}", "--since", "2024-13-01")
    assert done.returncode == 1
    assert done.stderr.strip() == "reparse: --since must be a day YYYY-MM-DD, got '2024-13-01'"
    assert not (tmp_path / "a.db").exists(), "nothing is created for a refused command"
