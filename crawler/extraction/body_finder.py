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
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement

from crawler.extraction.parsing import text_content

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
#: Share of the score a live blog's feed of posts may lose to take in the intro above it.
INTRO_MAX_LOSS = 0.25
_BODY_HINT = re.compile(
    r"article[-_]?body|articlebody|story[-_]?body|entry[-_]content|post[-_]content|post[-_]body|"
    r"article[-_]?content|article[-_]text|body[-_]text|story[-_]content|content[-_]body|"
    r"rich[-_]?text|text[-_]body"
)


#: A class/id token of this many hyphen/underscore parts is a slug of text, not a component name.
SLUG_MIN_PARTS = 6


def class_words(el: HtmlElement) -> frozenset[str]:
    """The words of an element's class and id (``"c-share__btn"`` → c-share__btn, c, share, btn,
    c-share, share-btn).

    A token naming a layout slot ("sidebar-grid__content", "sidebar-layout") gives only itself:
    its parts describe where the box sits, not what it holds. So does a token of more than
    ``SLUG_MIN_PARTS`` parts: a slug of the box's own text used as an anchor
    (``id="zendaya-promoted-dune-part-two-in-london…"``), whose words are content, not a role.
    """
    cls, id_ = el.get("class"), el.get("id")
    if not cls and not id_:
        return _EMPTY
    return _words_of(f"{cls or ''} {id_ or ''}")


_EMPTY: frozenset[str] = frozenset()


@lru_cache(maxsize=8192)
def _words_of(raw: str) -> frozenset[str]:
    words: set[str] = set()
    # With no capital letter there is no camelCase boundary: ``_WORD_SPLIT`` is then a split on
    # spaces and underscores (``\s`` and ``str.split`` know the same spaces), at str speed.
    tokens = raw.replace("_", " ").split() if raw == raw.lower() else _WORD_SPLIT.split(raw.strip())
    for token in tokens:
        token = token.lower()
        if not token:
            continue
        words.add(token)
        if "-" not in token:
            continue  # one part: the split above took the underscores
        parts = [p for p in token.split("-") if p]
        if len(parts) < 2 or len(parts) >= SLUG_MIN_PARTS or LAYOUT_WORDS.intersection(parts):
            continue
        words.update(parts)
        words.update("-".join(parts[i:i + 2]) for i in range(len(parts) - 1))
    return frozenset(words)


def is_boilerplate(el: HtmlElement) -> bool:
    """True when the class/id words mark a share/promo/related/... block and no content word does."""
    words = class_words(el)
    return bool(words) and not words.isdisjoint(BOILERPLATE_WORDS) and words.isdisjoint(CONTENT_WORDS)


@dataclass(slots=True)
class BodyCandidate:
    """The element chosen as the body and why."""

    element: HtmlElement
    score: float
    good_chars: int
    paragraphs: int


_CARD_TAGS = frozenset({"div", "article", "section", "li"})
_MEDIA_TAGS = frozenset({"img", "picture", "h2", "h3", "h4", "h5", "h6"})
#: Nodes that are not elements; only their tail text counts (the page parse drops most of them).
_NON_ELEMENTS = (etree.Comment, etree.ProcessingInstruction, etree.Entity)


def _len(s: str | None) -> int:
    return len(s.strip()) if s else 0


def _inline_text(el: HtmlElement) -> str:
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag in INLINE_TAGS:
            parts.append(text_content(child))
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


@lru_cache(maxsize=8192)
def _boiler_attr(raw: str) -> bool:
    """``is_boilerplate`` for a ``"class id"`` string (cached: pages repeat their class names)."""
    words = _words_of(raw)
    return bool(words) and not words.isdisjoint(BOILERPLATE_WORDS) and words.isdisjoint(CONTENT_WORDS)


def find_body(root: HtmlElement) -> BodyCandidate | None:
    """The element holding the article text, or ``None`` when the page has no usable body.

    One pass down the tree (skipped subtrees, links, boilerplate regions), one pass up
    (per-element sums pushed into the parent's slots), one pass over the scores. Elements
    are numbered in document order; every figure lives in a list indexed by that number.
    """
    body = root.find("body")
    top = body if body is not None else root
    order: list[HtmlElement] = list(top.iter(etree.Element))
    n = len(order)
    pos: dict[HtmlElement, int] = {el: i for i, el in enumerate(order)}
    tags: list[str] = [el.tag for el in order]
    parent: list[int] = [-1] * n
    for i in range(1, n):
        parent[i] = pos[order[i].getparent()]
    # Elements holding the page's main landmarks (<main>, <article>, the <h1>) are never
    # boilerplate, whatever their class words say ("page-hero-ad-hidden" on a page wrapper).
    landmark = [False] * n
    for i, tag in enumerate(tags):
        if tag in LANDMARK_TAGS:
            j = parent[i]
            while j >= 0 and not landmark[j]:
                landmark[j] = True
                j = parent[j]

    skipped = [False] * n
    in_link = [False] * n  # inside an <a>: a teaser card, never a paragraph
    boiler = [False] * n
    for i in range(n):
        tag = tags[i]
        p = parent[i]
        if tag in SKIP_TAGS or (p >= 0 and skipped[p]):
            skipped[i] = True
            continue
        in_link[i] = tag == "a" or (p >= 0 and in_link[p])
        inherited = p >= 0 and boiler[p]
        if landmark[i] or tag in LANDMARK_TAGS:
            boiler[i] = inherited
        elif inherited or tag in FURNITURE_TAGS:
            boiler[i] = True
        else:
            el = order[i]
            cls, id_ = el.get("class"), el.get("id")
            boiler[i] = bool(cls or id_) and _boiler_attr(f"{cls or ''} {id_ or ''}")

    # Sums over each element's subtree; children push into their parent's slots.
    total = [0] * n  # characters of all text below
    good = [0] * n  # characters of good paragraph text below, outside boilerplate
    good_raw = [0] * n  # same, counting boilerplate regions too
    links_all = [0] * n  # characters of link text below
    links = [0] * n  # characters of link text below, outside boilerplate
    bad = [0] * n  # characters of text inside boilerplate regions below
    paras = [0] * n  # good paragraphs below (outside boilerplate)
    inline = [0] * n  # characters of the element's inline text (own + inline children)
    inline_links = [0] * n  # of which inside <a>
    max_link = [0] * n  # characters of the longest link below
    media = [False] * n  # an image or a heading below
    child_boiler_links = [0] * n  # link characters inside boilerplate children
    cards = [0] * n  # children shaped like teaser cards
    for node in top.iter(*_NON_ELEMENTS):
        tail = _len(node.tail)
        if tail:
            p = pos.get(node.getparent(), -1)
            if p >= 0:
                total[p] += tail
                inline[p] += tail

    for i in range(n - 1, -1, -1):  # children before parents
        el = order[i]
        p = parent[i]
        s = el.tail
        if s and p >= 0:
            tail = len(s.strip())
            total[p] += tail
            inline[p] += tail
        if skipped[i]:
            continue
        tag = tags[i]
        s = el.text
        own = len(s.strip()) if s else 0
        tot = total[i] + own
        inl = inline[i] + own
        is_link = tag == "a"
        if is_link:
            inline_links[i] += own
            links_all[i] += own
        if tag in _MEDIA_TAGS:
            media[i] = True
        g, gr, para = good[i], good_raw[i], paras[i]
        if tag not in INLINE_TAGS and inl:
            il = inline_links[i]
            if (inl >= 25 and il <= inl * 0.4 and not in_link[i] and tag not in HEADING_TAGS
                    and (inl >= 120 or _is_good_paragraph(inl, il, tag, _inline_text(el)[-40:]))):
                gr += inl - il
                g += inl - il
                para += 1
        la = links_all[i]
        ml = max_link[i]
        if is_link and tot > ml:
            ml = tot
        if boiler[i] or (cards[i] >= 3 and len(el) >= 3 and not landmark[i]
                         and _is_card_list(el, pos, tags, skipped, total, max_link, media)):
            # Everything inside a boilerplate region is "other" text for every ancestor.
            g = para = lk = 0
            bd = tot
        else:
            lk = la - child_boiler_links[i]
            bd = bad[i]
        total[i], inline[i], good[i], good_raw[i], paras[i] = tot, inl, g, gr, para
        links[i], bad[i], max_link[i] = lk, bd, ml
        if p < 0 or skipped[p]:
            continue
        ptag = tags[p]
        total[p] += tot
        good[p] += g
        good_raw[p] += gr
        paras[p] += para
        bad[p] += bd
        links_all[p] += tot if ptag == "a" else la
        child_boiler_links[p] += la - lk
        if media[i]:
            media[p] = True
        if ml > max_link[p]:
            max_link[p] = ml
        if tag in INLINE_TAGS:
            inline[p] += inl
            inline_links[p] += inl if ptag == "a" or is_link else inline_links[i]
        if tag in _CARD_TAGS and ml >= 15 and media[i] and tot < 600:
            cards[p] += 1

    def scored(i: int) -> BodyCandidate | None:
        """The candidate for element ``i`` (``None`` below the good-text minimum)."""
        g = good[i]
        plain = total[i] - g - links[i] - bad[i]
        if plain < 0:
            plain = 0
        if g + plain < MIN_GOOD:
            return None
        hinted = _has_body_hint(order[i])
        if g < MIN_GOOD and not hinted:
            return None
        w_plain = -W_HINT_PLAIN if hinted else W_PLAIN
        score = g - w_plain * plain - W_BAD * (links[i] + bad[i])
        return BodyCandidate(order[i], score, g + (plain if hinted else 0), paras[i])

    best: BodyCandidate | None = None
    best_i = -1
    best_raw: BodyCandidate | None = None
    for i in range(n):
        if skipped[i]:
            continue
        cand = scored(i)
        if cand is not None and (best is None or cand.score > best.score):
            best, best_i = cand, i
        gr = good_raw[i]
        if gr < MIN_GOOD:
            continue
        plain_raw = total[i] - gr - links_all[i]
        if plain_raw < 0:
            plain_raw = 0
        raw_score = gr - W_PLAIN * plain_raw - W_BAD * links_all[i]
        if best_raw is None or raw_score > best_raw.score:
            best_raw = BodyCandidate(order[i], raw_score, gr, paras[i])
    if best is None:
        return best_raw
    if best_raw is not None and best.good_chars < 0.4 * best_raw.good_chars:
        # The boilerplate words hid the article itself (e.g. a body div with a "share" class).
        return best_raw
    return _with_intro(best, best_i, order, pos, tags, parent, good, paras, media, scored)


def _with_intro(best: BodyCandidate, best_i: int, order: list[HtmlElement], pos: dict[HtmlElement, int],
                tags: list[str], parent: list[int], good: list[int], paras: list[int],
                media: list[bool], scored: Callable[[int], BodyCandidate | None]) -> BodyCandidate:
    """A feed of posts (a live blog: 3+ sibling boxes of one tag and class, each with a heading
    or picture and paragraphs of its own) is not the article by itself: the article is the feed
    plus the intro above it. The nearest ancestor holding at least ``MIN_GOOD`` more good text
    is the body, unless that costs more than ``INTRO_MAX_LOSS`` of the score."""
    groups: dict[tuple[str, str], list[int]] = {}
    for c in order[best_i]:
        j = pos.get(c, -1)
        if j >= 0 and media[j]:
            groups.setdefault((tags[j], c.get("class") or ""), []).append(j)
    posts = max(groups.values(), key=len, default=[])
    if (len(posts) < 3 or sum(1 for j in posts if paras[j]) < 2
            or sum(good[j] for j in posts) < 0.5 * good[best_i]):
        return best
    j = parent[best_i]
    while j >= 0 and good[j] < good[best_i] + MIN_GOOD:
        j = parent[j]
    if j < 0:
        return best
    cand = scored(j)
    if cand is None or cand.score < (1 - INTRO_MAX_LOSS) * best.score:
        return best
    return cand


def _is_card_list(el: HtmlElement, pos: dict[HtmlElement, int], tags: list[str],
                  skipped: list[bool], total: list[int], max_link: list[int],
                  media: list[bool]) -> bool:
    """True for a list of teaser cards: 3+ children of one tag and class, each a small box with
    a headline link and a heading or image (the "more stories" grids after an article)."""
    signatures: dict[tuple[str, str], list[int]] = {}
    for c in el:
        j = pos.get(c, -1)
        if j >= 0 and tags[j] in _CARD_TAGS and not skipped[j]:
            signatures.setdefault((tags[j], c.get("class") or ""), []).append(j)
    group = max(signatures.values(), key=len, default=[])
    if len(group) < 3:
        return False
    n_cards = sum(1 for j in group if max_link[j] >= 15 and media[j] and total[j] < 600)
    return n_cards >= 3 and n_cards >= 0.6 * len(group)


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
