"""A body we doubt gets a second opinion; the evidence of the page decides which body stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.evaluation import load_cases, read_html, split_of
from crawler.extraction import confidence
from crawler.processing import process_page


@pytest.fixture(scope="module")
def wcxb(corpus_dir: Path) -> dict[str, dict]:
    cases = {c["id"]: c for c in load_cases(corpus_dir, manifests=("cases-wcxb-articles.jsonl",))}
    return {cid: c for cid, c in cases.items() if split_of(c["publisher"]) == "tuning"}


def _run(case: dict):
    return process_page(read_html(case["html"]), case["url"], validate_item=False)


@pytest.mark.parametrize(("case_id", "doubt", "first_words"), [
    # The winning block was the legal small print under a short guide.
    ("wcxb/psa-financial/0362", "furniture", "A good risk management safety program"),
    # The cleaners removed the article with its wrapper: nothing was left.
    ("wcxb/o-malley-tunstall-pc/0296", "too-short", "If someone is not careful at the gym"),
    # The cleaners kept a tenth of the prose the body finder had counted in its block.
    ("wcxb/the-motley-fool/4503", "lost-in-cleaning", "need to be a stock market expert"),
])
def test_doubted_body_is_replaced_by_the_second_opinion(wcxb: dict, case_id: str, doubt: str,
                                                        first_words: str) -> None:
    item = _run(wcxb[case_id])
    assert doubt in item.field_sources["body"]
    assert item.field_sources["body"].endswith("replaced by trafilatura")
    assert first_words in " ".join(item.body)
    assert item.page_root is None and item.body_evidence is None  # no tree carried on


def test_a_plain_article_is_trusted_and_not_second_guessed(wcxb: dict) -> None:
    item = _run(wcxb["wcxb/a-list-apart/0363"])
    assert item.field_sources["body"] == "html"
    assert item.body_confidence == 1.0


def test_legal_small_print_is_furniture_but_an_article_mentioning_email_is_not() -> None:
    small_print = [
        "This material is not intended to replace the advice of a qualified advisor. It is for "
        "informational purposes only.", "Copyright © 2023 Example Advisors, Inc. All Rights Reserved."]
    assert confidence.furniture_share(small_print) == 1.0
    story = ["The band announced the tour by email on Monday, and tickets sold out within an hour "
             "at every one of the twelve venues on the list, the promoter said."] * 3
    assert confidence.doubts(story, confidence.BodyEvidence()) == []


def test_second_opinion_must_hold_our_text_when_ours_was_only_thinned() -> None:
    """A longer second opinion about something else does not replace a thinned body."""
    ours = ["The director confirmed on Tuesday that the sequel starts shooting in London next "
            "spring, with the three leads of the first film back in their roles."]
    other = [f"Unrelated paragraph {i} about garden sprays, soil tests and cover crops for the "
             f"coming season, with a list of seeds to order early." for i in range(12)]
    evidence = confidence.BodyEvidence(block_chars=2000)
    assert "lost-in-cleaning" in confidence.doubts(ours, evidence)
    assert confidence.choose(ours, other, evidence)[0] == "ours"
    assert confidence.choose(ours, ours + other, evidence)[0] == "theirs"
