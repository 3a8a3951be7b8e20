"""Titles: plain text out of metadata, site-name decorations cut, the site's own name refused."""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import urlsplit

_SEPARATORS = re.compile(r"\s+(?:\||–|—|-|·|•|::|»|/|\*)\s+")
_SPACE = re.compile(r"\s+")
_BYLINE_SEGMENT = re.compile(r"^by\s+\S", re.I)
#: A character reference left after one decoding ("&#8217;", "&amp;", "&#x26;").
_ENTITY = re.compile(r"&(?:#\d{2,7}|#x[0-9a-f]{2,6}|[a-z][a-z0-9]{1,31});", re.I)
#: An HTML tag ("<em>", "</a>", "<br/>", "<span class=x>").
_TAG = re.compile(r"</?([a-z][a-z0-9]*)(?:\s[^<>]{0,200})?/?>", re.I)
#: Inline tags, dropped without a space ("<em>Dune</em>, ranked"); other tags become a space.
_INLINE_TAGS = frozenset({"a", "abbr", "b", "cite", "code", "em", "font", "i", "mark", "q", "s",
                          "small", "span", "strong", "sub", "sup", "u"})
#: Markdown heading marks opening a title ("## Headline").
_MD_HEADING = re.compile(r"^#{1,6}\s+")
#: A separator or ornament left at either end once the site name after it is gone ("Headline ⋆").
_EDGE_ORNAMENT = re.compile(r"^[|–—·•»⋆★☆/-]+\s+|\s+[|–—·•»⋆★☆/-]+$")


#: No headline is longer (the longest in the corpus: 175 characters); a longer candidate is a
#: whole paragraph or a stuffed field, passed over.
MAX_TITLE_CHARS = 400


def plain_text(raw: str | None, literal: tuple[str, ...] = ()) -> str | None:
    """A title as text: character references decoded (also doubly escaped ones, "&amp;#8217;"),
    tags and markdown heading marks removed, spacing collapsed.

    A tag is kept when one of the ``literal`` texts (the visible headlines) shows it as text:
    a title about markup ("30 Years of <br> Tags") is not markup. A raw value too long to be a
    title even with its markup (a stuffed field: megabytes of text) gives ``None`` at once.
    """
    if not raw or len(raw) > 20 * MAX_TITLE_CHARS:
        return None
    text = raw
    for _ in range(2):
        if "&" not in text or not _ENTITY.search(text):
            break
        text = html.unescape(text)
    if "<" in text and not any(m.group(0) in lit for m in _TAG.finditer(text) for lit in literal):
        text = _TAG.sub(lambda m: "" if m.group(1).lower() in _INLINE_TAGS else " ", text)
    text = _MD_HEADING.sub("", _SPACE.sub(" ", text).strip())
    return _EDGE_ORNAMENT.sub("", text).strip() or None


_NOT_ALNUM = re.compile(r"[^a-z0-9]")
_NOT_WORD = re.compile(r"[\W_]+")


def _squash(s: str) -> str:
    return _NOT_ALNUM.sub("", s.lower())


def title_key(s: str | None) -> str:
    """A title reduced for agreement tests: letters and digits only, case-folded, so typographic
    and ASCII quotes or dashes, spacing and capitals do not count."""
    return _NOT_WORD.sub("", s.casefold()) if s else ""


def same_text(a: str | None, b: str | None) -> bool:
    """True when two titles are the same text up to spacing and case."""
    return bool(a and b) and " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)$")


def is_truncated(text: str) -> bool:
    """True for a text cut short with "..." or "…"."""
    return bool(_ELLIPSIS.search(text))


#: Schema plugins cut a JSON-LD headline at Google's old 110-character limit, without "…".
_CUT_AT = range(95, 111)


def untruncate(title: str, others: tuple[str | None, ...]) -> str:
    """A title cut short with "..."/"…" replaced by a longer source that starts with its text;
    so is a title of 95–110 characters that another source continues with more words (a
    headline cut at the 110-character limit: "… Solutions (Including")."""
    m = _ELLIPSIS.search(title)
    if not m:
        if len(title) in _CUT_AT:
            for other in others:
                if other and len(other) > len(title) and other.startswith(title) \
                        and not _SEPARATORS.match(other[len(title):]) and not _ELLIPSIS.search(other):
                    return other
        return title
    stem = title_key(title[: m.start()])
    if len(stem) < 10:
        return title
    for other in others:
        if other and len(title_key(other)) > len(stem) and title_key(other).startswith(stem) \
                and not _ELLIPSIS.search(other):
            return other
    return title


@lru_cache(maxsize=512)
def _host_words(url: str | None) -> frozenset[str]:
    host = (urlsplit(url or "").hostname or "").lower().removeprefix("www.")
    parts = [p for p in host.split(".") if p not in {"com", "co", "uk", "org", "net", "de", "fr",
                                                      "au", "ca", "za", "in", "news"}]
    return frozenset({_squash(p) for p in parts if p} | ({_squash(host)} if host else set()))


def has_separator(text: str) -> bool:
    """True when ``text`` has a segment separator (" | ", " – ", " - ", …)."""
    return _SEPARATORS.search(text) is not None


def site_keys(url: str | None, site_names: tuple[str, ...] = ()) -> frozenset[str]:
    """The site's names reduced for comparison: ``site_names`` (site module, og:site_name,
    publisher) of at most five words (a longer one is a slogan or a mislabelled headline) and
    the host's words ("rollingstone", "rollingstonecom")."""
    keys = {_squash(n) for n in site_names if n and len(n.split()) <= 5} | _host_words(url)
    return frozenset(k for k in keys if len(k) >= 3)


#: Words a site's name may carry around its bare name ("Antoyo's Blog", "Houstonia Magazine").
_NAME_AFFIXES = frozenset({"", "blog", "magazine", "mag", "news", "online", "website", "site",
                           "media", "daily", "weekly", "official", "home", "homepage"})


def names_site(text: str | None, keys: frozenset[str]) -> bool:
    """True when ``text`` is only the site's name (one of ``keys``, see :func:`site_keys`),
    possibly with "The", "'s" or a word such as "Blog"/"Magazine"/"News" after it."""
    sq = _squash(text or "")
    if len(sq) < 3 or len(sq) > 60:
        return False
    if sq in keys:
        return True
    bare = sq.removeprefix("the")
    for k in keys:
        if len(k) >= 4 and bare.startswith(k):
            rest = bare[len(k):]
            if rest in _NAME_AFFIXES or (rest[:1] == "s" and rest[1:] in _NAME_AFFIXES - {""}):
                return True
    return False


def clean_title(title: str | None, url: str | None = None, site_names: tuple[str, ...] = (),
                known: tuple[str, ...] = ()) -> str | None:
    """The title without a leading/trailing site-name segment ("Headline | Variety").

    A segment is dropped when it names the site (``site_names``, og:site_name, the host) or when
    another source (``known``, e.g. the h1) confirms the remaining part. A site name that has
    separators of its own ("Urge Fitness | Gyms Near Me") is cut whole, and so is everything after
    a known headline ("Headline | by Ann Lee | AI | Yeti").
    """
    if not title:
        return None
    t = _SPACE.sub(" ", title).strip()
    if not t:
        return None
    names = {_squash(n) for n in site_names if n} | _host_words(url)
    names.discard("")
    known_sq = {_squash(k) for k in known if k}
    known_sq.discard("")
    for m in _SEPARATORS.finditer(t):
        head_sq = _squash(t[: m.start()])
        if len(head_sq) >= 10 and head_sq in known_sq:
            return t[: m.start()].strip()
        if _squash(t[m.end():]) in names:
            t = t[: m.start()].strip()
            break
    colon = t.find(": ")
    if 0 < colon <= 40 and _squash(t[colon + 2:]) in known_sq \
            and names_site(t[:colon], site_keys(url, site_names)):
        t = t[colon + 2:]  # "Garnix Blog: Hardware-Attested Nix Builds" over the h1 "Hardware-…"
    for _ in range(3):
        parts = _SEPARATORS.split(t)
        if len(parts) < 2:
            break
        head, tail = parts[0], parts[-1]
        tail_sq, head_sq = _squash(tail), _squash(head)
        rest_tail = t[: t.rfind(tail)].rstrip(" |–—-·•:»/*")
        rest_head = t[len(head):].lstrip(" |–—-·•:»/*")
        if _BYLINE_SEGMENT.match(tail) or (len(tail_sq) >= 3 and tail_sq in names):
            t = rest_tail
            continue
        names_tail = len(tail_sq) >= 3 and any(
            len(n) >= 4 and (n in tail_sq or tail_sq in n) for n in names)
        if tail_sq and len(tail.split()) <= 6 and (names_tail or _squash(rest_tail) in known_sq):
            t = rest_tail
            continue
        if head_sq and (head_sq in names or _squash(rest_head) in known_sq):
            t = rest_head
            continue
        break
    return t.strip() or None


def suffix_name(doc_title: str | None) -> str | None:
    """The last segment of a ``<title>`` ("Headline | Site") when it reads as the site's name:
    at most four words, shorter than what comes before it."""
    if not doc_title:
        return None
    parts = _SEPARATORS.split(_SPACE.sub(" ", doc_title).strip())
    if len(parts) < 2:
        return None
    last = parts[-1]
    head = " ".join(parts[:-1])
    return last if len(last.split()) <= 4 and len(last) < len(head) else None
