"""Workers of a distributed crawl (``SCHEDULER_BACKEND=redis``) as real ``scrapy`` processes
against the local mirror, with the machine's Redis (a key prefix of the test's own, its keys
deleted afterwards) or a private ``redis-server`` the test may kill."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from crawler.mirror import Mirror
from tests.conftest import REPO_ROOT, need
from tests.crawl.conftest import _SETTINGS_ENV, stat
from tests.crawl.conftest import mirror as mirror  # the fixture

LOCAL_REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The machine's Redis (skips, or fails with CI=true, when it does not answer)."""
    try:
        redis.Redis.from_url(LOCAL_REDIS, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        need(False, f"Redis at {LOCAL_REDIS} is not reachable ({exc})")
    return LOCAL_REDIS


@pytest.fixture
def key_prefix(redis_url: str) -> Iterator[str]:
    """A Redis key prefix of this test's own; every key under it is deleted afterwards."""
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        client.delete(key)
    client.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PrivateRedis:
    """A ``redis-server`` of the test's own on a random port, appending every write to its
    file (``appendfsync always``): killed with SIGKILL and started again, it has everything."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory),
             "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("the private redis-server did not start")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    need(Path(REDIS_SERVER).is_file(), f"no redis-server at {REDIS_SERVER}")
    directory = tmp_path / "redis"
    directory.mkdir()
    server = PrivateRedis(directory)
    server.start()
    try:
        yield server
    finally:
        server.kill()


def sites_file(tmp_path: Path, served: Mirror, *paths: str) -> Path:
    """A SITES_FILE with the site ``mirror`` (start URLs: ``paths`` of the mirror, by default its
    sitemap index)."""
    urls = ", ".join(f'"{served.url(p)}"' for p in paths or ("/sitemap_index.xml",))
    path = tmp_path / "sites.toml"
    path.write_text(f'[sites.mirror]\nname = "Mirror"\nstart_urls = [{urls}]\n', encoding="utf-8")
    return path


def gate(served: Mirror) -> threading.Event:
    """Hold every answer of the mirror until the returned event is set (at most 60 s)."""
    opened = threading.Event()
    respond = served.server.respond

    def gated(raw_path: str, if_none_match: str | None = None) -> tuple[int, dict[str, str], bytes]:
        opened.wait(60)
        return respond(raw_path, if_none_match)

    served.server.respond = gated
    return opened


def taking(url: str, prefix: str) -> int:
    """How many workers hold a request taken from the frontier."""
    client = redis.Redis.from_url(url)
    try:
        return sum(1 for key in client.scan_iter(match=f"{prefix}:*:inflight:*") if client.hlen(key))
    finally:
        client.close()


class Worker:
    """One ``scrapy`` process of the crawl, its output in a log file."""

    def __init__(self, args: list[str], log: Path) -> None:
        self.log_path = log
        env = {k: v for k, v in os.environ.items()
               if k not in (*_SETTINGS_ENV, "ALERT_WEBHOOK_URL", "SCHEDULER_BACKEND", "REDIS_URL")}
        with log.open("wb") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "scrapy", *args], cwd=REPO_ROOT,
                                            env=env, stdout=out, stderr=subprocess.STDOUT)

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait(self, timeout: float = 120) -> int:
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise AssertionError(f"worker still running after {timeout}s:\n{self.log[-3000:]}") from None

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stat(self, name: str) -> int:
        return stat(self.log, name)


def distributed_settings(archive_url: str, tmp_path: Path, sites: Path, redis_url: str, prefix: str,
                         **extra: object) -> list[str]:
    """``-s`` options of a test worker (quick heartbeats and idle close)."""
    settings: dict[str, object] = {
        "SCHEDULER_BACKEND": "redis", "REDIS_URL": redis_url, "REDIS_KEY_PREFIX": prefix,
        "REDIS_IDLE_CLOSE": 1, "REDIS_HEARTBEAT": 0.5, "REDIS_WORKER_TIMEOUT": 3,
        "ARCHIVE_URL": archive_url, "SITES_FILE": sites, "SPOOL_DIR": tmp_path / "spool",
        "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "LOG_LEVEL": "INFO",
        "RECHECK_SCHEDULE": "1h,6h,1d,3d,7d,30d", "RECHECK_MAX_AGE": "365d",
        **extra,
    }
    return [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")]


def redis_keys(url: str, prefix: str) -> dict[str, int]:
    """Every key under ``prefix`` with its TTL in seconds (-1: none).

    A key deleted between the scan and its TTL query (TTL -2: gone) is left out: a running crawl
    deletes its in-flight keys at any moment.
    """
    client = redis.Redis.from_url(url)
    try:
        ttls = {key.decode(): int(client.ttl(key)) for key in client.scan_iter(match=f"{prefix}:*")}
        return {key: ttl for key, ttl in ttls.items() if ttl != -2}
    finally:
        client.close()
