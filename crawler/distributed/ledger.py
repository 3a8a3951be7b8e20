"""When a request taken from the shared frontier may leave the worker's in-flight hash.

A worker takes a request from Redis into its in-flight hash (:mod:`.scheduler`); it must stay
there until everything that came of it is durable, so that a worker killed at any moment
loses nothing (its in-flight requests return to the frontier). What came of it:

- the requests its callback yielded: queued in Redis before the callback ends;
- its items: stored in the archive or written to the spool by the archive pipeline, which
  keeps them in a buffer for up to ``ARCHIVE_BATCH_SIZE`` items.

So a request (its *token*) is *settled* once its callback has ended and each of its items has
left the pipelines (``item_scraped``, ``item_dropped`` or ``item_error``), and *finished* at
the archive pipeline's next flush after that (at once when no pipeline keeps a buffer). A
failed request (its errback) is settled at once; a retry or redirect queued again replaces it.
The ledger holds only the tokens in flight: bounded by the concurrency and one batch.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler

#: request.meta key of a request's token (given when taken from the frontier).
TOKEN = "frontier_token"

_LEDGERS: weakref.WeakKeyDictionary[Crawler, InflightLedger] = weakref.WeakKeyDictionary()


class InflightLedger:
    """Tracks the tokens of one crawler's requests in flight; calls ``finish`` with the
    tokens whose outcome is durable (the scheduler then removes them from Redis)."""

    def __init__(self) -> None:
        #: token → [items not yet out of the pipelines, whether the callback has ended]
        self._open: dict[str, list[Any]] = {}
        self._settled: list[str] = []
        self._flushes: list[Callable[[], None]] = []
        self.finish: Callable[[list[str]], None] | None = None

    @classmethod
    def of(cls, crawler: Crawler) -> InflightLedger:
        """The crawler's ledger (made on first use)."""
        ledger = _LEDGERS.get(crawler)
        if ledger is None:
            ledger = _LEDGERS[crawler] = cls()
            for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
                crawler.signals.connect(ledger._item_left, signal=signal)
        return ledger

    @property
    def active(self) -> bool:
        """Whether anything listens (a distributed crawl); otherwise every call is a no-op."""
        return self.finish is not None

    def buffered_by(self, flush: Callable[[], None]) -> None:
        """A pipeline keeps items in a buffer: settled tokens wait for its :meth:`flushed`,
        and ``flush`` is called when the crawler goes idle (:meth:`settle_all`)."""
        self._flushes.append(flush)

    def item_made(self, token: str | None) -> None:
        """The callback of ``token``'s request yielded an item."""
        if token and self.active:
            self._open.setdefault(token, [0, False])[0] += 1

    def callback_ended(self, token: str | None) -> None:
        """The callback (or errback) of ``token``'s request has ended."""
        if token and self.active:
            self._open.setdefault(token, [0, False])[1] = True
            self._maybe_settle(token)

    def request_failed(self, request: Request) -> None:
        """A request failed for good (its errback ran)."""
        self.callback_ended(request.meta.get(TOKEN))

    def _item_left(self, response: Any = None, **_: Any) -> None:
        token = getattr(response, "meta", {}).get(TOKEN) if response is not None else None
        if token and self.active and token in self._open:
            self._open[token][0] -= 1
            self._maybe_settle(token)

    def _maybe_settle(self, token: str) -> None:
        pending, ended = self._open[token]
        if ended and pending <= 0:
            del self._open[token]
            self._settled.append(token)
            if not self._flushes:
                self.flushed()

    def flushed(self) -> None:
        """The buffering pipeline has made everything it held durable: settled tokens finish."""
        settled, self._settled = self._settled, []
        if settled and self.finish is not None:
            self.finish(settled)

    def settle_all(self) -> None:
        """The crawler is idle: the pipelines flush their buffers, and what is settled finishes."""
        for flush in self._flushes:
            flush()
        self.flushed()

    def open_tokens(self) -> set[str]:
        """Tokens taken and not settled (after :meth:`settle_all` on an idle crawler: none)."""
        return set(self._open)

    def forget(self, tokens: set[str]) -> None:
        """Stop tracking ``tokens`` (their requests were returned to the frontier)."""
        for token in tokens:
            self._open.pop(token, None)


def request_failed(crawler: Crawler, request: Request) -> None:
    """Tell the crawler's ledger (if any) that ``request`` failed for good."""
    ledger = _LEDGERS.get(crawler)
    if ledger is not None:
        ledger.request_failed(request)
