"""Titles: strip " | Site" suffixes and similar decorations."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_SEPARATORS = re.compile(r"\s+(?:\||–|—|-|·|•|::|»|/|\*)\s+")
_SPACE = re.compile(r"\s+")
_BYLINE_SEGMENT = re.compile(r"^by\s+\S", re.I)


def _squash(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", s.lower())


def title_key(s: str | None) -> str:
    """A title reduced for agreement tests: letters and digits only, case-folded, so typographic
    and ASCII quotes or dashes, spacing and capitals do not count."""
    return re.sub(r"[\W_]+", "", s.casefold()) if s else ""


def same_text(a: str | None, b: str | None) -> bool:
    """True when two titles are the same text up to spacing and case."""
    return bool(a and b) and " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)$")


def is_truncated(text: str) -> bool:
    """True for a text cut short with "..." or "…"."""
    return bool(_ELLIPSIS.search(text))


def untruncate(title: str, others: tuple[str | None, ...]) -> str:
    """A title cut short with "..."/"…" replaced by a longer source that starts with its text."""
    m = _ELLIPSIS.search(title)
    if not m:
        return title
    stem = title_key(title[: m.start()])
    if len(stem) < 10:
        return title
    for other in others:
        if other and len(title_key(other)) > len(stem) and title_key(other).startswith(stem) \
                and not _ELLIPSIS.search(other):
            return other
    return title


def _host_words(url: str | None) -> set[str]:
    host = (urlsplit(url or "").hostname or "").lower().removeprefix("www.")
    parts = [p for p in host.split(".") if p not in {"com", "co", "uk", "org", "net", "de", "fr",
                                                      "au", "ca", "za", "in", "news"}]
    return {_squash(p) for p in parts if p} | ({_squash(host)} if host else set())


def clean_title(title: str | None, url: str | None = None, site_names: tuple[str, ...] = (),
                known: tuple[str, ...] = ()) -> str | None:
    """The title without a leading/trailing site-name segment ("Headline | Variety").

    A segment is dropped when it names the site (``site_names``, og:site_name, the host) or when
    another source (``known``, e.g. the h1) confirms the remaining part.
    """
    if not title:
        return None
    t = _SPACE.sub(" ", title).strip()
    if not t:
        return None
    names = {_squash(n) for n in site_names if n} | _host_words(url)
    names.discard("")
    known_sq = {_squash(k) for k in known if k}
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
        names_site = len(tail_sq) >= 3 and any(
            len(n) >= 4 and (n in tail_sq or tail_sq in n) for n in names)
        if tail_sq and len(tail.split()) <= 6 and (names_site or _squash(rest_tail) in known_sq):
            t = rest_tail
            continue
        if head_sq and (head_sq in names or _squash(rest_head) in known_sq):
            t = rest_head
            continue
        break
    return t.strip() or None
