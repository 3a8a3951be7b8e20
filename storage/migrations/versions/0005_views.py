"""Views for researchers: articles_latest, article_history, site_daily, field_coverage.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

One SQL text per view, the same on SQLite and PostgreSQL (README "Querying the archive"
documents their columns). Booleans stay booleans (0/1 on SQLite, false/true on PostgreSQL);
shares are double precision on both, so the same query prints the same figures on both.

A later migration that rebuilds ``articles`` on SQLite (``batch_alter_table``: copy, drop,
rename) must drop these views first and create them again afterwards: SQLite refuses to rename
a table into place while a view names a table that does not exist.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

VIEWS = {
    "articles_latest": """
        SELECT a.id, s.slug AS site, a.canonical_url, a.published_date, a.date_is_fallback,
               a.published_at, a.published_precision, a.modified_at, a.title, a.dek, a.authors,
               a.section, a.tags, a.language, a.article_type, a.rating, a.image_url,
               a.image_credit, a.word_count, a.body, a.captions, a.embeds,
               a.current_version AS version, v.fetched_at, v.extractor_version,
               a.first_seen_at, a.last_seen_at
        FROM articles a
        LEFT JOIN sites s ON s.id = a.site_id
        LEFT JOIN article_versions v ON v.article_id = a.id AND v.version_no = a.current_version
    """,
    "article_history": """
        SELECT v.article_id, s.slug AS site, a.canonical_url, a.published_date, v.version_no,
               a.current_version AS versions, v.version_no = a.current_version AS is_latest,
               v.fetched_at, v.title, v.diff_summary AS changes, v.extractor_version,
               v.body_sha256, v.body
        FROM article_versions v
        JOIN articles a ON a.id = v.article_id
        LEFT JOIN sites s ON s.id = a.site_id
    """,
    "site_daily": """
        SELECT s.slug AS site, a.published_date, COUNT(*) AS articles,
               SUM(CASE WHEN a.date_is_fallback THEN 1 ELSE 0 END) AS fallback_dates,
               SUM(a.word_count) AS words
        FROM articles a
        LEFT JOIN sites s ON s.id = a.site_id
        GROUP BY s.slug, a.published_date
    """,
    "field_coverage": """
        SELECT s.slug AS site, COUNT(*) AS articles,
               AVG(CAST(CASE WHEN a.title IS NOT NULL AND a.title <> '' THEN 1 ELSE 0 END
                        AS DOUBLE PRECISION)) AS title_share,
               AVG(CAST(CASE WHEN a.authors <> '[]' THEN 1 ELSE 0 END
                        AS DOUBLE PRECISION)) AS authors_share,
               AVG(CAST(CASE WHEN a.date_is_fallback THEN 0 ELSE 1 END
                        AS DOUBLE PRECISION)) AS date_share,
               AVG(CAST(CASE WHEN a.image_url IS NOT NULL AND a.image_url <> '' THEN 1 ELSE 0 END
                        AS DOUBLE PRECISION)) AS image_share,
               AVG(CAST(CASE WHEN a.section IS NOT NULL AND a.section <> '' THEN 1 ELSE 0 END
                        AS DOUBLE PRECISION)) AS section_share
        FROM articles a
        LEFT JOIN sites s ON s.id = a.site_id
        GROUP BY s.slug
    """,
}


def upgrade() -> None:
    for name, sql in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {sql.strip()}")


def downgrade() -> None:
    for name in reversed(VIEWS):
        op.execute(f"DROP VIEW {name}")
