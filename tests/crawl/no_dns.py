"""A DNS resolver for tests that answers nothing: every host name fails to resolve and no query
leaves the machine (``-s TWISTED_DNS_RESOLVER=tests.crawl.no_dns.NoDnsResolver``)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from twisted.internet._resolver import HostResolution
from twisted.internet.interfaces import IHostnameResolver, IHostResolution, IResolutionReceiver
from zope.interface import implementer

logger = logging.getLogger(__name__)


@implementer(IHostnameResolver)
class NoDnsResolver:
    """Resolves every name to no address (IP literals never reach a resolver)."""

    def __init__(self, reactor: Any) -> None:
        self.reactor = reactor

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> NoDnsResolver:
        return cls(reactor)

    def install_on_reactor(self) -> None:
        self.reactor.installNameResolver(self)

    def resolveHostName(self, resolutionReceiver: IResolutionReceiver, hostName: str,
                        portNumber: int = 0, addressTypes: Sequence[Any] | None = None,
                        transportSemantics: str = "TCP") -> IHostResolution:
        logger.warning("no DNS in this test: %s not resolved", hostName)
        resolution = HostResolution(hostName)
        resolutionReceiver.resolutionBegan(resolution)
        resolutionReceiver.resolutionComplete()
        return resolution
