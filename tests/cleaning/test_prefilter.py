"""The text-rule prefilter: the literals a regex's every match needs, and never a missed match."""

from __future__ import annotations

import re

import pytest

from crawler.cleaning import rules
from crawler.cleaning.prefilter import folds_plainly, may_match, prefilter, required_factors


def test_required_literals_of_a_scanning_pattern() -> None:
    # both words are needed; the longer one is the filter
    assert required_factors(re.compile(r"^.*\bunlock\s+(?:all\s+)?content", re.I)) == {
        ("content", True)}
    found = required_factors(re.compile(r"^(?=.*\b(?:newsletters?|inbox)\b).*$", re.I))
    assert found == {("newsletter", True), ("inbox", True)}
    # a scoped flag and an optional part: the literals on either side, matched as written
    found = required_factors(re.compile(r"^.*\b(?i:e-?mail)\s+US\b"))
    assert found == {("mail", True)}
    assert required_factors(re.compile(r"^.*\bUS\b")) == {("US", False)}


def test_anchored_patterns_get_no_filter() -> None:
    assert prefilter(re.compile(r"^\s*(?:click|tap)\s+here\b.*$", re.I)) is None
    assert prefilter(re.compile(r"^.*\bunlock\b.*$", re.I)) is not None


@pytest.mark.parametrize("text", [
    "Unlock members-only content today",
    "UNLOCK MEMBERS-ONLY CONTENT",
    "ſunlock",  # no match, but a letter the regex folds unlike str.lower: the regex decides
    "Please unlock premium articles",
])
def test_a_filter_never_hides_a_match(text: str) -> None:
    pattern = re.compile(r"^.*\bunlock\s+(?:all\s+)?(?:members?-only|premium)\s+\w+.*$", re.I)
    lowered = text.lower() if folds_plainly(text) else ""
    if pattern.match(text):
        assert may_match(prefilter(pattern), text, lowered)
    assert not folds_plainly("ſ") and not folds_plainly("İ") and folds_plainly("Straße")


def test_every_text_rule_keeps_its_matches() -> None:
    """Lines that each filtered rule matches pass its filter (one made-up line per literal set)."""
    samples = [
        "Sign up for our newsletter today", "Unlock members-only content with a subscription",
        "Questions? Email us at tips@example.com", "We may earn a commission from links",
        "Delivery charges may apply", "Jane Doe / Contributor via Getty Images",
        "Please consider supporting us by donating", "Read our privacy policy for special offers",
        "Access content with your free account free of charge",
        "Support quality journalism: subscribe for just $1 a month",
    ]
    for _name, pattern, _limit in rules.TEXT_RULES:
        flt = prefilter(pattern)
        for text in samples:
            if pattern.match(text):
                assert may_match(flt, text, text.lower()), (pattern.pattern[:60], text)
