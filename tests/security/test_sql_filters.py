"""User input reaches SQL only as bound parameters: quotes, semicolons, ``%``, ``_`` and
backslashes given to every filter (``archive search/export/junk``, ``reparse``, ``crawlall``,
``sites``, the Archive API behind them) find exactly the rows they name, break nothing and
inject nothing, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from storage import Archive, ReadOnlyViolation, SearchSyntaxError
from tests.conftest import REPO_ROOT
from tests.crawl.conftest import _SETTINGS_ENV
from tests.storage.factory import make_record, paragraphs

#: A site whose slug is made of what breaks naive SQL.
ODD_SITE = "o'brien%_;--"
#: Values typed into filters: quotes, comment and statement separators, LIKE wildcards.
HOSTILE = ["'", "''", '"', "%", "_", "\\", ";", "--", "' OR '1'='1", "'; DROP TABLE articles; --",
           "%' OR 1=1 --", ODD_SITE, "o'brien", "%%", "_%_", "\\%", "\x7f", "100%"]
#: The articles stored: (site, slug, title, extra sentence in the body, publication day).
ARTICLES = [
    ("variety", "fresh", "100% fresh: the critics' verdict", "It scored 100% with critics' praise.",
     dt.datetime(2024, 5, 1, 9, tzinfo=dt.UTC)),
    ("variety", "under", "under_score; and semicolons", "A path like C:\\films\\new and a_b.",
     dt.datetime(2024, 6, 1, 9, tzinfo=dt.UTC)),
    ("variety", "plain", "Oscars recap", "Nothing odd here at all.",
     dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)),
    (ODD_SITE, "quote", 'He said "it\'s over" -- twice', "O'Brien's 50% share; sold.",
     dt.datetime(2025, 4, 1, 9, tzinfo=dt.UTC)),
    (ODD_SITE, "drop", "'; DROP TABLE articles; --", "Robert'); DROP TABLE articles;-- was here.",
     dt.datetime(2025, 5, 1, 9, tzinfo=dt.UTC)),
]


@pytest.fixture
def filled(any_archive_url: str) -> str:
    """An archive holding :data:`ARTICLES`."""
    with Archive.open(any_archive_url, migrate=True) as archive:
        archive.store([make_record(f"https://example.org/{site_slug(site)}/{slug}-story-here/", site=site,
                                   title=title, body=paragraphs(slug, 3) + "\n\n" + extra,
                                   published_at=day, removed=[("related_links", "RELATED: " + extra)])
                       for site, slug, title, extra, day in ARTICLES])
    return any_archive_url


def site_slug(site: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in site)


def _words(value: str) -> list[str]:
    """The words full-text search looks for in ``value`` (its operators left out)."""
    return [w.lower() for w in re.findall(r"[^\W_]+", value) if w.upper() not in ("OR", "AND", "NOT")]


def _has_a_word(article: dict, words: list[str]) -> bool:
    text = f"{article['title'] or ''} {article['body']}".lower()
    return any(re.search(rf"\b{re.escape(w)}", text) for w in words)


def _searched(archive: Archive, value: str, **filters: str) -> set[int] | None:
    """The ids full-text search finds for ``value``; ``None`` when it is no query at all (a
    one-line SearchSyntaxError: quotes and wildcards alone are nothing to search for)."""
    try:
        return {r["id"] for r in archive.search(value, limit=100, **filters)}
    except SearchSyntaxError:
        return None


def test_every_filter_of_the_archive_api_binds_its_value(filled: str) -> None:
    with Archive.open(filled) as archive:
        everything = list(archive.articles())
        assert len(everything) == len(ARTICLES)
        for value in HOSTILE:
            # full-text search: a value is words to find, never SQL: no hit lacks all its words
            # (an injected "OR 1=1" would return every article)
            words = _words(value)
            plausible = {a["id"] for a in everything if _has_a_word(a, words)}
            found = _searched(archive, value)
            assert found is not None or not words or "OR" in value.upper().split(), value
            assert found is None or found <= plausible, value
            if value in ("o'brien", "100%"):  # words that are there are found
                assert found, value
            for site in ("variety", ODD_SITE, value):
                in_site = {a["id"] for a in everything if a["site"] == site}
                found_in_site = _searched(archive, value, site=site)
                assert found_in_site is None or found_in_site <= plausible & in_site
                assert {a["id"] for a in archive.articles(site=site)} == in_site
                assert len(archive.captured_urls(site)) == len(in_site)
                assert archive.junk_report(site).articles == len(in_site)
                archive.learned_boilerplate(site)
                archive.due_urls(site, dt.datetime.now(dt.UTC))
            assert archive.known_urls([value, f"https://example.org/{value}"]) == {}
            assert archive.get_url_state(value) is None
        assert archive.stats()["articles"] == len(ARTICLES)  # nothing was dropped or changed


def _scrapy(url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in _SETTINGS_ENV}
    env.update(ARCHIVE_URL=url, SPOOL_DIR=str(tmp_path / "spool"))
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=180, check=False)


def _clean(done: subprocess.CompletedProcess[str]) -> None:
    """No traceback and no database error reached the user."""
    for text in (done.stdout, done.stderr):
        for sign in ("Traceback", "syntax error", "ProgrammingError", "OperationalError", "SQL:"):
            assert sign not in text, text[-3000:]


def test_every_command_filter_binds_its_value(filled: str, tmp_path: Path) -> None:
    with Archive.open(filled) as archive:
        everything = list(archive.articles())
    odd = {a["canonical_url"] for a in everything if a["site"] == ODD_SITE}

    # search: a LIKE wildcard or a quote is no SQL: nothing to search for (one line), or hits
    # that each hold one of the value's words
    for value in ("%", "' OR '1'='1", "o'brien"):
        done = _scrapy(filled, tmp_path, "archive", "search", value, "--limit", "100", "--format", "json")
        _clean(done)
        words = _words(value)
        if not words:
            assert done.returncode == 1 and done.stderr.startswith("archive: "), done.stderr
            assert len(done.stderr.strip().splitlines()) == 1
            continue
        found = {json.loads(line)["canonical_url"] for line in done.stdout.splitlines()}
        assert found <= {a["canonical_url"] for a in everything if _has_a_word(a, words)}, value

    # export --site: exactly the rows of that site, however its slug is spelled
    for site, expected in ((ODD_SITE, odd), ("x' OR 1=1 --", set())):
        done = _scrapy(filled, tmp_path, "archive", "export", "--site", site)
        _clean(done)
        assert done.returncode == 0
        assert {json.loads(line)["canonical_url"] for line in done.stdout.splitlines()} == expected, site

    # --since is a day or one clear line
    for args in (["archive", "export", "--since", "2024-01-01' OR 1=1 --"],
                 ["reparse", "--since", "2025-01-01'; DROP TABLE articles; --"]):
        done = _scrapy(filled, tmp_path, *args)
        _clean(done)
        assert done.returncode == 1 and "--since must be a day YYYY-MM-DD" in done.stderr

    # junk --site: a site that is not there is named, not injected
    done = _scrapy(filled, tmp_path, "archive", "junk", "--site", "x'; DROP TABLE articles; --")
    _clean(done)
    assert done.returncode == 1 and "no articles of site \"x'; DROP TABLE articles; --\"" in done.stderr
    done = _scrapy(filled, tmp_path, "archive", "junk", "--site", ODD_SITE)
    _clean(done)
    assert done.returncode == 0 and done.stdout.startswith(f"{ODD_SITE}: {len(odd)} articles")

    # reparse --site: that site's pages only, and one that matches nothing
    for site, pages in ((ODD_SITE, len(odd)), ("' OR ''='", 0)):
        done = _scrapy(filled, tmp_path, "reparse", "--site", site)
        _clean(done)
        assert done.returncode == 0 and f"reparse: {pages} pages:" in done.stdout, done.stderr[-2000:]

    # crawlall --sites and sites: names are checked against the known sites, nothing is run
    done = _scrapy(filled, tmp_path, "crawlall", "--sites", "a';DROP TABLE articles;--")
    _clean(done)
    assert done.returncode == 1 and "unknown site" in done.stderr.lower(), done.stderr[-2000:]
    done = _scrapy(filled, tmp_path, "sites")
    _clean(done)
    assert done.returncode == 0 and done.stdout.startswith("site\t")

    # archive sql is read-only and one statement
    done = _scrapy(filled, tmp_path, "archive", "sql", "SELECT 1; DROP TABLE articles")
    assert done.returncode == 1
    with Archive.open(filled) as archive:
        assert archive.stats()["articles"] == len(ARTICLES)  # every table intact
        with pytest.raises(ReadOnlyViolation):
            archive.query("DELETE FROM articles")
