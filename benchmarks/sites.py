"""Sites the crawl benchmarks serve on 127.0.0.1 (with :class:`crawler.loopback.LoopbackServer`).

:class:`CorpusCopies`: the corpus's recorded article pages, each served under several URLs so
that a few hundred pages make a few thousand. A copy's ``<link rel=canonical>`` and ``og:url``
get a ``copy=N`` query parameter (same host, so the page's site is still recognised): every
copy is an article of its own in the archive, not a duplicate of the first.

:class:`SyntheticSite`: any number of small generated articles, for scale (memory).

Both answer ``robots.txt`` → a sitemap index → sitemaps of at most :data:`SITEMAP_SIZE` URLs,
and answer conditional GETs (``If-None-Match``) with 304.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import urlsplit

from crawler.evaluation import read_html
from crawler.loopback import Answer, LoopbackServer

SITEMAP_SIZE = 10_000
_CANONICAL_TAG = re.compile(rb"<link\b[^>]*\brel=[\"']?canonical\b[^>]*>", re.I)
_OG_URL_TAG = re.compile(rb"<meta\b[^>]*\bproperty=[\"']og:url[\"'][^>]*>", re.I)
_URL_ATTR = re.compile(rb"\b(?:href|content)=([\"'])([^\"']+)\1", re.I)
_SLUG = re.compile(r"[^a-z0-9]+")
_HTML = {"Content-Type": "text/html"}
_XML = {"Content-Type": "application/xml; charset=utf-8"}


@dataclass
class _Template:
    """A page split around its canonical-URL tags: ``parts[0] tag parts[1] tag ... parts[-1]``."""

    parts: list[bytes]
    tags: list[tuple[bytes, bytes, bytes]]  # (tag before the URL, URL, tag after the URL)

    @classmethod
    def of(cls, html: bytes) -> _Template:
        spans = sorted((m.start(), m.end())
                       for rx in (_CANONICAL_TAG, _OG_URL_TAG) for m in rx.finditer(html))
        parts, tags, at = [], [], 0
        for start, end in spans:
            tag = html[start:end]
            url = _URL_ATTR.search(tag)
            if url is None or start < at:
                continue
            parts.append(html[at:start])
            tags.append((tag[:url.start(2)], url.group(2), tag[url.end(2):]))
            at = end
        parts.append(html[at:])
        return cls(parts, tags)

    def render(self, copy: int) -> bytes:
        """The page of copy ``copy`` (0: the page as recorded)."""
        out = [self.parts[0]]
        for (before, url, after), part in zip(self.tags, self.parts[1:], strict=True):
            out += [before, url]
            if copy:
                out += [b"&amp;" if b"?" in url else b"?", b"copy=%d" % copy]
            out += [after, part]
        return b"".join(out)


class _Site:
    """Discovery documents and conditional GETs over ``paths`` (subclasses render pages)."""

    def __init__(self) -> None:
        self.base_url = ""
        self.paths: list[str] = []
        self._etags: dict[str, str] = {}
        self.not_modified = 0
        self.served = 0

    def page(self, path: str) -> bytes | None:
        raise NotImplementedError

    def lastmod(self, path: str) -> dt.datetime:
        raise NotImplementedError

    def respond(self, raw_path: str, if_none_match: str | None) -> Answer:
        path = urlsplit(raw_path).path
        if path == "/robots.txt":
            body = f"User-agent: *\nDisallow: /private/\n\nSitemap: {self.base_url}/sitemap_index.xml\n"
            return 200, {"Content-Type": "text/plain"}, body.encode()
        if path == "/sitemap_index.xml":
            return 200, _XML, self._sitemap_index()
        if path.startswith("/sitemaps/") and path.endswith(".xml"):
            return 200, _XML, self._sitemap(int(path.rsplit("/", 1)[1].split(".")[0]))
        html = self.page(path)
        if html is None:
            return 404, _HTML, b"<html><body><h1>Not found</h1></body></html>"
        etag = self._etags.get(path)
        if etag is None:
            etag = self._etags[path] = '"' + hashlib.sha256(html).hexdigest()[:20] + '"'
        if if_none_match == etag:
            self.not_modified += 1
            return 304, {"ETag": etag}, b""
        self.served += 1
        return 200, {**_HTML, "ETag": etag}, html

    def _sitemap_index(self) -> bytes:
        count = (len(self.paths) + SITEMAP_SIZE - 1) // SITEMAP_SIZE
        items = "".join(f"<sitemap><loc>{self.base_url}/sitemaps/{n}.xml</loc></sitemap>"
                        for n in range(count))
        return (f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
                f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>').encode()

    def _sitemap(self, number: int) -> bytes:
        chunk = self.paths[number * SITEMAP_SIZE:(number + 1) * SITEMAP_SIZE]
        items = "".join(f"<url><loc>{escape(self.base_url + p)}</loc><lastmod>{self.lastmod(p).isoformat()}"
                        f"</lastmod></url>" for p in chunk)
        return (f'<?xml version="1.0" encoding="UTF-8"?><urlset '
                f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</urlset>').encode()


class CorpusCopies(_Site):
    """``count`` article URLs over the corpus ``cases`` (copy N of case i: ``/news/2024/05/<slug>-i-N/``)."""

    def __init__(self, cases: list[dict[str, Any]], count: int) -> None:
        super().__init__()
        self.templates = [_Template.of(read_html(c["html"])) for c in cases]
        self._pages: dict[str, tuple[int, int]] = {}
        self._dates: list[dt.datetime] = [_published(c) for c in cases]
        for n in range(count):
            index, copy = n % len(cases), n // len(cases)
            slug = _SLUG.sub("-", cases[index]["id"].rsplit("/", 1)[-1].lower()).strip("-")[:60]
            path = f"/news/2024/05/{slug}-{index}-{copy}/"
            self._pages[path] = (index, copy)
            self.paths.append(path)

    def page(self, path: str) -> bytes | None:
        found = self._pages.get(path)
        return None if found is None else self.templates[found[0]].render(found[1])

    def lastmod(self, path: str) -> dt.datetime:
        return self._dates[self._pages[path][0]]


class SyntheticSite(_Site):
    """``count`` generated articles (~6 KB each) at ``/news/2024/01/synthetic-story-<i>/``."""

    WORDS = ("premiere", "studio", "season", "finale", "director", "trailer", "sequel", "cast",
             "festival", "review", "box", "office", "streaming", "series", "award", "critics",
             "release", "franchise", "episode", "showrunner", "audience", "screen", "debut")

    def __init__(self, count: int) -> None:
        super().__init__()
        self.paths = [f"/news/2024/01/synthetic-story-{i}/" for i in range(count)]

    def page(self, path: str) -> bytes | None:
        match = re.fullmatch(r"/news/2024/01/synthetic-story-(\d+)/", path)
        if match is None or int(match.group(1)) >= len(self.paths):
            return None
        return synthetic_article(int(match.group(1)), self.WORDS, self.base_url + path)

    def lastmod(self, path: str) -> dt.datetime:
        minutes = int(path.rstrip("/").rsplit("-", 1)[1])
        return dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes)


def synthetic_article(i: int, words: tuple[str, ...], url: str) -> bytes:
    """A small, plausible article page: metadata, a headline, eight paragraphs, site furniture."""
    rng = random.Random(i)
    say: Callable[[int], str] = lambda n: " ".join(rng.choice(words) for _ in range(n))  # noqa: E731
    title = f"Story {i}: the {say(4)}"
    when = (dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=i)).isoformat()
    paragraphs = "".join(f"<p>{say(1).capitalize()} {say(45)}.</p>" for _ in range(8))
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<link rel="canonical" href="{url}"><meta property="og:title" content="{title}">'
            f'<meta property="article:published_time" content="{when}">'
            f'<meta name="author" content="Pat Writer"></head><body><header><nav><a href="/">Home</a>'
            f'<a href="/movies/">Movies</a><a href="/tv/">TV</a></nav></header><main><article>'
            f'<h1>{title}</h1><div class="byline">By Pat Writer</div><div class="article-body">'
            f'{paragraphs}</div></article></main><footer>© Synthetic News</footer></body></html>').encode()


def _published(case: dict[str, Any]) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(str(case.get("published")).replace("Z", "+00:00"))
    except ValueError:
        return dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def serve(site: _Site, timeout: float = 1800) -> LoopbackServer:
    """Start serving ``site`` on 127.0.0.1 (``site.base_url`` set); it stops by itself after
    ``timeout`` seconds if nobody stops it. Use as a context manager or call ``stop()``."""
    server = LoopbackServer(site.respond).start()
    site.base_url = f"http://127.0.0.1:{server.port}"
    timer = threading.Timer(timeout, server.stop)
    timer.daemon = True
    timer.start()
    return server
