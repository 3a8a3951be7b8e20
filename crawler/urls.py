"""URL rules: canonical form, aliases (tracking parameters, AMP) and the generic article test."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# w3lib sorts the query and normalises escapes but keeps every parameter; the tracking ones
# below identify a share, not a page, so they are dropped before w3lib sees the URL.
_TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|srsltid|"
    r"_hsenc|_hsmi|mkt_tok|cmpid|ref|ref_src|ref_url|sharetype|smid|taid|"
    r"__twitter_impression|amp|outputtype)$",
    re.I,
)
_AMP_PATH = re.compile(r"(/amp/?$|/amp(?=/)|\.amp(?=\.html?$|/?$))", re.I)

_NOT_ARTICLE_SEGMENT = re.compile(
    r"^(tags?|topics?|authors?|writers?|staff|category|categories|sections?|page|search|videos?|"
    r"galler(y|ies)|photos?|feeds?|rss|newsletters?|about|about-us|contact|privacy|"
    r"privacy-policy|terms|terms-of-use|login|subscribe|account|shop|podcasts?|events?|"
    r"wp-admin|wp-content|wp-json|cdn-cgi)$",
    re.I,
)
_NOT_ARTICLE_EXT = re.compile(r"\.(xml|gz|json|js|css|jpe?g|png|gif|webp|svg|pdf|mp[34]|zip|ico|txt)$", re.I)
_DATE_PATH = re.compile(r"/(19|20)\d\d/(0?[1-9]|1[0-2])(/|$)")
_LONG_ID = re.compile(r"\d{5,}")


def strip_tracking(url: str) -> str:
    """``url`` without tracking query parameters and fragment."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not _TRACKING_PARAMS.match(k)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def de_amp(url: str) -> str:
    """The non-AMP URL of an AMP page URL (``/amp/`` suffix, ``.amp.html``, ``amp.`` host)."""
    parts = urlsplit(url)
    host = parts.netloc
    if host.lower().startswith("amp."):
        host = host[4:]
    path = _AMP_PATH.sub("", parts.path) or "/"
    if parts.path.endswith("/") and not path.endswith("/"):
        path += "/"
    return urlunsplit((parts.scheme, host, path, parts.query, parts.fragment))


def canonical(url: str) -> str:
    """The canonical form used as article identity: https, no tracking, no AMP, w3lib-normalised."""
    url = de_amp(strip_tracking(url.strip()))
    parts = urlsplit(url)
    scheme = "https" if parts.scheme in ("http", "https") else parts.scheme
    host = parts.netloc.lower()
    url = urlunsplit((scheme, host, parts.path or "/", parts.query, ""))
    return canonicalize_url(url, keep_fragments=False)


def resolve_canonical(page_url: str, declared: str | None) -> str:
    """The canonical URL of a page: its declared canonical link when usable, else its own URL."""
    if declared:
        absolute = urljoin(page_url, declared.strip())
        if urlsplit(absolute).scheme in ("http", "https") and urlsplit(absolute).netloc:
            return canonical(absolute)
    return canonical(page_url)


def looks_like_article(url: str) -> bool:
    """Generic article-URL test for sites without a pattern: a slug or id path, not a listing."""
    parts = urlsplit(url)
    path = parts.path
    if _NOT_ARTICLE_EXT.search(path):
        return False
    segments = [s for s in path.split("/") if s]
    if not segments:
        return False
    if any(_NOT_ARTICLE_SEGMENT.match(s) for s in segments):
        return False
    last = segments[-1].rsplit(".", 1)[0]
    return bool(last.count("-") >= 2 or _LONG_ID.search(last) or _DATE_PATH.search(path))
