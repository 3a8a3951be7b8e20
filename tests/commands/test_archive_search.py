"""``scrapy archive search``: ranked hits as a table or JSON lines; user mistakes in one line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from storage import Archive
from tests.crawl.conftest import scrapy_command
from tests.storage import example_archive
from tests.storage.test_readme_queries import section


def _readme_search_example() -> tuple[list[str], str]:
    """The ``$ scrapy archive search ...`` block of README "Querying the archive": arguments, output."""
    block = re.search(r"```text\n\$ scrapy archive search '([^']+)'\n(.*?)```", section(), re.S)
    assert block, "README: no search example"
    return [block.group(1)], block.group(2)


@pytest.fixture
def example_url(any_archive_url: str) -> str:
    with Archive.open(any_archive_url, migrate=True) as archive:
        example_archive.fill(archive)
    return any_archive_url


def test_search_prints_the_readme_table_and_json_lines(example_url: str) -> None:
    args, shown = _readme_search_example()
    table = scrapy_command("archive", "search", *args, "--url", example_url)
    assert table.returncode == 0, table.stderr
    assert table.stdout == shown  # no terminal: matches between [ and ]

    found = scrapy_command("archive", "search", "oscars", "OR", "wednesday", "--site", "deadline",
                           "--since", "2025-03-02", "--until", "2025-03-02", "--format", "json",
                           "--url", example_url)
    hits = [json.loads(line) for line in found.stdout.splitlines()]
    assert [h["canonical_url"] for h in hits] == [example_archive.BOX_OFFICE]
    assert hits[0]["published_date"] == "2025-03-02" and "[Oscars]" in hits[0]["snippet"]

    none = scrapy_command("archive", "search", "xylophonist", "--url", example_url)
    assert none.returncode == 0 and none.stdout == ""
    assert "no article matches 'xylophonist'" in none.stderr


def test_user_mistakes_are_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'archive.db'}"
    with Archive.open(url) as archive:
        example_archive.fill(archive)
    bad = scrapy_command("archive", "search", '"tom cruise', "--url", url)
    assert bad.returncode == 1
    assert bad.stderr.strip() == "archive: unclosed quote in '\"tom cruise'"
    for args, message in ((["--since", "2025-13-01"], "--since must be a day YYYY-MM-DD, got '2025-13-01'"),
                          (["--format", "csv"], "search --format is one of table, json, not 'csv'"),
                          (["--limit", "0"], "--limit must be at least 1, not 0")):
        done = scrapy_command("archive", "search", "cruise", *args, "--url", url)
        assert done.returncode == 1 and done.stderr.strip() == f"archive: {message}", done.stderr
        assert "Traceback" not in done.stderr
