"""Bylines in the page's markup and text: which elements are byline markup, which boxes are page
furniture (related stories, sidebars, teasers), the lines of text a reader sees, and the few text
nodes around the headline and the article body where a byline is printed."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree
from lxml.html import HtmlElement

from crawler.extraction import authors as authors_mod

#: Byline markup, a cheap filter: rel/itemprop author, a class with "author"/"Author" or
#: "byline"/"Byline" in it, a link to an author page (``is_byline_markup`` then decides). The
#: attribute axis is walked, not every element's attributes tested (half the time).
BYLINE_XPATH = (
    "//body//*/@class[contains(., 'uthor') or contains(., 'yline')]/.."
    " | //body//*/@rel[. = 'author']/.. | //body//*/@itemprop[. = 'author']/.."
    " | //body//a/@href[contains(., '/author') or contains(., '/contributor') or contains(., '/writer')]/.."
)
FIND_BYLINES = etree.XPath(BYLINE_XPATH)
FIND_ITEMPROP_NAME = etree.XPath(".//*[@itemprop='name']")
#: Linked headlines (a teaser of another article: "<h3><a>…</a></h3>", "<a><h2>…</h2></a>").
_FIND_LINKED_HEADINGS = etree.XPath("(.//h2|.//h3|.//h4)[.//a[@href] or ancestor::a[@href]]")
#: A link to one writer's page ("/author/jane-doe/", "/blog/authors/jane-doe"): the link text
#: is that writer's name.
_AUTHOR_PAGE = re.compile(r"/(?:authors?|contributors?|writers?)/[^/?#]+/?(?:[?#]|$)", re.I)
#: A class token of byline markup (lower-cased, CSS-module hash cut): "byline", "entry-author",
#: "author-name", "post-hero__author", "blog__authorname", "c-byline__item", "author-box__name";
#: not "author-avatar", "author-bio", "authors".
_BYLINE_CLASS = re.compile(
    r"(?:^|[-_])(?:author|byline)(?:[-_]{1,2}(?:name|names|link|text|item|wrap|wrapper|box|meta"
    r"|content|container|info|attribution|block|details|line)){0,2}$|authorname|bylinename"
    r"|(?:^|[-_])author[a-z-]{0,8}[-_]{1,2}name$"
)
#: A class token of markup that names someone other than the article's writer: a quote's or a
#: testimonial's author, a teaser card's or a comment's byline ("Quote_author", "card__byline",
#: "c-teaser__byline", "comment-author"; not "teaser-box" next to an "author" token).
_NOT_BYLINE_CLASS = re.compile(
    r"(?:quote|testimonial|teaser|promo|recirc|related|card|collection|summary-item|comment)"
    r".*(?:author|byline)|(?:author|byline).*(?:quote|testimonial|teaser|promo|card)", re.I)
#: A camelCase boundary ("dateAndAuthorContainer" is read as "date-and-author-container").
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
#: The hash that CSS modules and styled-components append to a class ("Author_author__4ceOm",
#: "styles__AuthorName-sc-185vu23-2").
_CSS_HASH = re.compile(r"__(?=[a-z]*[A-Z0-9])[A-Za-z0-9]{5}$|-sc-[A-Za-z0-9]+(?:-\d+)?$")
#: What a byline label contains (a quick test before ``authors.label_end``).
LABEL_HINT = re.compile(r"\b(?:by|authors?|autor|auteur|contributors?|von|par|por)\b", re.I)
#: Class tokens of page furniture around bylines: related stories, sidebars, newsletters.
_FURNITURE_TOKEN = re.compile(
    r"^(?:[a-z0-9]+[-_]{1,2}){0,2}(related|sidebar|recommend\w*|trending|popular|newsletter"
    r"|carousel|breadcrumbs?|read-?next|more-(?:stories|articles|posts|from)|you-may-like|also-like"
    r"|widget-area)(?:[-_]{1,2}[a-z0-9]+){0,2}$"
)
#: The furniture words that name other articles (excluded even for byline markup).
_RELATED = frozenset({"related", "recommended", "recommendations", "trending", "popular",
                      "read-next", "readnext", "more-stories", "more-articles", "more-posts",
                      "more-from", "you-may-like", "also-like"})
#: Tokens of layout wrappers that hold the article too ("content-sidebar-wrap", "has-sidebar").
_LAYOUT_TOKEN = re.compile(r"wrap|layout|content|main|has-|with-|page")
#: A link to a category or tag page (rel="tag", /category/, /tag/, /topics/): no author.
_TAXONOMY_LINK = re.compile(r"^tag\b|/(?:category|categories|tags?|topics?|sections?)/", re.I)
#: Links that a signature may carry: the writer's page, mail or social profile.
AUTHOR_HREF = re.compile(r"author|about|team|staff|profile|people|contributor|writer|user|member"
                         r"|mailto:|twitter\.com|x\.com|linkedin|instagram", re.I)
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "nav", "ol", "p", "section", "table", "tbody", "td", "th", "tr", "ul",
})
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "select"})


def is_byline_markup(el: HtmlElement) -> bool:
    """True for rel/itemprop author or a class token naming an author or a byline ("byline",
    "entry-author", "author-name", "post-hero__author", "AuthorName", "Author_author__4ceOm";
    not "author-bio", "author-avatar", "authors")."""
    if el.get("rel") == "author" or el.get("itemprop") == "author":
        return True
    if any(_NOT_BYLINE_CLASS.search(c) for c in (el.get("class") or "").split()):
        return False
    return is_byline_class(el) or (el.tag == "a" and bool(_AUTHOR_PAGE.search(el.get("href") or "")))


def is_byline_class(el: HtmlElement) -> bool:
    """True for an element with a class token that names an author or a byline."""
    return any(_BYLINE_CLASS.search(_CAMEL.sub("-", _CSS_HASH.sub("", c)).lower())
               for c in (el.get("class") or "").split())


def bare_author_link(el: HtmlElement, markup: set[HtmlElement]) -> bool:
    """True for a link to an author page that no byline markup around it marks (a menu or a
    teaser may hold one too)."""
    return el.tag == "a" and not el.get("rel") and not is_byline_class(el) and not any(
        anc in markup for anc in el.iterancestors())


def is_furniture_box(el: HtmlElement, strict: bool = True) -> bool:
    """True for a box whose class or id names page furniture ("related-posts"; with ``strict``
    also "sidebar", "newsletter")."""
    for attr in (el.get("class"), el.get("id")):
        for token in (attr or "").lower().split():
            m = _FURNITURE_TOKEN.match(token)
            if m and not _LAYOUT_TOKEN.search(token) and (strict or m.group(1) in _RELATED):
                return True
    return False


def in_furniture(el: HtmlElement, headline: HtmlElement | None,
                 around: set[HtmlElement] | None = None, *, strict: bool = True) -> bool:
    """True inside a related-stories box or a teaser of another article (a short box with a
    linked heading near the byline, or an ``<article>`` when the headline is in another one);
    ``strict`` also inside navigation, asides, sidebars and the page footer (a visible "By"
    there is no byline; byline markup may be: some layouts put the byline in an aside). The
    headline's own boxes (``around``, its ancestors) are never furniture."""
    if around is None:
        around = set(headline.iterancestors()) if headline is not None else set()
    in_article = False
    for depth, anc in enumerate(el.iterancestors()):
        if anc.tag in ("body", "html"):
            break
        holds_headline = anc in around  # the headline's own boxes are no furniture
        if not holds_headline and is_furniture_box(anc, strict):
            return True
        if strict and not holds_headline and anc.tag in ("nav", "menu"):
            return True
        if strict and not holds_headline and anc.tag == "aside" and not any(
                a.tag == "article" and a in around for a in anc.iterancestors()):
            return True  # an aside of the page; one in the headline's <article> is its meta box
        if anc.tag == "article":
            if not holds_headline and any(a.tag == "article" for a in around):
                return True  # the headline is in another <article>: this one is a teaser
            in_article = True
        if strict and anc.tag == "footer" and not in_article and not any(
                a.tag == "article" for a in anc.iterancestors()):
            return True
        if depth < 4 and headline is not None and not holds_headline and len(anc.text_content()) < 600:
            for h in _FIND_LINKED_HEADINGS(anc):
                if h is not el and el not in h.iterancestors() and h not in el.iterancestors():
                    return True  # a linked headline of another article next to this byline
    return False


def text_lines(el: HtmlElement, limit: int = 8) -> list[str]:
    """The first lines of an element's text as a reader sees them: block elements and ``<br>``
    break lines, inline ones don't ("<p>Written by</p><p>Jane Doe</p>" → two lines)."""
    lines: list[str] = []
    cur: list[str] = []

    def flush() -> None:
        text = " ".join("".join(cur).split())
        cur.clear()
        if text:
            lines.append(text)

    walk = etree.iterwalk(el, events=("start", "end"))
    for event, e in walk:
        tag = e.tag if isinstance(e.tag, str) else ""
        if event == "start":
            if tag in _SKIP_TAGS:
                walk.skip_subtree()
                if e is not el and e.tail:
                    cur.append(e.tail)
                continue
            if tag in _BLOCK_TAGS:
                flush()
            if e.text:
                cur.append(e.text)
        else:
            if tag in _BLOCK_TAGS:
                flush()
            if e is not el and e.tail:
                cur.append(e.tail)
        if len(lines) >= limit:
            break
    flush()
    return lines[:limit]


def box_names(el: HtmlElement) -> list[str]:
    """The names in a byline element: its first line that holds names, after a label ("By",
    "Written by") and before a date or a separator; a handle ("oz") counts here, where the
    markup says it is the author."""
    lines = text_lines(el, limit=4)
    if lines and authors_mod.other_credit(lines[0]):
        return []  # "Reviewed by …", "Researched by …": not the writer
    for line in lines:
        end = authors_mod.label_end(line)
        rest = line[end:] if end is not None else line
        if not rest.strip(" :"):
            continue
        found = authors_mod.line_names(rest, handles=True, strict=end is None)
        if found:
            return [] if taxonomy_names(el, found) else found
    return name_in_children(el) if len(el) else []


def other_credit_before(el: HtmlElement) -> bool:
    """True when the text just before ``el`` on its line credits someone other than the writer
    ("Reviewed by <a>…</a>", "<span>Fact checked by</span> <a>…</a>")."""
    for node in (el, el.getparent()):
        if node is None:
            return False
        prev = node.getprevious()
        before = (prev.tail if prev is not None else (node.getparent().text if node.getparent()
                                                       is not None else "")) or ""
        if prev is not None and not before.strip() and len(prev) < 4:
            before = prev.text_content()
        if before.strip():
            return authors_mod.ends_with_other_credit(before)
    return False


def taxonomy_names(box: HtmlElement, names: list[str]) -> bool:
    """True when ``names`` are the text of category or tag links in ``box`` ("By" over a list
    of topics, a "byline" that shows the section)."""
    joined = " ".join(names)
    return any(_TAXONOMY_LINK.search(f"{a.get('rel')} {a.get('href')}") and a.text_content().strip()
               and a.text_content().strip() in joined for a in box.iter("a"))


def headline_box(head: HtmlElement) -> HtmlElement:
    """The headline's box: its ancestor three levels up (or the last one below ``<body>``)."""
    box = head
    for _ in range(3):
        parent = box.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        box = parent
    return box


def by_distance(found: list[tuple[HtmlElement, list[str]]], head: HtmlElement,
                scope: HtmlElement) -> list[tuple[HtmlElement, list[str]]]:
    """The candidates nearest ``head`` first, in document order (equals keep their order).
    Source lines measure it where they tell the candidates apart, else the element count in
    ``scope``."""
    if len(found) < 2:
        return found
    lines = [el.sourceline for el, _names in found]
    if head.sourceline is not None and None not in lines and len(set(lines)) == len(lines):
        at = head.sourceline
        return [found[i] for i in sorted(range(len(found)), key=lambda i: (abs(lines[i] - at), i))]
    order = {el: i for i, el in enumerate(scope.iter())}
    at = order.get(head, 0)
    dist = [abs(order.get(el, at) - at) for el, _names in found]
    return [found[i] for i in sorted(range(len(found)), key=lambda i: (dist[i], i))]


def texts_in(el: HtmlElement, backward: bool = False) -> Iterator[tuple[str, HtmlElement]]:
    """The non-empty text nodes inside ``el`` in document order (or reversed, the last child's
    subtree first), each with the element whose line it is on (a tail belongs to the parent);
    scripts and styles skipped. A tail comes right after its element's own text (near enough
    for a window of a few dozen nodes, and a C-level walk)."""
    if backward:
        for child in reversed(el):
            if child.tail and child.tail.strip():
                yield child.tail, el
            if isinstance(child.tag, str):
                for e in reversed(list(child.iter())):
                    if e is not child and e.tail and e.tail.strip():
                        yield e.tail, e.getparent()
                    if e.text and e.tag not in _SKIP_TAGS and e.text.strip():
                        yield e.text, e
        if el.text and el.text.strip():
            yield el.text, el
        return
    for e in el.iter():
        if e.text and e.tag not in _SKIP_TAGS and isinstance(e.tag, str) and e.text.strip():
            yield e.text, e
        if e is not el and e.tail and e.tail.strip():
            yield e.tail, e.getparent()


def texts_beside(el: HtmlElement, backward: bool = False) -> Iterator[tuple[str, HtmlElement]]:
    """The non-empty text nodes after ``el`` (or before it, nearest first), up to the page's
    ``<body>``; ``el``'s own text excluded."""
    node = el
    while True:
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return
        if not backward and node.tail and node.tail.strip():
            yield node.tail, parent
        for sib in node.itersiblings(preceding=backward):
            if backward and sib.tail and sib.tail.strip():
                yield sib.tail, parent
            if isinstance(sib.tag, str) and sib.tag not in _SKIP_TAGS:
                yield from texts_in(sib, backward)
            if not backward and sib.tail and sib.tail.strip():
                yield sib.tail, parent
        if backward and parent.text and parent.text.strip():
            yield parent.text, parent
        node = parent


def names_after_label(text: str, box: HtmlElement | None) -> tuple[HtmlElement, list[str]] | None:
    """``(line element, names)`` for a text node of ``box`` that opens a byline: a label at the
    start of a short line (or after a date), the names after it on that line or on the next."""
    text = " ".join(text.split())
    end = authors_mod.label_end(text)
    if end is None:
        return None
    for _ in range(3):
        if box is None or box.tag in ("body", "html") or len(box.text_content()) > 300:
            return None
        lines = text_lines(box, limit=12)
        at = next((i for i, line in enumerate(lines) if text in line), None)
        if at is None:
            return None
        line = lines[at]
        pre = line[:line.index(text)]
        if pre.strip() and not authors_mod.DATED_PREFIX.match(pre):
            return None  # "Photo by …", "… developed by …": not a byline's label
        rest = line[line.index(text) + end:].strip(" :")
        if not rest and at + 1 < len(lines):
            rest = lines[at + 1]
        if rest:
            names = authors_mod.line_names(rest)
            return (box, names) if names and not taxonomy_names(box, names) else None
        box = box.getparent()  # "<div>By</div>" alone: the name is in the next box
    return None


def name_in_children(el: HtmlElement) -> list[str]:
    """The first leaf element of a byline box whose text is a name ("Johanna Kropfitsch" out of
    "Johanna Kropfitsch Alle Artikel")."""
    for sub in el.iterdescendants():
        if len(sub) == 0 and isinstance(sub.tag, str):
            text = " ".join(sub.text_content().split())
            if 2 < len(text) < 60:
                found = authors_mod.split_names(text)
                if found and authors_mod.looks_like_name(found[0]):
                    return found[:1]
    return []
