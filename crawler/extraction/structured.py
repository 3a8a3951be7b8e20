"""Structured metadata in the page head: JSON-LD, OpenGraph and other ``<meta>`` tags."""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterator
from typing import Any

from lxml.html import HtmlElement

#: schema.org types that describe an article page (lower case).
ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "reviewnewsarticle", "backgroundnewsarticle", "askpublicnewsarticle", "satiricalarticle",
    "blogposting", "liveblogposting", "socialmediaposting", "review", "criticreview",
    "techarticle", "report", "advertisertcontentarticle", "interviewarticle",
})

_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_WRAPPERS = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(?:-->|//\s*\]\]>|\]\]>)\s*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Lists and objects nested deeper than this in a JSON-LD value hold no text worth reading (and
#: would overflow the stack of a recursive walk).
MAX_VALUE_DEPTH = 8
#: An HTML character reference left in a JSON-LD string ("&#8216;", "&amp;", "&#039;").
_ENTITY = re.compile(r"&(?:#\d{2,7}|#x[0-9a-f]{2,6}|[a-z][a-z0-9]{1,31});", re.I)


def loads_tolerant(text: str) -> list[Any]:
    """Every JSON value in ``text``; tolerates comments wrappers, trailing commas, raw control
    characters and several values in a row. Broken values are skipped."""
    return _loads(text)[0]


def _loads(text: str) -> tuple[list[Any], bool]:
    """:func:`loads_tolerant`'s values, and whether all of ``text`` could be read."""
    text = _CONTROL.sub(" ", _WRAPPERS.sub("", text.strip())).strip()
    if not text:
        return [], True
    decoder = json.JSONDecoder(strict=False)
    values: list[Any] = []
    for attempt in (text, _TRAILING_COMMA.sub(r"\1", text)):
        pos, values = 0, []
        try:
            while pos < len(attempt):
                while pos < len(attempt) and attempt[pos] in " \t\r\n;,":
                    pos += 1
                if pos >= len(attempt):
                    break
                value, pos = decoder.raw_decode(attempt, pos)
                values.append(value)
            return values, True
        except json.JSONDecodeError:
            continue
        except RecursionError:  # nested deeper than Python's stack: no metadata in there
            return values, False
    return values, False


def types_of(obj: dict[str, Any]) -> set[str]:
    """The lower-cased ``@type`` values of a JSON-LD object."""
    t = obj.get("@type")
    items = t if isinstance(t, list) else [t]
    return {str(x).rsplit("/", 1)[-1].lower() for x in items if x}


def _flatten(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(value, list):
        for v in value:
            yield from _flatten(v, depth + 1)
    elif isinstance(value, dict):
        if "@graph" in value:
            yield from _flatten(value["@graph"], depth + 1)
        if "@type" in value:
            yield value
            main = value.get("mainEntity")
            if isinstance(main, dict | list):
                yield from _flatten(main, depth + 1)


def jsonld_objects(root: HtmlElement) -> list[dict[str, Any]]:
    """All typed JSON-LD objects of the page (``@graph`` and lists flattened)."""
    return read_jsonld(root)[0]


def read_jsonld(root: HtmlElement) -> tuple[list[dict[str, Any]], int]:
    """All typed JSON-LD objects of the page (``@graph`` and lists flattened), and how many of
    its JSON-LD scripts could not be read in full (a syntax error, nested too deep)."""
    out: list[dict[str, Any]] = []
    unreadable = 0
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        values, whole = _loads(script.text or "")
        unreadable += not whole
        for value in values:
            out.extend(_flatten(value))
    return out, unreadable


def _same_page(obj: dict[str, Any], urls: set[str]) -> bool:
    for key in ("url", "mainEntityOfPage", "@id"):
        v = obj.get(key)
        if isinstance(v, dict):
            v = v.get("@id") or v.get("url")
        if isinstance(v, str) and v.split("#")[0].rstrip("/") in urls:
            return True
    return False


def article_object(objects: list[dict[str, Any]], urls: set[str]) -> dict[str, Any] | None:
    """The JSON-LD object describing this article (one of :data:`ARTICLE_TYPES`).

    Prefers an object whose URL is the page's, then one with a body or headline and a date.
    """
    articles = [o for o in objects if types_of(o) & ARTICLE_TYPES]
    if not articles:
        # A WebPage/ItemPage carrying article fields is the next best thing.
        articles = [o for o in objects if o.get("headline") and o.get("datePublished")]
    if not articles:
        return None
    norm = {u.split("#")[0].rstrip("/") for u in urls if u}

    def rank(o: dict[str, Any]) -> tuple[int, int, int]:
        return (_same_page(o, norm), bool(o.get("articleBody")), bool(o.get("headline")))

    return max(articles, key=rank)


def meta_tags(root: HtmlElement) -> dict[str, list[str]]:
    """``<meta>`` contents keyed by lower-cased ``property``/``name``/``itemprop``, in page order."""
    out: dict[str, list[str]] = {}
    for meta in root.iter("meta"):  # the whole page: metas sometimes leak into <body>
        content = meta.get("content")
        if content is None:
            continue
        content = unescape(content.strip())
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attr)
            if key:
                out.setdefault(key.strip().lower(), []).append(content)
    return out


def unescape(text: str) -> str:
    """``text`` with HTML character references decoded: CMSs often write JSON-LD strings
    HTML-escaped ("Mexico to fight &#8216;illogical&#8217; …"), which JSON does not undo."""
    return html.unescape(text) if "&" in text and _ENTITY.search(text) else text


def text_of(value: Any, depth: int = 0) -> str | None:
    """A plain string out of a JSON-LD value (a string, a list's first string, or ``name``);
    values nested deeper than :data:`MAX_VALUE_DEPTH` give nothing."""
    if isinstance(value, str):
        return unescape(value).strip() or None
    if depth > MAX_VALUE_DEPTH:
        return None
    if isinstance(value, list):
        for v in value:
            s = text_of(v, depth + 1)
            if s:
                return s
        return None
    if isinstance(value, dict):
        return text_of(value.get("name") or value.get("@value") or value.get("url"), depth + 1)
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return str(value)
    return None


def strings_of(value: Any, depth: int = 0) -> list[str]:
    """All plain strings out of a JSON-LD value (lists, comma lists and ``name`` objects)."""
    if isinstance(value, list):
        out: list[str] = []
        if depth <= MAX_VALUE_DEPTH:
            for v in value:
                out.extend(strings_of(v, depth + 1))
        return out
    s = text_of(value, depth)
    return [s] if s else []
