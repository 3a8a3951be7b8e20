"""The seen-set of a distributed run: scrapy-redis's dupefilter on Scrapy's own fingerprints.

One Redis set per run (``<prefix>:<job>:<run>:seen``) holds the 20-byte fingerprint
(``crawler.request_fingerprinter``, the one Scrapy's in-memory dupefilter uses) of every
request queued in the run. It is bounded by the run: deleted when the run ends, and expiring
``REDIS_RUN_TTL`` seconds after the last heartbeat of a worker when the run is abandoned.
The fingerprint is added and the request queued in one Lua script
(:class:`crawler.distributed.scheduler.RedisFrontier`), so a request is never seen but lost.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy_redis.dupefilter import RFPDupeFilter


class RunSeenSet(RFPDupeFilter):
    """The shared dupefilter of one run; ``request_seen`` adds (and refreshes the expiry)."""

    def __init__(self, server: Any, key: str, fingerprinter: Any, ttl: int, debug: bool = False) -> None:
        super().__init__(server, key=key, debug=debug)
        self.fingerprinter = fingerprinter
        self.ttl = ttl

    def request_fingerprint(self, request: Request) -> bytes:
        return self.fingerprinter.fingerprint(request)

    def request_seen(self, request: Request) -> bool:
        pipe = self.server.pipeline(transaction=True)
        pipe.sadd(self.key, self.request_fingerprint(request))
        pipe.expire(self.key, self.ttl)
        added, _ = pipe.execute()
        return added == 0

    def close(self, reason: str = "") -> None:
        """Kept when a worker closes: the run's other workers still use it (the run's end deletes it)."""
