"""metadata.json labels the archive for Datasette: what it names exists, and Datasette serves it."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from storage import Archive
from tests.conftest import REPO_ROOT, need
from tests.storage import example_archive

METADATA = REPO_ROOT / "metadata.json"
TITLES = {"articles_latest": "Articles (newest version)",
          "article_history": "Article history (every version)",
          "site_daily": "Articles per site and day", "field_coverage": "Field coverage per site"}


@pytest.fixture
def example_db(tmp_path: Path) -> Path:
    """The README's example archive in a SQLite file named as metadata.json expects."""
    path = tmp_path / "archive.db"
    with Archive.open(f"sqlite:///{path}") as archive:
        example_archive.fill(archive)
    return path


def _columns(conn: sqlite3.Connection, name: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({name})")]


def test_metadata_names_what_the_archive_has(example_db: Path) -> None:
    metadata = json.loads(METADATA.read_text(encoding="utf-8"))
    database = metadata["databases"]["archive"]
    conn = sqlite3.connect(example_db)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        for name, table in database["tables"].items():
            assert name in names, name
            columns = _columns(conn, name)
            if "columns" in table:  # the views: every column described, nothing else
                assert list(table["columns"]) == columns, name
            for key in ("label_column", "sort", "sort_desc", "fts_pk"):
                assert table.get(key, columns[0]) in columns, (name, key)
            if "fts_table" in table:
                assert table["fts_table"] in names
        for view in ("articles_latest", "article_history", "site_daily", "field_coverage"):
            assert database["tables"][view]["title"] and database["tables"][view]["description"]
        search = database["queries"]["search"]["sql"]
        rows = conn.execute(search, {"q": "oscar*"}).fetchall()
        assert [r[3] for r in rows] == ["Box office: a quiet weekend before the Oscars",
                                        "Oscars 2025: the complete winners list"]
    finally:
        conn.close()


def test_datasette_serves_the_labelled_views_and_searches(example_db: Path) -> None:
    need(importlib.util.find_spec("datasette") is not None,
         "datasette is not installed (pip install -r requirements-dev.txt)")
    from datasette.app import Datasette
    from datasette.utils import parse_metadata

    metadata = parse_metadata(METADATA.read_text(encoding="utf-8"))
    datasette = Datasette([str(example_db)], metadata=metadata)

    async def get(path: str) -> Any:
        response = await datasette.client.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        return response.json() if ".json" in path else response.text

    async def visit() -> dict[str, Any]:
        await datasette.invoke_startup()
        return {
            "database": await get("/archive"),
            **{view: await get(f"/archive/{view}") for view in TITLES},
            "searched": await get("/archive/articles_latest.json?_search=cruise&_shape=array"),
            "table_search": await get("/archive/articles.json?_search=wednesday&_shape=array"),
            "coverage": await get("/archive/field_coverage.json?_shape=array"),
            "canned": await get("/archive/search.json?q=oscar*&_shape=array"),
        }

    pages = asyncio.run(visit())
    for view, title in TITLES.items():
        assert view in pages["database"] and f"<h1>{title} (view)</h1>" in pages[view]
    assert "the UTC day it is filed under" in pages["articles_latest"]  # a column's description
    assert [r["canonical_url"] for r in pages["searched"]] == [example_archive.CRUISE]
    assert [r["canonical_url"] for r in pages["table_search"]] == [example_archive.WEDNESDAY]
    assert {r["site"]: r["date_share"] for r in pages["coverage"]} == {"deadline": 0.5, "variety": 1.0}
    assert [r["site"] for r in pages["canned"]] == ["deadline", "variety"]
