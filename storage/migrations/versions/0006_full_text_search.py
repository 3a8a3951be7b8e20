"""Full-text search: SQLite FTS5 and PostgreSQL tsvector + GIN over articles' title and body.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

SQLite: ``articles_fts``, an external-content FTS5 table over ``articles`` (title, body; rowid =
``articles.id``), tokenizer ``unicode61 remove_diacritics 2`` (case and accents ignored, no
stemming), kept in sync by triggers on every INSERT, DELETE and UPDATE OF title, body of
``articles``, whichever code writes; the existing articles are indexed here ('rebuild').

PostgreSQL: ``articles.search_vector``, a stored generated ``tsvector`` (title weighted A, body D)
with a GIN index; adding it computes it for every existing row. Configuration ``simple`` (no
stemming, no stop words) after ``archive_fold``, which removes the accents of Latin letters as
unicode61 does, so that a query finds the same articles on both engines (``english`` would stem
and drop stop words: "the who" would find nothing, and SQLite would disagree).

A later migration that rebuilds ``articles`` on SQLite (``batch_alter_table``) drops these
triggers with the old table: it must create them again (and the views of 0005, see there).
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SQLITE_UPGRADE = (
    'CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content="articles", '
    'content_rowid="id", tokenize="unicode61 remove_diacritics 2")',
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts (articles_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN "
    "INSERT INTO articles_fts (articles_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')",
)
SQLITE_DOWNGRADE = (
    "DROP TRIGGER articles_fts_update",
    "DROP TRIGGER articles_fts_delete",
    "DROP TRIGGER articles_fts_insert",
    "DROP TABLE articles_fts",
)

#: Accents off Latin letters (decomposed, combining marks U+0300-U+036F after A-Z/a-z dropped,
#: composed again): what unicode61's remove_diacritics 2 does, within two letters (long s, ǡ).
#: normalize() needs PostgreSQL 13 and a UTF8 database; elsewhere accents are kept.
FOLD = (r"SELECT normalize(regexp_replace(normalize($1, NFD), E'([A-Za-z])[\u0300-\u036F]+', '\1', 'g'),"
        " NFC)")
NO_FOLD = "SELECT $1"
POSTGRESQL_UPGRADE = (
    "CREATE FUNCTION archive_fold(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
    "AS $$ {fold} $$",
    "ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, archive_fold(coalesce(title, ''))), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, archive_fold(body)), 'D')) STORED",
    "CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)",
)
POSTGRESQL_DOWNGRADE = (
    "DROP INDEX ix_articles_search_vector",
    "ALTER TABLE articles DROP COLUMN search_vector",
    "DROP FUNCTION archive_fold(text)",
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_UPGRADE:
            op.execute(statement)
        return
    utf8 = bind.exec_driver_sql("SHOW server_encoding").scalar() == "UTF8"
    fold = FOLD if utf8 and bind.dialect.server_version_info >= (13,) else NO_FOLD
    for statement in POSTGRESQL_UPGRADE:
        op.execute(statement.replace("{fold}", fold))


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_DOWNGRADE if sqlite else POSTGRESQL_DOWNGRADE:
        op.execute(statement)
