"""Downloader middleware: never fetch private, loopback or link-local addresses unless allowed.

A sitemap or feed can list any URL; without this guard a crawl could be pointed at internal
services. Hosts in ``ALLOWED_PRIVATE_HOSTS`` pass, and so do the hosts the user named for this
crawl (the spider's ``user_named_hosts``: the host of ``-a start_url=`` and the start URLs of a
``SITES_FILE`` site), e.g. ``127.0.0.1`` for a local mirror. Links and redirects from there to
other private addresses stay refused.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request

logger = logging.getLogger(__name__)

Resolver = Callable[[str], list[str]]


def system_resolver(host: str) -> list[str]:
    """Every address ``host`` resolves to (blocking; run in a thread)."""
    return sorted({info[4][0] for info in socket.getaddrinfo(host, None)})


def is_public(address: str) -> bool:
    """True for a globally routable IP address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class BlockedAddress(IgnoreRequest):
    """The request's host is (or resolves to) a non-public address."""


class PrivateAddressGuard:
    """Ignores requests whose host is, or resolves to, a non-public address."""

    def __init__(self, crawler: Crawler, allowed: list[str], resolver: Resolver = system_resolver):
        self.crawler = crawler
        self.stats = crawler.stats
        self.allowed = {h.lower() for h in allowed}
        self.resolver = resolver
        self._verdicts: dict[str, str | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateAddressGuard:
        if not crawler.settings.getbool("PRIVATE_ADDRESS_GUARD", True):
            raise NotConfigured("PRIVATE_ADDRESS_GUARD is off")
        return cls(crawler, crawler.settings.getlist("ALLOWED_PRIVATE_HOSTS"))

    async def process_request(self, request: Request) -> None:
        host = (urlsplit(request.url).hostname or "").lower()
        if host in self.allowed or host in self._user_named():
            return None
        if host not in self._verdicts:
            self._verdicts[host] = await self._check(host)
        reason = self._verdicts[host]
        if reason:
            self.stats.inc_value("private_address/blocked")
            logger.warning("blocked %s: %s (allow it with ALLOWED_PRIVATE_HOSTS)", request.url, reason)
            raise BlockedAddress(f"{host}: {reason}")
        return None

    def _user_named(self) -> frozenset[str]:
        """The hosts the user typed for this crawl (none before the spider exists)."""
        return frozenset(getattr(self.crawler.spider, "user_named_hosts", ()))

    async def _check(self, host: str) -> str | None:
        if not host:
            return "no host"
        try:
            ipaddress.ip_address(host)
            addresses = [host]
        except ValueError:
            if host == "localhost" or host.endswith(".localhost"):
                return "localhost"
            try:
                addresses = await asyncio.to_thread(self.resolver, host)
            except OSError as exc:
                # Let the downloader report the DNS failure in its usual way.
                logger.debug("cannot resolve %s: %s", host, exc)
                return None
        bad = [a for a in addresses if not is_public(a)]
        return f"resolves to non-public address {bad[0]}" if bad else None
