"""Run records an operator can read: a kind and a verdict per run, one row per site and run.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04

``crawl_runs`` gains ``kind`` (crawl, crawlall, reparse), ``verdict`` (healthy, degraded,
failed; NULL while running) and ``reasons``; ``crawl_run_sites`` holds each site's figures of
a run (what was discovered, fetched, stored and dropped) with its own verdict and reasons, so
that health can be compared with a site's own history and queried with SQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _json() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _count(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("crawl_runs") as batch:
        batch.add_column(sa.Column("kind", sa.Text(), nullable=True))
        batch.add_column(sa.Column("verdict", sa.Text(), nullable=True))
        batch.add_column(sa.Column("reasons", _json(), nullable=True))
    op.create_table(
        "crawl_run_sites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("site", sa.Text(), nullable=False),
        sa.Column("verdict", sa.Text(), nullable=False),
        sa.Column("reasons", _json(), nullable=False),
        _count("discovered"),
        _count("fetched"),
        _count("not_modified"),
        _count("new_articles"),
        _count("new_versions"),
        _count("unchanged"),
        sa.Column("dropped", _json(), nullable=False),
        _count("errors"),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.Column("figures", _json(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["crawl_runs.id"],
                                name=op.f("fk_crawl_run_sites_run_id_crawl_runs"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crawl_run_sites")),
        sa.UniqueConstraint("run_id", "site", name=op.f("uq_crawl_run_sites_run_id_site")),
    )
    op.create_index(op.f("ix_crawl_run_sites_site"), "crawl_run_sites", ["site"])


def downgrade() -> None:
    op.drop_index(op.f("ix_crawl_run_sites_site"), table_name="crawl_run_sites")
    op.drop_table("crawl_run_sites")
    with op.batch_alter_table("crawl_runs") as batch:
        batch.drop_column("reasons")
        batch.drop_column("verdict")
        batch.drop_column("kind")
