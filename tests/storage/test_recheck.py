"""The re-check schedule (pure): the interval grows with the article's age; the clock is injected."""

from __future__ import annotations

import datetime as dt

import pytest

from storage.recheck import NEVER, RecheckSchedule, parse_duration

PUBLISHED = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)
DEFAULT = RecheckSchedule.parse("1h,6h,1d,3d,7d,30d", "365d")


def test_parse_durations_and_schedule() -> None:
    assert [parse_duration(t) for t in ("90s", "30m", " 6H ", "3d", "2w")] == [
        dt.timedelta(seconds=90), dt.timedelta(minutes=30), 6 * H, 3 * D, 14 * D]
    assert DEFAULT.steps == (H, 6 * H, D, 3 * D, 7 * D, 30 * D)
    assert DEFAULT.max_age == 365 * D
    assert RecheckSchedule.parse(["1d", "7d"], "").max_age is None


@pytest.mark.parametrize(("steps", "max_age", "message"), [
    ("1h,6x", "365d", "'6x' is not a duration"),
    ("1h,,1.5h", "365d", "'1.5h' is not a duration"),
    ("1h,-6h", "365d", "'-6h' is not a duration"),
    (" , ", "365d", "the re-check schedule is empty"),
    ("1h", "a year", "'a year' is not a duration"),
])
def test_malformed_settings_say_what_is_wrong(steps: str, max_age: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RecheckSchedule.parse(steps, max_age)


def test_checks_on_time_follow_the_steps() -> None:
    checked, times = PUBLISHED, []
    for _ in range(8):
        checked = DEFAULT.next_check(PUBLISHED, checked)
        times.append(checked - PUBLISHED)
    assert times == [H, 7 * H, 31 * H, 4 * D + 7 * H, 11 * D + 7 * H,
                     41 * D + 7 * H, 71 * D + 7 * H, 101 * D + 7 * H]


@pytest.mark.parametrize(("age", "wait"), [
    (dt.timedelta(0), H),
    (30 * dt.timedelta(minutes=1), H),
    (H, 6 * H),               # the first bracket ends where the first check falls (1h)
    (5 * H, 6 * H),
    (7 * H, D),
    (D, D),
    (31 * H, 3 * D),
    (4 * D + 7 * H, 7 * D),
    (11 * D + 7 * H, 30 * D),
    (200 * D, 30 * D),        # the last step repeats
    (364 * D, 30 * D),
])
def test_the_wait_is_picked_by_age_not_by_how_many_checks_came_before(
        age: dt.timedelta, wait: dt.timedelta) -> None:
    checked = PUBLISHED + age
    assert DEFAULT.next_check(PUBLISHED, checked) == checked + wait


def test_a_late_discovery_or_a_missed_run_goes_straight_to_its_age_bracket() -> None:
    # First seen three weeks after publication: not checked hourly from then on.
    first_seen = PUBLISHED + 21 * D
    assert DEFAULT.next_check(PUBLISHED, first_seen) == first_seen + 30 * D
    # A check due at 7h came two days late: the next one waits 3 days, not 1.
    late = PUBLISHED + 2 * D + 7 * H
    assert DEFAULT.next_check(PUBLISHED, late) == late + 3 * D


def test_past_the_max_age_no_more_checks() -> None:
    assert DEFAULT.next_check(PUBLISHED, PUBLISHED + 365 * D) == NEVER
    assert DEFAULT.next_check(PUBLISHED, PUBLISHED + 3 * 365 * D) == NEVER
    unlimited = RecheckSchedule.parse("1h,30d", None)
    assert unlimited.next_check(PUBLISHED, PUBLISHED + 3 * 365 * D) == PUBLISHED + 3 * 365 * D + 30 * D


def test_a_future_publication_date_counts_as_age_zero() -> None:
    now = PUBLISHED - 2 * H
    assert DEFAULT.next_check(PUBLISHED, now) == now + H


def test_a_zero_step_makes_every_crawl_a_check() -> None:
    every_crawl = RecheckSchedule.parse("0s", "365d")
    assert every_crawl.next_check(PUBLISHED, PUBLISHED + 40 * D) == PUBLISHED + 40 * D
