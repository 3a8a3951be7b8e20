"""The one lxml parse of a page (and a second one when libxml2 ended the document early)."""

from __future__ import annotations

import re
from typing import NamedTuple

import lxml.html
from lxml import etree

from crawler.extraction import sniffing


def _element_classes() -> etree.ElementNamespaceClassLookup:
    """lxml.html's element classes (``FormElement`` for ``<form>`` …, ``HtmlElement`` for the
    rest), looked up in C. lxml.html's own lookup runs a Python method for every element proxy
    made, a large share of the time of a pass over a big page. Same classes: libxml2's HTML
    parser gives lower-case tag names, which lxml.html's lookup lower-cases before its lookup."""
    lookup = etree.ElementNamespaceClassLookup(etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))
    lookup.get_namespace(None).update(lxml.html.HtmlElementClassLookup._default_element_classes)
    return lookup


_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, recover=True)
_PARSER.set_element_class_lookup(_element_classes())
#: The same parser for the page as UTF-8 bytes, which libxml2 reads as they are: a ``str`` reaches
#: it as UTF-16 or UCS-4 to convert first (0.5-1 ms of a 200 KiB page; the same trees, compared
#: on every page of the corpus).
_UTF8_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, recover=True,
                                    encoding="utf-8")
_UTF8_PARSER.set_element_class_lookup(_element_classes())
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
#: Characters that show nothing and are never text: C0 controls, DEL, a byte order mark past the
#: start (a zero-width no-break space nobody means) and the noncharacters U+FFFE/U+FFFF. Removed
#: before the parse, as browsers skip them (a NUL inside a tag name would break it). C1 controls
#: stay: they are windows-1252 punctuation or UTF-8 read as Latin-1 upstream (``unicode_repair``).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\ufffe\uffff]")
#: Those of them worth a note on the page (a stray byte order mark is common and harmless).
_C0 = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

#: How a page was parsed: once by lxml (the normal case, not recorded on the item) ...
LXML = "lxml"
#: ... or again with its ``</body>``/``</html>`` end tags ignored (``field_sources["parser"]``).
REPARSED = "lxml:doc-end-tags-ignored"
#: Visible characters (not counting spaces, about a sentence) that make a re-parse worth it.
MIN_LOST_CHARS = 100

# Why a parse can lose text: libxml2 (2.12 to 2.14 at least) drops everything after the first
# ``</html>`` end tag, and puts what follows a ``</body>`` after the body element, outside it.
# Browsers ignore both end tags (the HTML5 "after body" modes go back to "in body"), so a page
# whose header template closes the document (``</header></body></html>``, then the article) shows
# its article to a reader and loses it to lxml. Re-parsing the page without those end tags gives
# the tree a browser builds, still by libxml2, so every rule downstream sees the tree shape it was
# written for (bs4's html.parser, through ``lxml.html.soupparser``, would build another shape, is
# some 30 times slower, and fails on processing instructions inside inline SVG).
_HTML_END = re.compile(r"</html\b[^>]*>", re.I)
#: A ``</body>`` or ``</html>`` end tag. Dropped everywhere for the re-parse, also where it is the
#: text of a script (a ``document.write`` string): a script's text is never article text, and
#: skipping raw-text elements with a regex costs more than the whole lxml parse on a large page.
_DOC_END_TAG = re.compile(r"</(?:body|html)\b[^>]*>", re.I)
#: Markup that shows no text, for a rough count of the visible characters of raw HTML.
_NO_TEXT = re.compile(
    r"<(script|style|template|noscript|textarea)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.I | re.S)
_VISIBLE_TEXT = etree.XPath(
    ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]")


#: libxml2 stops reading a document at this depth of nested elements (without XML_PARSE_HUGE,
#: which only moves the limit, and past Python's recursion limit).
MAX_DEPTH = 255


class Parsed(NamedTuple):
    """A page's lxml document root and how it was parsed: :data:`LXML` or :data:`REPARSED`;
    ``too_deep``: the page nests elements deeper than :data:`MAX_DEPTH` and libxml2 stopped
    reading it there (the tree holds what came before)."""

    root: lxml.html.HtmlElement
    parser: str
    too_deep: bool = False
    #: Control characters (or invisible noncharacters) were removed from the text first.
    controls: bool = False


def text_content(el: lxml.html.HtmlElement) -> str:
    """``el.text_content()`` (libxml2's string value of the element: the text of all its
    descendants) as a plain ``str``, without the XPath evaluation lxml.html runs for each call
    (2-3x the time on a paragraph)."""
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


def looks_binary(text: str) -> bool:
    """True for text with many control characters (an image or archive decoded as text); NUL
    characters do not count (browsers skip them, and so does the parse)."""
    return sniffing.text_kind(text[:2048]) == "binary data"


def parse_html(text: str) -> lxml.html.HtmlElement | None:
    """Parse HTML text into an lxml document root; ``None`` for empty or binary input."""
    parsed = parse_page(text)
    return parsed.root if parsed is not None else None


def parse_page(text: str) -> Parsed | None:
    """Parse HTML text into an lxml document root (see :class:`Parsed`); ``None`` for empty or
    binary input.

    A page that goes on after an early ``</html>`` (or has content after ``</body>``) is parsed
    again without those end tags, and that tree is kept when it shows at least
    :data:`MIN_LOST_CHARS` more characters of text in ``<body>``.
    """
    if not text or not text.strip() or looks_binary(text):
        return None
    text = _XML_DECL.sub("", text, count=1)
    controls = False
    if _CONTROL.search(text):  # a regex scan: 1 ms on a 500 KiB page, most pages have none
        controls = _C0.search(text) is not None
        text = _CONTROL.sub("", text)
    root, too_deep = _parse(text)
    if root is None:
        return None
    if not too_deep and _ended_early(text, root):
        whole, _ = _parse(_DOC_END_TAG.sub("", text))
        if whole is not None and _body_chars(whole) - _body_chars(root) >= MIN_LOST_CHARS:
            return Parsed(whole, REPARSED, controls=controls)
    return Parsed(root, LXML, too_deep, controls)


def _parse(text: str) -> tuple[lxml.html.HtmlElement | None, bool]:
    """The document root (``None`` when there is none) and whether libxml2 stopped at
    :data:`MAX_DEPTH`."""
    data: str | bytes
    try:
        data, parser = text.encode("utf-8"), _UTF8_PARSER
    except UnicodeEncodeError:  # a lone surrogate: lxml gets the text as it is
        data, parser = text, _PARSER
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError):
        return None, False
    last = parser.error_log.last_error  # the depth error halts the parse: nothing follows it
    too_deep = last is not None and last.message.startswith(_TOO_DEEP)
    return (root if root is not None and len(root) else None), too_deep


#: libxml2's message when a document nests deeper than it reads.
_TOO_DEEP = "Excessive depth in document"


def _ended_early(text: str, root: lxml.html.HtmlElement) -> bool:
    """Whether libxml2 may have left visible text out of ``<body>``: something visible follows
    the body element, or visible text follows the first ``</html>`` and the tree has nothing from
    the lines after it. On a normal page: one regex search, which stops at the closing
    ``</html>``; the rest runs only when a page goes on after it."""
    body = root.find("body")
    if body is not None and (body.getnext() is not None or (body.tail or "").strip()):
        after = "".join(t for el in body.itersiblings() for t in _VISIBLE_TEXT(el))
        if _chars((body.tail or "") + after) >= MIN_LOST_CHARS:
            return True
    end = _HTML_END.search(text)
    if end is None or len(text) - end.end() < MIN_LOST_CHARS:
        return False
    # An end tag inside a script string, or one closing a nested <html>, does not stop libxml2:
    # then elements start on later lines. (Minified pages, all on one line, and lines past
    # libxml2's 65535 cannot tell; the re-parse must then show more text to be kept.)
    last = root
    while len(last) and isinstance(last[-1].tag, str):
        last = last[-1]
    if last.sourceline is not None and text.count("\n", 0, end.start()) + 1 < last.sourceline < 65535:
        return False
    return _chars(_NO_TEXT.sub(" ", text[end.end():])) >= MIN_LOST_CHARS


def _body_chars(root: lxml.html.HtmlElement) -> int:
    """Characters of text in the body element, spaces not counted (scripts included: they are
    alike in both parses but for what one of them dropped)."""
    body = root.find("body")
    if body is None:
        return 0
    return _chars(etree.tostring(body, method="text", encoding=str, with_tail=False))


def _chars(text: str) -> int:
    return len("".join(text.split()))
