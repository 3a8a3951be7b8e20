"""The generic body finder: which element of the page holds the article text.

Why hand-written rather than trafilatura/readability: we are measured on clean article text
(word 4-gram precision *and* recall against a labelled corpus) and must beat trafilatura there.
trafilatura rebuilds a new tree from the nodes it likes, so it loses structure our cleaners rely on
(figure/caption/embed markup, class names of share rows and promos) and it re-parses the page. This
finder works on our single lxml parse, returns a *subtree* of the real page (so site junk selectors
and our DOM rules still apply), and runs in one linear pass over the nodes.

Scoring (one bottom-up pass over the tree, O(nodes)):

* every block element's *inline text* (its own text plus that of inline children, e.g. ``<a>``,
  ``<em>``) is a paragraph candidate; a paragraph is *good* when it is long enough, has few link
  characters, and looks like prose (sentence punctuation, several words);
* good text inside boilerplate regions (``nav``/``aside``/``footer``, or class/id words such as
  share, social, newsletter, related, promo, ad, comment, author-bio) does not count;
* an element's score is ``good − PENALTY × other text``: climbing from the article container to a
  page wrapper adds menus, teasers and footers (other text), so the score falls; descending loses
  good text. Paragraph continuity is rewarded by scoring sibling runs together: the parent of
  several good siblings gathers all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lxml.html import HtmlElement

#: Elements whose text is never article text.
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "head", "title", "meta", "link", "iframe",
    "button", "select", "option", "textarea", "input", "object", "embed", "canvas", "video",
    "audio", "source", "picture", "map",
})
#: Regions that are page furniture whatever their content.
FURNITURE_TAGS = frozenset({"nav", "aside", "footer", "header", "menu", "form", "dialog"})
INLINE_TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
    "wbr", "br", "ins", "del", "img", "label", "strike", "tt", "big", "nobr",
})
LANDMARK_TAGS = frozenset({"main", "article", "h1", "body", "html"})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

#: class/id words of boilerplate blocks (matched against whole words of the attribute).
BOILERPLATE_WORDS = frozenset({
    "share", "sharing", "social", "socials", "newsletter", "newsletters", "subscribe",
    "subscription", "related", "recommended", "recommendations", "promo", "promotion", "promoted",
    "sponsor", "sponsored", "ad", "ads", "advert", "adverts", "advertisement", "advertising",
    "adslot", "adunit", "dfp", "gpt", "comment", "comments", "disqus", "bio", "author-bio",
    "footer", "nav", "navigation", "menu", "breadcrumb", "breadcrumbs", "sidebar", "widget",
    "outbrain", "taboola", "popular", "trending", "most-read", "mostread", "more-stories",
    "read-more", "readmore", "recirc", "recirculation", "next-article", "up-next", "upnext",
    "signup", "sign-up", "cookie", "consent", "banner", "masthead", "tags", "tag-list",
    "byline", "skip", "modal", "popup", "toolbar", "pagination", "pager", "carousel",
})
#: class/id words that mark the article body (they veto a boilerplate match on the same element).
CONTENT_WORDS = frozenset({
    "article-body", "articlebody", "article-content", "articlecontent", "story-body",
    "storybody", "post-content", "postcontent", "entry-content", "entrycontent", "post-body",
    "body-text", "bodytext", "article-text", "story-content", "content-body", "main-content",
    "article__body", "article__content", "rich-text", "richtext", "prose",
})
_WORD_SPLIT = re.compile(r"[\s_]+|(?<=[a-z])(?=[A-Z])")
_PART_SPLIT = re.compile(r"[-_]+")
#: Parts of a class token that name a layout slot rather than the box's content.
LAYOUT_WORDS = frozenset({
    "content", "contents", "container", "layout", "grid", "wrapper", "wrap", "inner", "outer",
    "body", "main", "article", "text", "column", "columns", "col", "row", "page", "template",
    "has", "is", "with", "no", "hidden", "enabled", "disabled", "default", "single", "post",
    "entry", "story",
})
_SENTENCE_END = re.compile(r"[.!?…:;\"”’»)]\s*$")

#: Score weights: good text counts 1; link text and boilerplate text count -W_BAD; other plain
#: text (short lines, list items, headings) counts -W_PLAIN, or +W_HINT_PLAIN inside an element
#: that markup names as the article body.
W_BAD = 0.6
W_PLAIN = 0.15
W_HINT_PLAIN = 0.5
MIN_GOOD = 140  # characters of good text for a usable body
_BODY_HINT = re.compile(
    r"article[-_]?body|articlebody|story[-_]?body|entry[-_]content|post[-_]content|post[-_]body|"
    r"article[-_]?content|article[-_]text|body[-_]text|story[-_]content|content[-_]body|"
    r"rich[-_]?text|text[-_]body"
)


def class_words(el: HtmlElement) -> frozenset[str]:
    """The words of an element's class and id (``"c-share__btn"`` → c-share__btn, c, share, btn,
    c-share, share-btn).

    A token naming a layout slot ("sidebar-grid__content", "sidebar-layout") gives only itself:
    its parts describe where the box sits, not what it holds.
    """
    cls, id_ = el.get("class"), el.get("id")
    if not cls and not id_:
        return _EMPTY
    return _words_of(f"{cls or ''} {id_ or ''}")


_EMPTY: frozenset[str] = frozenset()


@lru_cache(maxsize=8192)
def _words_of(raw: str) -> frozenset[str]:
    words: set[str] = set()
    for token in _WORD_SPLIT.split(raw.strip()):
        token = token.lower()
        if not token:
            continue
        words.add(token)
        parts = [p for p in _PART_SPLIT.split(token) if p]
        if len(parts) < 2 or LAYOUT_WORDS.intersection(parts):
            continue
        words.update(parts)
        words.update("-".join(parts[i:i + 2]) for i in range(len(parts) - 1))
    return frozenset(words)


def is_boilerplate(el: HtmlElement) -> bool:
    """True when the class/id words mark a share/promo/related/... block and no content word does."""
    words = class_words(el)
    return bool(words) and not words.isdisjoint(BOILERPLATE_WORDS) and words.isdisjoint(CONTENT_WORDS)


@dataclass(slots=True)
class _Stats:
    total: int = 0  # characters of all text below
    good: int = 0  # characters of good paragraph text below, outside boilerplate
    good_raw: int = 0  # same, counting boilerplate regions too
    links: int = 0  # characters of link text below, outside boilerplate
    links_all: int = 0  # characters of link text below
    boiler: int = 0  # characters of text inside boilerplate regions below
    paragraphs: int = 0  # good paragraphs below (outside boilerplate)
    inline: int = 0  # characters of this element's inline text (own + inline children)
    inline_links: int = 0  # of which inside <a>
    max_link: int = 0  # characters of the longest link below
    media: bool = False  # an image or a heading below


@dataclass(slots=True)
class BodyCandidate:
    """The element chosen as the body and why."""

    element: HtmlElement
    score: float
    good_chars: int
    paragraphs: int


_CARD_TAGS = frozenset({"div", "article", "section", "li"})
_MEDIA_TAGS = frozenset({"img", "picture", "h2", "h3", "h4", "h5", "h6"})


def _is_card_list(el: HtmlElement, stats: dict[HtmlElement, _Stats]) -> bool:
    """True for a list of teaser cards: 3+ children of one tag and class, each a small box with
    a headline link and a heading or image (the "more stories" grids after an article)."""
    signatures: dict[tuple[str, str], list[_Stats]] = {}
    for c in el:
        if isinstance(c.tag, str) and c.tag in _CARD_TAGS:
            cst = stats.get(c)
            if cst is not None:
                signatures.setdefault((c.tag, c.get("class") or ""), []).append(cst)
    group = max(signatures.values(), key=len, default=[])
    if len(group) < 3:
        return False
    cards = sum(1 for cst in group if cst.max_link >= 15 and cst.media and cst.total < 600)
    return cards >= 3 and cards >= 0.6 * len(group)


def _len(s: str | None) -> int:
    return len(s.strip()) if s else 0


def _inline_text(el: HtmlElement) -> str:
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag in INLINE_TAGS:
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return "".join(parts).strip()


def _is_good_paragraph(text_len: int, link_len: int, tag: str, sample: str) -> bool:
    if text_len < 25 or link_len > text_len * 0.4:
        return False
    if tag in HEADING_TAGS:
        return False
    if text_len >= 120:
        return True
    return bool(_SENTENCE_END.search(sample)) and sample.count(" ") >= 4


def find_body(root: HtmlElement) -> BodyCandidate | None:
    """The element holding the article text, or ``None`` when the page has no usable body."""
    body = root.find("body")
    top = body if body is not None else root
    order = [el for el in top.iter() if isinstance(el.tag, str)]
    stats: dict[HtmlElement, _Stats] = {}
    skipped: set[HtmlElement] = set()
    for el in order:  # mark subtrees to skip (document order: parents first)
        parent = el.getparent()
        if el.tag in SKIP_TAGS or (parent is not None and parent in skipped):
            skipped.add(el)
    # Elements holding the page's main landmarks (<main>, <article>, the <h1>) are never
    # boilerplate, whatever their class words say ("page-hero-ad-hidden" on a page wrapper).
    landmark: set[HtmlElement] = set()
    for el in reversed(order):
        if el.tag in LANDMARK_TAGS or el in landmark:
            parent = el.getparent()
            if parent is not None:
                landmark.add(parent)
    boiler: dict[HtmlElement, bool] = {}
    in_link: set[HtmlElement] = set()  # inside an <a>: a teaser card, never a paragraph
    for el in order:
        parent = el.getparent()
        inherited = boiler.get(parent, False) if parent is not None else False
        if el.tag == "a" or (parent is not None and parent in in_link):
            in_link.add(el)
        if el in landmark or el.tag in LANDMARK_TAGS:
            boiler[el] = inherited
        else:
            boiler[el] = inherited or el.tag in FURNITURE_TAGS or is_boilerplate(el)

    for el in reversed(order):  # children before parents
        if el in skipped:
            continue
        st = _Stats()
        own = _len(el.text)
        st.total = own
        st.inline = own
        is_link = el.tag == "a"
        if is_link:
            st.inline_links = own
            st.links_all = own
        st.media = el.tag in _MEDIA_TAGS
        for child in el:
            tail = _len(child.tail)
            st.total += tail
            st.inline += tail
            if not isinstance(child.tag, str):
                continue
            cst = stats.get(child)
            if cst is None:
                continue
            st.total += cst.total
            st.good += cst.good
            st.good_raw += cst.good_raw
            st.links += cst.links
            st.links_all += cst.total if is_link else cst.links_all
            st.boiler += cst.boiler
            st.paragraphs += cst.paragraphs
            st.media = st.media or cst.media
            if cst.max_link > st.max_link:
                st.max_link = cst.max_link
            if child.tag in INLINE_TAGS:
                st.inline += cst.inline
                st.inline_links += cst.inline if is_link or child.tag == "a" else cst.inline_links
        if el.tag not in INLINE_TAGS and st.inline:
            sample = _inline_text(el)[-40:] if st.inline < 120 else ""
            if el not in in_link and _is_good_paragraph(st.inline, st.inline_links, el.tag, sample):
                st.good_raw += st.inline - st.inline_links
                st.good += st.inline - st.inline_links
                st.paragraphs += 1
        if is_link and st.total > st.max_link:
            st.max_link = st.total
        if boiler[el] or (len(el) >= 3 and el not in landmark and _is_card_list(el, stats)):
            # Everything inside a boilerplate region is "other" text for every ancestor.
            st.good = st.paragraphs = st.links = 0
            st.boiler = st.total
        else:
            st.links = st.links_all - _boiler_links(el, st, stats)
        stats[el] = st

    best: BodyCandidate | None = None
    best_raw: BodyCandidate | None = None
    for el in order:
        st = stats.get(el)
        if st is None:
            continue
        hinted = _has_body_hint(el)
        plain = max(st.total - st.good - st.links - st.boiler, 0)
        if st.good >= MIN_GOOD or (hinted and st.good + plain >= MIN_GOOD):
            w_plain = -W_HINT_PLAIN if hinted else W_PLAIN
            score = st.good - w_plain * plain - W_BAD * (st.links + st.boiler)
            if best is None or score > best.score:
                best = BodyCandidate(el, score, st.good + (plain if hinted else 0), st.paragraphs)
        if st.good_raw < MIN_GOOD:
            continue
        plain_raw = max(st.total - st.good_raw - st.links_all, 0)
        raw_score = st.good_raw - W_PLAIN * plain_raw - W_BAD * st.links_all
        if best_raw is None or raw_score > best_raw.score:
            best_raw = BodyCandidate(el, raw_score, st.good_raw, st.paragraphs)
    if best is None:
        return best_raw
    if best_raw is not None and best.good_chars < 0.4 * best_raw.good_chars:
        # The boilerplate words hid the article itself (e.g. a body div with a "share" class).
        return best_raw
    return best


def _boiler_links(el: HtmlElement, st: _Stats, stats: dict[HtmlElement, _Stats]) -> int:
    """Link characters of ``el`` that sit inside boilerplate children (already in ``boiler``)."""
    n = 0
    for child in el:
        cst = stats.get(child) if isinstance(child.tag, str) else None
        if cst is not None:
            n += cst.links_all - cst.links
    return n


def _has_body_hint(el: HtmlElement) -> bool:
    """True when markup names the element as the article body (itemprop, class or id)."""
    cls, id_, prop = el.get("class"), el.get("id"), el.get("itemprop")
    if prop and prop.lower() == "articlebody":
        return True
    if not cls and not id_:
        return False
    return _hint_in(f"{cls or ''} {id_ or ''}")


@lru_cache(maxsize=8192)
def _hint_in(raw: str) -> bool:
    return bool(_BODY_HINT.search(raw.lower()))
