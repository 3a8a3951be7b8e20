"""The Redis keys of a distributed crawl.

A *job* is what the workers crawl together: a site (``-a site=S``: ``site:S``) or a start URL
(``-a start_url=U``: ``url:`` and 16 hex digits of its SHA-1). A job has at most one *run*
at a time: the first worker (or ``crawlall --distributed``) starts it, the others join it,
and the last worker to leave a drained frontier ends it (its keys are deleted). Every key
expires ``REDIS_RUN_TTL`` seconds after the last heartbeat of a worker, so a run whose workers
all died does not stay in Redis for ever; a worker started before then resumes it.

``<prefix>:<job>:run``                   hash: the run's ``id`` and when it ``started``
``<prefix>:<job>:workers``               sorted set: worker id → its last heartbeat (server time)
``<prefix>:<job>:<run>:queue``           sorted set: requests by -priority (the frontier)
``<prefix>:<job>:<run>:seen``            set: fingerprints of every request queued in the run
``<prefix>:<job>:<run>:inflight:<id>``   hash: the requests a worker took and has not finished
"""

from __future__ import annotations

import hashlib
import os
import socket
import uuid
from dataclasses import dataclass
from typing import Any


def job_of(spider: Any) -> str:
    """The job of a ``news`` spider: its site, or its start URL."""
    site = getattr(spider, "site", None)
    if site is not None:
        return f"site:{site.slug}"
    url = (getattr(spider, "start_urls", None) or [""])[0]
    return f"url:{hashlib.sha1(url.encode('utf-8')).hexdigest()[:16]}"


def new_worker_id() -> str:
    """This worker's id: host, process and a random part (a restarted worker is a new one)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class JobKeys:
    prefix: str
    job: str

    @property
    def run(self) -> str:
        return f"{self.prefix}:{self.job}:run"

    @property
    def workers(self) -> str:
        return f"{self.prefix}:{self.job}:workers"

    def of_run(self, run_id: str) -> RunKeys:
        return RunKeys(f"{self.prefix}:{self.job}:{run_id}")


@dataclass(frozen=True)
class RunKeys:
    base: str

    @property
    def queue(self) -> str:
        return f"{self.base}:queue"

    @property
    def seen(self) -> str:
        return f"{self.base}:seen"

    @property
    def inflight_prefix(self) -> str:
        return f"{self.base}:inflight:"

    def inflight(self, worker: str) -> str:
        return self.inflight_prefix + worker
