"""Text rules on paragraphs: related links, share rows, credits, newsletter boxes, tail teasers."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from crawler.cleaning import rules
from crawler.cleaning.prefilter import Prefilter, folds_plainly, may_match, prefilter

if TYPE_CHECKING:
    from crawler.sites.base import Site

_SENTENCES = re.compile(r"[.!?…]['\"”’)\]]*\s+\S")
_CREDIT_RULES = frozenset({"photo-credit"})


def _words(text: str) -> int:
    return len(text.split())


_MONEY = re.compile(r"[£$€¥]|\d[.,]\d\d\b(?!\s*[ap]\.?m)", re.I)
_CLAUSE_PUNCT = re.compile(r"\w\s*[,;:]")
_GLUED_DIGITS = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[A-Z])")  # "O'Connor2 March", "20:42KEY"
_NON_NAME = re.compile(r"[^\w'’.\s-]|(?<!\w)[.-]|[.-](?!\w)")


def is_timestamp_line(text: str) -> bool:
    """True for a live-blog post header: a date or time, with at most a short name beside it
    ("8:02PM", "Roisin O'Connor2 March 2024 22:17", "21 mins ago11:48 Jon King", "1709415900")."""
    if len(text) > 60 or not any(ch.isdigit() for ch in text) or _MONEY.search(text):
        return False
    spaced = _GLUED_DIGITS.sub(" ", text)
    pieces = rules.TIMESTAMP_PIECE.findall(spaced)
    if not any(rules.TIMESTAMP_STRONG.search(p) for p in pieces):
        return False
    rest = rules.TIMESTAMP_PIECE.sub(" ", spaced)
    if _CLAUSE_PUNCT.search(rest):
        return False  # "Oxford, Mississippi; Wednesday, 9 p.m.", "Update: February 29"
    rest = " ".join(_NON_NAME.sub(" ", rest).split())
    if not rest:
        return True
    if rest.lower().startswith("by ") or any(ch.isdigit() for ch in rest):
        return False
    return bool(rules.TIMESTAMP_NAME.match(rest))


Rule = tuple[str, re.Pattern[str], "Prefilter | None"]


class _RuleTable:
    """``rules.TEXT_RULES`` by paragraph length: the rules whose word limit admits ``n`` words,
    in order, each with its :func:`~crawler.cleaning.prefilter.prefilter` (a paragraph holding
    none of the words a rule's every match needs skips that rule's regex). Built again when the
    tuple is replaced."""

    def __init__(self) -> None:
        self.source: tuple = ()
        self.rules: list[tuple[str, re.Pattern[str], Prefilter | None, int]] = []
        self.cap = 0  # one more than the longest word limit: all longer paragraphs alike
        self.by_length: dict[int, list[Rule]] = {}

    def for_length(self, n: int) -> list[Rule]:
        if self.source is not rules.TEXT_RULES:
            self.source = rules.TEXT_RULES
            self.rules = [(name, pattern, prefilter(pattern), max_words)
                          for name, pattern, max_words in self.source]
            self.cap = max((r[3] for r in self.rules), default=0) + 1
            self.by_length = {}
        n = min(n, self.cap)
        found = self.by_length.get(n)
        if found is None:
            found = [(name, pattern, flt) for name, pattern, flt, limit in self.rules if n <= limit]
            self.by_length[n] = found
        return found


_RULE_TABLE = _RuleTable()


def paragraph_rule(text: str, site: type[Site] | None = None) -> str | None:
    """The name of the first text rule a paragraph matches (``None``: keep it)."""
    for name, pattern in rules.site_rules(site).patterns:
        if pattern.fullmatch(text):
            return name
    if rules.is_share_row(text):
        return "share-row"
    n = _words(text)
    if n <= 8 and is_timestamp_line(text):
        return "timestamp"
    lowered = text.lower() if folds_plainly(text) else ""
    for name, pattern, flt in _RULE_TABLE.for_length(n):
        if not may_match(flt, text, lowered) or not pattern.match(text):
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


def _drop_repeated_labels(kept: list[str], removed: list[tuple[str, str]]) -> list[str]:
    """A short line that recurs many times in one article is a label of page furniture
    ("Article content", "Get Tickets", "Why we chose it"), never text; all its copies go."""
    counts = Counter(p for p in kept if _words(p) <= rules.LABEL_MAX_WORDS and "|" not in p)
    labels = {p for p, n in counts.items() if n >= rules.LABEL_MIN_REPEATS}
    if not labels:
        return kept
    removed.extend(("repeated-label", p) for p in kept if p in labels)
    return [p for p in kept if p not in labels]


def _drop_duplicates(kept: list[str], removed: list[tuple[str, str]]) -> list[str]:
    """Later verbatim copies of a long paragraph (pull quotes, a promo shown twice)."""
    seen: set[str] = set()
    out: list[str] = []
    for p in kept:
        if _words(p) >= rules.DUPLICATE_MIN_WORDS:
            if p in seen:
                removed.append(("duplicate", p))
                continue
            seen.add(p)
        out.append(p)
    return out


_BIO_VERB = re.compile(r"\s+(?:is|was|has\s+been|covers|writes|reports)\b")


def _short_name_at_start(paragraph: str, names: list[str]) -> str | None:
    """The start of ``paragraph`` when it is an author's name with the first name shortened
    ("Steph Bazzle covers politics ..." for Stephanie Bazzle)."""
    for name in names:
        first, _, last = name.partition(" ")
        m = re.match(rf"([A-Z][a-z]{{2,}}) {re.escape(last)}\b", paragraph)
        if m and first.startswith(m.group(1)) and m.group(1) != first:
            return m.group(0)
    return None


def trim_author_tail(paragraphs: list[str], authors: list[str]
                     ) -> tuple[list[str], list[tuple[str, str]]]:
    """The author box after the last paragraph: the author's name on its own line (maybe with a
    date) and a bio that opens with the name ("Jason Miciak is an associate editor ...").

    Only the last few paragraphs are looked at; a bio line must start with an author's name
    followed by "is"/"was"/"covers"/... so a closing sentence that names the author stays.
    """
    names = [" ".join(a.split()) for a in authors if a and len(a.split()) >= 2]
    if not names or not paragraphs:
        return paragraphs, []
    n = len(paragraphs)
    cut = n
    for i in range(n - 1, max(n - 4, 0) - 1, -1):
        p = paragraphs[i]
        named = next((a for a in names if p.startswith(a)), None) or _short_name_at_start(p, names)
        if named is None:
            break
        rest = p[len(named):]
        if not rest.strip() or is_timestamp_line(rest.strip()) or (
                _BIO_VERB.match(rest) and _words(p) <= 120):
            cut = i
            continue
        break
    if cut == n or cut == 0:
        return paragraphs, []
    return paragraphs[:cut], [("author-box", p) for p in paragraphs[cut:]]


#: A byline label alone on its line ("By", "Written by", "Von", "Par", "Author:").
_BY_LABEL = re.compile(r"^(?:(?:written|posted|words|text|reviewed)\s+)?(?:by|von|par|por)\s*:?$|"
                       r"^(?:authors?|autor(?:in)?|auteur)\s*:$", re.I)
#: A byline line: the label, then a capitalised name (or an author's), then at most separators
#: with roles and dates ("by Natalia Keogan", "By Jo Lee • March 12, 2025 | 4 min read").
_BY_LINE = re.compile(r"^(?:(?:written|posted|words|text|reviewed)\s+)?(?:by|von|par|por)\s+(?=[A-ZÀ-Þ])",
                      re.I)
_BYLINE_SEPARATORS = re.compile(r"\s[|·•⋅–—]\s|\s[|·•⋅]$")
#: Paragraphs at the top of the body searched for a byline left as text.
BYLINE_HEAD = 3
BYLINE_MAX_WORDS = 20


def _is_head_byline(text: str, names: list[str]) -> bool:
    """A byline left as text at the top of the body: a name after "By" with nothing after it but
    roles and dates behind separators; a sentence ("By the end of the tour, ...") is no byline."""
    if _words(text) > BYLINE_MAX_WORDS or not _BY_LINE.match(text):
        return False
    first = _BYLINE_SEPARATORS.split(text)[0]
    if any(name in first for name in names):
        return True
    return _words(first) <= 6 and not _SENTENCES.search(first + " x") and "," not in first


def trim_byline_head(paragraphs: list[str], authors: list[str]
                     ) -> tuple[list[str], list[tuple[str, str]]]:
    """A byline left as text at the start of the body: "By" alone (with the name on the next
    line when that line is short or an author's name), or a "By <name>" line with roles and
    dates after separators. Only the first :data:`BYLINE_HEAD` paragraphs are looked at."""
    names = [" ".join(a.split()) for a in authors if a and a.strip()]
    for i, p in enumerate(paragraphs[:BYLINE_HEAD]):
        if _BY_LABEL.match(p):
            end = i + 1
            nxt = paragraphs[end] if end < len(paragraphs) else ""
            if nxt and (nxt in names or (_words(nxt) <= 4 and nxt[:1].isupper()
                                         and not _SENTENCES.search(nxt + " x"))):
                end += 1
            return paragraphs[:i] + paragraphs[end:], [("byline", x) for x in paragraphs[i:end]]
        if _is_head_byline(p, names):
            return paragraphs[:i] + paragraphs[i + 1:], [("byline", p)]
    return paragraphs, []


def _join_share_runs(paragraphs: list[str]) -> list[str]:
    """Consecutive one-word share buttons ("Copy", "Email", "Facebook", "X", ...) as one line,
    so the share-row rule sees the whole row."""
    out: list[str] = []
    run: list[str] = []

    def close_run() -> None:
        if len(run) >= rules.SHARE_RUN_MIN and rules.is_share_row(" ".join(run)):
            out.append(" ".join(run))
        else:
            out.extend(run)
        run.clear()

    for raw in paragraphs:
        text = " ".join(raw.split())
        tokens = rules.SHARE_TOKEN.findall(text.lower()) if len(text) <= 20 else []
        if 0 < len(tokens) <= 2 and all(t in rules.SHARE_WORDS for t in tokens):
            run.append(text)
            continue
        close_run()
        out.append(text)
    close_run()
    return out


def _drop_about_author(kept: list[str], removed: list[tuple[str, str]]) -> list[str]:
    """An "About the author" line near the end and everything after it (the author box)."""
    for i in range(len(kept) - 1, max(len(kept) - rules.ABOUT_AUTHOR_TAIL, 0) - 1, -1):
        if rules.ABOUT_AUTHOR.match(kept[i]) and i > 0:
            removed.extend(("author-box", p) for p in kept[i:])
            return kept[:i]
    return kept


def _drop_tail_tags(kept: list[str], removed: list[tuple[str, str]], mark: int | None) -> list[str]:
    """The tags after a tags label ("Tags", "Themen") removed near the end: short lines only.
    ``mark`` is the position in ``kept`` where the label stood."""
    if mark is None or mark == 0 or len(kept) - mark > rules.TAGS_TAIL:
        return kept
    tail = kept[mark:]
    if all(_words(p) <= rules.TAG_MAX_WORDS and not rules.SENTENCE_END.search(p) for p in tail):
        removed.extend(("tags", p) for p in tail)
        return kept[:mark]
    return kept


def _drop_empty_related_heading(kept: list[str], removed: list[tuple[str, str]]) -> list[str]:
    """A "Related Stories"/"More from ..." heading left last, its links already gone."""
    while len(kept) > 1 and _words(kept[-1]) <= 6 and rules.RELATED_HEADING.match(kept[-1]):
        removed.append(("related-link", kept.pop()))
    return kept


def clean_paragraphs(paragraphs: list[str], site: type[Site] | None = None
                     ) -> tuple[list[str], list[tuple[str, str]]]:
    """Apply the text rules (generic + ``site.junk_patterns``) to paragraphs.

    Returns ``(kept, removed)``; ``removed`` holds ``(rule_name, paragraph)`` pairs in order.
    """
    kept: list[str] = []
    removed: list[tuple[str, str]] = []
    share_marks: list[int] = []  # positions in `kept` right after a removed share row
    tags_mark: int | None = None  # position in `kept` right after the last removed tags label
    for text in _join_share_runs(paragraphs):
        if not text:
            continue
        rule = paragraph_rule(text, site)
        if rule is None:
            kept.append(text)
            continue
        if (rule == "read-more" and kept and _words(kept[-1]) <= rules.CARD_HEADLINE_MAX_WORDS
                and not rules.SENTENCE_END.search(kept[-1])):
            removed.append(("related-link", kept.pop()))  # the linked card's headline
        removed.append((rule, text))
        if rule == "share-row":
            share_marks.append(len(kept))
        elif rules.TAGS_LABEL.match(text):
            tags_mark = len(kept)
    kept = _drop_tail_tags(kept, removed, tags_mark)
    kept = _drop_empty_related_heading(kept, removed)
    kept = _drop_about_author(kept, removed)
    kept = _drop_repeated_labels(kept, removed)
    kept = _drop_duplicates(kept, removed)
    start = _tail_teaser(kept, share_marks)
    if start is not None:
        removed.extend(("next-article-teaser", p) for p in kept[start:])
        kept = kept[:start]
    return kept, removed
