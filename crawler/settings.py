"""Scrapy settings of the archiver; the one place that reads environment variables.

Every project setting can be overridden by an environment variable of the same name
(``ARCHIVE_URL=postgresql+psycopg://... scrapy crawl news -a site=variety``) or by ``-s NAME=VALUE``.
"""

from __future__ import annotations

import os

BOT_NAME = "crawler"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


# --- The archive -----------------------------------------------------------------------------
#: SQLAlchemy URL of the archive. PostgreSQL: postgresql+psycopg://user@host:5432/db
ARCHIVE_URL = _env("ARCHIVE_URL", "sqlite:///archive.db")
#: URL `scrapy archive sql` reads through (empty: ARCHIVE_URL). On PostgreSQL a role that can
#: only SELECT: `scrapy archive migrate --create-reader NAME` creates one and prints its URL.
ARCHIVE_READ_URL = _env("ARCHIVE_READ_URL", "")
#: Items written per transaction by the archive pipeline.
ARCHIVE_BATCH_SIZE = int(_env("ARCHIVE_BATCH_SIZE", "50"))
#: Remove paragraphs the archive shows repeating across a site's articles (``scrapy archive junk``).
LEARNED_BOILERPLATE = _env("LEARNED_BOILERPLATE", "1") not in ("0", "false", "False")
#: A paragraph is learned boilerplate when it is in at least this many of a site's articles ...
LEARNED_MIN_ARTICLES = int(_env("LEARNED_MIN_ARTICLES", "3"))
#: ... and in at least this share of the newest LEARNED_SAMPLE articles of the site.
LEARNED_MIN_SHARE = float(_env("LEARNED_MIN_SHARE", "0.2"))
LEARNED_SAMPLE = int(_env("LEARNED_SAMPLE", "500"))
#: Where items are kept (JSON lines) while the database cannot be written; replayed on the next run.
SPOOL_DIR = _env("SPOOL_DIR", "spool")

# --- What to crawl ---------------------------------------------------------------------------
#: TOML file of sites declared without code ([sites.SLUG] tables); empty: sites.toml beside
#: scrapy.cfg when there is one.
SITES_FILE = _env("SITES_FILE", "")
#: Section pages followed per start section (pagination depth).
SECTION_MAX_PAGES = int(_env("SECTION_MAX_PAGES", "5"))
#: Stop after this many article pages per crawl (0: no limit).
MAX_ARTICLES = int(_env("MAX_ARTICLES", "0"))
#: Hosts in private/loopback ranges that may be crawled anyway (the host of -a start_url= and
#: the start URLs of SITES_FILE sites always may).
ALLOWED_PRIVATE_HOSTS = [h.strip() for h in _env("ALLOWED_PRIVATE_HOSTS", "").split(",") if h.strip()]

# --- Scheduled runs (scrapy crawlall), run records and health -------------------------------
#: Sites crawlall crawls (comma-separated slugs); empty: every enabled site.
SITES = [h.strip() for h in _env("SITES", "").split(",") if h.strip()]
#: Sites crawled at the same time by crawlall.
CRAWLALL_CONCURRENT_SITES = int(_env("CRAWLALL_CONCURRENT_SITES", "4"))
#: Without --since, crawlall skips what a site's sitemaps and feeds date before its newest
#: archived article minus this many hours (late additions, corrected dates).
CRAWLALL_SINCE_MARGIN_HOURS = float(_env("CRAWLALL_SINCE_MARGIN_HOURS", "48"))
#: Every crawl writes a run record (crawl_runs, crawl_run_sites) with a health verdict.
RUN_RECORDS_ENABLED = _env("RUN_RECORDS_ENABLED", "1") not in ("0", "false", "False")
#: Set by crawlall for its crawlers (they add their site to this run); empty for a plain crawl.
RUN_ID = 0
#: When a run is not healthy, one JSON POST goes here (empty: no alert).
ALERT_WEBHOOK_URL = _env("ALERT_WEBHOOK_URL", "")
#: A site is degraded when, with at least HEALTH_MIN_PAGES article pages parsed in the run, ...
HEALTH_MIN_PAGES = int(_env("HEALTH_MIN_PAGES", "3"))
#: ... a coverage share (title, body, date, pages that became articles) fell this much below
#: its median over the site's last HEALTH_HISTORY_RUNS runs (once HEALTH_MIN_HISTORY of them
#: had pages), ...
HEALTH_COVERAGE_DROP = float(_env("HEALTH_COVERAGE_DROP", "0.3"))
HEALTH_HISTORY_RUNS = int(_env("HEALTH_HISTORY_RUNS", "10"))
HEALTH_MIN_HISTORY = int(_env("HEALTH_MIN_HISTORY", "2"))
#: ... or more than this share of its pages were "not an article", ...
HEALTH_NOT_ARTICLE_SHARE = float(_env("HEALTH_NOT_ARTICLE_SHARE", "0.5"))
#: ... or bot checks / consent walls, ...
HEALTH_SOFT_BLOCK_SHARE = float(_env("HEALTH_SOFT_BLOCK_SHARE", "0.3"))
#: ... or more than this share of its requests failed; or it found no article links at all
#: where it usually finds some.
HEALTH_ERROR_SHARE = float(_env("HEALTH_ERROR_SHARE", "0.5"))

# --- Several machines, one frontier (README: Running on several machines) -------------------
#: "memory": Scrapy's scheduler, one process. "redis": the scheduler and dupefilter of
#: scrapy-redis in REDIS_URL; every `scrapy crawl news` of the same site (or start URL), on any
#: machine, is a worker of one shared frontier (crawler/distributed/).
SCHEDULER_BACKEND = _env("SCHEDULER_BACKEND", "memory")
SCHEDULER = "crawler.scheduling.BackendScheduler"
#: Scrapy's duplicate filter; with JOBDIR its seen-set is on disk too (flat memory on large sites).
DUPEFILTER_CLASS = "crawler.dupefilter.DiskDupeFilter"
REDIS_URL = _env("REDIS_URL", "redis://127.0.0.1:6379/0")
#: Start of every Redis key of the crawl (one prefix per archive sharing a Redis).
REDIS_KEY_PREFIX = _env("REDIS_KEY_PREFIX", "archiver")
#: A worker closes once the shared frontier has been empty this many seconds.
REDIS_IDLE_CLOSE = float(_env("REDIS_IDLE_CLOSE", "30"))
#: A run's keys (frontier, seen-set) expire this many seconds after its last worker's heartbeat.
REDIS_RUN_TTL = int(_env("REDIS_RUN_TTL", str(24 * 3600)))
#: Workers note they are alive every REDIS_HEARTBEAT seconds; the requests in flight of one
#: silent for REDIS_WORKER_TIMEOUT go back to the frontier (a killed worker's).
REDIS_HEARTBEAT = float(_env("REDIS_HEARTBEAT", "5"))
REDIS_WORKER_TIMEOUT = float(_env("REDIS_WORKER_TIMEOUT", "120"))
#: Redis unreachable this many seconds: the worker stops (reason redis_unavailable).
REDIS_OUTAGE_CLOSE = float(_env("REDIS_OUTAGE_CLOSE", "300"))
#: Set by the commands: a worker that only takes from the frontier (`scrapy worker`,
#: `scrapy crawl --no-seed`) does not seed; `crawlall --distributed` seeds and takes nothing.
REDIS_SEED = True
REDIS_CONSUME = True

# --- Politeness ------------------------------------------------------------------------------
USER_AGENT = _env(
    "USER_AGENT",
    "entertainment-news-archiver/0.1 (research archive; obeys robots.txt; "
    "set USER_AGENT to add your contact address)",
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = float(_env("DOWNLOAD_DELAY", "1.0"))
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = float(_env("AUTOTHROTTLE_START_DELAY", "2.0"))
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
#: Longest Retry-After (seconds) we honour by waiting; longer ones give up on the request.
RETRY_AFTER_MAX = int(_env("RETRY_AFTER_MAX", "600"))
RETRY_TIMES = 2
DOWNLOAD_TIMEOUT = 30
#: Article pages are small; anything this large is not an article (counted and dropped).
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
COOKIES_ENABLED = False
#: Send the archived ETag / Last-Modified of article pages (If-None-Match / If-Modified-Since),
#: and do not parse a page whose body is byte-identical to its newest capture (both count as a
#: sighting). 0: re-checked pages are fetched and parsed in full.
CONDITIONAL_GET_ENABLED = _env("CONDITIONAL_GET_ENABLED", "1") not in ("0", "false", "False")
#: Waits between re-checks of a known article, by its age (storage/recheck.py): while younger
#: than 1h it is checked again after 1h, then 6h while younger than 7h, then daily, ...; the
#: last step repeats. Units s, m, h, d, w; "0s" (with RECHECK_MAX_AGE empty) re-checks every
#: known article at every crawl. A crawl requests a known article only when it is due
#: (url_state.next_due_at) or its sitemap lastmod is newer than the last fetch.
RECHECK_SCHEDULE = _env("RECHECK_SCHEDULE", "1h,6h,1d,3d,7d,30d")
#: Past this age (since publication, or first seen when undated) an article is not re-checked
#: any more (next_due_at = 9999-12-31) unless its sitemap lastmod moves; empty: no limit.
RECHECK_MAX_AGE = _env("RECHECK_MAX_AGE", "365d")
TELNETCONSOLE_ENABLED = False

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.private_address.PrivateAddressGuard": 40,
    # Scrapy's redirects, with loops and over-long chains reported (in their places, 580/600).
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.redirects.MetaRefreshMiddleware": 580,
    "crawler.middlewares.redirects.RedirectMiddleware": 600,
    "crawler.middlewares.conditional_get.ConditionalGetMiddleware": 560,
    # Above RetryMiddleware (550), so it sees 429/503 responses first.
    "crawler.middlewares.retry_after.RetryAfterMiddleware": 555,
}

SPIDER_MIDDLEWARES = {
    # Outermost: knows when a request taken from the shared frontier is done (distributed only).
    "crawler.distributed.middleware.FrontierAckMiddleware": 10,
}

EXTENSIONS = {
    "crawler.extensions.run_record.RunRecordExtension": 500,
}

ITEM_PIPELINES = {
    "crawler.pipelines.canonical_url.CanonicalUrlPipeline": 100,
    "crawler.pipelines.strip_junk.StripJunkPipeline": 200,
    "crawler.pipelines.body_text.BodyTextPipeline": 300,
    "crawler.pipelines.validate.ValidatePipeline": 400,
    "crawler.pipelines.archive.ArchivePipeline": 900,
}

LOG_LEVEL = _env("LOG_LEVEL", "INFO")
LOG_FORMATTER = "crawler.logformatter.ArchiverLogFormatter"
FEED_EXPORT_ENCODING = "utf-8"
#: Feeds (-O FILE.jsonl, scrapyd's items_dir) write an article's public JSON form.
FEED_EXPORTERS = {
    "json": "crawler.exporters.ArticleJsonItemExporter",
    **dict.fromkeys(("jsonlines", "jsonl", "jl"), "crawler.exporters.ArticleJsonLinesItemExporter"),
}
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
