"""Working-day calendars for SLA deadlines: mainland China, weekends, other countries, a file.

A calendar asks its sources in order, and the first with an answer for a day decides:

- `cn`: chinese-calendar, then the holidays library (`china_calendar`);
- a company calendar file (`calendar_file`): the days it lists, then for `base: cn` chinese-
  calendar and holidays for the years whose notice it carries, then Monday-Friday for the
  years the file lists, then holidays' statutory days for the year after its last notice;
- `weekends`: Monday-Friday; `holidays:XX`: that country's holidays library calendar.

A day no source knows counts Monday-Friday and its year is remembered, so the caller can
warn once. Each day's source is remembered by year too, for `kb check`'s note.
`special_days` lists a range's days off and weekend days worked, with their source.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from crmkb.errors import UsageError
from crmkb.i18n import _


@dataclass(frozen=True)
class Source:
    """Where a day's answer comes from."""

    key: str  # stable: chinese-calendar, holidays, file, weekends, holidays:XX
    label: str  # shown to people: the library and its version, or the file's path
    partial: bool = False  # public holidays only, without the swapped weekend workdays


# A day's answer and its source, or None: this source has no data for that day.
Answer = tuple[bool, Source] | None
Rule = Callable[[dt.date], Answer]
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class SpecialDay:
    """A day Monday-Friday gets wrong: a weekday off, or a Saturday or Sunday worked (调休)."""

    day: dt.date
    working: bool
    source: str  # Source.key

    def as_json(self) -> dict[str, object]:
        return {"date": self.day.isoformat(), "working": self.working, "source": self.source}


@dataclass
class Calendar:
    """Working days from a list of sources, with Monday-Friday where none answers."""

    name: str
    rules: tuple[Rule, ...]
    main: str = ""  # the source whose years need no note (chinese-calendar for cn)
    uncovered: set[int] = field(default_factory=set)
    used: dict[int, set[Source]] = field(default_factory=dict)
    _memo: dict[dt.date, bool] = field(default_factory=dict, repr=False)
    _sources: dict[dt.date, Source | None] = field(default_factory=dict, repr=False)
    _spans: dict[tuple[dt.date, dt.date], int] = field(default_factory=dict, repr=False)

    def decide(self, day: dt.date) -> tuple[bool, Source | None]:
        """Whether `day` is a working day, and the source that says so (None: no source)."""
        if day not in self._memo:
            answer = next((a for rule in self.rules if (a := rule(day)) is not None), None)
            if answer is None:
                self.uncovered.add(day.year)
                self._memo[day], self._sources[day] = day.weekday() < 5, None
            else:
                self._memo[day], self._sources[day] = answer
                self.used.setdefault(day.year, set()).add(answer[1])
        return self._memo[day], self._sources[day]

    def is_workday(self, day: dt.date) -> bool:
        known = self._memo.get(day)
        return self.decide(day)[0] if known is None else known

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
        """The warning for a year no source knows: what counts there, and what to add."""
        if self.main != "chinese-calendar":
            return _(
                "calendar '{name}' has no holiday data for {year}; counting Monday-Friday "
                "as working days there (upgrade the calendar library, or point `calendar:` "
                "at a company calendar file that lists {year})"
            ).format(name=self.name, year=year)
        from crmkb.china_calendar import china_years, holidays_source, holidays_years

        if self.name == "cn":
            what = _(
                "or enter it in a company calendar file: calendar.yml with `base: cn`, "
                "`years: [{year}]`, the notice's days off under `holidays:` and its weekend "
                "days worked under `workdays:`, and `calendar: calendar.yml` in crmkb.yml"
            )
        else:
            what = _(
                "or enter it in {file}: add {year} to `years:`, the notice's days off to "
                "`holidays:` and its weekend days worked to `workdays:`"
            )
        return _(
            "calendar '{name}' has no holiday data for {year} (chinese-calendar {cc} ends "
            "in {cc_last}, holidays {hol} in {hol_last}); counting Monday-Friday as working "
            "days there. Once the State Council publishes {year}'s schedule, upgrade both "
            "(.venv/bin/pip install -U chinese-calendar holidays) {what}"
        ).format(
            name=self.name,
            year=year,
            cc=_chinese_calendar_label().rpartition(" ")[2],
            cc_last=china_years()[1],
            hol=holidays_source(False).label.rpartition(" ")[2],
            hol_last=holidays_years(),
            what=what.format(year=year, file=self.name),
        )

    def source_note(self) -> str | None:
        """Which source each year's days came from, when any is not the main one."""
        years = sorted(self.used)
        if all({s.key for s in self.used[y]} <= {self.main} for y in years):
            return None
        parts = []
        for year in years:
            labels = []
            for source in sorted(self.used[year], key=lambda s: (s.key != "file", s.key)):
                label = source.label
                if source.partial:
                    label = _(
                        "{source} (public holidays only: it has no swapped weekend workdays "
                        "(调休) for {year}; once the State Council publishes them, list them "
                        "in a company calendar file, see the README)"
                    ).format(source=label, year=year)
                labels.append(label)
            parts.append(_("{year} from {sources}").format(year=year, sources=", ".join(labels)))
        return _("calendar '{name}': {years}").format(name=self.name, years=_("; ").join(parts))


def _chinese_calendar_label() -> str:
    from crmkb.china_calendar import chinese_calendar_source

    return chinese_calendar_source().label


def special_days(calendar: Calendar, start: dt.date, end: dt.date) -> list[SpecialDay]:
    """The days from `start` to `end` (both included) that Monday-Friday gets wrong: weekdays
    off and Saturdays or Sundays worked, in date order, each with its source's key. Every other
    day is a working day from Monday to Friday. Years no source knows add none (they are in
    `calendar.uncovered` afterwards)."""
    found = []
    day = start
    while day <= end:
        working, source = calendar.decide(day)
        if source is not None and working != (day.weekday() < 5):
            found.append(SpecialDay(day, working, source.key))
        day += ONE_DAY
    return found


def _weekends(day: dt.date) -> Answer:
    return day.weekday() < 5, WEEKENDS


WEEKENDS = Source("weekends", "Monday-Friday")


def _country(code: str) -> Rule:
    import holidays

    try:
        table = holidays.country_holidays(code)
    except NotImplementedError:
        raise UsageError(
            f"calendar 'holidays:{code}': the holidays library has no country '{code}'; "
            "use an ISO code such as holidays:HK or holidays:SG"
        ) from None
    source = Source(f"holidays:{code}", f"holidays:{code}")

    def rule(day: dt.date) -> Answer:
        return day.weekday() < 5 and day not in table, source

    return rule


def calendar_for(setting: str, root: Path) -> Calendar:
    """The calendar named by crmkb.yml `calendar:` (cn, weekends, holidays:XX or a file)."""
    root = root.resolve()
    stamp: tuple[int, int] | None = None
    if setting not in ("cn", "weekends") and not setting.startswith("holidays:"):
        try:  # a calendar file is read again when it changes (kb serve runs for days)
            info = os.stat(root / setting)
            stamp = (info.st_mtime_ns, info.st_size)
        except (OSError, ValueError):
            stamp = None
    rules, main = _rules(setting, root, stamp)
    return Calendar(setting, rules, main)


@cache
def _rules(setting: str, root: Path, stamp: tuple[int, int] | None) -> tuple[tuple[Rule, ...], str]:
    from crmkb import china_calendar as china

    if setting == "cn":
        rules = (china.chinese_calendar, china.holidays_with_notice, china.holidays_statutory)
        return rules, "chinese-calendar"
    if setting == "weekends":
        return (_weekends,), "weekends"
    if setting.startswith("holidays:"):
        code = setting.partition(":")[2].strip().upper()
        return (_country(code),), f"holidays:{code}"
    from crmkb.calendar_file import load_company_calendar

    company = load_company_calendar(root, setting)
    source = Source("file", company.path)

    def listed(day: dt.date) -> Answer:
        answer = company.listed(day)
        return None if answer is None else (answer, source)

    def whole_year(day: dt.date) -> Answer:
        answer = company.whole_year(day)
        return None if answer is None else (answer, source)

    if company.base == "cn":
        libraries = (china.chinese_calendar, china.holidays_with_notice)
        return (listed, *libraries, whole_year, china.holidays_statutory), "chinese-calendar"
    return (listed, whole_year), "file"
