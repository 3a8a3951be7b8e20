"""Dates: strings in the many formats pages use → timezone-aware datetimes."""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

_UTC = dt.UTC
_TZ_COLONLESS = re.compile(r"([+-]\d{2})(\d{2})$")
_FRACTION = re.compile(r"(\.\d{1,6})\d*")
_ISO_LIKE = re.compile(
    r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*"
    r"(Z|UTC|GMT|[+-]\d{2}:?\d{2}|[+-]\d{2})?$",
    re.I,
)
_URL_DATE = re.compile(
    r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2]|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
    r"(?:[/-](0?[1-9]|[12]\d|3[01]))?(?=[/-]|$)",
    re.I,
)
_URL_COMPACT = re.compile(r"(?<![\d])((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?![\d])")
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
#: Month names (English, German, French; full and abbreviated) → month number.
_MONTH_NAMES: dict[str, int] = {}
for _i, _names in enumerate((
        "january jan januar jän janvier janv", "february feb februar février fevrier févr fevr",
        "march mar märz maerz mars mrz", "april apr avril avr", "may mai",
        "june jun juni juin", "july jul juli juillet juil", "august aug août aout",
        "september sep sept septembre", "october oct oktober okt octobre",
        "november nov novembre", "december dec dezember dez décembre decembre déc"), 1):
    for _n in _names.split():
        _MONTH_NAMES[_n] = _i
_MONTH_RE = "|".join(sorted(_MONTH_NAMES, key=len, reverse=True))
#: Dates written out in page text: ISO, day-first dotted (European), "3. November 2023",
#: "November 3, 2023", "3 November 2023" and US "11/3/2023".
_TEXT_DATES = re.compile(
    rf"(?<!\d)(?:(?P<iy>(?:19|20)\d{{2}})-(?P<im>\d{{2}})-(?P<id>\d{{2}})"
    rf"|(?P<dd>\d{{1,2}})\.(?P<dm>\d{{1,2}})\.(?P<dy>(?:19|20)\d{{2}})"
    rf"|(?P<nd>\d{{1,2}})(?:\.|st|nd|rd|th)?\s+(?:de\s+)?(?P<nm>{_MONTH_RE})\b\.?,?\s+(?:de\s+)?(?P<ny>(?:19|20)\d{{2}})"
    rf"|\b(?P<mm>{_MONTH_RE})\b\.?\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<my>(?:19|20)\d{{2}})"
    rf"|(?P<um>\d{{1,2}})/(?P<ud>\d{{1,2}})/(?P<uy>(?:19|20)\d{{2}}))(?!\d)",
    re.I,
)
#: US and a few other zone abbreviations dateutil does not know (it would read them as UTC or
#: leave the time naive): "June 7, 2013 6:43pm EDT".
_TZ_ABBREVIATIONS = {
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "AKST": -9, "AKDT": -8, "HST": -10, "ET": -5, "PT": -8, "BST": 1, "CET": 1, "CEST": 2,
    "MEZ": 1, "MESZ": 2, "EET": 2, "EEST": 3, "AEST": 10, "AEDT": 11, "ACST": 9.5, "AWST": 8,
    "NZST": 12, "NZDT": 13, "SAST": 2, "WAT": 1, "EAT": 3, "JST": 9, "KST": 9,
}
_TZINFOS = {k: int(v * 3600) for k, v in _TZ_ABBREVIATIONS.items()}
#: A time of day in a string dateutil reads ("6:43pm", "13:18", "7 AM").
_HAS_TIME = re.compile(r"\d:\d{2}|\d\s*[ap]\.?m\b", re.I)
#: A time printed right after a date: "April 15, 2019 at 1:18 pm EDT", "June 7, 2013 @ 6:43pm",
#: "06.11.2023 13:30 Uhr", "2024-04-25T08:21:02Z", "Nov 25, 2025 5:00 am PST".
_TIME_AFTER = re.compile(
    r"(?:\s*,)?\s*(?:(?:at|@|um|à|a las|[-–—|·•T])\s*)?"
    r"(?P<h>\d{1,2})(?:[:h](?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?)?(?!\d)"
    r"\s*(?P<ap>[ap]\.?\s?m\b\.?)?(?:\s*uhr\b)?"
    r"(?:\s*\(?(?P<tz>Z\b|[A-Z]{2,5}\b|[+-]\d{2}:?\d{2}\b)(?P<tzo>\s*[+-]\d{1,2}(?::?\d{2})?\b)?\)?)?",
    re.I,
)

DAY, TIME = "day", "time"


class Found(NamedTuple):
    """A date as the page gives it: ``at`` is tz-aware (midnight UTC of the day when
    ``precision`` is "day"; the instant, in the page's own offset, when it is "time")."""

    at: dt.datetime
    precision: str

    def day(self) -> dt.date:
        """The calendar day the page names (for a time: the day in the page's own offset)."""
        return self.at.date()


def _offset(tz: str | None) -> dt.tzinfo | None:
    """A fixed offset out of "Z", "UTC", "+02:00", "+0200" or "+02"."""
    if not tz:
        return None
    if tz.upper() in ("Z", "UTC", "GMT"):
        return _UTC
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def _tzinfo_for(name: str | None, offset: int | None) -> dt.tzinfo | int | None:
    """dateutil's ``tzinfos`` hook: known abbreviations get their offset ("EDT" → -04:00).

    "ET"/"PT" (no daylight flag) take the standard offset; unknown names are left naive (UTC).
    """
    if offset is not None:
        return offset
    if name and name.upper() in _TZINFOS:
        return _TZINFOS[name.upper()]
    if name and name.upper() in ("UTC", "GMT", "Z"):
        return 0
    return None


def _aware(d: dt.datetime) -> dt.datetime:
    return d if d.tzinfo is not None else d.replace(tzinfo=_UTC)


def _plausible(d: dt.datetime) -> bool:
    now = dt.datetime.now(_UTC)
    return dt.datetime(1995, 1, 1, tzinfo=_UTC) <= d <= now + dt.timedelta(days=2)


def _found(d: dt.datetime, has_time: bool) -> Found | None:
    """``d`` made aware (naive → UTC) with its precision, or ``None`` when implausible."""
    d = _aware(d)
    if not _plausible(d):
        return None
    if has_time:
        return Found(d, TIME)
    return Found(dt.datetime(d.year, d.month, d.day, tzinfo=_UTC), DAY)


def parse_when(value: str | None, *, allow_dateutil: bool = True) -> Found | None:
    """A date string (ISO 8601, RFC 2822, epoch, or what dateutil reads) with its precision:
    "day" when it gives no time of day, "time" when it does. Naive times are taken as UTC.

    Returns ``None`` for anything unparseable or implausible (before 1995, in the future).
    """
    if not value:
        return None
    s = " ".join(str(value).split())
    if not s or len(s) > 80:
        return None
    d: dt.datetime | None = None
    has_time = True
    m = _ISO_LIKE.match(s)
    if m:
        has_time = m.group(4) is not None
        candidate = _FRACTION.sub(r"\1", s.replace(" UTC", "Z").replace(" GMT", "Z"))
        candidate = _TZ_COLONLESS.sub(r"\1:\2", candidate)
        try:
            d = dt.datetime.fromisoformat(candidate.replace("z", "Z"))
        except ValueError:
            d = None
        if d is None:
            y, mo, da, hh, mi, ss, tz = m.groups()
            try:
                d = dt.datetime(int(y), int(mo), int(da), int(hh or 0), int(mi or 0), int(ss or 0),
                                tzinfo=_offset(tz))
            except ValueError:
                return None
    if d is None and re.match(r"^\d{10}(\d{3})?$", s):  # epoch seconds / milliseconds
        n = int(s)
        d = dt.datetime.fromtimestamp(n / 1000 if n > 10**11 else n, _UTC)
    if d is None and re.match(r"^[A-Za-z]{3},", s):
        try:
            d = email.utils.parsedate_to_datetime(s)
        except (TypeError, ValueError):
            d = None
        has_time = bool(_HAS_TIME.search(s))
    if d is None and allow_dateutil and re.search(r"\d{4}", s):
        from dateutil import parser as du  # imported lazily: a rare, slow path

        try:
            d = du.parse(s, fuzzy=False, tzinfos=_tzinfo_for)
        except (ValueError, OverflowError, LookupError):
            d = None
        has_time = bool(_HAS_TIME.search(s))
    return _found(d, has_time) if d is not None else None


def precision_of(d: dt.datetime) -> str:
    """ "day" for midnight UTC (how a date-only value is stored), else "time"."""
    return DAY if d.utcoffset() in (None, dt.timedelta(0)) and d.time() == dt.time(0) else TIME


def parse_date(value: str | None, *, allow_dateutil: bool = True) -> dt.datetime | None:
    """A tz-aware datetime out of an ISO 8601, RFC 2822 or plain date string (naive → UTC).

    Returns ``None`` for anything unparseable or implausible (before 1995, in the future).
    """
    found = parse_when(value, allow_dateutil=allow_dateutil)
    return found.at if found else None


def _zone(tz: str | None, extra: str | None) -> dt.tzinfo | None:
    """The offset a printed zone names ("EDT", "UTC", "GMT+2", "+01:00"); ``None`` if unknown."""
    if not tz:
        return None
    name = tz.upper()
    if name in ("UTC", "GMT", "Z"):
        if not extra:
            return _UTC
        sign, digits = extra.strip()[0], extra.strip()[1:].replace(":", "")
        hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
        return dt.timezone((-1 if sign == "-" else 1) * dt.timedelta(hours=hours, minutes=minutes))
    if name[0] in "+-":
        return _offset(name)
    if name in _TZINFOS:
        return dt.timezone(dt.timedelta(seconds=_TZINFOS[name]))
    return None


def _time_after(text: str, pos: int, day: dt.date) -> tuple[dt.datetime, int] | None:
    """The instant of a time printed at ``text[pos:]`` on ``day`` and where it ends; ``None``
    without a time or without a zone (a local time in an unknown zone is no instant)."""
    m = _TIME_AFTER.match(text, pos)
    if not m or not (m["mi"] or m["ap"]):
        return None
    hour, minute, second = int(m["h"]), int(m["mi"] or 0), int(m["s"] or 0)
    if m["ap"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if m["ap"][0].lower() == "p" else 0)
    zone = _zone(m["tz"], m["tzo"])
    if zone is None or hour > 23 or minute > 59 or second > 59:
        return None
    return dt.datetime.combine(day, dt.time(hour, minute, second), zone), m.end()


def dates_in_text(text: str) -> Iterator[tuple[Found, int, int]]:
    """Every plausible date written in ``text`` with where it starts and ends. A time printed
    right after the date with a zone ("April 15, 2019 at 1:18 pm EDT") makes it a "time";
    otherwise it is a "day" (midnight UTC)."""
    for m in _TEXT_DATES.finditer(text):
        g = m.groupdict()
        try:
            if g["iy"]:
                y, mo, da = int(g["iy"]), int(g["im"]), int(g["id"])
            elif g["dy"]:
                y, mo, da = int(g["dy"]), int(g["dm"]), int(g["dd"])
            elif g["ny"]:
                y, mo, da = int(g["ny"]), _MONTH_NAMES[g["nm"].lower()], int(g["nd"])
            elif g["my"]:
                y, mo, da = int(g["my"]), _MONTH_NAMES[g["mm"].lower()], int(g["md"])
            else:
                y, mo, da = int(g["uy"]), int(g["um"]), int(g["ud"])
            d = dt.datetime(y, mo, da, tzinfo=_UTC)
        except (ValueError, KeyError):
            continue
        if not _plausible(d):
            continue
        timed = _time_after(text, m.end(), d.date())
        if timed is not None and _plausible(timed[0]):
            yield Found(timed[0], TIME), m.start(), timed[1]
        else:
            yield Found(d, DAY), m.start(), m.end()


def date_in_text(text: str | None) -> dt.datetime | None:
    """The first calendar day written in a short text ("Erschienen am: 01.11.2023",
    "December 3, 2025. Updated: December 7, 2025"), as midnight UTC."""
    if not text:
        return None
    for found, _start, _end in dates_in_text(text):
        return dt.datetime.combine(found.day(), dt.time(0), _UTC)
    return None


def date_from_url(url: str) -> dt.datetime | None:
    """A publication day written in the URL path (``/2024/04/28/``, ``/2024/apr/28/``, ``20241013``)."""
    path = url.split("?", 1)[0].split("://", 1)[-1]
    path = path[path.find("/"):] if "/" in path else ""
    m = _URL_DATE.search(path)
    if m and m.group(3):
        y, mo, da = m.groups()
        month = int(mo) if mo.isdigit() else _MONTHS[mo[:3].lower()]
        try:
            d = dt.datetime(int(y), month, int(da), tzinfo=_UTC)
        except ValueError:
            return None
        return d if _plausible(d) else None
    m = _URL_COMPACT.search(path)
    if m:
        try:
            d = dt.datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), tzinfo=_UTC)
        except ValueError:
            return None
        return d if _plausible(d) else None
    return None


#: Elements that load a file; their URLs carry build dates, never the article's.
_ASSET_XPATH = ("//script[@src] | //link[contains(' stylesheet preload modulepreload prefetch icon "
                "shortcut apple-touch-icon manifest dns-prefetch preconnect ', concat(' ', @rel, ' '))]")


_LEADING_DAY = re.compile(r"^\s*([+-]?\d{4,})-(\d{1,2})-(\d{1,2})")


def impossible_day(text: str) -> bool:
    """True for a value that starts with a year-month-day that is no calendar day
    ("2024-02-30", "2024-13-45", "99999-01-01") or an implausible one (before 1995, in the
    future); False for anything else, a valid day or no day at all."""
    m = _LEADING_DAY.match(text)
    if m is None:
        return False
    try:
        day = dt.datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), tzinfo=_UTC)
    except ValueError:
        return True
    return not _plausible(day)


def htmldate_guess(root: object, url: str | None, *, original: bool = True,
                   language: str | None = None) -> dt.datetime | None:
    """htmldate's guess (the generic last resort). It gives a day, returned as midnight UTC.

    ``root`` is changed: scripts and stylesheets loaded by URL are removed first, because their
    cache-busting versions (``galore.min.js?v=2022-06-15``) are dates htmldate would take for the page's.
    ``language`` (the page's, e.g. ``en-US``) narrows dateparser, which htmldate's extensive
    search asks about free-text dates, to that language (see :func:`_page_language_dateparser`).
    """
    from htmldate import extractors, find_date

    for asset in root.xpath(_ASSET_XPATH):  # type: ignore[attr-defined]
        asset.getparent().remove(asset)
    default_parser = extractors.get_external_parser
    extractors.get_external_parser = lambda: _page_language_dateparser(language)  # type: ignore[assignment]
    try:
        found = find_date(root, url=url, original_date=original, extensive_search=True)
    except Exception:  # htmldate raises a variety of errors on odd pages
        return None
    finally:
        extractors.get_external_parser = default_parser
    return parse_date(found) if found else None


@functools.cache
def _page_language_dateparser(language: str | None) -> Any:
    """dateparser for htmldate's free-text dates, in the page's language (English when the page
    declares none, or one dateparser does not know).

    Why not htmldate's own: it builds dateparser for every language, so each new string is tried
    against ~200 locales, and each locale's regular expressions are compiled on first use: over
    a second per call until all are warm, most of our extraction time on a fresh process (a
    crawl, ``scrapy extract``). A page states its dates in its own language. htmldate has no
    option for this, so its parser getter is swapped for the call (extraction runs one page at
    a time per process); the settings are htmldate's.
    """
    from dateparser import DateDataParser

    settings = {"NORMALIZE": True, "PARSERS": ["custom-formats", "absolute-time"],
                "PREFER_DATES_FROM": "past", "PREFER_LOCALE_DATE_ORDER": True,
                "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": True}
    code = (language or "en").split("-")[0].lower()
    try:
        return DateDataParser(languages=[code], settings=settings)
    except ValueError:  # a language dateparser does not know
        return DateDataParser(languages=["en"], settings=settings)
