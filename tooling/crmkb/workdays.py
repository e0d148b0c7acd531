"""Working-day calendars for SLA deadlines: mainland China, weekends, other countries, a file.

A calendar answers "is this a working day?" for the years it knows. For a year it does not
know it falls back to Monday-Friday and remembers the year, so the caller can warn once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from crmkb.errors import RecordError, RecordErrors, UsageError

# A rule answers for the days it knows and returns None for a year it has no data for.
Rule = Callable[[dt.date], bool | None]
ONE_DAY = dt.timedelta(days=1)


@dataclass
class Calendar:
    """Working days under one rule, with Monday-Friday for the years the rule does not cover."""

    name: str
    rule: Rule
    uncovered: set[int] = field(default_factory=set)
    _memo: dict[dt.date, bool] = field(default_factory=dict, repr=False)
    _spans: dict[tuple[dt.date, dt.date], int] = field(default_factory=dict, repr=False)

    def is_workday(self, day: dt.date) -> bool:
        known = self._memo.get(day)
        if known is None:
            answer = self.rule(day)
            if answer is None:
                self.uncovered.add(day.year)
                answer = day.weekday() < 5
            self._memo[day] = known = answer
        return known

    def add(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th working day after `start` (`start` itself never counts)."""
        day = start
        left = days
        while left > 0:
            day += ONE_DAY
            if self.is_workday(day):
                left -= 1
        return day

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        # A check asks this for every open issue, always up to today: the pairs repeat.
        known = self._spans.get((start, end))
        if known is not None:
            return known
        count = 0
        day = start
        while day < end:
            day += ONE_DAY
            count += self.is_workday(day)
        self._spans[(start, end)] = count
        return count

    def uncovered_message(self, year: int) -> str:
        return (
            f"calendar '{self.name}' has no holiday data for {year}; counting Monday-Friday "
            f"as working days there (upgrade the calendar library, or point `calendar:` at a "
            f"company calendar file that lists {year})"
        )


def _weekends(day: dt.date) -> bool:
    return day.weekday() < 5


def _china(day: dt.date) -> bool | None:
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


def china_years() -> tuple[int, int]:
    """First and last year the installed chinese-calendar release has data for."""
    from chinese_calendar.constants import holidays

    return min(holidays).year, max(holidays).year


def _country(code: str) -> Rule:
    import holidays

    try:
        table = holidays.country_holidays(code)
    except NotImplementedError:
        raise UsageError(
            f"calendar 'holidays:{code}': the holidays library has no country '{code}'; "
            "use an ISO code such as holidays:HK or holidays:SG"
        ) from None

    def rule(day: dt.date) -> bool:
        return day.weekday() < 5 and day not in table

    return rule


@dataclass(frozen=True)
class CompanyCalendar:
    """A calendar file: extra holidays and working days on top of a base calendar."""

    base: str
    years: frozenset[int]
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]

    def rule(self, base: Rule) -> Rule:
        def decide(day: dt.date) -> bool | None:
            if day in self.workdays:
                return True
            if day in self.holidays:
                return False
            answer = base(day) if self.base == "cn" else None
            if answer is None and day.year in self.years:
                return day.weekday() < 5
            return answer

        return decide


def load_company_calendar(root: Path, relative: str) -> CompanyCalendar:
    """Read a company calendar YAML: base (cn | weekends), years, holidays, workdays."""
    from crmkb.yamlfile import load_yaml

    path = root / relative
    try:
        found = "\0" not in relative and path.is_file()
    except OSError:  # a name too long for the file system, say
        found = False
    if not found:
        raise UsageError(
            f"crmkb.yml calendar: '{relative}' is neither cn, weekends, holidays:XX "
            "nor an existing calendar file"
        )
    doc = load_yaml(path, relative)
    data = doc.data if isinstance(doc.data, dict) else {}
    allowed = {"base", "years", "holidays", "workdays"}
    known = ", ".join(sorted(allowed))
    problems = [f"unknown key '{k}'; use {known}" for k in data if k not in allowed]
    base = data.get("base", "weekends")
    if base not in ("cn", "weekends"):
        problems.append(f"base must be cn or weekends (got {base!r})")
    days: dict[str, frozenset[dt.date]] = {}
    for key in ("holidays", "workdays"):
        values = data.get(key) or []
        if not isinstance(values, list) or not all(isinstance(v, dt.date) for v in values):
            problems.append(f"{key} must be a list of dates like 2027-01-01")
            values = []
        days[key] = frozenset(values)
    years = data.get("years")
    if years is None:
        years = sorted({d.year for d in days["holidays"] | days["workdays"]})
    if not isinstance(years, list) or not all(isinstance(y, int) for y in years):
        problems.append("years must be a list of years like [2027, 2028]")
        years = []
    for both in sorted(days["holidays"] & days["workdays"]):
        problems.append(f"{both} is listed both as a holiday and as a working day")
    for day in sorted(days["holidays"] | days["workdays"]):
        if day.year not in years:
            problems.append(f"{day} is in {day.year}, a year not listed in `years`; add it")
    if problems:
        raise RecordErrors([RecordError(relative, 1, 1, p) for p in problems])
    return CompanyCalendar(str(base), frozenset(years), days["holidays"], days["workdays"])


def calendar_for(setting: str, root: Path) -> Calendar:
    """The calendar named by crmkb.yml `calendar:` (cn, weekends, holidays:XX or a file)."""
    return _build(setting, root.resolve())


@cache
def _build_rule(setting: str, root: Path) -> Rule:
    if setting == "cn":
        return _china
    if setting == "weekends":
        return _weekends
    if setting.startswith("holidays:"):
        return _country(setting.partition(":")[2].strip().upper())
    company = load_company_calendar(root, setting)
    return company.rule(_china if company.base == "cn" else _weekends)


def _build(setting: str, root: Path) -> Calendar:
    return Calendar(setting, _build_rule(setting, root))
