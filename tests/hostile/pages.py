"""The pages hostile cases are made of: real recorded articles (the demo pages and the site
fixtures), each re-homed on the mirror, and a synthetic article for what needs exact control
(dates, charsets a real page cannot show)."""

from __future__ import annotations

import gzip
import html
import json
import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from crawler.demo import DEMO_PAGES
from crawler.exceptions import ArticleDropped
from crawler.items import ArticleItem
from crawler.processing import process_page
from tests.conftest import FIXTURES

#: Host the reference extraction runs under (only its path matters: canonical links are relative).
REFERENCE_HOST = "http://127.0.0.1:9"

_CANONICAL = re.compile(rb"""<link[^>]*rel=["']?canonical["']?[^>]*>""", re.I)
_HREF = re.compile(rb"""href=["']?([^"' >]+)""", re.I)


@dataclass(frozen=True)
class RealPage:
    """A recorded article: its bytes and where it came from."""

    name: str
    html: bytes
    url: str

    def rehomed(self, path: str) -> bytes:
        """The page with every mention of its own URL (canonical link, og:url, JSON-LD ids)
        turned into ``path``, so that each case is an article of its own on the mirror."""
        data = self.html
        own = {self.url.encode()}
        for link in _CANONICAL.findall(data):
            if m := _HREF.search(link):
                own.add(m.group(1))
        for url in sorted(own, key=len, reverse=True):
            for form in (
                url,
                url.replace(b"/", b"\\/"),
                url.rstrip(b"/"),
                url.rstrip(b"/").replace(b"/", b"\\/"),
            ):
                data = data.replace(form, path.encode())
        return data


@cache
def real_pages() -> tuple[RealPage, ...]:
    """The demo pages and the recorded site fixtures (real articles, UTF-8)."""
    pages = []
    for line in DEMO_PAGES.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        pages.append(
            RealPage(
                row["html"].split(".")[0],
                gzip.decompress((DEMO_PAGES.parent / row["html"]).read_bytes()),
                row["url"],
            )
        )
    seen = {p.url for p in pages}
    for meta_path in sorted((FIXTURES / "sites").glob("*/*.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta["url"] not in seen:
            pages.append(
                RealPage(
                    meta_path.parent.name + "-" + meta_path.stem[:20],
                    gzip.decompress(meta_path.with_suffix(".html.gz").read_bytes()),
                    meta["url"],
                )
            )
    return tuple(pages)


@dataclass(frozen=True)
class Reference:
    """What the crawl makes of a real page, re-homed but not broken: the oracle its broken
    copies are measured against (a broken copy must not give more, or other, text)."""

    page: RealPage
    title: str
    body: tuple[str, ...]
    published: str | None
    #: The page's visible text without spaces: every paragraph stored from a copy of it must
    #: come from here (see :func:`from_page`).
    text: str

    def from_page(self, paragraph: str) -> bool:
        """Whether ``paragraph`` (its first 60 characters) is text of the page."""
        return squash(paragraph)[:60] in self.text


@cache
def reference(name: str) -> Reference:
    page = next(p for p in real_pages() if p.name == name)
    path = f"/hostile/reference-{slug(name)}/"
    item = process_page(page.rehomed(path), REFERENCE_HOST + path)
    assert urlsplit(item.canonical_url or "").path == path, (name, item.canonical_url)
    assert item.title and item.body, name
    return Reference(page, item.title, tuple(item.body), item.published_iso(), visible_text(page.html))


def slug(text: str) -> str:
    """``text`` as a URL path segment (lower case, dashes)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def references(count: int | None = None, non_ascii: bool = False) -> list[Reference]:
    """References of the real pages (the first ``count``); ``non_ascii``: only pages whose body
    has characters outside ASCII (curly quotes, accents) for the charset cases."""
    found = [reference(p.name) for p in real_pages()]
    if non_ascii:
        found = [r for r in found if any(not p.isascii() for p in r.body)]
    return found[:count]


_TAGS = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.S | re.I)


def visible_text(data: bytes) -> str:
    """Roughly the text a reader sees on the page, without spaces: tags dropped, entities
    decoded (for checking that stored text comes from the page)."""
    return squash(html.unescape(_TAGS.sub(" ", data.decode("utf-8", "replace"))))


def squash(text: str) -> str:
    """``text`` without any spacing."""
    return "".join(text.split())


def extract_or_drop(data: bytes, url: str) -> ArticleItem | str:
    """The article offline, or the reason it is dropped."""
    try:
        return process_page(data, url)
    except ArticleDropped as exc:
        return exc.reason


# --- a synthetic article -----------------------------------------------------------------------

TITLE = "Studio Confirms Sequel After Record Opening Weekend"
PARAGRAPHS = (
    "The studio confirmed on Monday that a sequel is in development after the film took in far "
    "more than expected over its opening weekend, beating every forecast made by analysts in the "
    "weeks before its release.",
    "Executives said the director and most of the cast had agreed to return, although no release "
    "date has been set and the script is still being written by the same team that adapted the "
    "original novel for the screen.",
    "Cinema chains reported sold-out evening shows in most large cities, and several added late "
    "screenings on Saturday to meet demand from audiences who had been turned away earlier in the "
    "day.",
    "Critics were divided on the film itself, praising its performances and its score while "
    "finding fault with a long middle section that some reviewers felt could have been cut by "
    "twenty minutes or more.",
    "The studio plans a wider international release next month, starting with markets in Europe "
    "and Asia, where the original book has sold millions of copies since it first appeared a "
    "decade ago.",
)


def synthetic(
    head: str = "",
    before: str = "",
    after: str = "",
    title: str = TITLE,
    paragraphs: tuple[str, ...] = PARAGRAPHS,
    charset: str | None = "utf-8",
) -> str:
    """An article page with ``head`` added to its head and ``before`` / ``after`` around its
    paragraphs (no date anywhere unless given)."""
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html lang='en'><head>{meta}<title>{html.escape(title)}</title>{head}"
        f"</head><body><header><nav><a href='/'>Home</a> <a href='/movies/'>Movies</a></nav>"
        f"</header><main><article><h1>{html.escape(title)}</h1>{before}{body}{after}</article>"
        f"</main><footer><p>Copyright The Example Times</p></footer></body></html>"
    )


def jsonld(obj: object) -> str:
    """A JSON-LD script for the head."""
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'
