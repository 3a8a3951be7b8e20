"""README "Querying the archive" is true: its example queries give the output it shows, on SQLite
and PostgreSQL alike, and it documents every column of every table and view."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa

from storage import Archive
from storage.models import Base
from tests.conftest import REPO_ROOT
from tests.storage import example_archive
from tests.storage.conftest import ArchiveTarget

VIEWS = ("articles_latest", "article_history", "site_daily", "field_coverage")
_BLOCK = re.compile(r"```(\w+)([^\n]*)\n(.*?)```", re.S)


@dataclass(frozen=True)
class Example:
    sql: str
    engine: str | None  # None: both engines
    output: str | None  # the text block right after it, if any


def section(title: str = "## Querying the archive") -> str:
    """The README's section ``title`` (up to the next ``## `` heading)."""
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(title + "\n")
    end = text.find("\n## ", start + len(title))
    return text[start:end if end > 0 else len(text)]


def examples() -> list[Example]:
    """Every ```sql block of the section (```sql sqlite / ```sql postgresql: that engine only),
    with the ```text block that directly follows it."""
    text = section()
    blocks = list(_BLOCK.finditer(text))
    found = []
    for i, block in enumerate(blocks):
        if block.group(1) != "sql":
            continue
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        follows = (after is not None and after.group(1) == "text"
                   and not text[block.end():after.start()].strip())
        found.append(Example(block.group(3).strip().rstrip(";"), block.group(2).strip() or None,
                             after.group(3).rstrip("\n") if follows and after else None))
    return found


def render(columns: list[str], rows: list[tuple[Any, ...]]) -> str:
    """Rows as aligned columns under a header and dashes (NULL: empty; newlines: spaces)."""
    table = [list(columns)] + [["" if v is None else str(v).replace("\n", " ") for v in row] for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(columns))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


@pytest.fixture
def example(archive: Archive) -> Archive:
    example_archive.fill(archive)
    return archive


def test_the_readme_has_examples_of_every_view() -> None:
    found = examples()
    both = [e for e in found if e.engine is None]
    assert len(both) >= 6 and all(e.output for e in both)
    for view in VIEWS:
        assert any(view in e.sql for e in both), view
    assert {e.engine for e in found} == {None, "sqlite", "postgresql"}


def test_readme_examples_give_the_output_shown(example: Archive, archive_target: ArchiveTarget) -> None:
    ran = 0
    for ex in examples():
        if ex.engine not in (None, archive_target.backend):
            continue
        got = render(*example.query(ex.sql))
        if ex.output is not None:
            assert got == ex.output, f"{archive_target.backend}: {ex.sql}\n{got}"
        ran += 1
    assert ran >= 7


def documented_columns() -> dict[str, list[str]]:
    """Per ``#### `name``` heading of the section, the backquoted names of its table's first column."""
    documented: dict[str, list[str]] = {}
    for part in re.split(r"\n#### ", section())[1:]:
        name = re.match(r"`(\w+)`", part)
        assert name, part[:40]
        documented[name.group(1)] = re.findall(r"^\| `(\w+)` \|", part, re.M)
    return documented


def test_every_table_and_view_column_is_documented(example: Archive) -> None:
    documented = documented_columns()
    for table in Base.metadata.sorted_tables:
        assert documented.get(table.name) == [c.name for c in table.columns], table.name
    with example.engine.connect() as conn:
        for view in VIEWS:
            columns = list(conn.execute(sa.text(f"SELECT * FROM {view}")).keys())
            assert documented.get(view) == columns, view
    assert set(documented) == {t.name for t in Base.metadata.sorted_tables} | set(VIEWS)
