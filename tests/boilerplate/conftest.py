"""Real pages with a repeated paragraph added, as a site's template would add it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from crawler.items import ArticleItem
from crawler.mirror import MirrorPage
from crawler.processing import process_page
from tests.conftest import FIXTURES
from tests.crawl.conftest import mirror_pages

#: Real-world-style template paragraphs: one short prompt, one long repeated blurb.
PROMPT = ("Want more stories like this? Follow Rolling Stone on Google News and add us as a "
          "preferred source.")
LONG = (
    "Rolling Stone's coverage of film and television is written by a staff of critics and "
    "reporters who watch every series and film they write about in full, and our reviews are "
    "never paid for or approved by the studios, networks or streamers involved. When we link to "
    "a service where you can watch a title, we choose it for our readers and not for any partner, "
    "and we update these pages when a title moves to another service or leaves streaming for good."
)
#: Text in the second paragraph of each recorded Rolling Stone page (its last copy is the body's).
ANCHORS = {
    "culture-council-american-crime-film-2024-08-26": b"There is ethical right and wrong",
    "donna-kelce-taylor-swift-2024-04-25": b"I was just very impressed",
    "shogun-finale-review-2024-04-24": b"Many years ago, when I first finished reading",
}


def inject(html: bytes, anchor: bytes, *paragraphs: str) -> bytes:
    """``html`` with ``paragraphs`` as ``<p>`` elements after the body paragraph holding ``anchor``."""
    at = html.rindex(anchor)
    end = html.index(b"</p>", at) + len(b"</p>")
    added = "".join(f"\n<p>{p}</p>" for p in paragraphs).encode()
    return html[:end] + added + html[end:]


def rollingstone_pages() -> list[tuple[str, str, bytes]]:
    """(name, url, html) of the recorded Rolling Stone pages."""
    pages = []
    for name in ANCHORS:
        meta = json.loads((FIXTURES / "sites" / "rollingstone" / f"{name}.json").read_text("utf-8"))
        html = gzip.decompress((FIXTURES / "sites" / "rollingstone" / f"{name}.html.gz").read_bytes())
        pages.append((name, meta["url"], html))
    return pages


def rollingstone_mirror_pages(*paragraphs: str) -> list[MirrorPage]:
    """The mirror's Rolling Stone pages, each with ``paragraphs`` added after its second one."""
    pages = []
    for page in mirror_pages():
        name = next((n for n in ANCHORS if ANCHORS[n] in page.html
                     and b"rollingstone.com" in page.html), None)
        if name is not None:
            page.html = inject(page.html, ANCHORS[name], *paragraphs)
            pages.append(page)
    assert len(pages) == len(ANCHORS), [p.path for p in pages]
    return pages


def corpus_items(corpus_dir: Path, publisher: str, site: str) -> list[ArticleItem]:
    """The corpus pages of ``publisher`` through the crawl's code path, filed under ``site``."""
    items = []
    for line in (corpus_dir / "cases.jsonl").open(encoding="utf-8"):
        case = json.loads(line)
        if case["publisher"] == publisher:
            html = gzip.decompress((corpus_dir / case["html"]).read_bytes())
            item = process_page(html, case["url"])
            item.site = site
            items.append(item)
    return items
