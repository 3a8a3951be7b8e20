"""Search: latency of the archive's full-text search against a ``LIKE '%text%'`` scan.

A synthetic archive of 100,000 articles (~2 KB bodies; 3,000 with ``--quick``) is written
through :meth:`Archive.store`, so the full-text index is built the way a crawl builds it (FTS5
triggers on SQLite, the generated tsvector column on PostgreSQL). Ours: :meth:`Archive.search`
(parse, ranked hits, snippets of the best 20). The baseline: the search it replaced, title or
body ``LIKE '%text%'`` (case-insensitive), newest first, first 20 rows. Median of
:data:`REPEAT` runs after one warm-up, per query, on SQLite and (when reachable) PostgreSQL.

A word in most articles is the full-text search's worst case: ranking scores every match, while
``LIKE`` stops at the 20 newest matches it finds (the ``published_date`` index gives them first).
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from collections.abc import Iterator

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from benchmarks.archive import postgres_databases
from benchmarks.harness import Context, Row, ratio
from storage import Archive, ArticleRecord, SiteInfo
from storage.models import Article

NAME = "search"
ARTICLES = (3_000, 100_000)
BATCH = 1_000
LIMIT = 20
REPEAT = 5
TARGET = "≤ 0.01× (≥ 100× faster)"
WORDS = ("premiere", "studio", "season", "finale", "director", "trailer", "sequel", "cast", "festival",
         "review", "box", "office", "streaming", "series", "award", "critics", "release", "franchise")
#: (our query, the LIKE baseline's text, what it is): a word in most articles, a name in ~1 in
#: 1,000, a prefix of that name, a word in none.
QUERIES = (("trailer", "trailer", "common word"), ("Zendaya", "Zendaya", "rare name"),
           ("zenda*", "zenda", "rare prefix"), ("xylophonist", "xylophonist", "no match"))
FETCHED = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)


def records(count: int) -> Iterator[ArticleRecord]:
    """``count`` synthetic articles of 300 words; every 1,000th names Zendaya."""
    rng = random.Random(11)
    for i in range(count):
        words = [rng.choice(WORDS) for _ in range(300)]
        if i % 1000 == 7:
            words[150] = "Zendaya"
        url = f"https://variety.com/2026/film/news/story-{i}/"
        yield ArticleRecord(
            url=url, canonical_url=url, site="variety", title=f"Story {i}", fetched_at=FETCHED,
            published_at=FETCHED - dt.timedelta(hours=i % 87_600), extractor_version="bench",
            body="\n\n".join(" ".join(words[p:p + 50]) for p in range(0, 300, 50)))


def build(url: str, count: int) -> float:
    """Store ``count`` articles in the (new) archive at ``url`` in batches; the seconds it took."""
    started = time.perf_counter()
    with Archive.open(url, migrate=True) as archive:
        archive.ensure_sites([SiteInfo("variety", "Variety", "https://variety.com")])
        batch: list[ArticleRecord] = []
        for record in records(count):
            batch.append(record)
            if len(batch) == BATCH:
                archive.store(batch)
                batch = []
        archive.store(batch)
    return time.perf_counter() - started


def like_search(archive: Archive, text: str) -> list[tuple[int, str | None, str]]:
    """The baseline: title or body contains ``text`` (any case), newest first, ``LIMIT`` rows."""
    with Session(archive.engine) as session:
        return [tuple(r) for r in session.execute(  # type: ignore[misc]
            select(Article.id, Article.title, Article.body)
            .where(or_(Article.title.icontains(text, autoescape=True),
                       Article.body.icontains(text, autoescape=True)))
            .order_by(Article.published_date.desc(), Article.id.desc()).limit(LIMIT)).all()]


def median_ms(call: object, *args: str) -> float:
    call(*args)  # type: ignore[operator]  # warm the page cache
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        call(*args)  # type: ignore[operator]
        times.append(1000 * (time.perf_counter() - started))
    return statistics.median(times)


#: Peak RSS (MiB) of a process that opens the archive and, with ``export``, writes every article
#: to JSONL (to /dev/null); the issue's bound for 100,000 articles.
EXPORT_SCRIPT = """
import os, resource, sys
from storage import Archive
with Archive.open(sys.argv[1], read_only=True) as archive:
    count = archive.export("jsonl", open(os.devnull, "w")) if sys.argv[2] == "export" else 0
print(count, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""
EXPORT_PEAK_MB = 200


def export_peak(url: str, backend: str, count: int) -> Row:
    """Peak RSS of exporting every article to JSONL against a process that only opens it."""
    import subprocess
    import sys

    def peak(mode: str) -> tuple[int, int]:
        done = subprocess.run([sys.executable, "-c", EXPORT_SCRIPT, url, mode], capture_output=True,
                              text=True, check=True, timeout=1800)
        exported, mb = map(int, done.stdout.split())
        return exported, mb

    _, idle = peak("open")
    exported, mb = peak("export")
    return Row("export", f"peak RSS exporting {exported:,} articles to JSONL, {backend}", mb,
               "opening the archive only", idle, "MiB", f"< {EXPORT_PEAK_MB} MiB", ratio(mb, idle),
               met=mb < EXPORT_PEAK_MB and exported == count)


def measure(url: str, backend: str, count: int, build_seconds: float) -> list[Row]:
    rows = []
    with Archive.open(url) as archive:
        for query, like_text, what in QUERIES:
            ours = median_ms(lambda q: archive.search(q, limit=LIMIT), query)
            like = median_ms(lambda t: like_search(archive, t), like_text)
            hits = len(archive.search(query, limit=LIMIT))
            r = ratio(ours, like)
            rows.append(Row(NAME, f"latency, {what} ({query!r}), {backend}", ours,
                            f"LIKE, {count:,} articles", like, "ms", TARGET, r,
                            met=r is not None and r <= 0.01, note=f"{hits} hits shown",
                            extra={"articles": count, "build_seconds": round(build_seconds, 1)}))
    rows[0].note += f"; archive of {count:,} written through Archive.store in {build_seconds:.0f} s"
    rows.append(export_peak(url, backend, count))
    return rows


def run(ctx: Context) -> list[Row]:
    count = ctx.scale(*ARTICLES)
    url = f"sqlite:///{ctx.workdir / 'search.db'}"
    rows = measure(url, "SQLite", count, build(url, count))
    try:
        with postgres_databases(ctx.postgres_url, 1) as (pg_url,):
            rows += measure(pg_url, "PostgreSQL", count, build(pg_url, count))
    except Exception as exc:
        import sqlalchemy.exc

        if not isinstance(exc, sqlalchemy.exc.OperationalError):
            raise
        rows.append(Row.unavailable(NAME, "latency, PostgreSQL", TARGET,
                                    f"PostgreSQL at {ctx.postgres_url} not reachable"))
    return rows
