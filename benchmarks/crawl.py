"""End-to-end crawl: pages/s of ``scrapy crawl news`` (extraction, cleaning, archiving into
SQLite) over a local mirror of corpus pages, against bare Scrapy fetching the same pages and
doing nothing, and against Scrapy + ``trafilatura.extract`` in a one-line callback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from benchmarks.harness import Context, Row, ratio
from benchmarks.scrapy_run import CrawlResult, crawl, require_ok
from benchmarks.sites import CorpusCopies, serve
from crawler.evaluation import load_cases

NAME = "crawl"
#: Article URLs on the mirror (corpus pages served under several URLs each).
PAGES = (150, 2000)
BASELINE_SPIDER = Path(__file__).with_name("baseline_spider.py")


@dataclass
class Mirror:
    """The corpus mirror of this run, served until the run ends."""

    site: CorpusCopies

    @property
    def start_url(self) -> str:
        return self.site.base_url + "/robots.txt"


def mirror(ctx: Context) -> Mirror:
    """The run's corpus mirror (started once, shared by the crawl and re-crawl benchmarks)."""
    if "mirror" not in ctx.shared:
        count = ctx.shared.get("mirror_pages") or ctx.scale(*PAGES)
        cases = load_cases(ctx.corpus)[:count]
        site = CorpusCopies(cases, count)
        ctx.resources.callback(serve(site).stop)
        ctx.shared["mirror"] = Mirror(site)
    return ctx.shared["mirror"]


def archive_url(ctx: Context, name: str) -> str:
    return f"sqlite:///{ctx.workdir / name}"


def crawl_ours(ctx: Context, target: Mirror, db: str, log: str) -> CrawlResult:
    """``scrapy crawl news`` of the mirror into ``db`` (created on first use)."""
    result = crawl(["crawl", "news", "-a", f"start_url={target.start_url}"],
                   {"ARCHIVE_URL": archive_url(ctx, db), "ALLOWED_PRIVATE_HOSTS": "127.0.0.1",
                    "SPOOL_DIR": str(ctx.workdir / "spool")}, ctx.workdir / log)
    require_ok(result, "scrapy crawl news")
    return result


def first_crawl(ctx: Context) -> CrawlResult:
    """Our first crawl of the mirror into ``crawl.db`` (run once, shared)."""
    if "first_crawl" not in ctx.shared:
        ctx.shared["first_crawl"] = crawl_ours(ctx, mirror(ctx), "crawl.db", "crawl-ours.log")
    return ctx.shared["first_crawl"]


def crawl_baseline(ctx: Context, target: Mirror, extract: str) -> CrawlResult:
    sitemap = f"{target.site.base_url}/sitemap_index.xml"
    args = ["runspider", str(BASELINE_SPIDER), "-a", f"sitemap={sitemap}", "-a", f"extract={extract}"]
    result = crawl(args, {}, ctx.workdir / f"crawl-{extract or 'bare'}.log", cwd=ctx.workdir)
    require_ok(result, f"baseline crawl ({extract or 'bare'})")
    return result


def pages_per_second(result: CrawlResult, pages_stat: str) -> float:
    return result.stat(pages_stat) / result.elapsed


def run(ctx: Context) -> list[Row]:
    target = mirror(ctx)
    bare = crawl_baseline(ctx, target, "")
    traf = crawl_baseline(ctx, target, "trafilatura")
    ours = first_crawl(ctx)
    rate = pages_per_second(ours, "article/parsed")
    bare_rate = pages_per_second(bare, "baseline/pages")
    traf_rate = pages_per_second(traf, "baseline/pages")
    note = (f"{len(target.site.paths)} pages of {len(target.site.templates)} corpus pages; "
            f"ours fetched {ours.stat('article/parsed'):.0f}, "
            f"stored {ours.stat('archive/new'):.0f} new articles")
    r_bare, r_traf = ratio(rate, bare_rate), ratio(rate, traf_rate)
    return [
        Row(NAME, "pages/s vs bare Scrapy", rate, "bare Scrapy", bare_rate, "pages/s", "≥ 0.5×", r_bare,
            met=r_bare is not None and r_bare >= 0.5, note=note),
        Row(NAME, "pages/s vs Scrapy + trafilatura", rate, "Scrapy + trafilatura", traf_rate, "pages/s",
            "> 1×", r_traf, met=r_traf is not None and r_traf > 1.0),
        Row(NAME, "peak RSS", ours.peak_rss_mib, "Scrapy + trafilatura", traf.peak_rss_mib, "MiB", "–",
            ratio(ours.peak_rss_mib, traf.peak_rss_mib)),
    ]
