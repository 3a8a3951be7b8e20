"""The identity rules on their own (no database)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from storage.dedup import diff_summary, find_same_article, identity_date, similarity
from tests.storage.factory import paragraphs

URL = "https://example.com/a/"


@dataclass
class Stored:
    canonical_url: str
    published_date: dt.date
    date_is_fallback: bool
    body: str


def test_similarity() -> None:
    text = paragraphs("x", 10)
    assert similarity(text, text) == 1.0
    assert similarity(text, text + " One more sentence.") >= 0.9
    assert similarity(text, paragraphs("something else entirely", 10)) < 0.9
    assert similarity("", "") == 1.0


def test_identity_date_is_the_utc_day() -> None:
    late = dt.datetime(2025, 3, 1, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert identity_date(late) == dt.date(2025, 3, 2)
    assert identity_date(None) is None


def test_find_same_article_rules() -> None:
    body = paragraphs("x")
    old = Stored(URL, dt.date(2024, 3, 1), False, paragraphs("last year"))
    new = Stored(URL, dt.date(2025, 3, 1), False, body)
    find = lambda day, text: find_same_article(  # noqa: E731
        [old, new], canonical_url=URL, published_date=day, body=text)
    assert find(dt.date(2025, 3, 1), "anything") is new        # same day
    assert find(dt.date(2025, 3, 2), body + " fix") is new     # date moved, same text
    assert find(dt.date(2026, 3, 1), paragraphs("new")) is None  # other day, other text
    assert find(None, body) is new                             # no date, same text
    fallback = Stored(URL, dt.date(2025, 5, 5), True, paragraphs("undated"))
    assert find_same_article([old, fallback], canonical_url=URL, published_date=None,
                             body="different") is fallback


def test_diff_summary() -> None:
    assert diff_summary("a\n\nb\n\nc", "a\n\nB\n\nc\n\nd") == "+2/-1 paragraphs"
    assert diff_summary("a", "a") == "+0/-0 paragraphs"
