"""Site rules are hints, checked like any other source.

A site module's field (source ``"site"``) is written against the layout its author saw; on an
older or newer layout the same selector can hit the logo, a teaser or nothing useful. Each check
below compares the site's value with what the page itself says; a value that fails is replaced
by the generic method's, and the field is named in ``item.site_rule_rejected`` (counted by the
spider as ``extraction/site_rule_rejected``). So a site module that misses never makes its site
worse than an unregistered one.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crawler.extraction.page import ArticlePage

#: A site date further than this from the page's generic date contradicts the page's evidence.
MAX_DATE_GAP = dt.timedelta(hours=36)
#: A site body element with less text than this share of the generic candidate's good text is
#: a fragment (a teaser, a caption box), not the article.
MIN_BODY_SHARE = 0.5


def title_problem(page: ArticlePage, value: Any, generic: Any) -> str | None:
    """Why a site's title is implausible (``None``: it is fine)."""
    if not isinstance(value, str) or len(value.strip()) < 3:
        return "empty"
    if page.is_site_name(value):  # the generic title's own test (site names, host, <title> suffix)
        return "the site's own name"
    return None


def authors_problem(page: ArticlePage, value: Any, generic: Any) -> str | None:
    """Why a site's author list is implausible."""
    names = [n for n in value or [] if isinstance(n, str) and n.strip()]
    if not names:
        return "empty"
    if not page._people(names):  # the generic authors' own test of "the publication's name"
        return "the site's own name"
    return None


def date_problem(page: ArticlePage, value: Any, generic: Any) -> str | None:
    """Why a site's date is implausible: in the future, or far from the date the page's own
    metadata gives (the generic value)."""
    if not isinstance(value, dt.datetime):
        return "not a date"
    if value > dt.datetime.now(dt.UTC) + dt.timedelta(days=1):
        return "in the future"
    if isinstance(generic, dt.datetime) and abs(value - generic) > MAX_DATE_GAP:
        return f"{value.date()} contradicts the page's {generic.date()}"
    return None


#: Field name → check(page, site value, generic value).
CHECKS = {
    "title": title_problem,
    "authors": authors_problem,
    "published": date_problem,
    "modified": date_problem,
}


def body_problem(site_chars: int, generic_chars: int) -> str | None:
    """Why a site's body element is implausible next to the generic finder's candidate."""
    if generic_chars and site_chars < MIN_BODY_SHARE * generic_chars:
        return f"{site_chars} characters where the page's article block has {generic_chars}"
    return None
