"""Writers of the same URLs take turns: per-URL transaction locks on PostgreSQL.

A batch is matched against what the archive holds (:mod:`storage.writer` reads first, then
writes). Two crawler processes storing the same article at once would both read "not there".
The unique indexes (``articles (canonical_url, published_date)``, ``url_aliases``, ``url_state``,
``article_versions (article_id, version_no)``) make a duplicate row impossible: the second
writer's transaction fails and :meth:`storage.Archive.store` runs it again. But a concurrent
page of the same URL under another date (a moved date: a new *version* when read in turn)
breaks no index, so the writers also take a transaction-level advisory lock on every URL of
the batch before reading (``pg_advisory_xact_lock``, sorted, so two batches cannot wait on each
other in a cycle); the second writer waits until the first commits, then reads its rows.
SQLite needs none of this: a write transaction holds the whole database (``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.orm import Session

#: First key of the two-key advisory locks on URLs (the archive's run lock uses one 64-bit key).
URL_LOCK_CLASS = 0x55524C  # "URL"


def url_lock_key(url: str) -> int:
    """The signed 32-bit second key of ``url``'s lock (a collision only makes two URLs wait)."""
    return int.from_bytes(hashlib.sha256(url.encode("utf-8")).digest()[:4], "big", signed=True)


def lock_urls(session: Session, urls: Iterable[str]) -> None:
    """Wait for, then hold until the transaction ends, the lock of each of ``urls``
    (PostgreSQL; nothing on SQLite, whose write transactions are exclusive)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    keys = sorted({url_lock_key(u) for u in urls})
    if keys:
        session.execute(text("SELECT count(pg_advisory_xact_lock(:cls, k)) "
                             "FROM unnest(CAST(:keys AS integer[])) WITH ORDINALITY AS t(k, n)"),
                        {"cls": URL_LOCK_CLASS, "keys": keys})
