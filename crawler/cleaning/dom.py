"""DOM rules on the body container: embeds, captions, furniture, boilerplate blocks, site selectors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from lxml import etree
from lxml.html import HtmlElement

from crawler.cleaning import rules
from crawler.extraction.body_finder import HEADING_TAGS, class_words
from crawler.extraction.parsing import text_content
from crawler.extraction.titles import same_text

if TYPE_CHECKING:
    from crawler.items import ArticleItem
    from crawler.sites.base import Site

#: A junk-looking block holding more than this share of the container's text is kept
#: (the class words were wrong about it: e.g. a body wrapper named "share-enabled").
MAX_JUNK_SHARE = 0.5
_EMBED_TAGS = frozenset({"iframe", "blockquote", "div", "figure", "amp-iframe", "amp-youtube",
                         "amp-twitter", "amp-instagram", "video", "lite-youtube", "aside"})


def _text(el: HtmlElement) -> str:
    return " ".join(text_content(el).split())


def _spaced_len(raw: str) -> int:
    """``len(" ".join(raw.split()))`` without building that string."""
    words = raw.split()
    return sum(map(len, words)) + len(words) - 1 if words else 0


def _text_len(el: HtmlElement) -> int:
    """``len(_text(el))``."""
    return _spaced_len(text_content(el))


def _longer_than(el: HtmlElement, limit: float) -> bool:
    """``len(_text(el)) > limit``; spacing out only shortens a text, so a short one is told at once."""
    raw = text_content(el)
    return len(raw) > limit and _spaced_len(raw) > limit


def _short_text(el: HtmlElement, limit: int) -> str | None:
    """``_text(el)`` when it is at most ``limit`` characters long, else ``None``. A long text is
    told by a prefix alone: the spaced-out prefix of a text is a prefix of the spaced-out text."""
    raw = text_content(el)
    head = raw[:4 * limit + 8]
    text = " ".join(head.split())
    if len(text) > limit:
        return None
    if len(head) < len(raw):
        text = " ".join(raw.split())
    return text if len(text) <= limit else None


def _drop(el: HtmlElement) -> None:
    """Remove an element but keep its tail text in place."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _remove(item: ArticleItem, el: HtmlElement, rule: str, record: bool = True) -> None:
    text = _text(el)
    if record and text:
        item.removed.append((rule, text))
    _drop(el)


def walk(root: HtmlElement) -> Iterator[HtmlElement]:
    """Descendants of ``root`` in document order, not descending into ones removed meanwhile.

    The caller may remove only the element it was given. The elements are listed once (lxml's
    C iterator) and a removed element's descendants are skipped by count: they sit right after
    it in the list, and the subtree is as listed since its elements were not visited yet.
    """
    order = list(root.iter(etree.Element))
    i, n = 1, len(order)  # order[0] is root
    while i < n:
        el = order[i]
        yield el
        i += 1
        if el.getparent() is None:
            i += sum(1 for _ in el.iter(etree.Element)) - 1


def _embed_url(el: HtmlElement, base: str) -> str | None:
    """The URL an embed refers to (iframe src, or the post link inside a blockquote embed)."""
    for attr in ("src", "data-src", "data-lazy-src", "data-url", "data-href", "cite",
                 "data-instgrm-permalink"):
        v = el.get(attr)
        if v and rules.EMBED_HOSTS.search(v):
            return urljoin(base, v.strip())
    links = [a.get("href") for a in el.iter("a") if a.get("href")]
    for href in reversed(links):  # tweets end with the status link
        if rules.EMBED_HOSTS.search(href):
            return urljoin(base, href.strip())
    return None


def _add_unique(values: list[str], value: str | None) -> None:
    if value and value not in values:
        values.append(value)


def _paywalled_paragraph(el: HtmlElement) -> bool:
    """A paragraph of the article that the page hides from readers without a subscription
    (``<p class="paywall" aria-hidden="true">``): the archive keeps the text it was served."""
    return el.tag == "p" and "paywall" in (el.get("class") or "").lower().split()


def strip_invisible(root: HtmlElement) -> None:
    """Scripts, styles and other never-visible markup (not recorded: they hold no text)."""
    for el in list(root.iter(*rules.INVISIBLE_TAGS)):
        if el is not root:
            _drop(el)


def strip_embeds(item: ArticleItem, root: HtmlElement) -> None:
    """Iframes and social blockquotes → ``item.embeds`` (URLs), removed from the body."""
    for el in walk(root):
        tag = el.tag
        if tag not in _EMBED_TAGS:
            continue
        wrapper = tag in ("blockquote", "div", "figure", "aside")
        if wrapper and not (class_words(el) & rules.EMBED_BLOCK_CLASSES):
            continue
        if tag in ("div", "figure", "aside") and _longer_than(el, 600):
            continue  # a wrapper named "embed" around real text
        url = _embed_url(el, item.url)
        if tag == "iframe" and url is None:
            src = (el.get("src") or el.get("data-src") or "").strip()
            if src and rules.GENERIC_EMBED.search(src) and not rules.NOT_EMBED.search(src):
                url = urljoin(item.url, src)
        if url and rules.NOT_EMBED.search(url):
            url = None
        _add_unique(item.embeds, url)
        _remove(item, el, "embed")


def _is_media_figure(el: HtmlElement) -> bool:
    """A ``<figure>`` holding a picture and at most a caption's worth of text (no paragraphs)."""
    if el.find(".//p") is not None and _longer_than(el, 300):
        return False
    return any(True for _ in el.iter("img", "picture", "video", "amp-img"))


def _is_photo(el: HtmlElement) -> bool:
    """An ``<img>`` (or a ``<picture>``/link around one) that is a photo, not an icon or emoji."""
    img = el if el.tag == "img" else next(el.iter("img"), None)
    if img is None or "emoji" in (img.get("class") or ""):
        return False
    for dim in (img.get("width"), img.get("height")):
        if dim and dim.isdigit() and int(dim) < rules.ICON_MAX_PX:
            return False
    return True


def _inline_caption(el: HtmlElement) -> bool:
    """A paragraph that opens with a photo and holds nothing else but italic/small text: the
    photo's caption in the WordPress habit ``<p><img …><br><em>Caption</em></p>``."""
    if el.tag != "p" or (el.text or "").strip():
        return False
    children = [c for c in el if isinstance(c.tag, str)]
    if not children or children[0].tag not in ("img", "picture", "a") or not _is_photo(children[0]):
        return False
    text = _short_text(el, rules.INLINE_CAPTION_MAX_CHARS)
    if not text:
        return False
    for child in children[1:]:
        if child.tag == "br":
            if (child.tail or "").strip():
                return False
            continue
        if child.tag not in rules.CAPTION_INLINE_TAGS or (child.tail or "").strip():
            return False
    return (children[0].tail or "").strip() == "" and any(
        c.tag in rules.CAPTION_INLINE_TAGS for c in children[1:])


def _picture_box(el: HtmlElement) -> bool:
    """A ``<div>`` that is a figure in all but name: a photo plus a line or two of text (caption,
    credit) in ``<div>``/``<span>`` children, no paragraph, heading or list."""
    # the photo first: most boxes have none, and lxml finds that fastest (the tests are pure)
    if not any(_is_photo(i) for i in el.iter("img")):
        return False
    if el.find(".//p") is not None or any(True for _ in el.iter(*HEADING_TAGS, "li", "table")):
        return False
    return bool(_short_text(el, rules.PICTURE_BOX_MAX_CHARS))


def strip_captions(item: ArticleItem, root: HtmlElement) -> None:
    """Figure captions and photo credits → ``item.captions`` / ``item.image_credit``."""
    for el in walk(root):
        tag = el.tag
        words = class_words(el) if (el.get("class") or el.get("id")) else set()
        is_caption = tag == "figcaption" or bool(words & rules.CAPTION_CLASSES)
        is_credit = bool(words & rules.CREDIT_CLASSES)
        if tag == "figure" and not (is_caption or is_credit):
            # A picture with its caption and credit in plain <div>s ("Purchase Licensing Rights").
            is_caption = el.find(".//figcaption") is None and _is_media_figure(el)
        elif tag == "p" and not (is_caption or is_credit):
            is_caption = _inline_caption(el)
        elif tag == "div" and not (is_caption or is_credit) and _picture_box(el):
            _add_unique(item.captions, " ".join(t.strip() for t in el.itertext() if t.strip()))
            _remove(item, el, "caption")
            continue
        if not (is_caption or is_credit):
            continue
        text = _text(el)
        if len(text) > 500 and el.tag != "figcaption":
            continue  # a "caption"-named wrapper with real text in it
        if is_credit and not is_caption:
            if text and not item.image_credit:
                item.image_credit = text
            _remove(item, el, "photo-credit")
        else:
            _add_unique(item.captions, text)
            _remove(item, el, "caption")


def strip_junk_blocks(item: ArticleItem, root: HtmlElement, site: type[Site] | None) -> None:
    """Furniture tags, boilerplate-class blocks and the site's junk selectors."""
    total = max(_text_len(root), 1)
    for name, selector in rules.site_rules(site).selectors:
        for el in selector(root):
            if el is not root and any(a is root for a in el.iterancestors()):
                _remove(item, el, name)
    for el in walk(root):
        if el.tag in rules.INVISIBLE_TAGS:
            _drop(el)  # never visible: nothing to record
            continue
        hidden = (el.get("hidden") is not None
                  or (el.get("aria-hidden") == "true" and not _paywalled_paragraph(el))
                  or rules.HIDDEN_STYLE.search(el.get("style") or "")
                  or rules.hidden_class(el.get("class") or ""))
        if hidden:
            _remove(item, el, "hidden")
            continue
        if el.tag in rules.FURNITURE_TAGS:
            if el.tag in ("header", "form") and _longer_than(el, MAX_JUNK_SHARE * total):
                continue
            _remove(item, el, "furniture")
            continue
        if (el.get("class") or el.get("id")) and rules.is_junk_block(el):
            if _longer_than(el, MAX_JUNK_SHARE * total) or el.find(".//h1") is not None:
                continue  # most of the text, or the headline's box: the class words are wrong
            _remove(item, el, "boilerplate")


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _link_chars(el: HtmlElement) -> int:
    return sum(len(text_content(a).strip()) for a in el.iter("a"))


def _is_prose(el: HtmlElement) -> bool:
    """A real paragraph: long, few links, sentence punctuation."""
    text = _text(el)
    return (len(text) >= 120 and _link_chars(el) < 0.3 * len(text)
            and text.rstrip()[-1:] in ".!?\"”’)")


#: How many elements from the top of the body are searched for a headline that is not an ``<h1>``.
_HEADLINE_SEARCH_ELEMENTS = 40


def _title_element(root: HtmlElement, title: str | None) -> HtmlElement | None:
    """The first element near the top of the body whose whole text is the article's title
    (a headline styled as ``<p class="post-title h2">`` rather than an ``<h1>``)."""
    if not title or len(title.strip()) < 10:
        return None
    for n, el in enumerate(root.iter()):
        if n > _HEADLINE_SEARCH_ELEMENTS:
            break
        if el is root or not isinstance(el.tag, str):
            continue
        text = _short_text(el, 2 * len(title))
        if text is not None and same_text(text, title):
            return el
    return None


def strip_headline(item: ArticleItem, root: HtmlElement) -> None:
    """The headline inside the body (the ``<h1>``, else an element holding just the title) and
    the short kicker/section text before it."""
    h1 = next(root.iter("h1"), None)
    if h1 is None:
        h1 = _title_element(root, item.title)
    if h1 is None or h1 is root:
        return
    before: list[HtmlElement] = []
    el = h1
    while el is not None and el is not root:
        before.extend(reversed(list(el.itersiblings(preceding=True))))
        el = el.getparent()
    pre_text = sum(_text_len(b) for b in before if isinstance(b.tag, str))
    if pre_text <= rules.PRE_HEADLINE_MAX_CHARS:
        for b in before:
            if isinstance(b.tag, str) and b.getparent() is not None:
                _remove(item, b, "pre-headline")
    _remove(item, h1, "headline")


def strip_bylines(item: ArticleItem, root: HtmlElement) -> None:
    """Short byline/dateline/kicker blocks (class words such as byline, author, date, meta)."""
    for el in walk(root):
        if (el.tag in ("address",) or (
            (el.get("class") or el.get("id"))
            and not class_words(el).isdisjoint(rules.BYLINE_WORDS)
        )) and _short_text(el, rules.BYLINE_MAX_CHARS) is not None and el.find(".//p") is None:
            _remove(item, el, "byline")


def strip_related_headings(item: ArticleItem, root: HtmlElement) -> None:
    """A "More from …"/"Related"/"Most read" heading and the link list that follows it.

    The list is what follows the heading up to the end of its box; it goes only when it is
    link-heavy, so a heading that merely reads like a label but opens article text stays.
    """
    removed = False  # until this pass removes something, every listed element but root is inside
    for h in list(root.iter(*_HEADINGS, "p", "strong", "b", "span", "div")):
        if h is root or (removed and (h.getparent() is None or not _attached(h, root))):
            continue
        if h.tag != "div" and h.tag not in _HEADINGS and (len(h) > 1 or h.find(".//a") is not None):
            continue
        if h.tag in ("span", "div") and not h.get("class"):
            continue
        text = _short_text(h, 60)
        if not text or not rules.RELATED_HEADING.match(text):
            continue
        block = _heading_block(h, root, text)
        following = [s for s in block.itersiblings() if isinstance(s.tag, str)]
        chars = sum(_text_len(f) for f in following)
        links = sum(_link_chars(f) for f in following)
        if not following or chars > 6000 or links < 0.25 * chars:
            continue  # not a link list: the heading belongs to the article
        removed = True
        _remove(item, block, "related-block")
        for f in following:
            _remove(item, f, "related-block")


def _heading_block(h: HtmlElement, root: HtmlElement, text: str) -> HtmlElement:
    """The outermost element below ``root`` that holds nothing but heading ``h`` (div > h2 > span)."""
    block = h
    while block.getparent() is not None and block.getparent() is not root:
        parent = block.getparent()
        if _longer_than(parent, len(text) + 5):
            break
        block = parent
    return block


def strip_table_of_contents(item: ArticleItem, root: HtmlElement) -> None:
    """A "Table of Contents"/"In this article" heading and the list of links right after it."""
    removed = False  # until this pass removes something, every listed element but root is inside
    for h in list(root.iter(*_HEADINGS, "p", "div", "span", "strong", "b")):
        if h is root or (removed and (h.getparent() is None or not _attached(h, root))):
            continue
        if h.tag in ("div", "span") and len(h):
            continue
        text = _short_text(h, 40)
        if not text or not rules.TOC_HEADING.match(text):
            continue
        block = _heading_block(h, root, text)
        nxt = block.getnext()
        while nxt is not None and not isinstance(nxt.tag, str):
            nxt = nxt.getnext()
        if nxt is None:
            continue
        chars = _text_len(nxt)
        if not chars or _link_chars(nxt) < rules.TOC_MIN_LINK_SHARE * chars:
            continue  # not a list of links: the heading belongs to the article
        removed = True
        _remove(item, block, "table-of-contents")
        _remove(item, nxt, "table-of-contents")


def _is_link_list(el: HtmlElement) -> bool:
    """A list or box of 2+ short links and nothing else (related stories, topic tags)."""
    kids = [c for c in el if isinstance(c.tag, str)]
    if len(kids) < 2 or el.find(".//p") is not None:
        return False
    text = _text(el).replace(" ", "")
    if not text or len(text) > rules.LINK_LIST_MAX_CHARS:
        return False
    links = [len(text_content(a).replace(" ", "").strip()) for a in el.iter("a")]
    if len(links) < 2 or max(links) > rules.LINK_LIST_MAX_LINK:
        return False
    return sum(links) >= rules.LINK_LIST_MIN_SHARE * len(text)


def strip_link_lists(item: ArticleItem, root: HtmlElement) -> None:
    """Lists (``ul``/``ol``, or a box of link-only children) made of nothing but short links, in a
    box of their own (a list among the article's paragraphs is part of the text)."""
    for el in walk(root):
        if (el.tag in ("ul", "ol") or _all_children_linked(el)) and _is_link_list(el):
            parent = el.getparent()
            if parent is not None and sum(1 for _ in parent.iterchildren("p")) >= 2:
                continue  # a list among the paragraphs is part of the text
            _remove(item, el, "link-list")


def _all_children_linked(el: HtmlElement) -> bool:
    """A ``div``/``section`` whose 2+ children each are or hold a link."""
    return el.tag in ("div", "section") and len(el) >= 2 and all(
        isinstance(c.tag, str) and (c.tag == "a" or c.find(".//a") is not None) for c in el)


def _attached(el: HtmlElement, root: HtmlElement) -> bool:
    """True while ``el`` is still inside ``root`` (not in a removed subtree)."""
    return any(a is root for a in el.iterancestors())


def strip_link_paragraphs(item: ArticleItem, root: HtmlElement) -> None:
    """Paragraphs that are one link and nothing else (inline "related story" links)."""
    for p in list(root.iter("p")):
        if p.getparent() is None:
            continue
        raw = text_content(p)
        if len(raw[:400].split()) > 30:
            continue  # a prefix has at most the words of the whole: a long paragraph
        text = " ".join(raw.split())
        if not text or len(text.split()) > 30:
            continue
        if _link_chars(p) >= 0.9 * len(text.replace(" ", "")) + 0 and len(text) >= 20:
            _remove(item, p, "link-paragraph")


def _linked_heading(el: HtmlElement) -> bool:
    """A heading whose text is one link to another page (a teaser's headline)."""
    if el.tag not in ("h2", "h3", "h4"):
        return False
    links = [a for a in el.iter("a") if (a.get("href") or "#").strip()[:1] not in ("#", "")]
    text = _text(el)
    return len(links) == 1 and bool(text) and len(_text(links[0])) >= 0.9 * len(text)


#: Class tokens by which a CMS marks a box as one post (WordPress's ``post_class()``:
#: ``post-123``, ``hentry``, ``type-post``).
_POST_ENTRY = re.compile(r"(?:^|\s)(?:post-\d+|hentry|type-post)(?:\s|$)")


def strip_other_posts(item: ArticleItem, root: HtmlElement) -> None:
    """Entries of *other* posts inside the body: boxes the CMS marks as a post that do not hold
    the article's headline ("recent posts", "you may also like" cards of a blog theme).

    When the headline sits in a post box of the container, every other post box goes. Otherwise
    a post box may be the article itself, so only a series of short ones (2+ siblings of at most
    ``rules.POST_CARD_MAX_CHARS``: a listing) goes, and only when it holds less than half of the
    text (a page that *is* a listing keeps it).
    """
    total = _text_len(root)
    h1 = next(root.iter("h1"), None)
    own = set(h1.iterancestors()) if h1 is not None else set()
    own_known = any(_POST_ENTRY.search(a.get("class") or "") for a in own
                    if a is root or root in set(a.iterancestors()))
    for el in walk(root):
        if el in own or not _POST_ENTRY.search(el.get("class") or ""):
            continue
        if not own_known:
            parent = el.getparent()
            series = [c for c in parent if isinstance(c.tag, str)
                      and _POST_ENTRY.search(c.get("class") or "")] if parent is not None else []
            sizes = [_text_len(c) for c in series]
            if (len(series) < 2 or max(sizes) > rules.POST_CARD_MAX_CHARS
                    or sum(sizes) > MAX_JUNK_SHARE * total):
                continue
        _remove(item, el, "related-post")


def strip_link_cards(item: ArticleItem, root: HtmlElement) -> None:
    """A lone teaser card inside the text: a box holding a linked headline, at most a short
    standfirst and a picture ("Wronged postmistress … takes the stage at the Brits" with its
    one-line summary in a live-blog post). A series of such boxes (a list of linked entries)
    is content and stays."""
    for h in [h for h in root.iter("h2", "h3", "h4") if _linked_heading(h)]:
        box = h.getparent()
        if box is None or box is root or box.getparent() is None:
            continue
        text = _text(box)
        if len(text) > rules.LINK_CARD_MAX_CHARS:
            continue
        others = [c for c in box if isinstance(c.tag, str) and c is not h]
        paragraphs = [c for c in others if c.tag == "p"]
        if len(paragraphs) > 1 or any(c.tag not in ("p", "figure", "div", "img", "picture", "a")
                                      for c in others):
            continue
        if any(c.tag == "div" and _text(c) for c in others):
            continue
        siblings = [s for s in box.itersiblings() if isinstance(s.tag, str)] + \
            [s for s in box.itersiblings(preceding=True) if isinstance(s.tag, str)]
        if any(_linked_heading(x) for s in siblings for x in s.iter("h2", "h3", "h4")):
            continue
        _remove(item, box, "link-card")


def strip_junk(item: ArticleItem, site: type[Site] | None = None) -> None:
    """Apply the DOM rules to ``item.container`` (generic + ``site.junk_selectors``).

    Embeds go to ``item.embeds``, captions to ``item.captions``, photo credits to
    ``item.image_credit``; every removal with visible text is recorded in ``item.removed``.
    """
    root = item.container
    if root is None:
        return
    # Holding a reference to every element keeps its lxml proxy alive, so the passes below reuse
    # them instead of building new ones (each through lxml.html's Python class lookup).
    _alive = list(root.iter())
    strip_invisible(root)
    strip_embeds(item, root)
    strip_captions(item, root)
    strip_junk_blocks(item, root, site)
    strip_other_posts(item, root)
    strip_headline(item, root)
    strip_bylines(item, root)
    strip_related_headings(item, root)
    strip_table_of_contents(item, root)
    strip_link_lists(item, root)
    strip_link_paragraphs(item, root)
    strip_link_cards(item, root)
