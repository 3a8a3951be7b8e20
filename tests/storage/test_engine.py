"""Engine setup and failure reporting."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from storage import Archive, ArchiveError, ArchiveUnavailable
from storage.engine import create_archive_engine


def test_sqlite_connections_are_tuned(tmp_path) -> None:
    with Archive.open(f"sqlite:///{tmp_path / 'a.db'}") as archive, archive.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_foreign_keys_are_enforced(archive: Archive) -> None:
    with pytest.raises(sa.exc.IntegrityError), archive.engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO url_aliases (alias_url, article_id) VALUES ('u', 999)"))


def test_unreachable_database_is_unavailable(tmp_path) -> None:
    (tmp_path / "dir.db").mkdir()
    with pytest.raises(ArchiveUnavailable) as caught:
        Archive.open(f"sqlite:///{tmp_path / 'dir.db'}")
    assert caught.value.__cause__ is not None
    with pytest.raises(ArchiveUnavailable):
        Archive.open("postgresql+psycopg://nobody@127.0.0.1:1/none", migrate=True)


def test_bad_urls_and_schemas_are_archive_errors() -> None:
    with pytest.raises(ArchiveError, match=r"unparsable|Could not parse"):
        Archive.open("not a url")
    with pytest.raises(ArchiveError, match="only for PostgreSQL"):
        Archive.open("sqlite://", schema="x")
    with pytest.raises(ValueError, match="invalid schema"):
        create_archive_engine("postgresql://u@h/db", schema="x; DROP TABLE y")


def test_in_memory_archive_works_across_threads() -> None:
    import threading

    with Archive.open("sqlite://") as archive:
        seen: list[int] = []
        thread = threading.Thread(target=lambda: seen.append(archive.stats()["articles"]))
        thread.start()
        thread.join()
        assert seen == [0]


def test_read_only_view_of_a_path_that_needs_escaping(tmp_path) -> None:
    odd = tmp_path / "a dir #1 %20?"
    odd.mkdir()
    with Archive.open(f"sqlite:///{odd / 'a.db'}") as archive:
        assert archive.query("SELECT COUNT(*) FROM articles")[1] == [(0,)]


def test_two_sqlite_writers_wait_for_each_other(tmp_path) -> None:
    import threading

    from tests.storage.factory import make_record, paragraphs

    url = f"sqlite:///{tmp_path / 'a.db'}"
    Archive.open(url).close()
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            with Archive.open(url) as archive:
                for i in range(10):
                    archive.store([make_record(f"https://x.example/{name}/{i}/{j}/",
                                               body=paragraphs(f"{name}{i}{j}"))
                                   for j in range(5)])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Archive.open(url) as archive:
        assert archive.stats()["articles"] == 100
