"""Which scheduler a crawl uses (setting ``SCHEDULER_BACKEND``): ``memory``, Scrapy's own (one
process), or ``redis``, the frontier shared by workers on several machines
(:mod:`crawler.distributed`)."""

from __future__ import annotations

from typing import Any

from scrapy.core.scheduler import BaseScheduler, Scheduler
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from scrapy.utils.misc import build_from_crawler

BACKENDS = ("memory", "redis")


def backend_problem(settings: BaseSettings) -> str | None:
    """What is wrong with the scheduler settings, in one line (``None``: nothing); for
    ``redis``, whether ``REDIS_URL`` answers."""
    backend = settings.get("SCHEDULER_BACKEND") or "memory"
    if backend not in BACKENDS:
        return f"SCHEDULER_BACKEND must be one of {', '.join(BACKENDS)}, got {backend!r}"
    if backend == "redis" and not settings.get("REDIS_URL"):
        return "SCHEDULER_BACKEND=redis needs REDIS_URL (redis://host:6379/0)"
    if backend == "redis":
        import redis

        from crawler.distributed.scheduler import redis_client
        from storage import display_url

        url = settings.get("REDIS_URL")
        try:
            redis_client(url).ping()
        except (redis.RedisError, ValueError) as exc:
            return f"Redis at {display_url(url)} cannot be reached: {exc}"
    return None


class BackendScheduler(BaseScheduler):
    """The ``SCHEDULER``: builds the scheduler of ``SCHEDULER_BACKEND`` for each crawler."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        problem = backend_problem(crawler.settings)
        if problem:
            raise ValueError(problem)
        if crawler.settings.get("SCHEDULER_BACKEND") == "redis":
            from crawler.distributed.scheduler import RedisFrontier

            return RedisFrontier.from_crawler(crawler)
        return build_from_crawler(Scheduler, crawler)

    def has_pending_requests(self) -> bool:  # pragma: no cover - never instantiated
        raise NotImplementedError

    def enqueue_request(self, request: Any) -> bool:  # pragma: no cover
        raise NotImplementedError

    def next_request(self) -> Any:  # pragma: no cover
        raise NotImplementedError
