"""Recorded pages of the sites (tests/fixtures/sites/<slug>/<name>.html.gz + <name>.json).

Each sidecar JSON gives the page's URL, its provenance (source repository, commit, path, licence)
and the expected cleaned output: title, authors, published (ISO 8601 as the page states it),
``must_include`` sentences of the body (start, middle, end) and ``must_exclude`` junk strings that
are visible on the page (share rows, recirculation boxes, credits, newsletter prompts, bios).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import lxml.html
import pytest

from crawler.processing import process_page
from crawler.sites import get_site

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sites"
CASES = sorted(FIXTURES.glob("*/*.json"))
LICENSES = {"MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "CC-BY-4.0", "CC0-1.0"}


def _norm(text: str) -> str:
    return " ".join(text.split())


def _load(path: Path) -> tuple[dict, bytes]:
    meta = json.loads(path.read_text(encoding="utf-8"))
    html = gzip.decompress(path.with_name(path.name.removesuffix(".json") + ".html.gz").read_bytes())
    return meta, html


def _page_text(html: bytes) -> str:
    root = lxml.html.fromstring(html)
    for el in root.xpath("//script|//style|//noscript|//template"):
        el.drop_tree()
    return _norm(root.text_content())


def _ids(paths: list[Path]) -> list[str]:
    return [f"{p.parent.name}/{p.stem}" for p in paths]


def test_there_are_fixtures() -> None:
    assert CASES, f"no fixture JSON under {FIXTURES}"


@pytest.mark.parametrize("path", CASES, ids=_ids(CASES))
def test_fixture_is_well_formed(path: Path) -> None:
    """Provenance and expectations are complete and consistent with the recorded HTML."""
    meta, html = _load(path)
    for key in ("url", "source", "commit", "path", "license", "expected"):
        assert meta.get(key), f"{key} missing"
    assert meta["license"] in LICENSES
    assert len(meta["commit"]) == 40
    site = get_site(path.parent.name)
    assert site.owns(meta["url"]) and site.is_article_url(meta["url"])
    exp = meta["expected"]
    assert exp["title"] and exp["authors"]
    dt.datetime.fromisoformat(exp["published"])
    assert 3 <= len(exp["must_include"]) <= 6
    assert exp["must_exclude"]
    text = _page_text(html)
    for sentence in exp["must_include"]:
        assert _norm(sentence) in text, f"not on the page: {sentence!r}"
    for junk in exp["must_exclude"]:
        assert _norm(junk) in text, f"junk string not visible on the page: {junk!r}"


def _same_published(got: dt.datetime | None, expected: str) -> bool:
    if got is None:
        return False
    want = dt.datetime.fromisoformat(expected)
    if len(expected) == 10:  # a bare date: compare the calendar day
        return got.date() == want.date()
    if want.tzinfo is None or got.tzinfo is None:
        return got.replace(tzinfo=None) == want.replace(tzinfo=None)
    return got == want  # aware datetimes compare as instants


@pytest.mark.parametrize("path", CASES, ids=_ids(CASES))
def test_fixture_extracts_as_expected(path: Path) -> None:
    meta, html = _load(path)
    site = get_site(path.parent.name)
    item = process_page(html, meta["url"], site)
    exp = meta["expected"]

    assert _norm(item.title or "") == _norm(exp["title"])
    # Names compare without case: a byline may print them in capitals ("By DAVID LIEBERMAN").
    assert sorted(_norm(a).casefold() for a in item.authors) == sorted(
        _norm(a).casefold() for a in exp["authors"]
    )
    assert _same_published(item.published, exp["published"]), (item.published, exp["published"])

    body = _norm(" ".join(item.body))
    missing = [s for s in exp["must_include"] if _norm(s) not in body]
    assert not missing, f"body lacks {missing}"
    leaked = [s for s in exp["must_exclude"] if _norm(s) in body]
    assert not leaked, f"junk left in the body: {leaked}"
