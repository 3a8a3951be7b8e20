"""Re-crawl: a second ``scrapy crawl news`` of the unchanged mirror into the same archive, against
the first crawl: bytes downloaded, wall time, and new rows (no article is due for a re-check right
after the first crawl, so none should be requested; those that are answer 304 to conditional GETs)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from benchmarks.crawl import crawl_ours, first_crawl, mirror
from benchmarks.harness import Context, Row, ratio

NAME = "recrawl"
TABLES = ("articles", "article_versions", "captures", "url_aliases", "removed_segments")


def row_counts(db: Path) -> dict[str, int]:
    """Rows per archive table."""
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def run(ctx: Context) -> list[Row]:
    first = first_crawl(ctx)
    db = ctx.workdir / "crawl.db"
    before = row_counts(db)
    second = crawl_ours(ctx, mirror(ctx), "crawl.db", "recrawl-ours.log")
    after = row_counts(db)
    new_rows = sum(after.values()) - sum(before.values())
    b1, b2 = first.stat("downloader/response_bytes"), second.stat("downloader/response_bytes")
    r_bytes = ratio(b2, b1)
    unchanged = second.stat("article/not_modified")
    requested = unchanged + second.stat("article/parsed") + second.stat("article/unchanged_body")
    note = (f"{second.stat('discovery/skipped_not_due'):.0f} article pages not due (not requested); "
            f"{unchanged:.0f} of {requested:.0f} requested answered 304")
    return [
        Row(NAME, "bytes downloaded", b2 / 2**20, "first crawl", b1 / 2**20, "MiB", "≤ 0.05×", r_bytes,
            met=r_bytes is not None and r_bytes <= 0.05, note=note),
        Row(NAME, "wall time", second.wall_seconds, "first crawl", first.wall_seconds, "s", "–",
            ratio(second.wall_seconds, first.wall_seconds)),
        Row(NAME, "new rows", new_rows, "first crawl", sum(before.values()), "rows", "0", None,
            met=new_rows == 0, extra={"before": before, "after": after}),
    ]
