"""The identity rules of DESIGN.md ("Identity and dedup") as small pure functions.

An article is identified by its canonical URL plus its publication date (calendar date, UTC).
:func:`find_same_article` decides which stored article, if any, a fetched page is.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from collections.abc import Sequence
from typing import Protocol, TypeVar

from storage.columns import as_utc

#: Word-shingle Jaccard similarity from which two texts count as the same article's text.
NEAR_IDENTICAL = 0.9
#: Words per shingle.
SHINGLE_SIZE = 3
PARAGRAPH_SEPARATOR = "\n\n"

_WORD = re.compile(r"\w+")


class StoredArticle(Protocol):
    """What the rules need to know about a stored article (``storage.models.Article`` has it)."""

    canonical_url: str
    published_date: dt.date
    date_is_fallback: bool
    body: str


A = TypeVar("A", bound=StoredArticle)


def body_sha256(body: str) -> str:
    """The SHA-256 of the cleaned body text (UTF-8), hex."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def identity_date(published_at: dt.datetime | None) -> dt.date | None:
    """The UTC calendar date of ``published_at`` (``None`` when the page gave no date)."""
    return as_utc(published_at).date() if published_at is not None else None


def shingles(text: str, size: int = SHINGLE_SIZE) -> set[tuple[str, ...]]:
    """The set of ``size``-word sequences of ``text`` (lower-cased words; short texts: one)."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {tuple(words)}
    return {tuple(words[i:i + size]) for i in range(len(words) - size + 1)}


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the word shingles of ``a`` and ``b`` (1.0: same words in order).

    Written here rather than taken from a library: comparing one page with the few stored
    articles of its URL needs exact set arithmetic on two texts, not MinHash/LSH indexes
    (datasketch) built for millions; and ``difflib`` ratios are quadratic on 100 KB bodies.
    """
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb) if sa or sb else 1.0


def find_same_article(
    candidates: Sequence[A], *, canonical_url: str, published_date: dt.date | None, body: str
) -> A | None:
    """The stored article a fetched page is, among ``candidates`` (its URL's articles), or None.

    - same publication date → that article (unchanged or a new version, by text);
    - no date on the page → the article of that URL whose date is a first-seen fallback;
    - otherwise (date moved, or none given) → the article whose text is near-identical
      (:data:`NEAR_IDENTICAL`); a different day with different text is a new article.
    The article under the page's own canonical URL wins ties, then the most recent.
    """
    ordered = sorted(candidates, key=lambda c: (c.canonical_url != canonical_url,
                                                -c.published_date.toordinal()))
    if published_date is not None:
        same_day = [c for c in ordered if c.published_date == published_date]
        if same_day:
            return same_day[0]
    else:
        fallback = [c for c in ordered if c.date_is_fallback]
        if fallback:
            return fallback[0]
    best, best_score = None, 0.0
    for candidate in ordered:
        score = similarity(candidate.body, body)
        if score > best_score:
            best, best_score = candidate, score
    return best if best_score >= NEAR_IDENTICAL else None


def diff_summary(old_body: str, new_body: str) -> str:
    """``"+N/-M paragraphs"``: paragraphs added and removed from ``old_body`` to ``new_body``."""
    old = old_body.split(PARAGRAPH_SEPARATOR)
    new = new_body.split(PARAGRAPH_SEPARATOR)
    added = removed = 0
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed += i2 - i1
            added += j2 - j1
    return f"+{added}/-{removed} paragraphs"
