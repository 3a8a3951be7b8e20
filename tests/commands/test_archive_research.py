"""``scrapy archive sql`` through a reader role, ``export`` to files, ``copy --to``."""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from storage import Archive
from tests.crawl.conftest import scrapy_command
from tests.storage.factory import DAY1, make_record, paragraphs


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'archive.db'}"
    with Archive.open(url) as archive:
        archive.store([make_record(f"https://variety.example/{i}/", title=f"Article {i}",
                                   body=paragraphs(f"story {i}"), published_at=DAY1.replace(day=1 + i))
                       for i in range(5)])
    return url


@pytest.fixture
def reader_role(postgres_database: str) -> Iterator[str]:
    """A unique role name, dropped (with its grants) after the test."""
    name = f"reader_{uuid.uuid4().hex[:10]}"
    yield name
    admin = sa.create_engine(postgres_database, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.scalar(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}):
            conn.execute(sa.text(f'DROP OWNED BY "{name}"'))
            conn.execute(sa.text(f'DROP ROLE "{name}"'))
    admin.dispose()


@pytest.mark.postgres
def test_sql_needs_the_reader_role_that_migrate_creates(postgres_database: str, reader_role: str,
                                                        sqlite_url: str) -> None:
    copied = scrapy_command("archive", "copy", "--url", sqlite_url, "--to", postgres_database)
    assert copied.returncode == 0, copied.stderr
    assert "migrated first" in copied.stderr and "verified" in copied.stderr
    assert "articles\t5\t5\t5" in copied.stdout.splitlines()

    refused = scrapy_command("archive", "sql", "COPY (SELECT 1) TO PROGRAM 'id'", "-s",
                             f"ARCHIVE_URL={postgres_database}")
    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1, refused.stderr
    assert "superuser" in refused.stderr and "--create-reader NAME" in refused.stderr

    created = scrapy_command("archive", "migrate", "--create-reader", reader_role, "--url", postgres_database)
    assert created.returncode == 0, created.stderr
    (reader_url,) = created.stdout.split()
    assert reader_role in reader_url and "ARCHIVE_READ_URL" in created.stderr

    settings = ("-s", f"ARCHIVE_URL={postgres_database}", "-s", f"ARCHIVE_READ_URL={reader_url}")
    counted = scrapy_command("archive", "sql", "SELECT count(*) AS n FROM articles", *settings)
    assert counted.returncode == 0, counted.stderr
    assert counted.stdout.split() == ["n", "5"]
    for sql in ("COPY (SELECT 1) TO PROGRAM 'id'", "SELECT pg_read_file('/etc/hostname')",
                "DELETE FROM articles"):
        done = scrapy_command("archive", "sql", sql, *settings)
        assert done.returncode == 1 and "refused" in done.stderr, (sql, done.stderr)


def test_sql_on_sqlite_reads_and_refuses_attach(sqlite_url: str, tmp_path: Path) -> None:
    done = scrapy_command("archive", "sql", "SELECT count(*) FROM articles", "--url", sqlite_url)
    assert done.returncode == 0 and done.stdout.split()[-1] == "5", done.stderr
    attach = f"ATTACH DATABASE '{tmp_path / 'x.db'}' AS x"
    done = scrapy_command("archive", "sql", attach, "--url", sqlite_url)
    assert done.returncode == 1 and "refused" in done.stderr
    assert not (tmp_path / "x.db").exists()


def test_export_to_files_and_standard_output(sqlite_url: str, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    parquet = tmp_path / "articles.parquet"
    done = scrapy_command("archive", "export", "--url", sqlite_url, "--format", "parquet", "-o", str(parquet),
                          "--since", "2025-03-02", "--until", "2025-03-04")
    assert done.returncode == 0, done.stderr
    assert f"exported 3 articles to {parquet}" in done.stderr
    assert pq.read_table(parquet).column("title").to_pylist() == ["Article 1", "Article 2", "Article 3"]
    assert not Path(f"{parquet}.part").exists()

    warc = tmp_path / "pages.warc"
    done = scrapy_command("archive", "export", "--url", sqlite_url, "--format", "warc", "--output", str(warc),
                          "--query", '"story 4"')  # a phrase (words apart: AND)
    assert done.returncode == 0 and "exported 1 captures" in done.stderr, done.stderr
    assert warc.read_bytes().startswith(b"WARC/1.1")  # .warc: records not gzipped

    done = scrapy_command("archive", "export", "--url", sqlite_url, "--format", "text", "-o", "-",
                          "--query", '"STORY 2"')
    assert done.returncode == 0 and done.stdout.startswith("title Article 2\n"), done.stderr
    done = scrapy_command("archive", "export", "--url", sqlite_url, "--site", "variety")
    rows = [json.loads(line) for line in io.StringIO(done.stdout)]
    assert [r["title"] for r in rows] == [f"Article {i}" for i in range(5)]


def test_export_mistakes_are_one_line(sqlite_url: str, tmp_path: Path) -> None:
    done = scrapy_command("archive", "export", "--url", sqlite_url, "--until", "March")
    assert done.returncode == 1
    assert done.stderr.strip() == "archive: --until must be a day YYYY-MM-DD, got 'March'"
    done = scrapy_command("archive", "export", "--url", sqlite_url, "-o", str(tmp_path / "no" / "x.csv"))
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert "cannot write" in done.stderr and "No such file or directory" in done.stderr
    done = scrapy_command("archive", "copy", "--url", sqlite_url)
    assert done.returncode != 0 and "copy needs --to URL" in done.stderr
