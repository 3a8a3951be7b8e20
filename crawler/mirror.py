"""A local mirror of recorded article pages, served on 127.0.0.1 with a sitemap index, a news
sitemap, an RSS feed and paginated section pages.

Used by ``scrapy demo``, the tests and the benchmarks, so that crawls run end to end without a
network. Served by :class:`crawler.loopback.LoopbackServer` (aiohttp, keep-alive).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import threading
from dataclasses import dataclass
from email.utils import format_datetime
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from crawler.loopback import LoopbackServer

SECTION_PAGE_SIZE = 3


@dataclass
class MirrorPage:
    """One recorded page served at ``path``."""

    path: str
    html: bytes
    title: str
    published: dt.datetime | None = None
    section: str = "news"
    content_type: str = "text/html; charset=utf-8"
    #: The page's ``<lastmod>`` in /sitemaps/articles.xml when it changed after publication.
    modified: dt.datetime | None = None
    #: Served with an ETag, answering If-None-Match with 304; False: plain 200s, no validators.
    validators: bool = True


def page_from_file(html_file: Path, url: str, title: str, published: str | None,
                   section: str = "news") -> MirrorPage:
    """A page served at the path of its original ``url`` (query kept), from a .html or .html.gz file."""
    data = html_file.read_bytes()
    if html_file.suffix == ".gz":
        data = gzip.decompress(data)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    when = dt.datetime.fromisoformat(published.replace("Z", "+00:00")) if published else None
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return MirrorPage(path=path, html=data, title=title, published=when, section=section,
                      content_type="text/html")


def load_manifest(manifest: Path) -> list[MirrorPage]:
    """Pages listed in a JSON-lines manifest ``{"html", "url", "title", "published", "section"}``."""
    pages = []
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            pages.append(page_from_file(manifest.parent / row["html"], row["url"],
                                        row.get("title") or "", row.get("published"),
                                        row.get("section") or "news"))
    return pages


class Mirror:
    """Serves ``pages`` plus discovery documents; use as a context manager."""

    def __init__(self, pages: list[MirrorPage], host: str = "127.0.0.1", port: int = 0) -> None:
        self.pages = {p.path: p for p in pages}
        self.hits: dict[str, int] = {}
        self.not_modified = 0
        self.extra: dict[str, tuple[int, dict[str, str], bytes]] = {}
        #: Answers served once each, before the normal one (e.g. a 429 with Retry-After).
        self.queued: dict[str, list[tuple[int, dict[str, str], bytes]]] = {}
        self._lock = threading.Lock()
        self.server = LoopbackServer(self.respond, host, port)

    @property
    def base_url(self) -> str:
        host, port = self.server.address
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def __enter__(self) -> Mirror:
        self.server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stop()

    def replace_html(self, path: str, html: bytes, modified: dt.datetime | None = None) -> None:
        """Serve new HTML at ``path`` from now on (a page that changed); with ``modified``, the
        sitemap's lastmod of the page says so."""
        with self._lock:
            self.pages[path].html = html
            if modified is not None:
                self.pages[path].modified = modified

    # --- documents ------------------------------------------------------------------------------

    def respond(self, raw_path: str, if_none_match: str | None = None
                ) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body for a GET of ``raw_path`` (pages answer conditional GETs)."""
        with self._lock:
            self.hits[raw_path] = self.hits.get(raw_path, 0) + 1
            if self.queued.get(raw_path):
                return self.queued[raw_path].pop(0)
            if raw_path in self.extra:
                return self.extra[raw_path]
            if raw_path in self.pages:
                page = self.pages[raw_path]
                if not page.validators:
                    return 200, {"Content-Type": page.content_type}, page.html
                etag = '"' + hashlib.sha256(page.html).hexdigest()[:20] + '"'
                if if_none_match == etag:
                    self.not_modified += 1
                    return 304, {"ETag": etag}, b""
                return 200, {"Content-Type": page.content_type, "ETag": etag}, page.html
            path = urlsplit(raw_path).path
            xml = {"Content-Type": "application/xml; charset=utf-8"}
            if path == "/robots.txt":
                body = f"User-agent: *\nDisallow: /private/\n\nSitemap: {self.url('/sitemap_index.xml')}\n"
                return 200, {"Content-Type": "text/plain"}, body.encode()
            if path == "/sitemap_index.xml":
                return 200, xml, self._sitemap_index()
            if path == "/sitemaps/news.xml":
                return 200, xml, self._news_sitemap()
            if path == "/sitemaps/articles.xml":
                return 200, xml, self._sitemap()
            if path == "/feed.xml":
                return 200, {"Content-Type": "application/rss+xml"}, self._feed()
            if path.startswith("/section/"):
                return self._section(raw_path)
            return 404, {"Content-Type": "text/html"}, b"<html><body><h1>Not found</h1></body></html>"

    def _sorted(self) -> list[MirrorPage]:
        oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
        return sorted(self.pages.values(), key=lambda p: p.published or oldest, reverse=True)

    @staticmethod
    def _iso(when: dt.datetime | None) -> str:
        return (when or dt.datetime(2020, 1, 1, tzinfo=dt.UTC)).isoformat()

    def _sitemap_index(self) -> bytes:
        newest = self._iso(self._sorted()[0].published if self.pages else None)
        items = "".join(
            f"<sitemap><loc>{self.url(p)}</loc><lastmod>{newest}</lastmod></sitemap>"
            for p in ("/sitemaps/news.xml", "/sitemaps/articles.xml")
        )
        return (f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
                f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>').encode()

    def _news_sitemap(self) -> bytes:
        items = "".join(
            f"<url><loc>{escape(self.url(p.path))}</loc><news:news><news:publication>"
            f"<news:name>Mirror</news:name><news:language>en</news:language></news:publication>"
            f"<news:publication_date>{self._iso(p.published)}</news:publication_date>"
            f"<news:title>{escape(p.title)}</news:title></news:news></url>"
            for p in self._sorted()[:3]
        )
        return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                f'sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{items}'
                f"</urlset>").encode()

    def _sitemap(self) -> bytes:
        items = "".join(
            f"<url><loc>{escape(self.url(p.path))}</loc><lastmod>{self._iso(p.modified or p.published)}"
            f"</lastmod></url>"
            for p in self._sorted()
        )
        return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
                f'schemas/sitemap/0.9">{items}</urlset>').encode()

    def _feed(self) -> bytes:
        items = "".join(
            f"<item><title>{escape(p.title)}</title><link>{escape(self.url(p.path))}</link>"
            f"<pubDate>{format_datetime(p.published or dt.datetime(2020, 1, 1, tzinfo=dt.UTC))}"
            f"</pubDate></item>"
            for p in self._sorted()
        )
        return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Mirror'
                f"</title><link>{self.base_url}/</link>{items}</channel></rss>").encode()

    def _section(self, raw_path: str) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(raw_path)
        name = parts.path.strip("/").split("/")[1] if parts.path.count("/") >= 2 else ""
        pages = [p for p in self._sorted() if p.section == name]
        if not pages:
            return 404, {"Content-Type": "text/html"}, b"<html><body>No such section</body></html>"
        number = int(parts.query.split("page=")[-1]) if "page=" in parts.query else 1
        chunk = pages[(number - 1) * SECTION_PAGE_SIZE: number * SECTION_PAGE_SIZE]
        links = "".join(f'<li><a href="{escape(p.path)}">{escape(p.title)}</a></li>' for p in chunk)
        nav = ""
        if number * SECTION_PAGE_SIZE < len(pages):
            nav = f'<a rel="next" href="/section/{name}/?page={number + 1}">Next page</a>'
        body = (f"<html><head><title>{escape(name)}</title></head><body><nav><a href='/'>Home</a>"
                f"<a href='/tag/movies/'>Movies</a></nav><ul>{links}</ul>{nav}</body></html>")
        return 200, {"Content-Type": "text/html; charset=utf-8"}, body.encode()
