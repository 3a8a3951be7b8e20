"""The labelled pages we judge extraction by, and the fixed tuning/unseen split of publishers."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

#: Every development manifest of ``../shared/corpus``, read by default.
MANIFESTS = (
    "cases.jsonl", "cases-entertainment.jsonl", "cases-wcxb.jsonl", "cases-goose3.jsonl",
    "cases-sites.jsonl", "cases-wcxb-articles.jsonl",
)

#: One publisher in this many is *unseen*: scored, but never listed in a diagnostic, so that its
#: column predicts how extraction does on publishers nobody wrote a rule against.
UNSEEN_ONE_IN = 5
SPLITS = ("tuning", "unseen")


def publisher_key(name: str | None) -> str:
    """A publisher's name reduced to lower-case letters and digits ("Rolling Stone" and
    "rollingstone" are one publisher)."""
    return re.sub(r"[^a-z0-9]", "", (name or "").lower()) or "?"


def split_of(publisher: str | None) -> str:
    """``"unseen"`` for a fixed ~20% of publishers, ``"tuning"`` for the rest.

    The rule: the first 32 bits of SHA-256 of :func:`publisher_key`, modulo
    :data:`UNSEEN_ONE_IN`, equal to 0. It depends on the name alone, so it never moves when
    pages are added, and no one chooses which publishers it hides. (The 235 pages of the first
    four manifests were read by earlier sessions before the split existed; on those, "unseen"
    is less strict than on ``cases-wcxb-articles.jsonl``.)
    """
    digest = hashlib.sha256(publisher_key(publisher).encode("utf-8")).hexdigest()
    return "unseen" if int(digest[:8], 16) % UNSEEN_ONE_IN == 0 else "tuning"


def load_cases(corpus: Path, fixtures: Path | None = None, manifests: Iterable[str] = MANIFESTS,
               only_entertainment: bool = False) -> list[dict[str, Any]]:
    """The cases of ``manifests`` (html paths made absolute, ``split`` set), plus our own
    recorded site pages from ``fixtures`` that no manifest already holds."""
    cases: list[dict[str, Any]] = []
    for name in manifests:
        path = corpus / name
        if not path.is_file():
            raise FileNotFoundError(f"no manifest {name} in {corpus}")
        for line in path.open(encoding="utf-8"):
            if line.strip():
                case = json.loads(line)
                case["html"] = str(corpus / case["html"])
                case["manifest"] = name
                cases.append(case)
    if fixtures is not None and fixtures.is_dir():
        known = {_url_key(c.get("url")) for c in cases}
        cases.extend(c for c in fixture_cases(fixtures) if _url_key(c["url"]) not in known)
    for case in cases:
        case["split"] = split_of(case.get("publisher"))
    if only_entertainment:
        cases = [c for c in cases if c.get("entertainment")]
    return cases


def _url_key(url: str | None) -> str:
    """A URL without scheme, ``www.``, query, fragment and trailing slash (to spot one page twice)."""
    if not url:
        return ""
    url = re.sub(r"^[a-z]+://(www\.)?", "", url.lower())
    return re.split(r"[?#]", url)[0].rstrip("/")


def fixture_cases(fixtures: Path) -> list[dict[str, Any]]:
    """Our recorded site pages (``tests/fixtures/sites/<slug>/<name>.json``) as snippet cases."""
    cases = []
    for meta_path in sorted(fixtures.glob("*/*.json")):
        html = meta_path.with_suffix(".html.gz")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        expected = meta.get("expected") or {}
        if not html.is_file() or not expected:
            continue
        cases.append({
            "id": f"fixtures/{meta_path.parent.name}/{meta_path.stem}",
            "html": str(html), "url": meta.get("url"), "publisher": meta_path.parent.name,
            "manifest": "fixtures",
            "title": expected.get("title"), "authors": expected.get("authors"),
            "published": expected.get("published"), "body": None,
            "must_include": expected.get("must_include", []),
            "must_exclude": expected.get("must_exclude", []),
            "entertainment": True, "entertainment_article": True,
        })
    return cases


def read_html(path: str | Path) -> bytes:
    """A page's bytes, gunzipped when gzip-compressed."""
    data = Path(path).read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
