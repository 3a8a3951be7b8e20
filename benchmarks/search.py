"""Search: latency of the archive's search over many articles.

Full-text search is issue 11 and not built: ``Archive.search`` is a ``LIKE '%text%'`` scan of
title and body. Timing ``LIKE`` against itself would be meaningless, so the full-text row says
"not available" and the ``LIKE`` latency is reported alone, as the baseline the full-text search
will be measured against.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import statistics
import time

from benchmarks.harness import Context, Row
from storage import Archive, SiteInfo

NAME = "search"
ARTICLES = (10_000, 100_000)
WORDS = ("premiere", "studio", "season", "finale", "director", "trailer", "sequel", "cast", "festival",
         "review", "box", "office", "streaming", "series", "award", "critics", "release", "franchise")
#: (query, what it is): a word in most articles, a name in ~1 in 1000, a word in none.
QUERIES = (("trailer", "common word"), ("Zendaya", "rare name"), ("xylophonist", "no match"))
REPEAT = 5


def build(path: str, count: int) -> None:
    """An archive of ``count`` synthetic articles (~2 KB bodies), written raw for speed."""
    with Archive.open(f"sqlite:///{path}", migrate=True) as archive:
        archive.ensure_sites([SiteInfo("variety", "Variety", "https://variety.com")])
    rng = random.Random(11)
    day = dt.date(2026, 11, 1)
    stamp = "2026-11-01 12:00:00.000000"
    conn = sqlite3.connect(path)
    with conn:
        rows = []
        for i in range(count):
            words = [rng.choice(WORDS) for _ in range(300)]
            if i % 1000 == 7:
                words[150] = "Zendaya"
            body = "\n\n".join(" ".join(words[p:p + 50]) for p in range(0, 300, 50))
            published = day - dt.timedelta(days=i % 3650)
            rows.append((1, f"https://variety.com/2026/film/news/story-{i}/", published,
                         f"Story {i}", "[]", "[]", body, 300, f"{i:064x}", "{}", stamp, stamp, 1, False))
        conn.executemany(
            "INSERT INTO articles (site_id, canonical_url, published_date, title, authors, tags, body, "
            "word_count, body_sha256, field_sources, first_seen_at, last_seen_at, current_version, "
            "date_is_fallback) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.close()


def has_full_text(path: str) -> bool:
    """Whether the archive has a full-text index (an FTS table) to search."""
    conn = sqlite3.connect(path)
    try:
        return bool(conn.execute("SELECT count(*) FROM sqlite_master WHERE sql LIKE '%VIRTUAL TABLE%fts%'")
                    .fetchone()[0])
    finally:
        conn.close()


def run(ctx: Context) -> list[Row]:
    count = ctx.scale(*ARTICLES)
    path = str(ctx.workdir / "search.db")
    build(path, count)
    rows = []
    with Archive.open(f"sqlite:///{path}", read_only=True) as archive:
        for query, what in QUERIES:
            archive.search(query)  # warm the page cache
            times = []
            for _ in range(REPEAT):
                started = time.perf_counter()
                archive.search(query)
                times.append(1000 * (time.perf_counter() - started))
            rows.append(Row.unavailable(
                NAME, f"latency, {what} ({query!r})", "≥ 100× faster than LIKE",
                "full-text search is issue 11, not built; LIKE against itself is meaningless",
                baseline_name=f"LIKE, {count:,} articles", baseline=statistics.median(times), unit="ms"))
    if has_full_text(path):
        rows[0].note += " (an FTS table exists: teach this benchmark its query)"
    return rows
