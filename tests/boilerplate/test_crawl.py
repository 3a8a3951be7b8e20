"""Crawls of the local mirror learn a site's repeated paragraph from the archive and remove it;
``scrapy archive junk`` shows it for review; ``scrapy extract --archive`` cleans alike."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.mirror import Mirror
from storage import Archive
from tests.boilerplate.conftest import LONG, PROMPT, rollingstone_mirror_pages
from tests.crawl.conftest import run_crawl, scrapy_command, stat

RULE = "learned:rollingstone"
#: Every known article is due again at the next crawl (a 0 step, no maximum age).
EVERY_CRAWL = ("-s", "RECHECK_SCHEDULE=0s", "-s", "RECHECK_MAX_AGE=")


@pytest.fixture
def mirror() -> Iterator[Mirror]:
    """The recorded Rolling Stone pages, each with the template's prompt and long blurb."""
    with Mirror(rollingstone_mirror_pages(PROMPT, LONG)) as served:
        yield served


def _bodies(archive_url: str) -> dict[str, list[str]]:
    with Archive.open(archive_url) as archive:
        return {row["canonical_url"]: row["body"].split("\n\n") for row in archive.articles("rollingstone")}


def _junk(archive_url: str, *args: str) -> str:
    done = scrapy_command("archive", "junk", "--site", "rollingstone", "--url", archive_url, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_crawls_learn_remove_and_report_boilerplate(any_archive_url: str, tmp_path: Path,
                                                    mirror: Mirror) -> None:
    pages = len(mirror.pages)
    # every crawl re-checks every article, however old (a 0 step, no maximum age) ...
    start = ("-a", f"start_url={mirror.url('/sitemap_index.xml')}", *EVERY_CRAWL)
    # ... and unchanged pages would answer 304 (or be found byte-identical) and not be cleaned
    # again: fetch and parse them in full
    refetch = (*start, "-s", "CONDITIONAL_GET_ENABLED=0")
    assert scrapy_command("archive", "migrate", "--url", any_archive_url).returncode == 0

    # 1. An empty archive teaches nothing: the template's paragraphs are stored.
    first = run_crawl(any_archive_url, tmp_path, *start)
    assert stat(first.stderr, "archive/new") == pages
    assert stat(first.stderr, "body_text/learned_removed") == 0
    stored = _bodies(any_archive_url)
    assert all(PROMPT in body and LONG in body for body in stored.values())
    report = _junk(any_archive_url)
    suspected = report.split("Suspected segments", 1)[1]
    assert f"{pages}\t100%\t{PROMPT}\n" in suspected
    assert f"{pages}\t100%\t{LONG[:150]}" in suspected and "words: kept]" in suspected

    # 2. The next crawl learns the prompt from the archive and removes it, recorded as a rule;
    #    the long blurb and every other paragraph stay.
    second = run_crawl(any_archive_url, tmp_path, *refetch)
    assert stat(second.stderr, "body_text/learned_removed") == pages
    assert stat(second.stderr, "archive/version") == pages
    assert stat(second.stderr, "body_text/learned_unavailable") == 0
    cleaned = _bodies(any_archive_url)
    for url, body in cleaned.items():
        assert body == [p for p in stored[url] if p != PROMPT]
    with Archive.open(any_archive_url) as archive:
        _, rows = archive.query(f"SELECT COUNT(*) FROM removed_segments WHERE rule = '{RULE}'")
        assert rows[0][0] == pages
    report = _junk(any_archive_url)
    removed, suspected = report.split("Suspected segments", 1)
    assert report.startswith(f"rollingstone: {pages} articles\n")
    assert f"{pages}\t{RULE}\t{PROMPT}\n" in removed
    assert PROMPT not in suspected and LONG[:100] in suspected

    # 3. What was removed stays learned: a third crawl changes nothing.
    third = run_crawl(any_archive_url, tmp_path, *refetch)
    assert stat(third.stderr, "body_text/learned_removed") == pages
    assert stat(third.stderr, "archive/unchanged") == pages
    assert _bodies(any_archive_url) == cleaned

    # `scrapy extract --archive` takes the crawl's code path, learned boilerplate included.
    page = next(iter(mirror.pages.values()))
    html = tmp_path / "page.html"
    html.write_bytes(page.html)
    offline = scrapy_command("extract", str(html), "--url", mirror.url(page.path),
                             "--archive", any_archive_url)
    assert offline.returncode == 0, offline.stderr
    result = json.loads(offline.stdout)
    assert result["paragraphs"] == cleaned[result["canonical_url"]]
    assert {"rule": RULE, "text": PROMPT} in result["removed"]
    plain = json.loads(scrapy_command("extract", str(html), "--url", mirror.url(page.path)).stdout)
    assert PROMPT in plain["paragraphs"]


def test_learned_thresholds_are_settings(tmp_path: Path, mirror: Mirror) -> None:
    """LEARNED_MIN_ARTICLES above the number of archived articles: nothing counts as learned."""
    url = f"sqlite:///{tmp_path / 'archive.db'}"
    # every article re-fetched and parsed at every crawl
    start = ("-a", f"start_url={mirror.url('/sitemap_index.xml')}", "-s", "CONDITIONAL_GET_ENABLED=0",
             *EVERY_CRAWL)
    run_crawl(url, tmp_path, *start)
    strict = run_crawl(url, tmp_path, *start, "-s", f"LEARNED_MIN_ARTICLES={len(mirror.pages) + 1}")
    assert stat(strict.stderr, "body_text/learned_removed") == 0
    default = run_crawl(url, tmp_path, *start)
    assert stat(default.stderr, "body_text/learned_removed") == len(mirror.pages)


def test_crawl_goes_on_when_the_archive_cannot_be_read(tmp_path: Path, mirror: Mirror) -> None:
    down = tmp_path / "down.db"
    down.mkdir()  # a directory cannot be opened as a SQLite database
    done = run_crawl(f"sqlite:///{down}", tmp_path, "-a", f"start_url={mirror.url('/feed.xml')}",
                     check=False)
    assert done.returncode == 1, "the archive could not be written: the crawl failed"
    assert stat(done.stderr, "body_text/learned_unavailable") == 1, done.stderr[-5000:]
    assert stat(done.stderr, "body_text/processed") == len(mirror.pages)
    assert stat(done.stderr, "archive/spooled") == len(mirror.pages)
    assert "learned boilerplate unavailable" in done.stderr


def test_junk_needs_a_site_with_articles(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    assert scrapy_command("archive", "migrate", "--url", url).returncode == 0
    empty = scrapy_command("archive", "junk", "--site", "rollingstone", "--url", url)
    assert empty.returncode == 1
    assert "no articles of site 'rollingstone'" in empty.stderr
    no_site = scrapy_command("archive", "junk", "--url", url)
    assert no_site.returncode != 0 and "junk needs --site SLUG" in no_site.stderr


def test_extract_with_an_unreadable_archive_says_so(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>Hello</p></body></html>", encoding="utf-8")
    done = scrapy_command("extract", str(page), "--archive", f"sqlite:///{tmp_path / 'missing.db'}")
    assert done.returncode == 1
    assert "extract: archive:" in done.stderr
    assert not (tmp_path / "missing.db").exists(), "a read-only open must not create the file"
