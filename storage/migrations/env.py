"""Alembic environment: runs on the connection given by :mod:`storage.migration_runner`.

Without one (the ``alembic`` command line, e.g. ``alembic revision --autogenerate`` with an
ini that sets ``script_location`` and ``sqlalchemy.url``) it opens an engine itself.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from storage.engine import WRITE, create_archive_engine
from storage.models import Base
from storage.search import in_models


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=in_models,  # the full-text index of 0006 is not in the models
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = create_archive_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.connect().execution_options(**WRITE) as conn:
        run(conn)
    engine.dispose()
