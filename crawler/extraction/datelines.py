"""Dates a reader sees: the dateline near the headline or byline ("Published April 15, 2019 at
1:18 pm EDT", "By Jane Doe | 15 April 2019"), "Updated …" lines, labelled dates.

Every function here reads an lxml tree and returns :class:`Dateline` values; the choice between
them and the page's metadata is made in :class:`~crawler.extraction.page.ArticlePage`.
Written by hand because no installed library does it: htmldate returns one day for the whole page
(no time, no published/updated distinction, no position), and dateutil reads one string.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from crawler.extraction.dates import Found, dates_in_text, parse_when

PUBLISHED, MODIFIED, PLAIN = "published", "modified", "plain"

#: Words that say what a printed date is. "Reviewed" (a medical or legal review) is no publication.
_LABELS = re.compile(
    r"(?P<mod>(?:last\s+)?(?:updated|modified|edited|revised|reviewed|aktualisiert|ge[äa]ndert|"
    r"mis\s+[àa]\s+jour|actualizado|actualis[ée]|aggiornato)|update)"
    r"|(?P<pub>(?:originally\s+|first\s+)?(?:published|posted|erschienen|ver[öo]ffentlicht|publi[ée]|"
    r"publicado|pubblicato))",
    re.I,
)
#: Classes that mark a date element as the update time ("updated", "date-modified",
#: "field--name-changed"); "entry-date published updated" (WordPress) is the publication.
_MODIFIED_CLASS = re.compile(r"updated|modified|changed|date[_-]?up\b|last[_-]?edit", re.I)
PUBLISHED_CLASS = re.compile(r"publish|posted|pubdate|created", re.I)
#: Boxes that list other pages or belong to the site, not the article: their dates are other
#: articles' ("related", "recent posts", cards, sliders) or today's (navigation, footer).
_FURNITURE = re.compile(
    r"related|recent|popular|trending|most-?read|read-?next|recommend|more-?(?:stories|posts|news)|"
    r"sidebar|teaser|(?:^|[\s_-])card|swiper|carousel|slider|"
    r"(?:^|[\s_-])nav(?!y)|menu|breadcrumb|comment(?!ary)|disqus|"
    r"(?:^|[\s_-])repl(?:y|ies)",
    re.I,
)
_FURNITURE_TAGS = frozenset({"nav", "aside", "select", "option", "button"})
#: A date archive link ("/2019/04/15/"): a dateline may link there (WordPress does).
_DATE_ARCHIVE = re.compile(r"^/(?:\d{4}/)(?:\d{1,2}/){0,2}$")
#: Text nodes that may hold a year, short enough to be a dateline or a part of one (pure XPath:
#: libxml2 runs it without calling back into Python).
_DATE_TEXT_XPATH = (
    ".//text()[(contains(., '19') or contains(., '20')) and string-length(.) < 140"
    " and not(ancestor::script) and not(ancestor::style)]"
)
#: A year as dates print it (a quick test before a line is read).
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_LABEL_TEXT_XPATH = (
    "//body//text()[(contains(., 'ublish') or contains(., 'UBLISH') or contains(., 'osted')"
    " or contains(., 'OSTED') or contains(., 'rschienen') or contains(., 'ffentlicht')"
    " or contains(., 'ublié') or contains(., 'ublicado') or contains(., 'ubblicato'))"
    " and string-length(.) < 400 and not(ancestor::script) and not(ancestor::style)]"
)
#: The longest text read as one dateline ("By Jane Doe, Senior Editor | Friday June 7, 2013 @ …").
_LINE_MAX = 110
#: A line has at most this many text pieces (a layout box has hundreds, most of them blank).
_PIECES = 40
#: How many characters before a date in a long line are read for its label.
_CONTEXT = 40
#: How far up from the headline the dateline is looked for (h1 → title box → header → article).
_LEVELS = 5


class Dateline(NamedTuple):
    """A printed date: what it is (published, modified or unlabelled) and where it stands."""

    found: Found
    kind: str
    element: HtmlElement
    #: The date as printed ("Friday June 7, 2013 @ 6:43pm EDT").
    printed: str


def _norm(text: str) -> str:
    return " ".join(text.split())


def _text(el: HtmlElement) -> str:
    """The text of ``el`` with its pieces spaced ("health</h1><span>DECEMBER 22" keeps a word
    break, which ``text_content()`` loses)."""
    return " ".join(" ".join(el.itertext()).split())


def _classes(e: HtmlElement) -> str:
    """``e``'s class and id words, without utility-CSS variants and arbitrary values
    ("lg:max-2xl:mr-[--sidebar-width]" names no sidebar)."""
    words = ((e.get("class") or "") + " " + (e.get("id") or "")).split()
    return " ".join(w.rsplit(":", 1)[-1] for w in words if "[" not in w)


def line_of(el: HtmlElement) -> HtmlElement:
    """The element holding the whole printed line around ``el`` ("Updated" + "Feb 27, 2026" in
    two spans → their parent), as long as it stays a short line."""
    line = el
    for _ in range(3):
        parent = line.getparent()
        if parent is None or parent.tag in ("body", "html", "article", "main"):
            break
        if not _short(parent) or any(h.tag in ("h1", "h2") for h in parent.iter("h1", "h2")):
            break  # a box of text, or the headline's box: no longer one line
        line = parent
    return line


def _short(el: HtmlElement, limit: int = _LINE_MAX) -> bool:
    """True when ``el``'s text is at most ``limit`` characters in at most :data:`_PIECES`
    pieces (counted without reading a big box to its end)."""
    total = 0
    for n, piece in enumerate(el.itertext()):
        total += len(piece.strip())
        if total > limit or n > _PIECES:
            return False
    return True


def read_line(line: HtmlElement, text: str | None = None, skip: int = 0) -> list[Dateline]:
    """The dates of one printed line (``text``, by default all of ``line``'s; dates before
    ``skip`` only give labels), each with its kind: the last label before a date decides
    ("Published April 3, 2019 | Updated April 5, 2019"); with none, the classes of the line."""
    text = _text(line) if text is None else text
    out: list[Dateline] = []
    labels = list(_LABELS.finditer(text))
    previous_end = 0
    for found, start, end in dates_in_text(text):
        before = [m for m in labels if previous_end <= m.start() and m.end() <= start]
        previous_end = end
        if start < skip:
            continue
        holder = _holder(line, text[start:end])
        label = before[-1] if before else None
        kind = (MODIFIED if label["mod"] else PUBLISHED) if label else _class_kind(holder, line)
        if holder.tag == "time":  # its machine value is the same date, often with the time
            found = parse_when(holder.get("datetime")) or found
        out.append(Dateline(found, kind, line, text[start:end]))
    return out


def read_at(el: HtmlElement, own: str | None = None, lead: str = "") -> list[Dateline]:
    """The dates printed in ``el`` (or in ``own``, a text node of it) read in their line; in a
    line too long to be a dateline, with the words just before them as labels ("Last updated:
    <time>…</time>. If you buy through my links…")."""
    line = line_of(el)
    if own is None and _short(line):
        el, own = line, _text(line)
    before = _norm(_text_before(el) + " " + lead)[-_CONTEXT:]
    return read_line(el, f"{before} {_norm(own if own is not None else _text(el))}", len(before) + 1)


def _text_before(el: HtmlElement) -> str:
    """The text printed just before ``el`` in its line (earlier siblings, then the parents' own
    text), where a label ("Last Updated", "Published on") stands."""
    parts: list[str] = []
    size, cur = 0, el
    for _ in range(3):
        prev = cur.getprevious()
        while prev is not None and size < _CONTEXT:
            if isinstance(prev.tag, str) and not _short(prev, _LINE_MAX):
                return _norm(" ".join(reversed(parts)))  # a box of text before: no label there
            piece = (_text(prev) if isinstance(prev.tag, str) else "") + " " + (prev.tail or "")
            parts.append(piece)
            size += len(piece.strip())
            prev = prev.getprevious()
        parent = cur.getparent()
        if parent is None or size >= _CONTEXT or parent.tag in ("body", "html"):
            break
        parts.append(parent.text or "")
        size += len((parent.text or "").strip())
        cur = parent
    return _norm(" ".join(reversed(parts)))


def _holder(line: HtmlElement, printed: str) -> HtmlElement:
    """The smallest element of ``line`` whose text holds ``printed``."""
    holder = line
    for e in line.iterdescendants():
        if isinstance(e.tag, str) and printed in _text(e):
            holder = e
    return holder


def _class_kind(holder: HtmlElement, line: HtmlElement) -> str:
    """What the classes say of a date: those of its ``holder`` and its ancestors up to the line."""
    for e in (holder, *holder.iterancestors()):
        classes = _classes(e)
        if PUBLISHED_CLASS.search(classes):
            return PUBLISHED
        if _MODIFIED_CLASS.search(classes):
            return MODIFIED
        if e is line:
            break
    return PLAIN


class Furniture:
    """Tells a page's furniture from its article (see :meth:`__call__`); remembers each
    element's verdict, as the candidates of one page share their ancestors."""

    def __init__(self, page_urls: frozenset[str]) -> None:
        self.page_urls = page_urls
        self._paths = {_path_key(u) for u in page_urls}
        self._own: dict[HtmlElement, bool] = {}

    def __call__(self, el: HtmlElement) -> bool:
        """True for a date in navigation, the page footer, a sidebar, a comment thread or a list
        of other articles (a link to another page is a teaser; one to this page or a date archive
        is not). An article's own ``<footer>`` ("Posted on …") is no furniture."""
        chain = []
        for e in (el, *el.iterancestors()):
            if e.tag in ("body", "html"):
                break
            chain.append(e)
        in_article = any(e.tag == "article" for e in chain)
        for e in chain:
            if e.tag == "footer" and not in_article:
                return True
            own = self._own.get(e)
            if own is None:
                own = self._own[e] = self._is_furniture(e)
            if own:
                return True
        return False

    def _is_furniture(self, e: HtmlElement) -> bool:
        if e.tag in _FURNITURE_TAGS:
            return True
        if e.tag == "a" and e.get("href"):
            href = e.get("href", "").strip()
            if not href.startswith("#") and not _DATE_ARCHIVE.match(urlsplit(href).path):
                key = _url_key(href)
                if key not in self.page_urls and key not in self._paths:
                    return True
        attrs = _classes(e)
        return bool(attrs) and _FURNITURE.search(attrs) is not None


def _url_key(url: str) -> str:
    """A URL without scheme, host case, query, fragment and trailing slash."""
    parts = urlsplit(url.strip())
    return (parts.netloc.lower().removeprefix("www.") + parts.path).rstrip("/")


def _path_key(key: str) -> str:
    """A :func:`_url_key` without its host (a relative link names the same page)."""
    return key[key.find("/"):] if "/" in key else ""


def page_keys(*urls: str | None) -> frozenset[str]:
    """The keys of the page's own URLs, for :class:`Furniture`."""
    return frozenset(_url_key(u) for u in urls if u)


def _after(el: HtmlElement, other: HtmlElement) -> bool:
    """True when ``el`` comes after ``other`` in document order (neither contains the other)."""
    chain = {id(a): a for a in (other, *other.iterancestors())}
    prev = el
    for anc in el.iterancestors():
        if id(anc) in chain:
            # ``prev`` and the child of ``anc`` on ``other``'s side are siblings.
            other_side = other
            for o in (other, *other.iterancestors()):
                if o.getparent() is anc:
                    other_side = o
                    break
            return anc.index(prev) > anc.index(other_side)
        prev = anc
    return False


def _contains(box: HtmlElement, el: HtmlElement) -> bool:
    return any(a is box for a in el.iterancestors())


def near(anchor: HtmlElement, body: HtmlElement | None, furniture: Furniture) -> list[Dateline]:
    """The printed dates closest to ``anchor`` (the headline or byline): those of its nearest
    ancestor box that holds one, in page order. Dates in the article text, after it, or in
    furniture are left out."""
    box = anchor
    body_inside = body is not None and body is not anchor and not _contains(body, anchor)
    seen: set[HtmlElement] = set()  # lines of the smaller boxes (they held no date); the
    # elements themselves are kept: an id() of a freed lxml proxy can come back for another node
    for _ in range(_LEVELS):
        parent = box.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        box = parent
        found = list(_datelines(box, body if body_inside else None, furniture, seen))
        if found:
            return found
    return []


def _datelines(box: HtmlElement, body: HtmlElement | None, furniture: Furniture,
               seen: set[HtmlElement]) -> Iterator[Dateline]:
    body_in_box = body is not None and _contains(box, body)
    nodes = [n for n in box.xpath(_DATE_TEXT_XPATH) if _YEAR.search(n)]
    for node in nodes[:40]:
        el = tail_of = node.getparent()
        if tail_of is not None and node.is_tail:
            el = tail_of.getparent()
        if el is None or not isinstance(el.tag, str):
            continue
        line = line_of(el)
        if line in seen:
            continue
        seen.add(line)
        if body_in_box and (_contains(body, line) or line is body or _after(line, body)):
            continue
        if furniture(line):
            continue
        if _short(line):
            yield from read_at(line)
        elif node.is_tail:  # "By <a>X</a> | Friday June 7, 2013 @ 6:43pm EDT <span>Tags: …"
            yield from read_at(tail_of, str(node), _text(tail_of))
        else:
            yield from read_at(el, str(node))


def labelled(root: HtmlElement, furniture: Furniture) -> list[Dateline]:
    """Dates after a "Published"/"Posted"/"Erschienen am"/"Publié le" label, in the same line or
    the next element ("<div>Published</div><div>October 14, 2025</div>"). A long text counts
    only when it opens with the label ("This article was originally published on …")."""
    out: list[Dateline] = []
    for node in root.xpath(_LABEL_TEXT_XPATH)[:12]:
        text = _norm(str(node))
        m = next((m for m in _LABELS.finditer(text) if m["pub"]), None)
        if not m or (len(text) > _LINE_MAX and m.start() > _CONTEXT):
            continue
        el = node.getparent()
        if el is None or furniture(el):
            continue
        after = text[m.end():m.end() + 60]
        found = next(dates_in_text(after), None)
        if found is not None:
            out.append(Dateline(found[0], PUBLISHED, el, after[found[1]:found[2]]))
            continue
        line = line_of(el)
        targets = [line] + [s for s in (line.getnext(), el.getnext()) if s is not None]
        for target in targets:
            if not _short(target):
                continue
            dl = [d for d in read_line(target) if d.kind != MODIFIED]
            if dl:
                out.append(dl[0]._replace(kind=PUBLISHED))
                break
    return out


def kind_of(el: HtmlElement) -> tuple[str, Found | None]:
    """What the date printed in ``el`` is (by its line's labels and classes) and its value."""
    text = _text(el)
    for d in read_at(el):
        if d.printed in text:
            return d.kind, d.found
    return PLAIN, None


def classed(root: HtmlElement, xpath: str, furniture: Furniture) -> list[Dateline]:
    """The dates of short elements ``xpath`` selects (classes naming a date, ``<time>``), in page
    order, outside furniture."""
    out: list[Dateline] = []
    for el in root.xpath(xpath)[:30]:
        if not _short(el, 160) or furniture(el):
            continue
        out.extend(read_at(el))
    return out
