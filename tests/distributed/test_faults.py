"""Faults during a distributed crawl: a worker killed (SIGKILL) and started again, the database
gone for a while, Redis killed and started again. Each time: every mirror article stored once,
nothing half-written, the frontier drained.

The machine's PostgreSQL and Redis are shared: never stopped here. The database outage is a TCP
proxy in front of PostgreSQL that the test cuts; the Redis that is killed is a private
``redis-server``. The outages last a few seconds, not the 30 s of the issue: what happens is the
same whatever their length (batches go to the spool until the database answers; requests wait in
memory until Redis answers), and the test stays short.
"""

from __future__ import annotations

import signal
import sqlite3
import time
from pathlib import Path

import sqlalchemy as sa

from crawler.mirror import Mirror
from tests.crawl.conftest import scrapy_command
from tests.distributed.conftest import PrivateRedis, Worker, distributed_settings, redis_keys, sites_file
from tests.distributed.tcp_proxy import TcpProxy
from tests.distributed.test_workers import archive_counts, wait_for


def articles_fetched(mirror: Mirror) -> int:
    return sum(1 for p in mirror.pages.values() if mirror.hits.get(p.path))


def sqlite_articles(path: Path) -> int:
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet, or being written
        return 0


def assert_each_article_once(archive_url: str, pages: int) -> None:
    counts = archive_counts(archive_url)
    assert counts == {"articles": pages, "distinct_articles": pages, "versions": pages,
                      "captures": pages, "distinct_captures": pages, "url_state": pages}, counts


def test_a_worker_killed_mid_crawl_and_started_again_loses_and_duplicates_nothing(
        redis_url: str, key_prefix: str, tmp_path: Path, mirror: Mirror) -> None:
    pages = len(mirror.pages)
    db = tmp_path / "archive.db"
    archive_url = f"sqlite:///{db}"
    settings = distributed_settings(archive_url, tmp_path, sites_file(tmp_path, mirror), redis_url,
                                    key_prefix, CONCURRENT_REQUESTS=2, DOWNLOAD_DELAY=0.4,
                                    ARCHIVE_BATCH_SIZE=3)
    command = ["crawl", "news", "-a", "site=mirror", *settings]
    first = Worker(command, tmp_path / "first.log")
    wait_for(lambda: sqlite_articles(db) >= 3, "the first stored batch")
    first.kill()  # SIGKILL: no close, no flush; requests taken and items buffered are in the air
    stored = sqlite_articles(db)
    assert 3 <= stored < pages, "the worker was to be killed mid-crawl"
    assert first.process.returncode == -9

    again = Worker(command, tmp_path / "again.log")
    assert again.wait() == 0, again.log[-3000:]
    assert "Traceback" not in again.log, again.log[-3000:]
    assert again.stat("frontier/reclaimed") >= 1, "the killed worker's requests did not come back"
    assert_each_article_once(archive_url, pages)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        duplicates = conn.execute("SELECT COUNT(*) FROM (SELECT article_id, version_no FROM article_versions "
                                  "GROUP BY 1, 2 HAVING COUNT(*) > 1)").fetchone()[0]
        assert duplicates == 0
    assert redis_keys(redis_url, key_prefix) == {}


def test_a_worker_stopped_with_sigterm_returns_its_requests_and_resumes(
        redis_url: str, key_prefix: str, tmp_path: Path, mirror: Mirror) -> None:
    """README's stop and resume: ``kill -TERM`` finishes the requests the worker had taken (or puts
    them back on the frontier) and stores its buffer; a worker started again at once (no
    heartbeat timeout) finishes the run."""
    pages = len(mirror.pages)
    db = tmp_path / "archive.db"
    archive_url = f"sqlite:///{db}"
    settings = distributed_settings(archive_url, tmp_path, sites_file(tmp_path, mirror), redis_url,
                                    key_prefix, CONCURRENT_REQUESTS=2, DOWNLOAD_DELAY=0.4,
                                    ARCHIVE_BATCH_SIZE=3, REDIS_WORKER_TIMEOUT=600)
    command = ["crawl", "news", "-a", "site=mirror", *settings]
    first = Worker(command, tmp_path / "first.log")
    wait_for(lambda: sqlite_articles(db) >= 3, "the first stored batch")
    first.process.send_signal(signal.SIGTERM)
    first.wait()
    log = first.log
    assert "Traceback" not in log, log[-3000:]
    assert "finish_reason': 'shutdown'" in log, log[-3000:]
    stored = sqlite_articles(db)
    assert stored < pages, "the worker was to be stopped mid-crawl"
    # its buffer went to the archive, not to the spool; every request it took was finished or
    # went back to the frontier
    assert first.stat("archive/new") == stored and not first.stat("archive/spooled"), log[-3000:]
    assert (first.stat("frontier/finished") + first.stat("frontier/requeued_at_close")
            == first.stat("scheduler/dequeued/redis") > 0), log[-3000:]
    assert any(key.endswith(":queue") for key in redis_keys(redis_url, key_prefix)), "the run was not kept"

    # resumed at once: the heartbeat timeout (600 s) never comes into it
    again = Worker(command, tmp_path / "again.log")
    assert again.wait() == 0, again.log[-3000:]
    assert "Traceback" not in again.log, again.log[-3000:]
    assert not again.stat("frontier/reclaimed"), again.log[-3000:]
    assert_each_article_once(archive_url, pages)
    assert all(mirror.hits.get(p.path) for p in mirror.pages.values())
    assert redis_keys(redis_url, key_prefix) == {}


def test_database_outage_mid_crawl_spools_and_replays(
        postgres_database: str, redis_url: str, key_prefix: str, tmp_path: Path, mirror: Mirror) -> None:
    pages = len(mirror.pages)
    assert scrapy_command("archive", "migrate", "--url", postgres_database).returncode == 0
    direct = sa.engine.make_url(postgres_database)
    with TcpProxy((direct.host or "127.0.0.1", direct.port or 5432)) as proxy:
        through_proxy = direct.set(port=proxy.port).render_as_string(hide_password=False)
        spool = tmp_path / "spool"
        settings = distributed_settings(through_proxy, tmp_path, sites_file(tmp_path, mirror), redis_url,
                                        key_prefix, CONCURRENT_REQUESTS=1, DOWNLOAD_DELAY=0.4,
                                        ARCHIVE_BATCH_SIZE=2)
        worker = Worker(["crawl", "news", "-a", "site=mirror", *settings], tmp_path / "worker.log")
        wait_for(lambda: archive_counts(postgres_database)["articles"] >= 2, "the first stored batch")
        proxy.cut()
        wait_for(lambda: any(spool.glob("batch-*.jsonl")), "a batch spooled during the outage")
        wait_for(lambda: articles_fetched(mirror) >= 7, "more pages fetched during the outage")
        proxy.restore()
        code = worker.wait()
    log = worker.log
    assert code == 2, log[-3000:]  # degraded: the run says the archive was gone for a while
    spooled = worker.stat("archive/spooled")
    assert spooled >= 2 and worker.stat("archive/replayed") == spooled, log[-3000:]
    assert worker.stat("archive/spool_left") == 0 and not any(spool.glob("batch-*")), log[-3000:]
    assert_each_article_once(postgres_database, pages)
    with sa.create_engine(postgres_database).connect() as conn:
        counts, figures, reasons = conn.execute(sa.text(
            "SELECT r.counts, s.figures, s.reasons FROM crawl_runs r "
            "JOIN crawl_run_sites s ON s.run_id = r.id")).one()
    assert counts["archive/spooled"] == counts["archive/replayed"] == spooled
    assert figures["spooled"] == figures["replayed"] == spooled and figures["spool_left"] == 0
    assert any(f"{spooled} articles spooled" in reason for reason in reasons), reasons
    assert redis_keys(redis_url, key_prefix) == {}


def test_redis_killed_and_started_again_mid_crawl(private_redis: PrivateRedis, tmp_path: Path,
                                                  mirror: Mirror) -> None:
    pages = len(mirror.pages)
    archive_url = f"sqlite:///{tmp_path / 'archive.db'}"
    settings = distributed_settings(archive_url, tmp_path, sites_file(tmp_path, mirror), private_redis.url,
                                    "crawl", CONCURRENT_REQUESTS=1, DOWNLOAD_DELAY=0.4, ARCHIVE_BATCH_SIZE=2,
                                    REDIS_OUTAGE_CLOSE=60)
    worker = Worker(["crawl", "news", "-a", "site=mirror", *settings], tmp_path / "worker.log")
    wait_for(lambda: articles_fetched(mirror) >= 3, "a few articles fetched")
    private_redis.kill()
    time.sleep(2)
    private_redis.start()  # the same port and append-only file: the frontier is back as it was
    assert worker.wait() == 0, worker.log[-3000:]
    log = worker.log
    assert "unreachable" in log and "answers again" in log, log[-3000:]
    assert worker.stat("frontier/redis_errors") >= 1
    assert_each_article_once(archive_url, pages)
    assert all(mirror.hits.get(p.path) == 1 for p in mirror.pages.values()), mirror.hits
    assert redis_keys(private_redis.url, "crawl") == {}
