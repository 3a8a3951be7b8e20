"""A fast HTTP server on 127.0.0.1 in a background thread, for the local mirror.

Built on aiohttp's low-level server (already installed with Scrapy; its HTTP parser is C) rather
than the standard library's ``http.server``: keep-alive connections and an event loop instead
of a thread per connection, so that a crawl benchmark measures the crawler, not the server.
Answers come from one plain function ``respond(raw_path, if_none_match) -> (status, headers,
body)``, called on the server's thread.
"""

from __future__ import annotations

import asyncio
import ipaddress
import threading
from collections.abc import Callable

from aiohttp import web

Answer = tuple[int, dict[str, str], bytes]
Responder = Callable[[str, "str | None"], Answer]

#: Seconds to wait for the server to start or stop.
START_STOP_TIMEOUT = 10.0


class LoopbackServer:
    """Serves ``respond`` on a loopback address (``127.0.0.1`` by default; port 0: any free
    port) until :meth:`stop`."""

    def __init__(self, respond: Responder, host: str = "127.0.0.1", port: int = 0) -> None:
        if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
            raise ValueError(f"the mirror serves loopback only, not {host!r}")
        self.respond = respond
        self.host = host
        self.port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.ServerRunner | None = None
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> tuple[str, int]:
        return self.host, self.port

    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        if request.method not in ("GET", "HEAD"):
            return web.Response(status=501, body=b"")
        status, headers, body = self.respond(request.raw_path, request.headers.get("If-None-Match"))
        return web.Response(status=status, headers=headers, body=body)

    async def _start(self) -> None:
        self._runner = web.ServerRunner(web.Server(self._handle, access_log=None),
                                        handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, reuse_address=True)
        await site.start()
        server = site._server  # the asyncio server: which port was given
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    def start(self) -> LoopbackServer:
        """Start serving on a daemon thread; returns when the port is bound."""
        loop = self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=loop.run_forever, name="loopback-server", daemon=True)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), loop).result(START_STOP_TIMEOUT)
        return self

    def stop(self) -> None:
        """Close every connection and stop the thread."""
        loop, self._loop = self._loop, None
        if loop is None:
            return
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), loop).result(START_STOP_TIMEOUT)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(START_STOP_TIMEOUT)
        loop.close()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
