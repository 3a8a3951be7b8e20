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
    # German/French/Spanish navigation words next to bylines ("Alle Artikel", "Tous les articles")
    "alle", "artikel", "beiträge", "weitere", "mehr", "tous", "voir", "ver", "todos",
})
_NOT_NAMES = frozenset({"", "by", "and", "staff", "admin", "administrator", "editor", "author",
                        "unknown", "null", "none", "anonymous", "guest", "facebook", "twitter"})


def clean_name(raw: str, *, strict: bool = True) -> str | None:
    """One author name cleaned of "By", roles after a dash/pipe, e-mails and URLs; ``None`` if
    nothing name-like is left.

    ``strict=False`` is for names a page declares as such (a JSON-LD ``Person``, an author
    ``<meta>``): desk and team names ("Gear Team", "News Desk") are kept there; in page text
    those words mark navigation ("View all posts", "News").
    """
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
    if strict and {w.lower().strip(".,") for w in s.split()} & _NON_NAME_WORDS:
        return None
    return s


#: Words of a job title written after a name ("Jane Doe, Executive Editor").
_ROLE_WORDS = frozenset({
    "editor", "editors", "senior", "executive", "chief", "managing", "deputy", "associate",
    "assistant", "contributing", "contributor", "staff", "writer", "reporter", "correspondent",
    "columnist", "critic", "producer", "director", "in", "at", "large", "of", "the", "news",
    "features", "film", "tv", "music", "games", "gaming", "culture", "arts", "entertainment",
    "politics", "sports", "business", "technology", "tech", "digital", "social", "media",
    "special", "photographer", "intern", "freelance", "freelancer", "head", "lead", "global",
    "national", "international", "political", "white", "house", "washington", "bureau",
})


_ROLE_HEADS = frozenset({"editor", "editors", "writer", "reporter", "correspondent", "columnist",
                         "critic", "producer", "director", "contributor", "photographer",
                         "intern", "freelancer", "staff"})


def split_names(raw: str, *, strict: bool = True) -> list[str]:
    """A byline string split into names ("A, B and C" → three), each cleaned."""
    s = _PREFIX.sub("", " ".join(raw.replace("\xa0", " ").split()))
    names: list[str] = []
    for part in _SPLIT.split(s):
        name = clean_name(part, strict=strict)
        if name and names and is_role(name):
            continue  # "Jane Doe, Executive Editor": the role after a name is no second author
        if name:
            names.append(name)
    return names


def is_role(text: str) -> bool:
    """True for a job title alone ("Senior Film Critic", "Executive Editor")."""
    words = {w.lower().strip(".,") for w in text.split()}
    return bool(words) and words <= _ROLE_WORDS and bool(words & _ROLE_HEADS)


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
