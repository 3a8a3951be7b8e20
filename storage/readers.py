"""Read-only access to a PostgreSQL archive: a login role that can only ``SELECT``.

A ``READ ONLY`` transaction does not stop a superuser (or a member of ``pg_read_server_files``,
``pg_write_server_files``, ``pg_execute_server_program``) from running programs or reading
and writing files on the database server (``COPY ... TO PROGRAM``, ``pg_read_file``,
``lo_export``). Read-only SQL is therefore only offered over a *reader* role:
:func:`create_reader` makes one (SELECT on the archive's tables and views, now and on those
later migrations add), :func:`reader_problems` says why a connection is not one.
SQLite needs none of this: its read-only connections are opened ``mode=ro`` with an authorizer.
"""

from __future__ import annotations

import re
import secrets

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import URL

from storage.engine import parse_url
from storage.errors import ArchiveError

_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
#: Predefined roles whose members reach the server's files or programs.
SERVER_ROLES = ("pg_read_server_files", "pg_write_server_files", "pg_execute_server_program")
#: How to get a reader, for refusals.
HOW_TO_CREATE = ("create a read-only role with `scrapy archive migrate --create-reader NAME` and set "
                 "ARCHIVE_READ_URL to the URL it prints")


class PrivilegedConnection(ArchiveError):
    """Read-only SQL was asked for over a role that could write or reach the server."""


def check_role_name(name: str) -> str:
    """``name`` when it is a plain role name (lower-case letters, digits, underscore)."""
    if not _ROLE_NAME.match(name):
        raise ArchiveError(f"invalid role name {name!r} (lower-case letters, digits, underscore)")
    return name


def reader_problems(conn: Connection) -> list[str]:
    """Why the connection's role is not a plain reader of the archive (empty: it is one).

    Looks at the role and every role it is a member of: superuser, CREATEROLE, membership in
    :data:`SERVER_ROLES`, and any INSERT/UPDATE/DELETE/TRUNCATE right on a table of the
    archive's schema (owners have them all).
    """
    user = conn.scalar(text("SELECT current_user"))
    problems: list[str] = []
    rows = conn.execute(text(
        "SELECT r.rolname, r.rolsuper, r.rolcreaterole FROM pg_roles r "
        "WHERE pg_has_role(current_user, r.oid, 'MEMBER') ORDER BY r.rolname <> current_user, r.rolname"
    )).all()
    for role, is_super, create_role in rows:
        via = "" if role == user else f" (through its membership in {role!r})"
        if is_super:
            problems.append(f"the role {user!r} is a superuser{via}: it can run programs and read "
                            "files on the database server")
        elif create_role:
            problems.append(f"the role {user!r} can create roles{via}")
        elif role in SERVER_ROLES:
            problems.append(f"the role {user!r} is a member of {role}: it reaches the server's "
                            "files or programs")
    writable = conn.scalars(text(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') "
        "AND EXISTS (SELECT 1 FROM pg_roles r WHERE pg_has_role(current_user, r.oid, 'MEMBER') "
        "AND has_table_privilege(r.oid, c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')) "
        "ORDER BY c.relname"
    )).all()
    if writable and not any("superuser" in p for p in problems):
        shown = ", ".join(writable[:3]) + (", ..." if len(writable) > 3 else "")
        problems.append(f"the role {user!r} can write the archive's tables ({shown})")
    return problems


def check_reader(engine: Engine) -> None:
    """Raise :class:`PrivilegedConnection` unless ``engine`` connects as a plain reader
    (always fine on SQLite)."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as conn:
        problems = reader_problems(conn)
    if problems:
        raise PrivilegedConnection(f"read-only SQL refused: {problems[0]}; {HOW_TO_CREATE}")


def create_reader(engine: Engine, name: str, *, schema: str | None = None) -> str:
    """Create (or refresh) the login role ``name`` that can only read the archive behind
    ``engine``; return its URL (with a new random password).

    The role gets CONNECT on the database, USAGE on the archive's schema, SELECT on every
    table and view in it, and default privileges so that tables and views created later by the
    archive's owners (migrations) are readable too; its sessions default to read-only
    transactions. An existing role is only refreshed when it is itself a plain reader.
    """
    if engine.dialect.name != "postgresql":
        raise ArchiveError("a reader role is for PostgreSQL archives; SQLite archives are opened "
                           "read-only by `scrapy archive sql` as they are")
    check_role_name(name)
    password = secrets.token_urlsafe(24)  # letters, digits, '-', '_': safe inside quotes
    with engine.begin() as conn:
        archive_schema = conn.scalar(text("SELECT current_schema()"))
        if archive_schema is None:
            raise ArchiveError("the archive's schema does not exist: run `scrapy archive migrate` first")
        exists = conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name})
        if exists:
            _refuse_privileged_role(conn, name)
            conn.execute(text(f'ALTER ROLE "{name}" WITH LOGIN PASSWORD \'{password}\''))
        else:
            conn.execute(text(f'CREATE ROLE "{name}" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE '
                              f"NOINHERIT NOREPLICATION NOBYPASSRLS PASSWORD '{password}'"))
        database = conn.scalar(text("SELECT current_database()"))
        owners = conn.scalars(text(
            "SELECT DISTINCT pg_get_userbyid(c.relowner) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
            "AND c.relkind IN ('r', 'p', 'v', 'm') "
            "UNION SELECT current_user")).all()
        statements = [
            f'ALTER ROLE "{name}" SET default_transaction_read_only = on',
            f'GRANT CONNECT ON DATABASE "{database}" TO "{name}"',
            f'GRANT USAGE ON SCHEMA "{archive_schema}" TO "{name}"',
            f'GRANT SELECT ON ALL TABLES IN SCHEMA "{archive_schema}" TO "{name}"',
            *(f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner}" IN SCHEMA "{archive_schema}" '
              f'GRANT SELECT ON TABLES TO "{name}"' for owner in owners),
        ]
        if archive_schema != "public":
            statements.append(f'ALTER ROLE "{name}" IN DATABASE "{database}" '
                              f'SET search_path = "{archive_schema}"')
        for statement in statements:
            conn.execute(text(statement))
    return reader_url(engine.url, name, password, schema=schema)


def reader_url(url: URL, name: str, password: str, *, schema: str | None = None) -> str:
    """``url`` logging in as ``name`` (with the archive's schema, when it has one of its own)."""
    reader = parse_url(url).set(username=name, password=password)
    if schema:
        reader = reader.update_query_dict({"options": f"-csearch_path={schema}"})
    return reader.render_as_string(hide_password=False)


def _refuse_privileged_role(conn: Connection, name: str) -> None:
    flags = conn.execute(text("SELECT rolsuper, rolcreaterole, rolname = current_user FROM pg_roles "
                              "WHERE rolname = :name"), {"name": name}).one()
    if any(flags):
        raise ArchiveError(f"the role {name!r} exists and is not a plain reader (a superuser, a role "
                           "that creates roles, or this connection's own role): choose another name")
    writable = conn.scalar(text(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') "
        "AND has_table_privilege(:name, c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')"), {"name": name})
    server = conn.scalar(text("SELECT count(*) FROM unnest(CAST(:roles AS text[])) AS r(role) "
                              "WHERE pg_has_role(:name, r.role, 'MEMBER')"),
                         {"name": name, "roles": list(SERVER_ROLES)})
    if writable or server:
        raise ArchiveError(f"the role {name!r} exists and can write the archive or reach the server's "
                           "files: choose another name")
