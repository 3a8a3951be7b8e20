"""``scrapy demo`` (offline crawl of the bundled pages) and ``scrapy archive`` on its result."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from crawler.demo import DEMO_PAGES
from tests.crawl.conftest import scrapy_command


@pytest.fixture(scope="module")
def demo_archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, str]:
    """The archive after running ``scrapy demo`` twice, and the two outputs."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'archive.db'}"
    first = scrapy_command("demo", "-s", f"ARCHIVE_URL={url}", timeout=300)
    assert first.returncode == 0, first.stderr[-3000:]
    second = scrapy_command("demo", "-s", f"ARCHIVE_URL={url}", timeout=300)
    assert second.returncode == 0, second.stderr[-3000:]
    return url, first.stdout, second.stdout


def _pages() -> int:
    return sum(1 for line in DEMO_PAGES.read_text(encoding="utf-8").splitlines() if line.strip())


def test_demo_stores_the_bundled_pages_once(demo_archive: tuple[str, str, str]) -> None:
    _url, first, second = demo_archive
    pages = _pages()
    assert f"{pages} pages parsed, {pages} new, 0 new versions" in first
    assert f"{pages} articles, {pages} versions" in first
    assert "Kristen Wiig" in first and "https://www.theguardian.com/film/2011/nov/18/" in first
    # the second run serves the pages on another port (new URLs to the crawl, so fetched and
    # parsed again), finds every article unchanged by its text and adds nothing
    assert f"crawl finished: {pages} pages parsed, 0 new, 0 new versions, {pages} unchanged" in second
    assert f"{pages} articles, {pages} versions" in second


def test_archive_stats_search_sql_export(demo_archive: tuple[str, str, str], tmp_path: Path) -> None:
    url = demo_archive[0]
    stats = scrapy_command("archive", "stats", "--url", url)
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["articles"] == _pages()

    found = scrapy_command("archive", "search", "Bridesmaids", "--url", url, "--format", "json")
    rows = [json.loads(line) for line in found.stdout.splitlines()]
    assert rows and all("bridesmaids" in (r["title"] + r["snippet"]).lower() for r in rows)
    assert "[Bridesmaids]" in rows[0]["snippet"]

    sql = scrapy_command("archive", "sql", "SELECT COUNT(*) AS n FROM articles", "--url", url)
    assert sql.stdout.split() == ["n", str(_pages())]
    match = scrapy_command("archive", "sql", "SELECT a.title FROM articles_fts JOIN articles a ON "
                           "a.id = articles_fts.rowid WHERE articles_fts MATCH 'bridesmaids'", "--url", url)
    assert match.returncode == 0, match.stderr
    titles = sorted(json.loads(line)["title"] for line in found.stdout.splitlines())
    assert titles == sorted(match.stdout.splitlines()[1:])

    out = tmp_path / "articles.csv"
    export = scrapy_command("archive", "export", "--format", "csv", "-O", str(out), "--url", url)
    assert export.returncode == 0, export.stderr
    exported = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(exported) == _pages()
    assert all(row["title"] and row["body"] for row in exported)


def test_archive_sql_is_read_only(demo_archive: tuple[str, str, str]) -> None:
    url = demo_archive[0]
    for statement in ("DELETE FROM articles", "DROP TABLE articles", "UPDATE articles SET title = 'x'"):
        done = scrapy_command("archive", "sql", statement, "--url", url)
        assert done.returncode == 1, statement
        assert "read-only" in done.stderr.lower() or "readonly" in done.stderr.lower(), done.stderr
    stats = scrapy_command("archive", "stats", "--url", url)
    assert json.loads(stats.stdout)["articles"] == _pages()


def test_archive_without_action_is_a_usage_error() -> None:
    done = scrapy_command("archive", "frobnicate")
    assert done.returncode != 0
    assert "give one of" in done.stderr
