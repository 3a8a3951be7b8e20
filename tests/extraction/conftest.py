"""Corpus pages run through extraction and cleaning once per test session."""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from crawler.cleaning import body_text, strip_junk
from crawler.extraction import extract
from crawler.items import ArticleItem

MANIFESTS = ("cases.jsonl", "cases-entertainment.jsonl", "cases-wcxb.jsonl", "cases-goose3.jsonl")


def read_page(corpus_dir: Path, case: dict[str, Any]) -> bytes:
    """The raw bytes of a corpus page."""
    with gzip.open(corpus_dir / case["html"], "rb") as f:
        return f.read()


def run_page(html: bytes | str, url: str) -> ArticleItem:
    """extract → strip_junk → body_text, as the pipelines do (no site rules)."""
    item = extract(html, url)
    strip_junk(item, None)
    body_text(item, None)
    return item


@pytest.fixture(scope="session")
def cases(corpus_dir: Path) -> dict[str, dict[str, Any]]:
    """Every corpus case by id."""
    out: dict[str, dict[str, Any]] = {}
    for name in MANIFESTS:
        with open(corpus_dir / name, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    case = json.loads(line)
                    out[case["id"]] = case
    return out


@pytest.fixture(scope="session")
def corpus_items(corpus_dir: Path, cases: dict[str, dict[str, Any]]) -> dict[str, ArticleItem]:
    """Our cleaned item for every corpus page."""
    return {cid: run_page(read_page(corpus_dir, c), c.get("url") or "https://example.invalid/")
            for cid, c in cases.items()}


@pytest.fixture(scope="session")
def scorer(corpus_dir: Path) -> ModuleType:
    """The corpus's own ``score.py`` (read-only; imported from its file)."""
    spec = importlib.util.spec_from_file_location("corpus_score", corpus_dir / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
