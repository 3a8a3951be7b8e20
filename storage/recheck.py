"""When to look at a known article again: a re-check schedule that thins out with age.

Pure (no database, no clock of its own): every function takes the times it needs, so tests
inject the clock. The crawler parses its ``RECHECK_SCHEDULE`` / ``RECHECK_MAX_AGE`` settings
with :meth:`RecheckSchedule.parse` and hands the schedule to :meth:`storage.Archive.store` and
:meth:`storage.Archive.mark_seen`, which write each fetched URL's ``url_state.next_due_at``.

``next_due_at`` holds one of three things:

* a time: the URL is due for a (conditional) re-fetch from then on;
* :data:`NEVER` (9999-12-31 UTC): the article is older than the schedule's maximum age, it is
  not re-checked any more (unless its sitemap lastmod moves: the publisher says it changed);
* NULL: no schedule was given when it was last written (rows written before schedules
  existed, ``Archive.record_fetch`` without one): due at the next crawl that lists it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

#: ``next_due_at`` of an article past the schedule's maximum age: never due again.
NEVER = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)

_UNITS = {"s": dt.timedelta(seconds=1), "m": dt.timedelta(minutes=1), "h": dt.timedelta(hours=1),
          "d": dt.timedelta(days=1), "w": dt.timedelta(weeks=1)}
_DURATION = re.compile(r"(\d+)\s*([smhdw])")


def parse_duration(text: str) -> dt.timedelta:
    """``"90s"``, ``"30m"``, ``"6h"``, ``"3d"``, ``"2w"`` as a timedelta; ValueError otherwise."""
    match = _DURATION.fullmatch(text.strip().lower())
    if match is None:
        raise ValueError(f"{text.strip()!r} is not a duration (a whole number and s, m, h, d or w: "
                         "6h, 30d)")
    return int(match.group(1)) * _UNITS[match.group(2)]


@dataclass(frozen=True)
class RecheckSchedule:
    """Steps between checks of an article, growing with its age, and an age past which it rests.

    Age-based, not step-based: the interval after a check is picked by the article's age at that
    check, from brackets that end where the checks would fall if every crawl came on time. With
    ``1h,6h,1d,3d,7d,30d`` an article is checked at ages 1h, 7h, 31h, 4d7h, 11d7h, then every 30
    days; the interval after a check at age ``a`` is ``1h`` while ``a < 1h``, ``6h`` while
    ``a < 7h``, ``1d`` while ``a < 31h``, and so on, the last step repeating. A step-based
    schedule (the n-th check waits the n-th step) would need a check counter and goes wrong
    when crawls are missed: a three-week-old article first seen today would still be checked
    hourly. By age, a missed run or a late discovery puts the article straight into the bracket
    its age calls for. A 0 step means "due at every crawl".
    """

    steps: tuple[dt.timedelta, ...]
    #: Past this age (since publication, or first seen when undated): no more re-checks;
    #: ``None``: no limit.
    max_age: dt.timedelta | None = None

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError("a re-check schedule needs at least one step")
        if any(step < dt.timedelta(0) for step in self.steps):
            raise ValueError("re-check steps cannot be negative")

    @classmethod
    def parse(cls, steps: str | Sequence[str], max_age: str | None) -> RecheckSchedule:
        """A schedule from ``"1h,6h,1d,3d,7d,30d"`` (or a list of durations) and a max age
        (``"365d"``; empty or ``None``: no limit). Raises ValueError saying what is wrong."""
        parts = steps.split(",") if isinstance(steps, str) else list(steps)
        parts = [p for p in (p.strip() for p in parts) if p]
        if not parts:
            raise ValueError("the re-check schedule is empty (give steps such as 1h,6h,1d,30d)")
        limit = parse_duration(max_age) if max_age and max_age.strip() else None
        return cls(tuple(parse_duration(p) for p in parts), limit)

    def interval(self, age: dt.timedelta) -> dt.timedelta:
        """The wait after a check of an article of ``age`` (a negative age counts as 0)."""
        end = dt.timedelta(0)
        for step in self.steps:
            end += step
            if age < end:
                return step
        return self.steps[-1]

    def next_check(self, published_at: dt.datetime, checked_at: dt.datetime) -> dt.datetime:
        """When an article published (or first seen) at ``published_at`` and checked at
        ``checked_at`` is due again; :data:`NEVER` once it is older than ``max_age``."""
        age = max(checked_at - published_at, dt.timedelta(0))
        if self.max_age is not None and age >= self.max_age:
            return NEVER
        return checked_at + self.interval(age)
