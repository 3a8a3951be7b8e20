"""A fast HTTP server on 127.0.0.1 in a background thread, for the local mirror.

Built on aiohttp's low-level server (already installed with Scrapy; its HTTP parser is C) rather
than the standard library's ``http.server``: keep-alive connections and an event loop instead
of a thread per connection, so that a crawl benchmark measures the crawler, not the server.
Answers come from one plain function ``respond(raw_path, if_none_match) -> (status, headers,
body)``, called on the server's thread. A body is bytes, or a :class:`Stream` for the tests of
hostile servers: pieces sent one by one with a pause between them (a trickle), a
``Content-Length`` that lies, a connection closed before the end. Headers go out as given
(a ``Content-Encoding: gzip`` body is sent as it is, never compressed again).
"""

from __future__ import annotations

import asyncio
import ipaddress
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from aiohttp import web


@dataclass(frozen=True)
class Stream:
    """A body sent piece by piece: each of ``chunks``, then a pause of ``interval`` seconds.

    ``length``: the ``Content-Length`` announced (``None``: chunked transfer encoding), which
    may differ from what is sent; ``abort``: the connection is closed after the last chunk
    instead of ending the response properly; ``delay``: seconds before the status line.
    """

    chunks: Iterable[bytes]
    interval: float = 0.0
    length: int | None = None
    abort: bool = False
    delay: float = 0.0


Answer = tuple[int, dict[str, str], "bytes | Stream"]
Responder = Callable[[str, "str | None"], Answer]

#: Seconds to wait for the server to start or stop.
START_STOP_TIMEOUT = 10.0
#: Seconds a request still being answered (a trickle) may go on once the server stops.
SHUTDOWN_GRACE = 0.5


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
        if isinstance(body, Stream):
            return await self._stream(request, status, headers, body)
        return web.Response(status=status, headers=headers, body=body)

    @staticmethod
    async def _stream(request: web.BaseRequest, status: int, headers: dict[str, str],
                      body: Stream) -> web.StreamResponse:
        response = web.StreamResponse(status=status, headers=headers)
        if body.length is not None:
            response.content_length = body.length
        try:
            if body.delay:
                await asyncio.sleep(body.delay)
            await response.prepare(request)
            for chunk in body.chunks:
                await response.write(chunk)
                if body.interval:
                    await asyncio.sleep(body.interval)
            if body.abort:
                if request.transport is not None:
                    request.transport.close()
                return response
            await response.write_eof()
        except ConnectionError:
            pass  # the client gave up (a timeout): nothing left to send
        return response

    async def _start(self) -> None:
        self._runner = web.ServerRunner(web.Server(self._handle, access_log=None),
                                        handle_signals=False, shutdown_timeout=SHUTDOWN_GRACE)
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
        asyncio.run_coroutine_threadsafe(_cancel_pending(), loop).result(START_STOP_TIMEOUT)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(START_STOP_TIMEOUT)
        loop.close()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


async def _cancel_pending() -> None:
    """Cancel what still runs on the server's loop (an answer still trickling, a connection
    handler) and wait for it to end."""
    tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
