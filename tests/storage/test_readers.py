"""Read-only SQL that really is read-only: reader roles on PostgreSQL, the authorizer on SQLite."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from storage import Archive, QueryError, ReadOnlyViolation
from storage.readers import PrivilegedConnection
from tests.storage.factory import make_record

WRITES = [
    "INSERT INTO sites (slug, name, enabled) VALUES ('x', 'x', true)",
    "UPDATE articles SET title = 'hacked'",
    "DELETE FROM articles",
    "TRUNCATE articles CASCADE",
    "DROP TABLE articles CASCADE",
    "CREATE TABLE evil (x integer)",
    "ALTER TABLE articles ADD COLUMN evil integer",
    "GRANT ALL ON articles TO PUBLIC",
    "CREATE ROLE evil SUPERUSER",
]


@pytest.fixture
def admin_url(postgres_database: str) -> str:
    """A migrated PostgreSQL archive of its own, with one article, reached as the superuser."""
    with Archive.open(postgres_database, migrate=True) as archive:
        archive.store([make_record("https://variety.example/a/", title="Oscars: the winners")])
    return postgres_database


@pytest.fixture
def role_name(admin_url: str) -> Iterator[str]:
    """A unique role name; the role (created by the test) and its grants are dropped afterwards."""
    name = f"reader_{uuid.uuid4().hex[:10]}"
    yield name
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if conn.scalar(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}):
                conn.execute(sa.text(f'DROP OWNED BY "{name}"'))
                conn.execute(sa.text(f'DROP ROLE "{name}"'))
    finally:
        admin.dispose()


@pytest.fixture
def reader_url(admin_url: str, role_name: str) -> str:
    with Archive.open(admin_url) as archive:
        return archive.create_reader(role_name)


def _admin(url: str, *statements: str) -> None:
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for statement in statements:
                conn.execute(sa.text(statement))
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_superuser_connection_is_refused_with_the_way_out(admin_url: str) -> None:
    with Archive.open(admin_url, read_only=True) as archive, \
            pytest.raises(PrivilegedConnection) as refused:
        archive.check_reader()
    message = str(refused.value)
    assert "superuser" in message and "--create-reader NAME" in message and "ARCHIVE_READ_URL" in message
    assert "\n" not in message


@pytest.mark.postgres
def test_the_reader_reads_and_passes_the_check(admin_url: str, reader_url: str, role_name: str) -> None:
    assert role_name in reader_url and admin_url.split("@")[1] == reader_url.split("@")[1]
    with Archive.open(reader_url, read_only=True) as reader:
        reader.check_reader()
        assert reader.query("SELECT title FROM articles") == (["title"], [("Oscars: the winners",)])
        assert reader.stats()["articles"] == 1


@pytest.mark.postgres
@pytest.mark.parametrize("grant", [
    "GRANT pg_execute_server_program TO {role}",
    "GRANT pg_read_server_files TO {role}",
    "GRANT pg_write_server_files TO {role}",
    "GRANT INSERT ON articles TO {role}",
    "ALTER ROLE {role} SUPERUSER",
    "ALTER ROLE {role} CREATEROLE",
])
def test_a_role_with_more_than_select_is_refused(admin_url: str, reader_url: str, role_name: str,
                                                grant: str) -> None:
    _admin(admin_url, grant.format(role=f'"{role_name}"'))
    with Archive.open(reader_url, read_only=True) as reader, pytest.raises(PrivilegedConnection) as refused:
        reader.check_reader()
    assert role_name in str(refused.value)
    # and create_reader will not turn it back into a "reader" either
    with Archive.open(admin_url) as archive, pytest.raises(Exception, match="choose another name"):
        archive.create_reader(role_name)


@pytest.mark.postgres
def test_create_reader_refuses_an_existing_privileged_role(admin_url: str) -> None:
    with Archive.open(admin_url) as archive, pytest.raises(Exception, match="choose another name"):
        archive.create_reader("postgres")
    with Archive.open(admin_url) as archive, pytest.raises(Exception, match="invalid role name"):
        archive.create_reader('x"; DROP TABLE articles; --')


@pytest.mark.postgres
def test_running_create_reader_again_gives_a_new_password(admin_url: str, reader_url: str,
                                                          role_name: str) -> None:
    with Archive.open(admin_url) as archive:
        again = archive.create_reader(role_name)
    assert sa.engine.make_url(again).password != sa.engine.make_url(reader_url).password
    with Archive.open(again, read_only=True) as reader:
        assert reader.query("SELECT count(*) FROM articles")[1] == [(1,)]
    # (the test server trusts local connections: the old password is not refused here)


@pytest.mark.postgres
def test_tables_and_views_added_later_are_readable(admin_url: str, reader_url: str) -> None:
    _admin(admin_url, "CREATE TABLE later_table (x integer)", "INSERT INTO later_table VALUES (7)",
           "CREATE VIEW later_view AS SELECT id, title FROM articles")
    with Archive.open(reader_url, read_only=True) as reader:
        assert reader.query("SELECT x FROM later_table")[1] == [(7,)]
        assert reader.query("SELECT title FROM later_view")[1] == [("Oscars: the winners",)]
        reader.check_reader()


@pytest.mark.postgres
def test_a_reader_of_an_archive_in_its_own_schema(postgres_database: str, role_name: str) -> None:
    with Archive.open(postgres_database, migrate=True, schema="research") as archive:
        archive.store([make_record("https://variety.example/s/", title="In a schema")])
        url = archive.create_reader(role_name)
    assert "search_path" in url
    with Archive.open(url, read_only=True) as reader:
        reader.check_reader()
        assert reader.query("SELECT title FROM articles")[1] == [("In a schema",)]


#: What a "read-only" superuser connection could do on the server (issue 11), and writes.
SERVER_REACH = [
    "COPY (SELECT 1) TO PROGRAM 'touch {marker}'",
    "COPY articles FROM PROGRAM 'touch {marker}'",
    "COPY (SELECT 1) TO '{marker}'",
    "SELECT pg_read_file('/etc/hostname')",
    "SELECT pg_read_binary_file('/etc/hostname')",
    "SELECT pg_ls_dir('.')",
    "SELECT lo_import('/etc/hostname')",
    "SELECT lo_export(lo_from_bytea(0, 'x'), '{marker}')",
    "CREATE EXTENSION dblink",
    "CREATE EXTENSION IF NOT EXISTS adminpack",
    "SELECT set_config('role', 'postgres', false)",
]


@pytest.mark.postgres
def test_the_reader_cannot_reach_the_server_or_write(admin_url: str, reader_url: str) -> None:
    # where the database server (another OS user) could write: the shared temporary directory
    marker = Path(tempfile.gettempdir()) / f"reader-marker-{uuid.uuid4().hex}"
    with Archive.open(reader_url, read_only=True) as reader:
        for sql in [*SERVER_REACH, *WRITES]:
            with pytest.raises(ReadOnlyViolation, match="refused"):
                reader.query(sql.format(marker=marker))
            assert not marker.exists(), sql
    with Archive.open(admin_url) as archive:
        assert archive.query("SELECT title FROM articles")[1] == [("Oscars: the winners",)]
        assert archive.query("SELECT count(*) FROM pg_roles WHERE rolname = 'evil'")[1] == [(0,)]


@pytest.mark.postgres
def test_set_config_then_a_write_is_still_refused(admin_url: str, reader_url: str) -> None:
    with Archive.open(reader_url, read_only=True) as reader:
        # allowed (it only changes this connection's settings), and changes nothing that matters
        reader.query("SELECT set_config('default_transaction_read_only', 'off', false)")
        with pytest.raises(QueryError, match="read-write mode must be set before any query"):
            reader.query("SELECT set_config('transaction_read_only', 'off', false)")
        for sql in WRITES:
            with pytest.raises(ReadOnlyViolation):
                reader.query(sql)
        with pytest.raises(QueryError):
            reader.query("SELECT set_config('default_transaction_read_only', 'off', false); "
                         "DELETE FROM articles")
    with Archive.open(admin_url) as archive:
        assert archive.stats()["articles"] == 1


@pytest.mark.postgres
def test_dblink_is_no_way_around(admin_url: str, reader_url: str) -> None:
    """Installed by the owner or not, dblink does not let the reader write as someone else."""
    with Archive.open(reader_url, read_only=True) as reader, pytest.raises(ReadOnlyViolation):
        reader.query("CREATE EXTENSION dblink")
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        available = conn.scalar(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'dblink'"))
        if available:
            conn.execute(sa.text("CREATE EXTENSION dblink"))
    engine.dispose()
    if not available:
        return  # the refusal of CREATE EXTENSION above is the test
    database = sa.engine.make_url(admin_url).database
    with Archive.open(reader_url, read_only=True) as reader, pytest.raises(QueryError):
        reader.query(f"SELECT dblink_exec('host=127.0.0.1 dbname={database} user=postgres', "
                     "'DELETE FROM articles')")
    with Archive.open(admin_url) as archive:
        assert archive.stats()["articles"] == 1


# --- SQLite: the read-only connection's authorizer ----------------------------------------------


@pytest.fixture
def sqlite_archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive.open(f"sqlite:///{tmp_path / 'archive.db'}") as archive:
        archive.store([make_record("https://variety.example/a/", title="Oscars: the winners")])
        yield archive


@pytest.mark.parametrize("sql", [
    "ATTACH DATABASE '{dir}/other.db' AS other",
    "VACUUM INTO '{dir}/other.db'",
    "SELECT load_extension('{dir}/other.so')",
    "PRAGMA query_only = OFF",
    "PRAGMA journal_mode = DELETE",
    "INSERT INTO sites (slug, name, enabled) VALUES ('x', 'x', true)",
    "UPDATE articles SET title = 'hacked'",
    "DELETE FROM articles",
    "DROP TABLE articles",
    "CREATE TABLE evil (x integer)",
    "ALTER TABLE articles ADD COLUMN evil integer",
    "REINDEX",
])
def test_sqlite_refuses_files_extensions_and_writes(sqlite_archive: Archive, sql: str,
                                                    tmp_path: Path) -> None:
    with pytest.raises(ReadOnlyViolation):
        sqlite_archive.query(sql.format(dir=tmp_path))
    assert not (tmp_path / "other.db").exists()
    assert sqlite_archive.stats()["articles"] == 1
    assert [r["title"] for r in sqlite_archive.articles()] == ["Oscars: the winners"]


def test_sqlite_keeps_reading_pragmas_and_needs_no_reader(sqlite_archive: Archive) -> None:
    sqlite_archive.check_reader()
    columns, rows = sqlite_archive.query("PRAGMA table_info(articles)")
    assert "name" in columns and any("canonical_url" in row for row in rows)
    with pytest.raises(Exception, match="PostgreSQL"):
        sqlite_archive.create_reader("reader")
