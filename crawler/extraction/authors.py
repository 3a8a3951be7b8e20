"""Author names: bylines and metadata values → a clean list of names, faithful to the page.

Names keep the page's capitalisation: nothing here changes the case of a name (a name printed in
capitals may be a style or the person's own spelling, and "McDonald", "DeSiato" or "van der Merwe"
cannot be rebuilt from capitals); where the page gives one name in two casings the caller prefers
the mixed-case one (:func:`single_case`).
"""

from __future__ import annotations

import re
from itertools import takewhile

_PREFIX = re.compile(
    r"^\s*(?:(?:written|words|reporting|reported|text|story|article|interview|review|posted|published"
    r"|edited|authored)\s*(?:by|von|par|por)\s*[:\-]?\s*|(?:by|von|par|por|door|di)\s*[:\-]?\s+)",
    re.I,
)
#: A label that opens a visible byline: "By", "By:", "Written by", "Posted by", "Von", or a noun
#: label with a colon or a name of two words or more after it ("Author: Jane", "Author Jane Doe";
#: not "Author Spotlight").
LABEL = re.compile(
    r"^(?:(?:(?:written|words|reporting|reported|text|story|article|interview|posted|authored|compiled"
    r"|geschrieben|this\s+(?:post|article|story|piece)\s+(?:was\s+)?(?:written|authored|contributed))"
    r"\s+(?:by|von)|by|von|par|por)(?:\s*[:：]\s*|\s+|$)"
    r"|(?:authors?|contributors?|autor(?:in)?|auteur)(?:\s*[:：]\s*|$|\s+(?=\S+\s+\S)))",
    re.I,
)
#: What may stand before a "by" or a name on a byline line: dates, times, a reading time,
#: "Published" ("Published August 7, 2023 by Nicole Burke", "March 15, 2022 · 3 min read · By
#: ASU Online", "Dec. 19, 2025 · Niko Matsakis").
_DATED_PARTS = (
    r"(?:\s*(?:(?:last\s+)?(?:updated|published|posted|modified|date)(?:\s+on)?\s*:?"
    r"|[a-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}\.?\s+[a-z]{3,9}\.?,?\s+\d{4}"
    r"|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?|uhr)?"
    r"|\d+\s*(?:min(?:ute)?s?|hours?)(?:\s+read)?)\s*[|·•⋅,-]?)+"
)
DATED_PREFIX = re.compile(rf"^{_DATED_PARTS}\s*$", re.I)
_LEADING_DATE = re.compile(rf"^{_DATED_PARTS}\s*(?=\S)", re.I)
_BY_WORD = re.compile(r"\b(?:by|von|par|por)(?:\s*:\s*|\s+|$)", re.I)
_CREDITS = (r"(?:(?:medically\s+|expert\s+)?reviewed|fact[- ]?checked|edited|researched|photos?"
            r"|photography|illustrations?|illustrated|video|produced|updated|additional\s+reporting)\s+by\b")
#: Other credits in a byline: what follows them is no author ("Reviewed by", "Photos by").
_OTHER_CREDIT = re.compile(rf"(?:^|[\s,;.|·•]){_CREDITS}.*$", re.I)
_OTHER_CREDIT_START = re.compile(rf"^\W*{_CREDITS}", re.I)
#: "role: name" parts: a list of credits ("content: Acme, design: Jane Doe, code: John Roe").
_CREDITS_LIST = re.compile(r"(?:^|[,;]\s*)[a-z]+:\s+\S.*[,;]\s*[a-z]+:\s+\S")
_OTHER_CREDIT_END = re.compile(rf"{_CREDITS}\s*:?\s*$", re.I)
_SPLIT = re.compile(r"\s*(?:;|\||&|\band\b|\bund\b|\bet\b|\by\b| \+ )\s*", re.I)
_URL = re.compile(r"https?://|www\.|\.(?:com|org|net|co\.uk)\b", re.I)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_HANDLE = re.compile(r"^@\w+$")
#: A template placeholder left in a page ("page.head.extra.author", "{{ author }}").
_PLACEHOLDER = re.compile(r"^[a-z_]+(?:\.[a-z_]+)*\.(?:author|name|byline|creator)$|[{}<>]|\$\w")
_TRAILING = re.compile(
    r"\s*(?:[|•·⋅]\s*.*|\s+[-–—]\s+.*|\((?:[^)]*)\)|,?\s*(?:updated|published|posted)\b.*)$", re.I
)
_QUOTES = "\"'“”‘’«»„"
_DATEISH = re.compile(
    r"\b(?:\d{1,2}:\d{2}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|ago\b)",
    re.I,
)
#: Where a date starts in a byline line ("Jane Doe August 25, 2024", "X on Friday December 19",
#: "Sat, 20 Dec, 2025"): the names end there.
_DATE_START = re.compile(
    r"(?:\bon\s+)?(?:\b(?:mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b\.?,?\s*"
    r"(?=\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d)"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d"
    r"|\d{1,2}(?:st|nd|rd|th)?\.?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
    r"|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}:\d{2}|\b\d+\s*(?:[-–]\s*\d+\s*)?(?:min|minutes?|hours?|hrs?)\b)",
    re.I,
)
#: Where the names of a byline line end: a separator, a date, "on"/"in"/"for" (a day, a section,
#: the publication), "View"/"Follow" links.
_LINE_END = re.compile(
    r"\s+[-–—|·•⋅]\s|\s*[|·•⋅]|\s+(?:on|in|for|at|from)\s+(?=[A-Z0-9]|behalf\b)|\s+(?i:view|follow|see)\s"
    r"|\s+[-–—]$|\s*\(|\s+\d",
)
#: Words that never appear in a person's name on a byline ("View more posts").
_NON_NAME_WORDS = frozenset({
    "view", "posts", "post", "more", "articles", "article", "follow", "profile", "contact",
    "email", "share", "all", "stories", "read", "latest", "subscribe", "comments", "comment",
    "updated", "published", "min", "minutes", "photo", "photos", "image", "video", "news",
    "home", "login", "sign", "author", "authors", "contributors", "about",
    # German/French/Spanish navigation words next to bylines ("Alle Artikel", "Tous les articles")
    "alle", "artikel", "beiträge", "weitere", "mehr", "tous", "voir", "ver", "todos",
})
#: Words of a desk or team credit ("Gear Team", "TMZ Staff", "News Desk"): no person.
DESK_WORDS = frozenset({"team", "staff", "desk", "editors", "editorial", "newsroom", "redaktion",
                        "rédaction", "redacción"})
_NOT_NAMES = frozenset({"", "by", "and", "staff", "admin", "administrator", "editor", "author",
                        "unknown", "null", "none", "anonymous", "guest", "facebook", "twitter",
                        "the author", "the editor", "the editors"})


def clean_name(raw: str, *, strict: bool = True) -> str | None:
    """One author name cleaned of "By", roles after a dash/pipe, e-mails, URLs and quotes;
    ``None`` if nothing name-like is left.

    ``strict=False`` is for names a page declares as such (a JSON-LD ``Person``, an author
    ``<meta>``, a "By" label): words such as "News" or "Author" are kept there ("News Desk"); in
    other page text they mark navigation ("View all posts", "Latest News", "Author Spotlight").
    """
    s = " ".join(raw.replace("\xa0", " ").split())
    s = _PREFIX.sub("", s)
    s = _EMAIL.sub("", s).strip(" ,;:-–—|")
    if not s or _URL.search(s) or _HANDLE.match(s) or _PLACEHOLDER.search(s):
        return None
    s = _TRAILING.sub("", s).strip(" ,;:-–—|")
    # Quotes around a whole name are markup ('"David Kim"'), never part of the name.
    if len(s) > 2 and s[0] in _QUOTES and s[-1] in _QUOTES:
        s = s[1:-1].strip()
    if s.endswith(".") and len(s.split()[-1]) > 3 and "." not in s.split()[-1][:-1]:
        s = s[:-1]  # the full stop of a sentence ("… by Erik Demaine."), not an initial
    if s.lower() in _NOT_NAMES or _DATEISH.search(s) or len(s) > 60 or len(s.split()) > 6:
        return None
    if ":" in s:  # "content: MarketingSherpa", "Stay Connected:": a label, never a name
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
#: Occupation words that make a phrase after a name a job title when they close it
#: ("Home and Digital Security Expert", "Dietitian", "Acme CEO").
_ROLE_HEADS = frozenset({
    "editor", "editors", "writer", "reporter", "correspondent", "columnist", "critic", "producer",
    "director", "contributor", "photographer", "intern", "freelancer", "staff", "ceo", "cto",
    "cfo", "coo", "cmo", "founder", "co-founder", "cofounder", "president", "manager", "expert",
    "specialist", "consultant", "analyst", "attorney", "lawyer", "journalist", "professor",
    "researcher", "scientist", "engineer", "developer", "designer", "strategist", "dietitian",
    "nutritionist", "therapist", "physician", "educator", "blogger", "marketer", "advisor",
    "adviser", "trainer", "instructor", "lecturer", "executive",
})
#: Words that open a job title followed by "of"/"at" ("Head of Marketing", "CEO of Acme").
_ROLE_OPENERS = _ROLE_HEADS | {"head", "chair", "chairman", "chairwoman", "partner", "owner",
                               "host", "officer", "vp", "member"}
#: Particles written in lower case inside names ("Nick van Mead", "Ana de la Cruz").
_PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "del",
                        "della", "des", "dos", "das", "do", "bin", "ibn", "al", "el", "y", "e",
                        "zu", "ten", "ter", "st.", "af", "av"})
#: A post-nominal credential or suffix: "MD", "Ph.D.", "PhD", "MSc", "CFP®", "Jr.", "III".
_CREDENTIAL = re.compile(r"^(?:(?:[A-Z][A-Za-z]{0,2}\.){1,4}|[A-Z][A-Za-z]{0,2}[A-Z]{1,4}[a-z]?"
                         r"|[A-Z]{2,6}|Jr\.?|Sr\.?|II|III|IV|Esq\.?)[®™]?$")


def is_credential(part: str) -> bool:
    """True for post-nominal letters after a name ("MD", "Ph.D.", "M.D. FACLM", "RN, BSN", "CFP®",
    "Jr.")."""
    words = part.replace(",", " ").split()
    return bool(words) and len(words) <= 4 and all(_CREDENTIAL.match(w) and (
        sum(c.isupper() for c in w) >= 2 or w.rstrip(".") in ("Jr", "Sr")) for w in words)


def is_role(text: str) -> bool:
    """True for a job title alone ("Senior Film Critic", "Executive Editor", "Dietitian",
    "Home and Digital Security Expert", "Head of Marketing", "CEO of Acme")."""
    words = [w.lower().strip(".,®") for w in text.split()]
    if not words:
        return False
    if set(words) <= _ROLE_WORDS and set(words) & _ROLE_HEADS:
        return True
    if len(words) > 8:
        return False
    return words[-1] in _ROLE_HEADS or (words[0] in _ROLE_OPENERS and len(words) > 1
                                        and words[1] in ("of", "at", "for", "and", "&"))


def split_names(raw: str, *, strict: bool = True) -> list[str]:
    """A byline string split into names ("A, B and C" → three), each cleaned.

    Credentials after a name stay with it, as the page prints them ("Jane Doe, MD": no author
    "MD"); a job title after a name is dropped ("Jane Doe, Executive Editor"); other credits end
    the authors ("Jane Doe. Reviewed by John Roe").
    """
    s = _PREFIX.sub("", " ".join(raw.replace("\xa0", " ").split()))
    s = _OTHER_CREDIT.sub("", s)
    if _CREDITS_LIST.search(s):
        return []  # "content: Acme, design: Jane Doe": a list of credits, not of authors
    names: list[str] = []
    # "JANE DOE, JOHN ROE": in capitals, credentials and names look alike
    caps = any(len(c.split()) > 1 and c.isupper() for c in re.split(r"[,;&]", s))
    in_role = False  # "Jane Doe, Senior Director, Content & Marketing, Acme": all one role
    for chunk in re.split(r"\s*([,;])\s*", s):
        if chunk in (",", ";"):
            in_role = in_role and chunk == ","
            continue
        if names and ((in_role and not re.match(r"(?:and|&)\s", chunk, re.I)) or is_role(chunk)):
            in_role = True
            continue  # "Jane Doe, Executive Editor": the role after a name is no second author
        in_role = False
        for part in _SPLIT.split(chunk):
            name = clean_name(part, strict=strict)
            if not name:
                continue
            if names and not caps and is_credential(name):
                names[-1] = f"{names[-1]}, {name}"
            elif not (names and is_role(name)):
                names.append(name)
    return names


def other_credit(line: str) -> bool:
    """True for a line that credits someone else than the writer ("Reviewed by …")."""
    return bool(_OTHER_CREDIT_START.match(line))


def ends_with_other_credit(text: str) -> bool:
    """True for text that ends with another credit's label ("… Reviewed by", "Edited by:")."""
    return bool(_OTHER_CREDIT_END.search(text))


def label_end(text: str) -> int | None:
    """Where the names start in a line opened by a byline label ("By Jane Doe" → 3,
    "Written by" → 10, "Published May 3, 2023 by Jane Doe" → 27); ``None`` without a label."""
    m = LABEL.match(text)
    if m:
        return m.end()
    for by in _BY_WORD.finditer(text):
        if by.start() and DATED_PREFIX.match(text[:by.start()]):
            return by.end()
    return None


def line_names(line: str, *, strict: bool = False, handles: bool = False) -> list[str]:
    """The names at the start of a byline line, after its label: up to a separator, a date, a
    number or "on"/"in" ("Jane Doe - Mar 27, 2024", "BeauHD on Friday …"). Each must look like a
    name; ``handles`` also lets one-word user names through ("oz"), where markup says they are
    the author."""
    line = _LEADING_DATE.sub("", " ".join(line.split()))
    m = _DATE_START.search(line)
    if m:
        line = line[:m.start()]
    m = _LINE_END.search(line)
    if m:
        line = line[:m.start()]
    line = line.strip(" ,;:-–—")
    if not line or len(line) > 120:
        return []
    names = split_names(line, strict=strict)
    # the names that open the line; what follows a word that is no name ("Jane Doe, MD,
    # gastroenterologist, Acme Health") is a description
    run = list(takewhile(lambda n: looks_like_name(n) or (handles and " " not in n), names))
    return run


def looks_like_name(name: str) -> bool:
    """True for a name as bylines print one: one to five words, each capitalised (or a
    particle: "van", "de"), credentials after a comma allowed; a desk credit may open with "the"
    ("the Lavazza Team"), a person's name never does ("The Numbers")."""
    words = name.split(",")[0].split()
    if words and words[0].lower() == "the":
        if not is_desk(name):
            return False
        words = words[1:]
    if not 1 <= len(words) <= 5:
        return False
    return words[0][0].isupper() and all(w[0].isupper() or w.lower() in _PARTICLES
                                         or w.lower() in DESK_WORDS for w in words)


def is_desk(name: str) -> bool:
    """True for a desk or team credit ("Gear Team", "the Lavazza Team"): it names no person."""
    return bool({w.lower() for w in name.split()} & DESK_WORDS)


def single_case(name: str) -> bool:
    """True for a name written in one case only ("JANE DOE", "jane doe")."""
    letters = [c for c in name if c.isalpha()]
    return len(letters) > 1 and (all(c.isupper() for c in letters) or all(c.islower() for c in letters))


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
