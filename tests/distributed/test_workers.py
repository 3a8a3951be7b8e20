"""Two workers share one frontier in Redis and one archive in PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from crawler.mirror import Mirror
from tests.crawl.conftest import scrapy_command
from tests.distributed.conftest import Worker, distributed_settings, gate, redis_keys, sites_file, taking


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def archive_counts(archive_url: str) -> dict[str, int]:
    engine = sa.create_engine(archive_url)
    try:
        with engine.connect() as conn:
            one = lambda sql: conn.execute(sa.text(sql)).scalar_one()  # noqa: E731
            return {
                "articles": one("SELECT COUNT(*) FROM articles"),
                "distinct_articles": one("SELECT COUNT(DISTINCT canonical_url) FROM articles"),
                "versions": one("SELECT COUNT(*) FROM article_versions"),
                "captures": one("SELECT COUNT(*) FROM captures"),
                "distinct_captures": one("SELECT COUNT(DISTINCT url) FROM captures"),
                "url_state": one("SELECT COUNT(*) FROM url_state"),
            }
    finally:
        engine.dispose()


def watch_keys(redis_url: str, prefix: str, workers: list[Worker], timeout: float = 120) -> dict[str, int]:
    """Until every worker has exited: the largest TTL seen on each Redis key of the crawl."""
    seen: dict[str, int] = {}
    deadline = time.monotonic() + timeout
    while any(w.process.poll() is None for w in workers) and time.monotonic() < deadline:
        for key, ttl in redis_keys(redis_url, prefix).items():
            seen[key] = min(seen.get(key, ttl), ttl)
        time.sleep(0.1)
    return seen


def test_two_workers_store_every_article_once(postgres_database: str, redis_url: str, key_prefix: str,
                                             tmp_path: Path, mirror: Mirror) -> None:
    pages = list(mirror.pages.values())
    assert scrapy_command("archive", "migrate", "--url", postgres_database).returncode == 0
    sites = sites_file(tmp_path, mirror, "/sitemap_index.xml", "/feed.xml")
    # Both seed the same start URLs (the shared seen-set keeps one of each) and crawl until the
    # frontier is drained, one request at a time each (a worker takes from the frontier as many
    # requests as CONCURRENT_REQUESTS). The mirror answers once both hold a start URL: both
    # get a share, however late the second process starts.
    settings = distributed_settings(postgres_database, tmp_path, sites, redis_url, key_prefix,
                                    CONCURRENT_REQUESTS=1, DOWNLOAD_DELAY=0.2, ARCHIVE_BATCH_SIZE=3)
    opened = gate(mirror)
    workers = [Worker(["crawl", "news", "-a", "site=mirror", *settings], tmp_path / f"worker{i}.log")
               for i in (1, 2)]
    wait_for(lambda: taking(redis_url, key_prefix) == 2, "both workers taking a request")
    opened.set()
    ttls = watch_keys(redis_url, key_prefix, workers)
    codes = [w.wait() for w in workers]
    for worker in workers:
        assert "Traceback" not in worker.log, worker.log[-3000:]
    assert codes == [0, 0], [w.log[-3000:] for w in workers]

    # every mirror article fetched once, by one of the two, and stored once
    assert all(mirror.hits.get(p.path) == 1 for p in pages), mirror.hits
    assert mirror.hits.get("/sitemap_index.xml") == mirror.hits.get("/feed.xml") == 1, \
        "a start URL was fetched by both workers"
    assert sum(w.stat("archive/new") for w in workers) == len(pages)
    assert not any(w.stat("archive/spooled") or w.stat("archive/unavailable") for w in workers)
    assert all(w.stat("scheduler/dequeued/redis") > 0 for w in workers), "one worker did all the work"
    counts = archive_counts(postgres_database)
    assert counts == {"articles": len(pages), "distinct_articles": len(pages), "versions": len(pages),
                      "captures": len(pages), "distinct_captures": len(pages), "url_state": len(pages)}

    # the seen-set and the queue lived under the run's keys, with an expiry; drained, the last
    # worker to leave deleted them
    seen_keys = [key for key in ttls if key.endswith(":seen")]
    assert len(seen_keys) == 1 and 0 < ttls[seen_keys[0]] <= 24 * 3600, ttls
    assert all(ttl > 0 for ttl in ttls.values()), ttls
    assert redis_keys(redis_url, key_prefix) == {}, "the frontier was not drained and cleared"
    assert sum(w.stat("frontier/run_ended") for w in workers) == 1


def test_crawlall_seeds_once_and_workers_drain(redis_url: str, key_prefix: str, tmp_path: Path,
                                               mirror: Mirror) -> None:
    pages = list(mirror.pages.values())
    archive_url = f"sqlite:///{tmp_path / 'archive.db'}"
    sites = sites_file(tmp_path, mirror, "/sitemap_index.xml", "/feed.xml")
    settings = distributed_settings(archive_url, tmp_path, sites, redis_url, key_prefix,
                                    CONCURRENT_REQUESTS=1, DOWNLOAD_DELAY=0.2)
    seeder = Worker(["crawlall", "--distributed", "--sites", "mirror", *settings],
                    tmp_path / "crawlall.log")
    assert seeder.wait() == 0, seeder.log[-3000:]
    assert "mirror: 2 requests added to the shared frontier" in seeder.log, seeder.log[-3000:]
    assert mirror.hits == {}, "seeding fetches nothing"
    queued = [key for key in redis_keys(redis_url, key_prefix) if key.endswith(":queue")]
    assert len(queued) == 1

    opened = gate(mirror)  # answers once both workers hold a start URL
    workers = [Worker(["worker", "--sites", "mirror", *settings], tmp_path / f"worker{i}.log")
               for i in (1, 2)]
    wait_for(lambda: taking(redis_url, key_prefix) == 2, "both workers taking a request")
    opened.set()
    codes = [w.wait() for w in workers]
    assert codes == [0, 0], [w.log[-3000:] for w in workers]
    assert all(mirror.hits.get(p.path) == 1 for p in pages), mirror.hits
    assert all(w.stat("scheduler/dequeued/redis") > 0 for w in workers), "one worker did all the work"
    assert archive_counts(archive_url)["articles"] == len(pages)
    assert all("worker: run " in w.log and ": healthy" in w.log for w in workers)
    assert redis_keys(redis_url, key_prefix) == {}
