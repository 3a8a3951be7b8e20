"""Articles say how precise their publication date is: "day" or "time" (NULL: unknown).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

A page that gives only a day is stored as midnight UTC of that day; this column tells such a
day from a real time. Rows stored before it stay NULL (the precision was not recorded).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("published_precision", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("published_precision")
