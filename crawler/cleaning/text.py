"""Text rules on paragraphs: related links, share rows, credits, newsletter boxes, tail teasers."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from crawler.cleaning import rules

if TYPE_CHECKING:
    from crawler.sites.base import Site

_SENTENCES = re.compile(r"[.!?…]['\"”’)\]]*\s+\S")
_CREDIT_RULES = frozenset({"photo-credit"})


def _words(text: str) -> int:
    return len(text.split())


def paragraph_rule(text: str, site: type[Site] | None = None) -> str | None:
    """The name of the first text rule a paragraph matches (``None``: keep it)."""
    for name, pattern in rules.site_rules(site).patterns:
        if pattern.fullmatch(text):
            return name
    if rules.is_share_row(text):
        return "share-row"
    n = _words(text)
    for name, pattern, max_words in rules.TEXT_RULES:
        if n > max_words or not pattern.match(text):
            continue
        if name in _CREDIT_RULES and (_SENTENCES.search(text) or text.rstrip().endswith(("?", "!"))):
            continue  # a credit is one short line, never several sentences
        return name
    return None


_SMALL_WORDS = frozenset({"a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or",
                          "the", "to", "vs", "with", "from", "into", "is", "are", "be"})
_WORD_RE = re.compile(r"[^\W\d_][\w'’.-]*")


def looks_like_headline(text: str) -> bool:
    """True when a paragraph opens like a headline: a run of at least five Title-Case words and
    half of its first words capitalised ("Alexandre Aja's New Netflix Thriller 'Oxygen' ...")."""
    words = _WORD_RE.findall(text)[:14]
    run = 0
    for w in words:
        if w[0].isupper():
            run += 1
        elif w.lower() not in _SMALL_WORDS:
            break
    content = [w for w in words if w.lower() not in _SMALL_WORDS][:10]
    if run < 5 or not content:
        return False
    return sum(1 for w in content if w[0].isupper()) >= 0.5 * len(content)


def _tail_teaser(kept: list[str], marks: list[int]) -> int | None:
    """Index in ``kept`` where a next-article teaser starts, or ``None``.

    A share row is page furniture that sits after the last sentence of the article. What follows
    the last share row is a teaser for the next item on the page when it is short (at most
    ``TEASER_MAX_PARAGRAPHS`` paragraphs, ``TEASER_MAX_WORDS`` words) and each of its paragraphs
    opens like a headline (Title Case) or does not end as a sentence. A plain sentence after
    the share row keeps everything: real text is never dropped on position alone.
    """
    if not marks:
        return None
    start = marks[-1]
    tail = kept[start:]
    if not tail or len(tail) > rules.TEASER_MAX_PARAGRAPHS:
        return None
    if sum(_words(p) for p in tail) > rules.TEASER_MAX_WORDS:
        return None
    if all(looks_like_headline(p) or not rules.SENTENCE_END.search(p) for p in tail):
        return start
    return None


def clean_paragraphs(paragraphs: list[str], site: type[Site] | None = None
                     ) -> tuple[list[str], list[tuple[str, str]]]:
    """Apply the text rules (generic + ``site.junk_patterns``) to paragraphs.

    Returns ``(kept, removed)``; ``removed`` holds ``(rule_name, paragraph)`` pairs in order.
    """
    kept: list[str] = []
    removed: list[tuple[str, str]] = []
    share_marks: list[int] = []  # positions in `kept` right after a removed share row
    for raw in paragraphs:
        text = " ".join(raw.split())
        if not text:
            continue
        rule = paragraph_rule(text, site)
        if rule is None:
            kept.append(text)
            continue
        removed.append((rule, text))
        if rule == "share-row":
            share_marks.append(len(kept))
    start = _tail_teaser(kept, share_marks)
    if start is not None:
        removed.extend(("next-article-teaser", p) for p in kept[start:])
        kept = kept[:start]
    return kept, removed
