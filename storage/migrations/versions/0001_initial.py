"""Initial schema: sites, articles and their versions, aliases, captures, crawl state.

Revision ID: 0001
Revises:
Create Date: 2025-11-25

Written with plain SQLAlchemy types (not the models' TypeDecorators) so that it stays valid
when the models change; ``tests/storage`` checks that it matches ``storage.models``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _json() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _text(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.Text(), nullable=nullable)


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "sites",
        _id(),
        _text("slug", nullable=False),
        _text("name", nullable=False),
        _text("base_url"),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sites")),
        sa.UniqueConstraint("slug", name=op.f("uq_sites_slug")),
    )
    op.create_table(
        "articles",
        _id(),
        sa.Column("site_id", sa.Integer(), nullable=True),
        _text("canonical_url", nullable=False),
        sa.Column("published_date", sa.Date(), nullable=False),
        sa.Column("published_at", _utc(), nullable=True),
        sa.Column("modified_at", _utc(), nullable=True),
        sa.Column("date_is_fallback", sa.Boolean(), nullable=False),
        _text("title"),
        _text("dek"),
        sa.Column("authors", _json(), nullable=False),
        _text("section"),
        sa.Column("tags", _json(), nullable=False),
        _text("language"),
        _text("image_url"),
        _text("image_credit"),
        _text("article_type"),
        _text("rating"),
        _text("body", nullable=False),
        sa.Column("word_count", sa.Integer(), nullable=False),
        _text("body_sha256", nullable=False),
        sa.Column("field_sources", _json(), nullable=False),
        sa.Column("first_seen_at", _utc(), nullable=False),
        sa.Column("last_seen_at", _utc(), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_articles_site_id_sites")),
        sa.UniqueConstraint("canonical_url", "published_date",
                            name=op.f("uq_articles_canonical_url_published_date")),
    )
    op.create_index(op.f("ix_articles_site_id"), "articles", ["site_id"])
    op.create_index(op.f("ix_articles_published_date"), "articles", ["published_date"])

    op.create_table(
        "article_versions",
        _id(),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("fetched_at", _utc(), nullable=False),
        _text("title"),
        _text("body", nullable=False),
        _text("body_sha256", nullable=False),
        _text("diff_summary"),
        _text("extractor_version"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article_versions")),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE",
                                name=op.f("fk_article_versions_article_id_articles")),
        sa.UniqueConstraint("article_id", "version_no",
                            name=op.f("uq_article_versions_article_id_version_no")),
    )
    op.create_table(
        "url_aliases",
        _text("alias_url", nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("alias_url", name=op.f("pk_url_aliases")),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE",
                                name=op.f("fk_url_aliases_article_id_articles")),
    )
    op.create_index(op.f("ix_url_aliases_article_id"), "url_aliases", ["article_id"])

    op.create_table(
        "captures",
        _id(),
        _text("url", nullable=False),
        sa.Column("fetched_at", _utc(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("headers", _json(), nullable=False),
        sa.Column("html", sa.LargeBinary(), nullable=False),
        _text("sha256", nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_captures")),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="SET NULL",
                                name=op.f("fk_captures_article_id_articles")),
    )
    op.create_index(op.f("ix_captures_article_id"), "captures", ["article_id"])
    op.create_index("ix_captures_url_fetched_at", "captures", ["url", "fetched_at"])

    op.create_table(
        "removed_segments",
        _id(),
        sa.Column("article_version_id", sa.Integer(), nullable=False),
        _text("rule", nullable=False),
        _text("text", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_removed_segments")),
        sa.ForeignKeyConstraint(
            ["article_version_id"], ["article_versions.id"], ondelete="CASCADE",
            name=op.f("fk_removed_segments_article_version_id_article_versions"),
        ),
    )
    op.create_index(op.f("ix_removed_segments_article_version_id"), "removed_segments",
                    ["article_version_id"])

    op.create_table(
        "url_state",
        _text("url", nullable=False),
        _text("site"),
        sa.Column("discovered_at", _utc(), nullable=True),
        sa.Column("lastmod", _utc(), nullable=True),
        sa.Column("last_fetched_at", _utc(), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        _text("etag"),
        _text("last_modified"),
        sa.Column("next_due_at", _utc(), nullable=True),
        sa.PrimaryKeyConstraint("url", name=op.f("pk_url_state")),
    )
    op.create_index(op.f("ix_url_state_next_due_at"), "url_state", ["next_due_at"])

    op.create_table(
        "crawl_runs",
        _id(),
        sa.Column("started_at", _utc(), nullable=False),
        sa.Column("finished_at", _utc(), nullable=True),
        sa.Column("sites", _json(), nullable=False),
        sa.Column("counts", _json(), nullable=True),
        sa.Column("healthy", sa.Boolean(), nullable=True),
        sa.Column("exit_code", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crawl_runs")),
    )


def downgrade() -> None:
    for table in ("crawl_runs", "url_state", "removed_segments", "captures", "url_aliases",
                  "article_versions", "articles", "sites"):
        op.drop_table(table)
