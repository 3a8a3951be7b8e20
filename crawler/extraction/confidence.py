"""How much to trust a cleaned body, from evidence the page itself gives, and which of two
bodies to keep when we doubt ours.

Our body finder and cleaners beat generic extractors on most pages but can fail badly on a
layout nobody looked at: the wrong block wins (a legal footer, a contact box), or the cleaners
remove the article with its wrapper. Each doubt below is a reason that holds on any page; when
one is raised, a second opinion (trafilatura, run only then, so speed holds) is cleaned by the
same rules and :func:`choose` keeps the body the evidence supports.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

_WORDS = re.compile(r"\w+")
#: Fewer words than this is no article body.
MIN_WORDS = 25
#: The cleaned body keeps less than this share of the text the body finder saw as article
#: prose in its block: the cleaners took the article away with its wrapper.
MIN_KEPT_SHARE = 0.25
#: A body of which this share of the words sits in paragraphs of site furniture (legal small
#: print, contact details, account and cookie notices) is a footer, not an article.
MAX_FURNITURE_SHARE = 0.5
#: The page's JSON-LD ``articleBody`` (when it has this many words) should be mostly in ours.
MIN_REFERENCE_WORDS = 60
MIN_REFERENCE_AGREEMENT = 0.3
#: Furniture vocabulary: legal notices, contact blocks, account and cookie prompts.
_FURNITURE = re.compile(
    r"\b(?:copyright|©|all rights reserved|privacy (?:policy|notice)|terms (?:of|and) "
    r"(?:use|service|conditions)|cookies?\b|disclaimer|not intended (?:to|as)|"
    r"for (?:general )?informational purposes|consult (?:a|your) (?:qualified )?(?:advisor|"
    r"professional|attorney)|(?:held|be) liable|liability|phone|tel\.?|fax|e-?mail us|call us|"
    r"contact us|customer service|"
    r"opening hours|office hours|sign (?:in|up)|log ?in|subscribe)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class BodyEvidence:
    """What the page says about its article, gathered at extraction time."""

    #: Characters of article prose the body finder counted in the block it chose (0: unknown).
    block_chars: int = 0
    #: The JSON-LD ``articleBody`` text, where the page has one.
    reference: str | None = None
    #: The body finder's block in the page's tree (read only when a doubt is raised).
    block: Any = field(default=None, compare=False, repr=False)


def words(paragraphs: list[str]) -> list[str]:
    """The lower-case word tokens of a body."""
    return _WORDS.findall("\n".join(paragraphs).lower())


def _grams(tokens: list[str], n: int = 3) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def containment(part: list[str], whole: list[str]) -> float:
    """Share of ``part``'s word 3-grams that are also in ``whole`` (1.0 for an empty part)."""
    a, b = _grams(part), _grams(whole)
    total = sum(a.values())
    return sum((a & b).values()) / total if total else 1.0


def is_furniture(paragraph: str) -> bool:
    """A paragraph of site furniture: a short one naming it, or one of up to 150 words naming
    it twice (legal small print runs long)."""
    n = len(paragraph.split())
    return n <= 150 and len(_FURNITURE.findall(paragraph, 0, 2000)) >= (1 if n <= 40 else 2)


def furniture_share(paragraphs: list[str]) -> float:
    """Share of the words that stand in paragraphs of site furniture."""
    total = furn = 0
    for p in paragraphs:
        n = len(p.split())
        total += n
        if is_furniture(p):
            furn += n
    return furn / total if total else 0.0


_LABEL_END = re.compile(r"[.!?:;,…\"”’)]$")


def furniture_tail(paragraphs: list[str]) -> int:
    """Where the run of furniture at the end of a body starts (``len(paragraphs)``: none).
    Short label lines ("Contact", "Customer service") inside or just above the run belong to it."""
    cut = len(paragraphs)
    for i in range(len(paragraphs) - 1, -1, -1):
        p = paragraphs[i]
        label = len(p.split()) <= 5 and not _LABEL_END.search(p)
        if is_furniture(p) or (label and cut < len(paragraphs)):
            cut = i
        else:
            break
    return cut


def doubts(paragraphs: list[str], evidence: BodyEvidence) -> list[str]:
    """The reasons to doubt a cleaned body (none: trust it)."""
    found = []
    tokens = words(paragraphs)
    chars = sum(len(p) for p in paragraphs)
    if len(tokens) < MIN_WORDS:
        found.append("too-short")
    elif evidence.block_chars and chars < MIN_KEPT_SHARE * evidence.block_chars:
        found.append("lost-in-cleaning")
    if tokens and furniture_share(paragraphs) >= MAX_FURNITURE_SHARE:
        found.append("furniture")
    ref = words([evidence.reference]) if evidence.reference else []
    if len(ref) >= MIN_REFERENCE_WORDS and containment(ref, tokens) < MIN_REFERENCE_AGREEMENT:
        found.append("disagrees-with-articleBody")
    return found


def confidence(reasons: list[str]) -> float:
    """A number for the archive: 1.0 with no doubt, lower with each."""
    return round(max(0.0, 1.0 - 0.4 * len(reasons)), 2)


def choose(ours: list[str], theirs: list[str], evidence: BodyEvidence,
           block_words: list[str] | None = None) -> tuple[str, list[str]]:
    """``("ours" | "theirs", their doubts)``.

    The second opinion wins when ours is next to empty and theirs is not, or when it raises
    fewer doubts than ours and, where ours is merely short or thinned by cleaning, when it is
    clearly longer and is the text of the block our cleaning thinned (``block_words``, the
    words of the body finder's block before cleaning; without them: when it holds most of our
    text), not a different block."""
    ours_doubts = doubts(ours, evidence)
    their_doubts = doubts(theirs, evidence)
    if "too-short" in ours_doubts and "too-short" not in their_doubts:
        return "theirs", their_doubts  # some article text beats next to none
    if len(their_doubts) >= len(ours_doubts):
        return "ours", their_doubts
    mine, other = words(ours), words(theirs)
    thinned = set(ours_doubts) <= {"too-short", "lost-in-cleaning"} and len(mine) >= MIN_WORDS // 2
    if thinned:
        same_block = (containment(other, block_words) >= 0.6 if block_words
                      else containment(mine, other) >= 0.5)
        if len(other) < 1.5 * len(mine) or not same_block:
            return "ours", their_doubts
    return "theirs", their_doubts
