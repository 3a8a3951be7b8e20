"""Hostile discovery documents: broken and huge sitemaps and feeds, entity tricks, links to
other schemes and hosts, nested sitemap indexes, endless pagination and calendar traps.

All are listed by one sitemap index (the start URL of one crawl). Each case names the log
line its document must get (a pattern, next to its URL) and what may be fetched because of it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from crawler.loopback import Answer
from crawler.spiders.discovery import MAX_LINKS, MAX_SITEMAP_DEPTH
from tests.hostile.cases import _bomb
from tests.hostile.pages import synthetic

XML = {"Content-Type": "application/xml; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml"}
HTML = {"Content-Type": "text/html; charset=utf-8"}
SECTION_MAX_PAGES = 5
ROOT = "/hostile/discovery/"
#: Placeholder for the mirror's address in documents written before it is known.
BASE = "{base}"


@dataclass
class DiscoveryCase:
    """A discovery document and what the crawl must make of it."""

    name: str
    answer: Answer
    #: A pattern of the line its URL must get (``{n}`` style values already filled in).
    line: str
    #: Stats this case adds (each at least once).
    stats: tuple[str, ...] = ()
    #: Other paths it needs (documents it links to, articles), served as given.
    extra: dict[str, Answer] = field(default_factory=dict)
    #: Path prefix → how many fetches of paths under it are allowed (bounded traps), and
    #: paths that must be fetched exactly once.
    at_most: dict[str, int] = field(default_factory=dict)
    fetched_once: tuple[str, ...] = ()
    #: Text no log line may contain (a local file's content, another scheme's request).
    never: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"discovery-{self.name}"

    @property
    def path(self) -> str:
        return f"{ROOT}{self.name}.xml"


def _urlset(entries: list[str], news: bool = False, head: str = "") -> bytes:
    ns = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' if news else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{head}<urlset '
        f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{ns}>{"".join(entries)}</urlset>'
    ).encode()


def _url(loc: str, lastmod: str | None = None) -> str:
    return f"<url><loc>{loc}</loc>" + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>"


def _index(locs: list[str]) -> bytes:
    items = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
        f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>'
    ).encode()


def _articles(name: str, count: int) -> dict[str, Answer]:
    """``count`` article pages for a case (paths that look like articles)."""
    return {
        f"{ROOT}{name}-article-{i}-story/": (200, HTML, synthetic(title=f"{name} story {i}").encode())
        for i in range(count)
    }


def _section(path: str, links: list[str], next_path: str | None) -> Answer:
    items = "".join(f"<li><a href='{link}'>Story</a></li>" for link in links)
    nav = f"<a rel='next' href='{next_path}'>Next page</a>" if next_path else ""
    return (
        200,
        HTML,
        (
            f"<html><head><title>Section</title></head><body><h1>Section</h1><ul>{items}</ul>"
            f"{nav}</body></html>"
        ).encode(),
    )


@cache
def discovery_cases() -> tuple[DiscoveryCase, ...]:
    return tuple(_cases())


def _cases() -> Iterator[DiscoveryCase]:
    arts = _articles("cut", 6)
    entries = [_url(BASE + p) for p in arts]
    body = _urlset(entries)
    yield DiscoveryCase(
        "sitemap-cut-inside-its-sixth-entry",
        (200, XML, body[: body.index(b"-article-5")]),
        r"urlset {url}: [56] links",
        ("discovery/sitemap",),
        extra=arts,  # 6: the cut loc
        fetched_once=tuple(list(arts)[:5]),
        at_most={f"{ROOT}cut-article-5": 0},
    )
    laughs = (
        '<!DOCTYPE urlset [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
        + "]>"
    )
    arts = _articles("laughs", 2)
    yield DiscoveryCase(
        "sitemap-with-a-billion-laughs",
        (200, XML, _urlset([_url(BASE + p) for p in arts] + ["<url><loc>&lol9;</loc></url>"], head=laughs)),
        r"urlset {url}: 2 links",
        extra=arts,
        fetched_once=tuple(arts),
        never=("lollollol",),
    )
    xxe = '<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    arts = _articles("xxe", 1)
    yield DiscoveryCase(
        "sitemap-with-an-external-entity",
        (
            200,
            XML,
            _urlset(
                [_url(BASE + p) for p in arts] + [f"<url><loc>{BASE}{ROOT}xxe-&xxe;-leak-story/</loc></url>"],
                head=xxe,
            ),
        ),
        r"urlset {url}: [12] links",
        extra=arts,
        fetched_once=tuple(arts),
        never=("root:x:0", "/bin/bash", "/bin/sh"),
    )
    arts = _articles("schemes", 1)
    odd = [
        "javascript:alert('x')",
        "data:text/html,&lt;p&gt;injected-story-text&lt;/p&gt;",
        "file:///etc/passwd",
        "ftp://127.0.0.1/some-story-here/",
        "mailto:desk@example.org",
        "http://127.0.0.2:9/private-story-here/",
        "//127.0.0.2:9/scheme-relative-story/",
    ]
    yield DiscoveryCase(
        "news-sitemap-linking-other-schemes-and-hosts",
        (
            200,
            XML,
            _urlset(
                [_url(BASE + p) for p in arts]
                + [
                    f"<url><loc>{u}</loc><news:news><news:title>x</news:title></news:news></url>" for u in odd
                ],
                news=True,
            ),
        ),
        r"urlset {url}: 3 links",
        ("private_address/blocked",),
        extra=arts,
        fetched_once=tuple(arts),
        never=("request failed (NotSupported", "injected-story-text", "root:x:0", "mailto:desk"),
    )
    arts = _articles("dates", 4)
    dates = ["9999-12-31T23:59:59+00:00", "99999-01-01", "not a date at all", "2024-13-45T99:99:99Z"]
    yield DiscoveryCase(
        "sitemap-with-far-future-and-invalid-lastmods",
        (200, XML, _urlset([_url(BASE + p, d) for p, d in zip(arts, dates, strict=True)])),
        r"urlset {url}: 4 links",
        extra=arts,
        fetched_once=tuple(arts),
    )
    many = MAX_LINKS + 10_000
    yield DiscoveryCase(
        "sitemap-with-60000-links",
        (200, XML, _urlset([_url(f"{BASE}/tag/topic-{i}/") for i in range(many)])),
        rf"{{url}} lists {many} links, more than the {MAX_LINKS} a sitemap may hold",
        ("discovery/links_capped",),
        at_most={"/tag/": 0},
    )
    yield DiscoveryCase(
        "gzip-bomb-sitemap",
        (200, {"Content-Type": "application/x-gzip"}, _bomb(64)),
        r"cannot gunzip {url}",
        ("discovery/bad_gzip",),
    )
    yield DiscoveryCase(
        "corrupt-gzip-sitemap",
        (200, {"Content-Type": "application/x-gzip"}, b"\x1f\x8b\x08\x00" + random.Random(3).randbytes(3000)),
        r"cannot gunzip {url}",
        ("discovery/bad_gzip",),
    )
    nest = {
        f"{ROOT}nest-{i}.xml": (200, XML, _index([f"{BASE}{ROOT}nest-{i + 1}.xml"])) for i in range(1, 12)
    }
    # The hostile index is depth 1; nest-1 is listed by this case's index (depth 2) ...
    deepest = MAX_SITEMAP_DEPTH - 2
    yield DiscoveryCase(
        "sitemap-indexes-nested-without-end",
        (200, XML, _index([f"{BASE}{ROOT}nest-1.xml"])),
        r"sitemap index {url}: 1 sitemaps",
        ("discovery/sitemap_too_deep",),
        extra=nest,
        at_most={f"{ROOT}nest-{i}.xml": 0 for i in range(deepest + 2, 12)},
    )
    yield DiscoveryCase(
        "sitemap-index-listing-itself",
        (200, XML, _index([f"{BASE}{ROOT}sitemap-index-listing-itself.xml"])),
        r"sitemap index {url}: 1 sitemaps",
        at_most={f"{ROOT}sitemap-index-listing-itself.xml": 2},
    )
    unrecognised = r"not a sitemap, feed or HTML page, ignored: {url}"
    yield DiscoveryCase(
        "feed-that-is-an-html-error-page",
        (200, RSS, b"<html><body><h1>Error 500</h1></body></html>"),
        unrecognised,
        ("discovery/unrecognised",),
    )
    yield DiscoveryCase(
        "json-feed",
        (
            200,
            {"Content-Type": "application/feed+json"},
            b'{"version": "https://jsonfeed.org/version/1", "items": [{"url": "/x-y-z/"}]}',
        ),
        unrecognised,
        ("discovery/unrecognised",),
    )
    yield DiscoveryCase("empty-feed", (200, RSS, b""), unrecognised, ("discovery/unrecognised",))
    yield DiscoveryCase(
        "xml-of-an-unknown-kind",
        (200, XML, b'<?xml version="1.0"?><catalog><book>x</book></catalog>'),
        unrecognised,
        ("discovery/unrecognised",),
    )
    yield DiscoveryCase(
        "binary-served-as-a-sitemap",
        (200, XML, random.Random(4).randbytes(5000)),
        unrecognised,
        ("discovery/unrecognised",),
    )
    yield DiscoveryCase(
        "rss-without-items",
        (
            200,
            RSS,
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>Nothing</title></channel></rss>',
        ),
        r"feed {url}: 0 links",
        ("discovery/feed",),
    )
    arts = _articles("atom", 2)
    entries = "".join(
        f'<entry><title><![CDATA[Story & <b>more</b>]]></title><link href="{p}"/>'
        f"<updated>2024-05-0{i + 1}T10:00:00Z</updated></entry>"
        for i, p in enumerate(arts)
    )
    yield DiscoveryCase(
        "atom-feed-with-relative-links-and-cdata",
        (
            200,
            {"Content-Type": "application/atom+xml"},
            f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">{entries}</feed>'.encode(),
        ),
        r"feed {url}: 2 links",
        extra=arts,
        fetched_once=tuple(arts),
    )
    pages = {}
    for n in range(1, 30):
        link = f"{ROOT}endless-article-{n}-story/"
        pages[f"{ROOT}endless/?page={n}"] = _section(
            f"{ROOT}endless/?page={n}", [link], f"{ROOT}endless/?page={n + 1}"
        )
        pages[link] = (200, HTML, synthetic(title=f"Endless story {n}").encode())
    first = pages.pop(f"{ROOT}endless/?page=1")
    yield DiscoveryCase(
        "endless-pagination",
        first,
        r"section {url}: 1 article links",
        ("discovery/section_max_pages",),
        extra={**pages, f"{ROOT}endless-pagination.xml": first},
        at_most={f"{ROOT}endless/?page={n}": 0 for n in range(SECTION_MAX_PAGES + 1, 30)},
    )
    days = [f"{ROOT}calendar/2024/05/{d:02d}/" for d in range(1, 8)]
    calendar = {}
    for i, day in enumerate(days):
        neighbours = [f"{ROOT}calendar/2024/05/{d:02d}/" for d in range(i, i + 3) if d > 0]
        calendar[day] = _section(
            day, [*neighbours, f"{ROOT}calendar/2024/06/01/", f"{ROOT}calendar/2023/05/01/"], None
        )
    yield DiscoveryCase(
        "calendar-trap",
        _section("", days, None),
        r"section {url}: 7 article links",
        extra=calendar,
        at_most={f"{ROOT}calendar/2024/06/": 0, f"{ROOT}calendar/2023/": 0},
        fetched_once=tuple(days),
    )
    arts = _articles("dup", 1)
    yield DiscoveryCase(
        "sitemap-with-10000-copies-of-one-link",
        (200, XML, _urlset([_url(BASE + next(iter(arts)))] * 10_000)),
        r"urlset {url}: 10000 links",
        extra=arts,
        fetched_once=tuple(arts),
    )
    yield DiscoveryCase(
        "sitemap-with-a-100kb-url",
        (200, XML, _urlset([_url(f"{BASE}{ROOT}{'long-' * 20_000}story/")])),
        r"urlset {url}: 1 links",
        at_most={f"{ROOT}long-": 0},
    )
    yield DiscoveryCase(
        "sitemap-answering-404",
        (404, XML, b"<html>gone</html>"),
        r"request failed \(HTTP 404\): {url}",
        ("request/failed/HttpError",),
    )
    yield DiscoveryCase(
        "sitemap-served-as-text-html",
        (200, HTML, _urlset([_url(BASE + p) for p in _articles("ashtml", 1)])),
        r"urlset {url}: 1 links",
        extra=_articles("ashtml", 1),
        fetched_once=tuple(_articles("ashtml", 1)),
    )
