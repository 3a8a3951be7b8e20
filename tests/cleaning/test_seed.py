"""The Collider seed page: the text rules alone must give exactly the expected body."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from crawler.cleaning import clean_paragraphs

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("CORPUS_DIR") or REPO_ROOT.parent / "shared" / "corpus")
SEED = CORPUS / "seed" / "collider-mission-impossible-7"


@pytest.fixture(scope="module")
def seed() -> tuple[list[str], dict]:
    txt = SEED.with_suffix(".txt")
    if not txt.exists():
        pytest.skip(f"corpus seed not found at {txt}")
    paragraphs = [p for p in txt.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    # The first line carries a leaked "date 2021-02-25 " prefix that is not body text.
    paragraphs[0] = re.sub(r"^\s*date \d{4}-\d{2}-\d{2}\s+", "", paragraphs[0])
    expected = json.loads(SEED.with_suffix(".expected.json").read_text(encoding="utf-8"))
    return paragraphs, expected


def test_seed_body_is_exact(seed: tuple[list[str], dict]) -> None:
    paragraphs, expected = seed
    kept, _removed = clean_paragraphs(paragraphs)
    assert kept == expected["body"]


def test_seed_junk_is_removed_and_recorded(seed: tuple[list[str], dict]) -> None:
    paragraphs, expected = seed
    _kept, removed = clean_paragraphs(paragraphs)
    removed_texts = [text for _rule, text in removed]
    for junk in expected["junk"]:
        assert junk in removed_texts
    assert len(expected["junk"]) == 5
    rules = dict((text, rule) for rule, text in removed)
    assert rules["Share Share Tweet Email"] == "share-row"
    assert rules[expected["junk"][-1]] == "next-article-teaser"
