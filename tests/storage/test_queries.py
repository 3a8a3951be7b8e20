"""Reading the archive: read-only SQL, export, stats, article rows (search: test_search.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from storage import Archive, QueryError, ReadOnlyViolation
from tests.storage.factory import DAY1, make_record, paragraphs


@pytest.fixture
def filled(archive: Archive) -> Archive:
    archive.store([
        make_record("https://variety.example/a/", title="Oscars: the winners",
                    body=paragraphs("Best Picture")),
        make_record("https://variety.example/b/", title="Box office", site="deadline",
                    published_at=DAY1 + dt.timedelta(days=10), body=paragraphs("100% Fresh")),
        make_record("https://variety.example/c/", title="Undated", published_at=None,
                    body=paragraphs("a festival")),
    ])
    return archive


def test_select_returns_columns_and_rows(filled: Archive) -> None:
    columns, rows = filled.query("SELECT id, title FROM articles ORDER BY id")
    assert columns == ["id", "title"]
    assert [r[1] for r in rows] == ["Oscars: the winners", "Box office", "Undated"]
    assert len(filled.query("SELECT id FROM articles", limit=2)[1]) == 2


@pytest.mark.parametrize("sql", [
    "INSERT INTO sites (slug, name, enabled) VALUES ('x', 'x', true)",
    "DELETE FROM articles",
    "UPDATE articles SET title = 'hacked'",
    "DROP TABLE articles",
    "CREATE TABLE evil (x integer)",
])
def test_writes_are_refused(filled: Archive, sql: str) -> None:
    with pytest.raises(ReadOnlyViolation, match=r"(?i)read-?only"):
        filled.query(sql)
    assert filled.stats()["articles"] == 3
    assert "hacked" not in {r["title"] for r in filled.articles()}


def test_a_second_statement_cannot_be_smuggled_in(filled: Archive) -> None:
    for sql in ("SELECT 1; DELETE FROM articles", "COMMIT; DROP TABLE articles"):
        with pytest.raises(QueryError):
            filled.query(sql)
    assert filled.stats()["articles"] == 3


def test_sqlite_read_only_query_cannot_attach(tmp_path: Path) -> None:
    with Archive.open(f"sqlite:///{tmp_path / 'a.db'}") as archive:
        with pytest.raises(ReadOnlyViolation):
            archive.query(f"ATTACH DATABASE '{tmp_path / 'other.db'}' AS other")
        assert not (tmp_path / "other.db").exists()



def test_query_on_an_archive_opened_read_only(any_archive_url: str) -> None:
    with Archive.open(any_archive_url, migrate=True) as archive:
        archive.store([make_record("https://variety.example/a/", title="Oscars: the winners")])
    with Archive.open(any_archive_url, read_only=True) as reader:
        assert reader.query("SELECT title FROM articles") == (["title"], [("Oscars: the winners",)])
        with pytest.raises(ReadOnlyViolation):
            reader.query("DELETE FROM articles")
        assert reader.stats()["articles"] == 1

def test_bad_sql_is_a_query_error(filled: Archive) -> None:
    with pytest.raises(QueryError, match="query failed") as caught:
        filled.query("SELECT nope FROM nowhere")
    assert not isinstance(caught.value, ReadOnlyViolation)
    assert caught.value.__cause__ is not None


def test_export_jsonl(filled: Archive) -> None:
    out = io.StringIO()
    assert filled.export("jsonl", out) == 3
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    first = lines[0]
    assert first["title"] == "Oscars: the winners" and first["site"] == "variety"
    assert first["authors"] == ["Jane Doe"] and first["published_at"] == DAY1.isoformat()
    assert first["body"] == paragraphs("Best Picture")
    only = io.StringIO()
    assert filled.export("jsonl", only, site="deadline") == 1
    since = io.StringIO()
    assert filled.export("jsonl", since, since=DAY1.date() + dt.timedelta(days=5)) >= 1
    assert all(json.loads(line)["published_date"] >= "2025-03-06"
               for line in since.getvalue().splitlines())


def test_export_csv(filled: Archive) -> None:
    out = io.StringIO()
    assert filled.export("csv", out) == 3
    records = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(records) == 3
    assert json.loads(records[0]["tags"]) == ["oscars", "film"]
    assert records[0]["body"] == paragraphs("Best Picture")  # newlines survive quoting


def test_export_refuses_unknown_format(filled: Archive) -> None:
    with pytest.raises(Exception, match="unknown export format"):
        filled.export("xml", io.StringIO())  # type: ignore[arg-type]


def test_stats(filled: Archive) -> None:
    stats = filled.stats()
    assert stats["articles"] == 3 and stats["versions"] == 3 and stats["captures"] == 3
    assert stats["fallback_dates"] == 1
    assert stats["sites"] == {"deadline": 1, "variety": 2}
    assert stats["oldest"] == DAY1.date()
    assert stats["newest"] == (DAY1 + dt.timedelta(days=10)).date()
    assert stats["last_seen_at"].tzinfo is not None


def test_articles_iterates_dicts_by_site(filled: Archive) -> None:
    rows = list(filled.articles(site="variety"))
    assert {r["title"] for r in rows} == {"Oscars: the winners", "Undated"}
    assert all(isinstance(r["authors"], list) for r in rows)
