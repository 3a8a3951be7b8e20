"""Author names: bylines and metadata values → a clean list of names, faithful to the page."""

from __future__ import annotations

import re

_PREFIX = re.compile(
    r"^\s*(?:(?:written|words|reporting|text|story|interview|review|posted|published|edited)\s*"
    r"(?:by|von|par|por)\s*[:\-]?\s*|(?:by|von|par|por|door|di)\s*[:\-]?\s+)",
    re.I,
)
_SPLIT = re.compile(r"\s*(?:,|;|\||&|\band\b|\bund\b|\bet\b|\by\b| \+ )\s*", re.I)
_URL = re.compile(r"https?://|www\.|\.(?:com|org|net|co\.uk)\b", re.I)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_HANDLE = re.compile(r"^@\w+$")
_TRAILING = re.compile(
    r"\s*(?:[|•·]\s*.*|\s+-\s+.*|\((?:[^)]*)\)|,?\s*(?:updated|published|posted)\b.*)$", re.I
)
_DATEISH = re.compile(
    r"\b(?:\d{1,2}:\d{2}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|ago\b)",
    re.I,
)
#: A byline line: "By Jane Doe", "Von Max Muster" (short, the words after look like names).
BY_LINE = re.compile(r"^(?:by|von|par|por)\s+[A-ZÀ-Þ][\w'’.-]+(?:\s+[A-ZÀ-Þa-z][\w'’.-]*){0,5}"
                     r"(?:\s*(?:,|and|und|&)\s*[A-ZÀ-Þ][\w'’.-]+(?:\s+[A-ZÀ-Þ][\w'’.-]*){0,4})*\s*$",
                     re.I)
#: Words that never appear in a person's name on a byline ("View more posts").
_NON_NAME_WORDS = frozenset({
    "view", "posts", "post", "more", "articles", "article", "follow", "profile", "contact",
    "email", "share", "all", "stories", "read", "latest", "subscribe", "comments", "comment",
    "updated", "published", "min", "minutes", "photo", "photos", "image", "video", "news",
    "editorial", "team", "home", "login", "sign",
})
_NOT_NAMES = frozenset({"", "by", "and", "staff", "admin", "administrator", "editor", "author",
                        "unknown", "null", "none", "anonymous", "guest", "facebook", "twitter"})


def clean_name(raw: str) -> str | None:
    """One author name cleaned of "By", roles after a dash/pipe, e-mails and URLs; ``None`` if
    nothing name-like is left."""
    s = " ".join(raw.replace("\xa0", " ").split())
    s = _PREFIX.sub("", s)
    s = _EMAIL.sub("", s).strip(" ,;:-–—|")
    if not s or _URL.search(s) or _HANDLE.match(s):
        return None
    s = _TRAILING.sub("", s).strip(" ,;:-–—|")
    if s.lower() in _NOT_NAMES or _DATEISH.search(s) or len(s) > 60 or len(s.split()) > 6:
        return None
    if not any(ch.isalpha() for ch in s) or any(ch.isdigit() for ch in s):
        return None
    if {w.lower().strip(".,") for w in s.split()} & _NON_NAME_WORDS:
        return None
    return s


def split_names(raw: str) -> list[str]:
    """A byline string split into names ("A, B and C" → three), each cleaned."""
    s = _PREFIX.sub("", " ".join(raw.replace("\xa0", " ").split()))
    names = []
    for part in _SPLIT.split(s):
        name = clean_name(part)
        if name:
            names.append(name)
    return names


def squash(name: str) -> str:
    """A name reduced to lower-case letters and digits, for comparisons."""
    return re.sub(r"[\W_]+", "", name.lower())


def dedupe(names: list[str]) -> list[str]:
    """Names in order without case-insensitive duplicates."""
    seen: set[str] = set()
    out = []
    for n in names:
        key = n.casefold()
        if key not in seen:
            seen.add(key)
            out.append(n)
    return out
