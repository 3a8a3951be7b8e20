"""Memory: peak RSS of ``scrapy crawl news`` (full pipeline, SQLite archive) over a small and a
ten times larger synthetic site; the growth is what a crawl of many more pages costs.

Each crawl runs with ``JOBDIR`` (Scrapy's disk queues: the requests waiting to be fetched are
pickled to files, not held in memory) as README advises for large sites; without it Scrapy's
in-memory scheduler holds every URL of the sitemaps at once and peak RSS grows with the site.

The target is stated for 10k → 100k pages. At this machine's crawl rate a 100k-page crawl takes
hours, so the default sizes are smaller (:data:`PAGES`), the row says which were measured, and
``--memory-pages 10000,100000`` runs the target scale.
"""

from __future__ import annotations

from benchmarks.harness import Context, Row, ratio
from benchmarks.scrapy_run import CrawlResult, crawl, require_ok
from benchmarks.sites import SyntheticSite, serve

NAME = "memory"
PAGES = ((50, 500), (500, 5000))
TARGET = "≤ 1.1× (10k → 100k pages)"
#: Seconds a crawl may take (100,000 pages take ~10 minutes on 2 cores).
CRAWL_TIMEOUT = 3 * 3600


def crawl_synthetic(ctx: Context, count: int) -> CrawlResult:
    site = SyntheticSite(count)
    server = serve(site)
    try:
        result = crawl(["crawl", "news", "-a", f"start_url={site.base_url}/robots.txt"],
                       {"ARCHIVE_URL": f"sqlite:///{ctx.workdir / f'memory-{count}.db'}",
                        "ALLOWED_PRIVATE_HOSTS": "127.0.0.1", "SPOOL_DIR": str(ctx.workdir / "spool"),
                        "JOBDIR": str(ctx.workdir / f"memory-{count}.job")},
                       ctx.workdir / f"memory-{count}.log", timeout=CRAWL_TIMEOUT)
    finally:
        server.stop()
    require_ok(result, f"crawl of {count} synthetic pages")
    return result


def run(ctx: Context) -> list[Row]:
    small_n, large_n = ctx.shared.get("memory_pages") or ctx.scale(*PAGES)
    small, large = crawl_synthetic(ctx, small_n), crawl_synthetic(ctx, large_n)
    growth = ratio(large.peak_rss_mib, small.peak_rss_mib)
    at_target = (small_n, large_n) == (10_000, 100_000)
    rate = max(large.stat("article/parsed") / large.elapsed, 1e-9)
    note = f"measured {small_n:,} → {large_n:,} pages, JOBDIR disk queues"
    if not at_target:
        note += f" (100k pages would take ~{100_000 / rate / 3600:.1f} h here; --memory-pages 10000,100000)"
    return [
        Row(NAME, f"peak RSS, {large_n:,} pages", large.peak_rss_mib, f"{small_n:,} pages",
            small.peak_rss_mib, "MiB", TARGET, growth, met=growth is not None and growth <= 1.1, note=note,
            extra={"pages_per_second": {str(n): r.stat("article/parsed") / r.elapsed
                                        for n, r in ((small_n, small), (large_n, large))}}),
    ]
