"""Mainland China's working days from two libraries: chinese-calendar first, then holidays.

chinese-calendar carries each year's State Council schedule from 2004: the days off and the
weekend days worked instead (调休). A release with the next year follows the notice each
November, sometimes weeks later. The `holidays` library's China calendar computes the statutory
holidays for any year, with the weekday that makes up for one falling on a weekend (补休), and
for the years whose notice it has, the notice's days off and swapped weekend workdays too
(`weekend_workdays`, filled from its substituted days).

holidays answers for the years whose notice it has, and for the one year after the last of
them: there its statutory days are better than Monday-Friday, but it has no swapped weekend
workdays, so the source is marked partial. Further years are left to the caller's fallback.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from holidays import HolidayBase

    from crmkb.workdays import Answer, Source

FIRST_NOTICE = 2001  # holidays has no swapped workdays before the 2001 notice


@cache
def chinese_calendar_source() -> Source:
    import chinese_calendar

    from crmkb.workdays import Source

    return Source("chinese-calendar", f"chinese-calendar {chinese_calendar.__version__}")


@cache
def china_years() -> tuple[int, int]:
    """First and last year the installed chinese-calendar release has data for."""
    from chinese_calendar.constants import holidays

    return min(holidays).year, max(holidays).year


def chinese_calendar(day: dt.date) -> Answer:
    import chinese_calendar as library

    try:
        return bool(library.is_workday(day)), chinese_calendar_source()
    except NotImplementedError:
        return None


@cache
def holidays_source(partial: bool) -> Source:
    from holidays.version import __version__

    from crmkb.workdays import Source

    return Source("holidays", f"holidays {__version__}", partial)


@cache
def _table(year: int) -> HolidayBase:
    import holidays

    # The next year too: its notice may swap a weekend day at the end of this one.
    return holidays.country_holidays("CN", years=(year, year + 1), expand=False)


@cache
def has_notice(year: int) -> bool:
    """Whether holidays carries the State Council's schedule for `year` (its 调休 days)."""
    return any(day.year == year for day in _table(year).weekend_workdays)


@cache
def last_notice() -> int:
    """The last year whose notice holidays carries (searched from chinese-calendar's last)."""
    year = max(china_years()[1], FIRST_NOTICE)
    if has_notice(year):
        while has_notice(year + 1):
            year += 1
        return year
    while year > FIRST_NOTICE and not has_notice(year):
        year -= 1
    return year


def holidays_years() -> int:
    """The last year holidays answers for: the year after its last notice."""
    return last_notice() + 1


def holidays_with_notice(day: dt.date) -> Answer:
    """holidays' answer for a year whose notice it carries, else None."""
    if not FIRST_NOTICE <= day.year <= last_notice():
        return None
    return _table(day.year).is_working_day(day), holidays_source(False)


def holidays_statutory(day: dt.date) -> Answer:
    """holidays' statutory days off for the year after its last notice, else None."""
    if day.year != holidays_years():
        return None
    return _table(day.year).is_working_day(day), holidays_source(True)
