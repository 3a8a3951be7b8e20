"""The shared frontier: scrapy-redis's scheduler, made safe for workers that die or lose Redis.

What scrapy-redis's :class:`~scrapy_redis.scheduler.Scheduler` does, it still does: requests are
queued in a Redis sorted set by priority (``PriorityQueue``, highest first: discovery pages,
then new articles newest first, then re-checks), and a shared dupefilter drops a request any
worker queued before. What this class adds:

- **Runs.** The keys belong to a job's current run (:mod:`.keys`), which the first worker starts
  and the last one ends; they expire ``REDIS_RUN_TTL`` seconds after the last heartbeat.
- **Nothing lost when a worker dies.** A request is taken into the worker's in-flight hash in
  the same Lua script that removes it from the queue; it leaves the hash only once what came of
  it is durable (:mod:`.ledger`). Each worker notes a heartbeat every ``REDIS_HEARTBEAT``
  seconds; the in-flight requests of a worker silent for ``REDIS_WORKER_TIMEOUT`` go back to the
  queue (a killed worker's, or a restarted one's previous life). A request is marked seen and
  queued in one script: never seen but lost.
- **Redis outages.** A write that fails is kept, in order, in the worker's outbox and sent when
  Redis answers again (new requests before the acknowledgement of the request they came from,
  so that a worker killed meanwhile loses nothing either); no request is taken meanwhile.
  Unreachable for ``REDIS_OUTAGE_CLOSE`` seconds, the worker stops with reason
  ``redis_unavailable``: its unfinished requests return to the frontier when it is restarted.
- **Closing.** When idle, the worker flushes its archive buffer, and closes once the whole
  frontier (the queue and every live worker's in-flight requests) has been empty for
  ``REDIS_IDLE_CLOSE`` seconds (a ``spider_idle`` handler raising ``DontCloseSpider`` until then).
- **Seeding only** (``REDIS_CONSUME=False``, ``crawlall --distributed``): start requests are
  queued and the crawler closes without taking any.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections import deque
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from crawler.distributed import codec
from crawler.distributed.keys import JobKeys, RunKeys, job_of, new_worker_id
from crawler.distributed.ledger import TOKEN, InflightLedger
from crawler.distributed.seen import RunSeenSet
from storage import display_url

logger = logging.getLogger(__name__)

#: Redis's answers to these are "try again later", not a bug.
REDIS_DOWN = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError)

# Join the job's run, or start one (ARGV[1]: a new id); note its `since` (ARGV[4]) when given;
# register this worker (ARGV[3]) when it takes requests. KEYS: run, workers. Returns {id, since}.
_JOIN = """
local id = redis.call('HGET', KEYS[1], 'id')
if not id then
  id = ARGV[1]
  redis.call('HSET', KEYS[1], 'id', id, 'started', redis.call('TIME')[1])
end
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'since', ARGV[4]) end
redis.call('EXPIRE', KEYS[1], ARGV[2])
if ARGV[3] ~= '' then
  redis.call('ZADD', KEYS[2], redis.call('TIME')[1], ARGV[3])
  redis.call('EXPIRE', KEYS[2], ARGV[2])
end
return {id, redis.call('HGET', KEYS[1], 'since') or ''}
"""

# Requeue the in-flight requests of every worker silent for ARGV[1] seconds (and this worker's
# own, ARGV[4], when given), then note this worker's heartbeat (ARGV[3], when given) and refresh
# the run's expiry (ARGV[2]). KEYS: run, workers, queue, seen. Returns how many were requeued:
# {of dead workers, of this one}.
_BEAT = """
local now = tonumber(redis.call('TIME')[1])
local function requeue(worker)
  local key = ARGV[5] .. worker
  local entries = redis.call('HGETALL', key)
  for i = 1, #entries, 2 do
    redis.call('ZADD', KEYS[3], string.match(entries[i], '^(%S+)'), entries[i + 1])
  end
  redis.call('DEL', key)
  return #entries / 2
end
if ARGV[3] ~= '' then  -- first: after an outage, this worker is not one of the dead
  redis.call('ZADD', KEYS[2], now, ARGV[3])
  redis.call('EXPIRE', ARGV[5] .. ARGV[3], ARGV[2])
end
local dead, own = 0, 0
for _, worker in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[1]))) do
  dead = dead + requeue(worker)
  redis.call('ZREM', KEYS[2], worker)
end
if ARGV[4] ~= '' then
  own = requeue(ARGV[4])
end
for i = 1, 4 do redis.call('EXPIRE', KEYS[i], ARGV[2]) end
return {dead, own}
"""

# Whether anything is left: queued requests, or a live worker's requests in flight.
# KEYS: workers, queue. ARGV: worker timeout, inflight key prefix.
_BUSY = """
if redis.call('ZCARD', KEYS[2]) > 0 then return 1 end
local now = tonumber(redis.call('TIME')[1])
for _, worker in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], now - tonumber(ARGV[1]), '+inf')) do
  if redis.call('HLEN', ARGV[2] .. worker) > 0 then return 1 end
end
return 0
"""

# Take the first request of the queue into this worker's in-flight hash; its token is
# "<score> <sha1 of the request>". KEYS: queue, inflight. ARGV: ttl.
_TAKE = """
local top = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #top == 0 then return false end
redis.call('ZREM', KEYS[1], top[1])
local token = top[2] .. ' ' .. redis.sha1hex(top[1])
redis.call('HSET', KEYS[2], token, top[1])
redis.call('EXPIRE', KEYS[2], ARGV[1])
return {token, top[1]}
"""

# Queue a request unless its fingerprint was seen in the run (ARGV[1] empty: not filtered).
# KEYS: seen, queue. ARGV: fingerprint, score, request, ttl.
_PUSH = """
if ARGV[1] ~= '' then
  if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
  redis.call('EXPIRE', KEYS[1], ARGV[4])
end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[4])
return 1
"""

# The leaving worker ends the run when no other worker is registered and nothing is queued.
# KEYS: run, workers, queue, seen. ARGV: this worker, run id. Returns 1 when it ended the run.
_LEAVE = """
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('HGET', KEYS[1], 'id') ~= ARGV[2] then return 0 end
if redis.call('ZCARD', KEYS[2]) > 0 or redis.call('ZCARD', KEYS[3]) > 0 then return 0 end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
return 1
"""


def redis_client(url: str) -> redis.Redis:
    """A client that fails fast (no retries, short timeouts): an outage is handled above it,
    and the crawl's event loop must not wait on a dead server."""
    return redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=20,
                                retry=Retry(NoBackoff(), 1), health_check_interval=30)


class FrontierQueue(PriorityQueue):
    """scrapy-redis's priority queue (a sorted set scored by -priority) with JSON requests."""

    def __init__(self, server: Any, spider: Spider, key: str) -> None:
        super().__init__(server, spider, key, serializer=codec)

    def encode(self, request: Request) -> bytes:
        return self._encode_request(request)

    def decode(self, data: bytes) -> Request:
        return self._decode_request(data)


class RedisFrontier(Scheduler):
    """The scheduler of a distributed crawl (``SCHEDULER_BACKEND=redis``); see the module."""

    def __init__(self, crawler: Crawler, server: redis.Redis) -> None:
        s = crawler.settings
        super().__init__(server, persist=True, idle_before_close=0, serializer=codec)
        self.crawler = crawler
        self.stats = crawler.stats
        self.url = s.get("REDIS_URL")
        self.prefix = s.get("REDIS_KEY_PREFIX") or "archiver"
        self.idle_close = s.getfloat("REDIS_IDLE_CLOSE", 30)
        self.ttl = max(60, s.getint("REDIS_RUN_TTL", 86400))
        self.heartbeat_every = s.getfloat("REDIS_HEARTBEAT", 5)
        self.worker_timeout = s.getfloat("REDIS_WORKER_TIMEOUT", 120)
        self.outage_close = s.getfloat("REDIS_OUTAGE_CLOSE", 300)
        self.consume = s.getbool("REDIS_CONSUME", True)
        self.worker = new_worker_id()
        self.ledger = InflightLedger.of(crawler)
        self.job: JobKeys | None = None
        self.run_id = ""
        self.keys: RunKeys | None = None
        self._outbox: deque[tuple[str, tuple[Any, ...]]] = deque()
        self._down_since: float | None = None
        self._empty_since: float | None = None
        self._closing = False
        self._beat_loop: task.LoopingCall | None = None
        self._join_script = server.register_script(_JOIN)
        self._beat_script = server.register_script(_BEAT)
        self._busy_script = server.register_script(_BUSY)
        self._take_script = server.register_script(_TAKE)
        self._push_script = server.register_script(_PUSH)
        self._leave_script = server.register_script(_LEAVE)
        crawler.signals.connect(self._spider_idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisFrontier:  # type: ignore[override]
        url = crawler.settings.get("REDIS_URL")
        if not url:
            raise ValueError("SCHEDULER_BACKEND=redis needs REDIS_URL (redis://host:6379/0)")
        return cls(crawler, redis_client(url))

    # --- opening and closing ------------------------------------------------------------------

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self.job = JobKeys(self.prefix, job_of(spider))
        since = getattr(spider, "since", None)
        try:
            run_id, run_since = self._join_script(keys=[self.job.run, self.job.workers], args=[
                uuid.uuid4().hex[:12], self.ttl, self.worker if self.consume else "",
                since.isoformat() if since is not None and not self.consume else ""])
        except redis.RedisError as exc:
            raise RuntimeError(f"Redis at {display_url(self.url)} cannot be used: {exc}") from exc
        self.run_id = run_id.decode()
        if run_since and since is None and hasattr(spider, "since"):
            # the seeder's `since` (crawlall --distributed): listings are read alike by every worker
            spider.since = dt.datetime.fromisoformat(run_since.decode())
        self.keys = self.job.of_run(self.run_id)
        self.stats.set_value("frontier/shared", 1)  # health: a worker sees its share of the listings
        self.stats.set_value("frontier/run", f"{self.job.job} {self.run_id}")
        self.queue = FrontierQueue(self.server, spider, self.keys.queue)
        self.df = RunSeenSet(self.server, self.keys.seen, self.crawler.request_fingerprinter, self.ttl)
        if self.consume:
            self.ledger.finish = self._finish
            self._beat_loop = task.LoopingCall(self._heartbeat)
            self._beat_loop.start(self.heartbeat_every, now=True)
        logger.info("shared frontier: job %s, run %s on %s (%d requests queued); worker %s%s",
                    self.job.job, self.run_id, display_url(self.url), len(self.queue), self.worker,
                    "" if self.consume else " (seeding only)")

    def close(self, reason: str) -> None:
        if self._beat_loop is not None and self._beat_loop.running:
            self._beat_loop.stop()
        if not self.consume or self.keys is None or self.job is None:
            return
        self._closing = True
        try:
            self._send_outbox()
            if self._outbox:
                raise redis.ConnectionError("the outbox could not be sent")
            # Whatever is still in flight goes back to the frontier (nothing, after a drained
            # run); then this worker leaves, and ends the run when it is the last one.
            requeued = self._beat(register=False, requeue_own=True)
            ended = self._leave_script(keys=self._run_keys(), args=[self.worker, self.run_id])
        except redis.RedisError as exc:
            logger.error("Redis at %s unreachable while closing (%s): this worker's %d unsent "
                         "requests will be found again from their parents, which go back to the frontier "
                         "when a worker of job %s runs again and this one's heartbeat is %gs old",
                         display_url(self.url), exc, len(self._outbox), self.job.job, self.worker_timeout)
            self.stats.set_value("frontier/unsent_at_close", len(self._outbox))
            return
        if requeued:
            logger.warning("%d requests of this worker went back to the shared frontier (%s)",
                           requeued, reason)
            self.stats.inc_value("frontier/requeued_at_close", requeued)
        if ended:
            logger.info("shared frontier: run %s of job %s is done; its keys are deleted",
                        self.run_id, self.job.job)
            self.stats.set_value("frontier/run_ended", 1)

    def _run_keys(self) -> list[str]:
        assert self.job is not None and self.keys is not None
        return [self.job.run, self.job.workers, self.keys.queue, self.keys.seen]

    # --- the frontier -------------------------------------------------------------------------

    def enqueue_request(self, request: Request) -> bool:
        parent = request.meta.pop(TOKEN, None)  # a retry or redirect of a request in flight
        fingerprint = b"" if request.dont_filter else self.df.request_fingerprint(request)
        data = self.queue.encode(request)
        queued = self._do("push", fingerprint, -request.priority, data)
        if parent:
            self._do("ack", parent)  # replaced by the request just queued (or seen already)
        if not queued:
            self.df.log(request, self.spider)
            self.stats.inc_value("frontier/duplicates")
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        if not self.consume or self._down_since is not None:
            return None
        assert self.keys is not None
        try:
            self._send_outbox()
            if self._outbox:
                return None
            taken = self._take_script(keys=[self.keys.queue, self.keys.inflight(self.worker)],
                                      args=[self.ttl])
        except REDIS_DOWN as exc:
            self._redis_down(exc)
            return None
        if not taken:
            return None
        token, data = taken[0].decode(), taken[1]
        try:
            request = self.queue.decode(data)
        except Exception as exc:  # not one of ours (another version, or written by hand)
            logger.error("dropped an unreadable request of the shared frontier (%s): %.200r", exc, data)
            self.stats.inc_value("frontier/unreadable")
            self._do("ack", token)
            return None
        request.meta[TOKEN] = token
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        if not self.consume:
            return False
        if self._outbox or self._down_since is not None:
            return True  # unknown: not idle until Redis answers
        try:
            return len(self.queue) > 0
        except REDIS_DOWN as exc:
            self._redis_down(exc)
            return True

    def __len__(self) -> int:
        return len(self.queue)

    def _finish(self, tokens: list[str]) -> None:
        """The ledger's tokens whose outcome is durable leave the in-flight hash."""
        self._do("ack", *tokens)
        self.stats.inc_value("frontier/finished", len(tokens))

    # --- Redis writes, kept in order through outages -------------------------------------------

    def _do(self, op: str, *args: Any) -> bool:
        """Run ``op`` now, or keep it in the outbox (after those already kept) while Redis is
        unreachable; a kept push counts as queued."""
        if self._outbox or self._down_since is not None:
            self._keep(op, args)
            return True
        try:
            return self._run(op, args)
        except REDIS_DOWN as exc:
            self._redis_down(exc)
            self._keep(op, args)
            return True

    def _keep(self, op: str, args: tuple[Any, ...]) -> None:
        self._outbox.append((op, args))
        self.stats.max_value("frontier/outbox_max", len(self._outbox))

    def _run(self, op: str, args: tuple[Any, ...]) -> bool:
        assert self.keys is not None
        if op == "push":
            fingerprint, score, data = args
            return bool(self._push_script(keys=[self.keys.seen, self.keys.queue],
                                          args=[fingerprint, score, data, self.ttl]))
        if op == "ack":
            self.server.hdel(self.keys.inflight(self.worker), *args)
            return True
        raise ValueError(op)

    def _send_outbox(self) -> None:
        """Send what was kept during an outage, oldest first, until Redis fails again."""
        while self._outbox:
            op, args = self._outbox[0]
            self._run(op, args)
            self._outbox.popleft()

    def _redis_down(self, exc: Exception) -> None:
        self.stats.inc_value("frontier/redis_errors")
        if self._down_since is None:
            self._down_since = time.monotonic()
            logger.error("Redis at %s unreachable (%s): no request is taken, and what this worker "
                         "queues waits in memory until it answers (at most %gs, then the worker stops)",
                         display_url(self.url), exc, self.outage_close)

    # --- heartbeat and idleness ---------------------------------------------------------------

    def _beat(self, register: bool = True, requeue_own: bool = False) -> int:
        """Note this worker's heartbeat (``register``), requeue dead workers' requests in
        flight (and this worker's own, ``requeue_own``); how many of its own were requeued."""
        assert self.keys is not None
        dead, own = self._beat_script(keys=self._run_keys(), args=[
            self.worker_timeout, self.ttl, self.worker if register else "",
            self.worker if requeue_own else "", self.keys.inflight_prefix])
        if dead:
            logger.warning("%d requests in flight of workers silent for %gs went back to the shared "
                           "frontier", dead, self.worker_timeout)
            self.stats.inc_value("frontier/reclaimed", int(dead))
        return int(own)

    def _heartbeat(self) -> None:
        if self._closing:
            return
        try:
            self._send_outbox()
            self._beat()
        except REDIS_DOWN as exc:
            self._redis_down(exc)
            assert self._down_since is not None
            if time.monotonic() - self._down_since > self.outage_close:
                self._stop(f"Redis at {display_url(self.url)} unreachable for {self.outage_close:g}s")
            return
        if self._down_since is not None:
            logger.warning("Redis at %s answers again after %.0fs; the crawl goes on",
                           display_url(self.url), time.monotonic() - self._down_since)
            self._down_since = None

    def _stop(self, why: str) -> None:
        logger.error("%s: this worker stops; restart it when Redis answers (its unfinished "
                     "requests go back to the shared frontier then)", why)
        self._closing = True
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="redis_unavailable"))

    def _spider_idle(self) -> None:
        """Close once the whole shared frontier has been empty for ``REDIS_IDLE_CLOSE`` seconds."""
        if not self.consume or self._closing:
            return
        self.ledger.settle_all()  # the archive buffer is stored: its requests finish
        self.ledger.forget(self.ledger.open_tokens())
        try:
            self._send_outbox()
            # Idle, nothing of this worker is in progress: a request still in its in-flight hash
            # has no outcome to wait for (should not happen); it is taken again rather than lost.
            leaked = self._beat(requeue_own=True)
            if leaked:
                logger.warning("%d requests in flight without an outcome on an idle worker: "
                               "returned to the shared frontier", leaked)
                self.stats.inc_value("frontier/requeued_idle", leaked)
            busy = bool(self._busy_script(
                keys=[self.job.workers, self.keys.queue],  # type: ignore[union-attr]
                args=[self.worker_timeout, self.keys.inflight_prefix]))  # type: ignore[union-attr]
        except REDIS_DOWN as exc:
            self._redis_down(exc)
            busy = True
        now = time.monotonic()
        if busy:
            self._empty_since = None
            raise DontCloseSpider
        if self._empty_since is None:
            self._empty_since = now
        if now - self._empty_since < self.idle_close:
            raise DontCloseSpider
        logger.info("the shared frontier has been empty for %gs: this worker closes", self.idle_close)
